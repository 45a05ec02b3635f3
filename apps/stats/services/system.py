"""The /api/system/ report: version, uptime, ingest rates, ffmpeg, models and disk use.

What costs more than a query is cached: ffmpeg's answers for the life of the process (the binary does
not change under a running server), the walk of the derivatives folders and the sum of the originals'
sizes for DERIVATIVES_TTL seconds (a walk of a million files takes seconds; the page polls).
"""

import os
import shutil
import subprocess
import threading
import time
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from pathlib import Path

import psutil
from django.conf import settings
from django.db.models import Count, Sum
from django.utils import timezone

from apps.assets.models import Asset
from apps.scanning.models import Library, ScanRun
from apps.search.clip import model as clip
from mediahub.version import __version__

from .health import faces_report

DERIVATIVES_TTL = 60.0
FFMPEG_TIMEOUT = 10
WINDOWS = {"hour": timedelta(hours=1), "day": timedelta(days=1)}
MB = 1_000_000


def report() -> dict:
    return {
        "version": __version__,
        "started": _started(),
        "uptime_seconds": round(time.time() - psutil.Process().create_time(), 1),
        "ingest": ingest_rates(),
        "ffmpeg": ffmpeg_info(),
        "models": models_report(),
        "disk": disk_report(),
    }


def _started() -> datetime:
    return datetime.fromtimestamp(psutil.Process().create_time(), tz=UTC)


# -- ingest ---------------------------------------------------------------------------------------
def ingest_rates() -> dict:
    """Files and MB indexed per second over the last hour and day (assets created then), and the
    scan walk's speed (files seen per second of the scans that finished then)."""
    now = timezone.now()
    rates = {}
    for name, span in WINDOWS.items():
        since = now - span
        added = Asset.objects.filter(created__gte=since).aggregate(files=Count("pk"), bytes=Sum("size"))
        seconds = span.total_seconds()
        rates[name] = {
            "files": added["files"],
            "bytes": added["bytes"] or 0,
            "files_per_second": round(added["files"] / seconds, 4),
            "mb_per_second": round((added["bytes"] or 0) / MB / seconds, 4),
            "scan_files_per_second": scan_rate(since),
        }
    return rates


def scan_rate(since) -> float:
    """Files seen per second of scanning, over the scans that finished since `since`."""
    files = elapsed = 0.0
    runs = ScanRun.objects.filter(state=ScanRun.State.DONE, finished__gte=since, started__isnull=False)
    for seen, started, finished in runs.values_list("files_seen", "started", "finished"):
        files += seen
        elapsed += max((finished - started).total_seconds(), 0.001)
    return round(files / elapsed, 1) if elapsed else 0.0


# -- ffmpeg ---------------------------------------------------------------------------------------
@lru_cache(maxsize=1)
def ffmpeg_info() -> dict:
    binary = shutil.which("ffmpeg")
    if binary is None:
        return {"available": False, "version": None, "encoders": [], "hwaccels": [], "hardware_encoders": []}
    version = _ffmpeg("-version").splitlines()
    encoders = _encoders(_ffmpeg("-hide_banner", "-encoders"))
    hwaccels = _hwaccels(_ffmpeg("-hide_banner", "-hwaccels"))
    hardware = [name for name in encoders if any(tag in name for tag in HARDWARE_TAGS)]
    return {
        "available": True,
        "version": version[0] if version else "",
        "encoders": encoders,
        "hwaccels": hwaccels,
        "hardware_encoders": hardware,
    }


HARDWARE_TAGS = ("nvenc", "vaapi", "qsv", "videotoolbox", "amf", "v4l2m2m", "vulkan", "rkmpp", "omx")


def _ffmpeg(*args) -> str:
    try:
        done = subprocess.run(["ffmpeg", *args], capture_output=True, text=True, timeout=FFMPEG_TIMEOUT)
    except (OSError, subprocess.TimeoutExpired):
        return ""
    return done.stdout


