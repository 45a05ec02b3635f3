"""Where derivatives live on disk: deterministic paths sharded by asset id, written atomically."""

import contextlib
import os
import uuid
from collections.abc import Iterable, Iterator
from enum import StrEnum
from pathlib import Path

from django.conf import settings


class Derivative(StrEnum):
    THUMBNAIL = "thumbnail"
    PREVIEW = "preview"
    TRANSCODE = "transcode"
    AUDIO = "audio"
    MOTION = "motion"  # the video embedded in a motion photo, made playable
    DEVELOPED = "developed"  # a full-size JPEG developed from a RAW, for downloads


PREVIEW_EXTENSIONS = {"jpeg": ".jpg", "webp": ".webp"}


def preview_format() -> str:
    fmt = settings.MEDIAHUB_PREVIEW_FORMAT
    if fmt not in PREVIEW_EXTENSIONS:
        raise ValueError(f"MEDIAHUB_PREVIEW_FORMAT must be one of {sorted(PREVIEW_EXTENSIONS)}, not {fmt!r}")
    return fmt


def _sharded(root: Path, asset_id, suffix: str) -> Path:
    # Two levels of 256 folders keep every directory small even at millions of assets.
    hex_id = uuid.UUID(str(asset_id)).hex
    return Path(root) / hex_id[:2] / hex_id[2:4] / f"{hex_id}{suffix}"


def path_for(asset_id, kind: Derivative) -> Path:
    """The path a derivative is written to under the current settings."""
    if kind is Derivative.THUMBNAIL:
        return _sharded(settings.THUMBNAILS_DIR, asset_id, ".webp")
    if kind is Derivative.PREVIEW:
        return _sharded(settings.PREVIEWS_DIR, asset_id, PREVIEW_EXTENSIONS[preview_format()])
    if kind is Derivative.TRANSCODE:
        return _sharded(settings.TRANSCODES_DIR, asset_id, ".mp4")
    if kind is Derivative.AUDIO:
        return _sharded(settings.TRANSCODES_DIR, asset_id, ".mp3")
    if kind is Derivative.MOTION:
        return _sharded(settings.TRANSCODES_DIR, asset_id, ".motion.mp4")
    if kind is Derivative.DEVELOPED:
        return _sharded(settings.TRANSCODES_DIR, asset_id, ".developed.jpg")
    raise ValueError(kind)


def _all_paths(asset_id) -> list[Path]:
    """Every path a derivative of this asset may have, including previews of a former format."""
    paths = [
        path_for(asset_id, kind)
        for kind in (
            Derivative.THUMBNAIL, Derivative.TRANSCODE, Derivative.AUDIO, Derivative.MOTION, Derivative.DEVELOPED
        )
    ]
    paths += [_sharded(settings.PREVIEWS_DIR, asset_id, ext) for ext in PREVIEW_EXTENSIONS.values()]
    return paths


def total_size(asset_id) -> int:
    """Bytes of every derivative the asset has on disk: a few stat calls, so stages record it
    (Asset.derivatives_size) and the Stats page sums a column instead of walking folders."""
    size = 0
    for path in _all_paths(asset_id):
        try:
            size += path.stat().st_size
        except OSError:
            pass
    return size


def existing(asset_id, kind: Derivative) -> Path | None:
    """The stored derivative, or None. A preview made before a format change still counts."""
    if kind is Derivative.PREVIEW:
        candidates = [path_for(asset_id, kind)] + [
            _sharded(settings.PREVIEWS_DIR, asset_id, ext) for ext in PREVIEW_EXTENSIONS.values()
        ]
    else:
        candidates = [path_for(asset_id, kind)]
    for path in candidates:
        if path.is_file():
            return path
    return None


@contextlib.contextmanager
def atomic_path(final: Path) -> Iterator[Path]:
    """Yield a temp path beside `final`; on success it replaces `final` in one step.

    Readers never see a half-written file, and two workers racing on the same asset
    each write their own temp file: the last rename wins with a complete file.
    """
    final.parent.mkdir(parents=True, exist_ok=True)
    temp = final.with_name(f".{final.stem}.{os.getpid()}.{uuid.uuid4().hex[:8]}.tmp{final.suffix}")
    try:
        yield temp
        os.replace(temp, final)
    finally:
        temp.unlink(missing_ok=True)


def delete_derivatives(asset_ids: Iterable) -> int:
    """Remove every derivative of these assets (library removal, index-only delete). Returns files removed."""
    removed = 0
    for asset_id in asset_ids:
        for path in _all_paths(asset_id):
            try:
                path.unlink()
                removed += 1
            except FileNotFoundError:
                pass
    return removed
