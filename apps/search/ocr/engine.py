"""The OCR engine of this process: RapidOCR, loaded once, on the GPU when onnxruntime offers CUDA.

`unavailable_reason()` answers "can text be read here?" in a sentence (the stage's log line, the
coverage endpoint, the text API's 503) from the installed packages, without loading anything;
`read(image)` gives the lines of one RGB image with boxes as fractions of its size.
"""

import importlib.util
import logging
import threading
from dataclasses import dataclass

import numpy as np
from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from PIL import Image

logger = logging.getLogger(__name__)

PACKAGE = "rapidocr_onnxruntime"
MODEL = "RapidOCR PP-OCRv4"  # detection + recognition models of the pinned wheel
CUDA = "CUDAExecutionProvider"


class OcrUnavailable(RuntimeError):
    """Text cannot be read in this process; the message says why."""


@dataclass(frozen=True)
class Line:
    text: str
    confidence: float
    box: list  # four [x, y] corners, fractions of the image's width and height

    def as_json(self) -> dict:
        return {"text": self.text, "confidence": round(self.confidence, 4), "box": self.box}


_lock = threading.Lock()
_engine = None
_device = ""


def unavailable_reason() -> str | None:
    """None when the OCR package is installed; else why text cannot be read (naming the model)."""
    if importlib.util.find_spec(PACKAGE) is None:
        return (f"text recognition ({MODEL}) is unavailable: the Python package {PACKAGE} is not installed "
                "(pip install -r requirements/ml.txt)")
    return None


def device() -> str:
    """"cuda" when onnxruntime offers CUDA (onnxruntime-gpu on a GPU worker), else "cpu"."""
    import onnxruntime

    return "cuda" if CUDA in onnxruntime.get_available_providers() else "cpu"


def engine():
    """The loaded RapidOCR (once per process; about 1 s and 15 MB of models), or OcrUnavailable."""
    global _engine, _device
    if _engine is not None:
        return _engine
    with _lock:
        if _engine is not None:
            return _engine
        reason = unavailable_reason()
        if reason is not None:
            raise OcrUnavailable(reason)
        from rapidocr_onnxruntime import RapidOCR

        _device = device()
        on_gpu = _device == "cuda"
        threads = settings.MEDIAHUB_OCR_THREADS  # 0: onnxruntime's default, every core
        options = {"intra_op_num_threads": threads} if threads > 0 else {}
        # Detection at the size the preview was decoded to (load_preview caps it): RapidOCR's default
        # scales every image up to 736 px on its short side, which costs a small image ten times its
        # own detection and finds nothing its own pixels do not show.
        _engine = RapidOCR(det_use_cuda=on_gpu, cls_use_cuda=on_gpu, rec_use_cuda=on_gpu, det_limit_type="max",
                           det_limit_side_len=settings.MEDIAHUB_OCR_SIZE, **options)
        logger.info("OCR engine %s loaded on %s", MODEL, _device)
        return _engine


def loaded_device() -> str:
    """Where the loaded engine runs ("" before it is loaded)."""
    return _device


def read(image: Image.Image) -> list[Line]:
    """The text lines of an RGB image in reading order, those under MEDIAHUB_OCR_MIN_CONFIDENCE left out."""
    width, height = image.size
    found, _elapsed = engine()(np.asarray(image)[:, :, ::-1])  # RapidOCR takes OpenCV's BGR
    lines = []
    for corners, text, confidence in found or ():
        text = " ".join(str(text).split())
        if not text or float(confidence) < settings.MEDIAHUB_OCR_MIN_CONFIDENCE:
            continue
        box = [[_fraction(x, width), _fraction(y, height)] for x, y in corners]
        lines.append(Line(text, float(confidence), box))
    return lines


def _fraction(value: float, size: int) -> float:
    return round(min(max(float(value) / size, 0.0), 1.0), 5)


def forget() -> None:
    """Drop the loaded engine (tests, a settings change)."""
    global _engine, _device
    with _lock:
        _engine, _device = None, ""


@receiver(setting_changed)
def _forget_on_change(setting, **kwargs):
    if setting in ("MEDIAHUB_OCR_SIZE", "MEDIAHUB_OCR_THREADS"):
        forget()
