"""The CLIP model of this process: sentence-transformers, loaded once, GPU when there is one.

`unavailable_reason()` answers "can semantic search run here?" in a sentence (the API's 503, the
stage's log line, the coverage endpoint) without loading anything twice; `embed_images` and
`embed_text` give unit vectors. The image model embeds previews; the text model (the CLIP model
itself, or MEDIAHUB_CLIP_TEXT_MODEL, e.g. a multilingual twin trained into the same space) embeds
queries. A query needs only the text side: when the text model is a CLIP checkpoint on disk, the web
process runs its text tower alone in numpy (text_tower.py: no torch, no vision weights, ~150 MB
instead of ~600), with the same vectors; any other model (a multilingual twin, a .bin checkpoint)
loads through sentence-transformers as the workers do.

Weights: a local folder (the setting itself, or MEDIAHUB_MODELS_DIR/<name>), else the Hugging Face
cache in MEDIAHUB_MODELS_DIR, else a download. Only the workers (stage, `manage.py embed`) may
download: a web request never waits minutes for 600 MB. Without network the hub client retries for
over a minute before failing, so a short reachability probe turns that into an immediate reason.
"""

import importlib.util
import logging
import os
import socket
import threading
import time
from pathlib import Path
from urllib.parse import urlparse

import numpy as np
from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver

from . import text_tower

logger = logging.getLogger(__name__)

DIMENSIONS = 512  # AssetEmbedding.vector
RETRY_FAILED_AFTER = 300  # seconds: a model downloaded by a worker meanwhile is found by the web process
PROBE_TIMEOUT = 3.0
PACKAGES = ("torch", "sentence_transformers")


class ClipUnavailable(RuntimeError):
    """Semantic search cannot run in this process; the message says why."""


_lock = threading.Lock()
_loaded: dict[tuple[str, bool], object] = {}  # (model name, text side only) -> model
_failed: dict[tuple[str, bool], tuple[float, str, bool]] = {}  # same key -> (when, reason, download was tried)


def image_model_name() -> str:
    return settings.MEDIAHUB_CLIP_MODEL


def text_model_name() -> str:
    return settings.MEDIAHUB_CLIP_TEXT_MODEL or settings.MEDIAHUB_CLIP_MODEL


def missing_packages() -> list[str]:
    return [name for name in PACKAGES if importlib.util.find_spec(name) is None]


def device() -> str:
    choice = settings.MEDIAHUB_CLIP_DEVICE
    if choice not in ("auto", "cpu", "cuda"):
        raise ClipUnavailable(f"MEDIAHUB_CLIP_DEVICE must be auto, cpu or cuda, not {choice!r}")
    if choice != "auto":
        return choice
    import torch

    return "cuda" if torch.cuda.is_available() else "cpu"


def local_folder(name: str) -> Path | None:
    """A model folder on disk for `name`: the name as a path, or MEDIAHUB_MODELS_DIR/<name>."""
    for candidate in (Path(name).expanduser(), Path(settings.MODELS_DIR) / name):
        if candidate.is_dir():
            return candidate
    return None


def files_present(name: str) -> bool:
    """Whether the model's files are on disk (a local folder or the hub cache), without loading it."""
    return local_folder(name) is not None or _in_hub_cache(name)


def is_loaded(name: str) -> bool:
    return (name, False) in _loaded or (name, True) in _loaded


def _hub_reachable() -> str | None:
    """None when the model hub answers a TCP connect; else why not."""
    if os.environ.get("HF_HUB_OFFLINE", "").lower() in ("1", "true", "yes"):
        return "HF_HUB_OFFLINE is set"
    from huggingface_hub import constants

    url = urlparse(constants.ENDPOINT)
    try:
        socket.create_connection((url.hostname, url.port or 443), timeout=PROBE_TIMEOUT).close()
    except OSError as exc:
        return f"{url.hostname} is not reachable ({exc})"
    return None


def _in_hub_cache(name: str) -> bool:
    # sentence-transformers puts a bare name under its organisation; the cache folder layout is the hub's.
    repo = name if "/" in name else f"sentence-transformers/{name}"
    return (Path(settings.MODELS_DIR) / f"models--{repo.replace('/', '--')}").is_dir()


def _not_downloaded(name: str) -> ClipUnavailable:
    return ClipUnavailable(
        f"model {name!r} is not downloaded yet: `manage.py embed` (or a worker) fetches it when it can "
        f"reach the model hub; offline, put the model folder at {Path(settings.MODELS_DIR) / name}"
    )


def _cannot_download(name: str, why: str) -> ClipUnavailable:
    return ClipUnavailable(
        f"model {name!r} is not in {settings.MODELS_DIR} and cannot be downloaded: {why}; "
        f"copy the model folder to {Path(settings.MODELS_DIR) / name} or set MEDIAHUB_CLIP_MODEL to a local folder"
    )


def _hub_snapshot(name: str) -> Path | None:
    """The model's folder in the hub cache, without network."""
    from huggingface_hub import snapshot_download

    repo = name if "/" in name else f"sentence-transformers/{name}"
    try:
        return Path(snapshot_download(repo, cache_dir=str(settings.MODELS_DIR), local_files_only=True))
    except Exception:  # noqa: BLE001 - any miss of the cache means "not here"; the usual load says why
        return None