def _encoders(text: str) -> list[str]:
    """Video and audio encoder names from `ffmpeg -encoders` (lines like " V....D libx264  H.264")."""
    names, listing = [], False
    for line in text.splitlines():
        if line.strip().startswith("------"):
            listing = True
            continue
        parts = line.split()
        if listing and len(parts) >= 2 and parts[0][:1] in ("V", "A"):
            names.append(parts[1])
    return names


def _hwaccels(text: str) -> list[str]:
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return [line for line in lines if not line.endswith(":")]


# -- models ---------------------------------------------------------------------------------------
def models_report() -> dict:
    """Whether each model can run here, from packages and files on disk: nothing is loaded."""
    name = clip.image_model_name()
    missing = clip.missing_packages()
    present = clip.files_present(name)
    return {
        "faces": faces_report(),
        "clip": {
            "model": name,
            "available": not missing and present,
            "loaded_here": clip.is_loaded(name),
            "reason": (
                f"missing packages: {', '.join(missing)}" if missing
                else None if present else f"model files of {name} are not in {settings.MODELS_DIR}"
            ),
        },
    }


# -- disk -----------------------------------------------------------------------------------------
def disk_report() -> dict:
    sizes = originals_by_library()
    libraries = [
        {"id": lib.pk, "name": lib.name, "bytes": sizes.get(lib.pk) or 0, "free_bytes": _free(lib.root_path)}
        for lib in Library.objects.order_by("name")
    ]
    return {
        "originals_bytes": sum(item["bytes"] for item in libraries),
        "libraries": libraries,
        "derivatives": derivatives_usage(),
        "data_dir": str(settings.DATA_DIR),
        "data_free_bytes": _free(settings.DATA_DIR),
    }


def _free(path) -> int | None:
    try:
        return shutil.disk_usage(path).free
    except OSError:
        return None


_walk_lock = threading.Lock()
_walked: dict = {}  # {"at": monotonic time, "usage": {...}}
_summed: dict = {}  # {"at": monotonic time, "sizes": {library id: bytes}}


def originals_by_library() -> dict:
    """{library id: bytes of its assets}: a sum over every asset, so also kept DERIVATIVES_TTL seconds
    (the Jobs page polls every 5 s)."""
    if _summed and time.monotonic() - _summed["at"] < DERIVATIVES_TTL:
        return _summed["sizes"]
    sizes = dict(
        Asset.objects.exclude(status=Asset.Status.MISSING)
        .order_by()
        .values("library_id")
        .annotate(total=Sum("size"))
        .values_list("library_id", "total")
    )
    _summed.update(at=time.monotonic(), sizes=sizes)
    return sizes


def derivatives_usage() -> dict:
    """Bytes and files per derivatives folder, walked at most once per DERIVATIVES_TTL seconds."""
    with _walk_lock:
        if _walked and time.monotonic() - _walked["at"] < DERIVATIVES_TTL:
            return _walked["usage"]
        usage = {}
        for name, folder in (
            ("thumbnails", settings.THUMBNAILS_DIR),
            ("previews", settings.PREVIEWS_DIR),
            ("transcodes", settings.TRANSCODES_DIR),
        ):
            usage[name] = _folder_usage(Path(folder))
        usage["bytes"] = sum(item["bytes"] for item in usage.values())
        _walked.update(at=time.monotonic(), usage=usage)
        return usage


def _folder_usage(folder: Path) -> dict:
    total = files = 0
    stack = [folder]
    while stack:
        try:
            entries = os.scandir(stack.pop())
        except OSError:
            continue
        with entries:
            for entry in entries:
                try:
                    if entry.is_dir(follow_symlinks=False):
                        stack.append(entry.path)
                    elif entry.is_file(follow_symlinks=False):
                        total += entry.stat(follow_symlinks=False).st_size
                        files += 1
                except OSError:
                    continue
    return {"bytes": total, "files": files}


def forget_cached() -> None:
    """For tests: the next report walks and asks ffmpeg again."""
    _walked.clear()
    _summed.clear()
    ffmpeg_info.cache_clear()