def _text_tower(name: str):
    """The numpy text tower of a CLIP checkpoint on disk (see text_tower.py), or None to load the usual way."""
    folder = local_folder(name) or (_hub_snapshot(name) if _in_hub_cache(name) else None)
    clip = text_tower.clip_folder(folder) if folder is not None else None
    return text_tower.TextTower(clip) if clip is not None else None


def _load(name: str, download: bool, text: bool = False):
    if text:  # a query is a few ms in numpy, on any machine, without torch in the process
        tower = _text_tower(name)
        if tower is not None:
            return tower
    folder = local_folder(name)
    if folder is None and not _in_hub_cache(name):
        # Said without importing torch (seconds), so a web process or an offline worker stays light.
        if not download:
            raise _not_downloaded(name)
        unreachable = _hub_reachable()
        if unreachable:
            raise _cannot_download(name, unreachable)
    from sentence_transformers import SentenceTransformer

    if folder is not None:
        return SentenceTransformer(str(folder), device=device())
    kwargs = {"device": device(), "cache_folder": str(settings.MODELS_DIR)}
    try:
        return SentenceTransformer(name, local_files_only=True, **kwargs)  # the hub cache, no network
    except OSError:
        if not download:
            raise _not_downloaded(name) from None
    unreachable = _hub_reachable()
    if unreachable:
        raise _cannot_download(name, unreachable)
    logger.info("downloading CLIP model %s into %s", name, settings.MODELS_DIR)
    return SentenceTransformer(name, **kwargs)


def get_model(name: str, download: bool = False, text: bool = False):
    """The loaded model (once per process), or ClipUnavailable with the reason. `text`: only the text
    side is needed (a query), so a CLIP checkpoint on disk loads as text_tower.TextTower."""
    key = (name, text)
    model = _loaded.get(key)
    if model is not None:
        return model
    with _lock:
        if key in _loaded:
            return _loaded[key]
        missing = missing_packages()
        if missing:
            raise ClipUnavailable(f"missing Python packages: {', '.join(missing)} (pip install -r requirements/clip.txt)")
        failed = _failed.get(key)
        # Remembered for a while so each search does not retry; a worker may still try a download.
        if failed and time.monotonic() - failed[0] < RETRY_FAILED_AFTER and (failed[2] or not download):
            raise ClipUnavailable(failed[1])
        try:
            model = _load(name, download, text)
        except ClipUnavailable as exc:
            _failed[key] = (time.monotonic(), str(exc), download)
            raise
        except Exception as exc:  # noqa: BLE001 - a broken folder or config must read as a reason, not a 500
            reason = f"model {name!r} could not be loaded: {type(exc).__name__}: {exc}"
            _failed[key] = (time.monotonic(), reason, True)
            raise ClipUnavailable(reason) from exc
        if str(model.device).startswith("cuda"):
            model.half()  # fp16 on a GPU: about twice the images/s of fp32, same neighbours
        _failed.pop(key, None)
        _loaded[key] = model
        logger.info("CLIP model %s loaded on %s", name, model.device)
        return model


def unavailable_reason(download: bool = False, text: bool = False) -> str | None:
    """None when the image model (or, with `text`, the query model) can run here; else a sentence."""
    try:
        get_model(text_model_name() if text else image_model_name(), download=download, text=text)
    except ClipUnavailable as exc:
        return str(exc)
    return None


def embed_images(images: list, batch_size: int | None = None) -> np.ndarray:
    """Unit-length float32 vectors, one row per PIL image, in batches of MEDIAHUB_CLIP_BATCH_SIZE."""
    if not images:
        return np.zeros((0, DIMENSIONS), dtype=np.float32)
    model = get_model(image_model_name(), download=True)
    vectors = model.encode(
        images, batch_size=batch_size or settings.MEDIAHUB_CLIP_BATCH_SIZE, convert_to_numpy=True,
        normalize_embeddings=True, show_progress_bar=False,
    )
    return _checked(vectors, image_model_name())


def embed_text(text: str) -> np.ndarray:
    """The query's unit vector in the image model's space."""
    model = get_model(text_model_name(), text=True)
    vector = model.encode([text], convert_to_numpy=True, normalize_embeddings=True, show_progress_bar=False)
    return _checked(vector, text_model_name())[0]


def _checked(vectors: np.ndarray, name: str) -> np.ndarray:
    vectors = np.asarray(vectors, dtype=np.float32)
    if vectors.ndim != 2 or vectors.shape[1] != DIMENSIONS:
        raise ClipUnavailable(f"model {name!r} makes {vectors.shape[-1]}-d vectors; MediaHub stores {DIMENSIONS}-d (ViT-B/32)")
    return vectors


def forget() -> None:
    """Drop loaded models and remembered failures (tests, a settings change)."""
    with _lock:
        _loaded.clear()
        _failed.clear()


@receiver(setting_changed)
def _forget_on_change(setting, **kwargs):
    if setting.startswith("MEDIAHUB_CLIP_") or setting == "MODELS_DIR":
        forget()
