"""Videos and audio through ffprobe's JSON (bounded by a timeout, so a hostile file cannot hang a worker).

Tags alone (extract's tags_only, for an upload's month folder) come from PyAV instead: the same
libavformat in-process, with the same tag names and values, without ffprobe's 60-80 ms start.

Rotation: phones store a display matrix (ffprobe side data, where -90 means 90
degrees clockwise) or an older `rotate` tag (clockwise). Both become clockwise
degrees, and width/height are swapped for 90/270 so they are as displayed.
Capture time: QuickTime's creation_time is UTC; Apple's `creationdate` key also
carries the local offset and wins when present.
"""

import json
import os
import re
import subprocess
from datetime import timedelta

from . import capture_time
from .types import MetadataError
from .xmp import find_packet

FFPROBE_TIMEOUT_S = 30
_ISO6709_RE = re.compile(r"^([+-]\d+(?:\.\d+)?)([+-]\d+(?:\.\d+)?)([+-]\d+(?:\.\d+)?)?")
# QuickTime counts from 1904 and AVI muxers from 1970: a creation time at either epoch means "never set".
_EPOCHS = ("1904-01-01", "1970-01-01")
_QUICKTIME_FORMATS = {"mp4", "mov", "m4v", "3gp", "m4a"}
_XMP_EDGE = 1024 * 1024


def probe(path) -> dict:
    command = [
        "ffprobe",
        "-v",
        "error",
        "-print_format",
        "json",
        "-show_format",
        "-show_streams",
        "--",
        str(path),
    ]
    try:
        result = subprocess.run(command, capture_output=True, timeout=FFPROBE_TIMEOUT_S, check=False)
    except subprocess.TimeoutExpired as exc:
        raise MetadataError(f"ffprobe gave no answer within {FFPROBE_TIMEOUT_S} s") from exc
    except FileNotFoundError as exc:
        raise MetadataError("ffprobe is not installed (Debian package 'ffmpeg')") from exc
    stderr = result.stderr.decode("utf-8", "replace").strip()
    if result.returncode != 0:
        last_line = stderr.splitlines()[-1] if stderr else f"exit status {result.returncode}"
        raise MetadataError(f"ffprobe cannot read the file: {last_line.split(': ', 1)[-1]}")
    try:
        return json.loads(result.stdout or b"{}")
    except json.JSONDecodeError as exc:
        raise MetadataError(f"ffprobe returned unreadable JSON: {exc}") from exc


def clockwise_rotation(stream: dict) -> int:
    for side in stream.get("side_data_list") or []:
        if "rotation" in side:
            try:
                return int(round(-float(side["rotation"]))) % 360
            except (TypeError, ValueError):
                pass
    rotate = (stream.get("tags") or {}).get("rotate")
    try:
        return int(rotate) % 360 if rotate is not None else 0
    except ValueError:
        return 0


def _rate(text) -> float | None:
    try:
        numerator, _, denominator = str(text).partition("/")
        value = float(numerator) / float(denominator or 1)
    except (ValueError, ZeroDivisionError):
        return None
    return round(value, 3) if 0 < value < 1000 else None


def _float(text) -> float | None:
    try:
        value = float(text)
    except (TypeError, ValueError):
        return None
    return value if value > 0 else None


def _tag(tags: dict, *names) -> str:
    lowered = {k.lower(): v for k, v in tags.items()}
    for name in names:
        value = lowered.get(name.lower())
        if value not in (None, ""):
            return str(value).strip()
    return ""


def container_tags(path) -> dict:
    """The container's tags, then its streams' where the container lacks them (as read_av merges)."""
    import av  # only uploads ask for tags alone: the indexer's processes need not load it

    try:
        with av.open(str(path), metadata_errors="replace", timeout=FFPROBE_TIMEOUT_S) as container:
            tags = dict(container.metadata)
            for stream in container.streams:
                for key, value in stream.metadata.items():
                    tags.setdefault(key, value)
    except av.FFmpegError as exc:
        raise MetadataError(f"the container cannot be read: {exc}") from exc
    return tags


def read_av(path, sniffed, found) -> None:
    if found.tags_only:
        _apply_tags(path, sniffed, found, container_tags(path))
        return
    data = probe(path)
    fmt = data.get("format") or {}
    streams = data.get("streams") or []
    video = next(
        (
            s
            for s in streams
            if s.get("codec_type") == "video" and not (s.get("disposition") or {}).get("attached_pic")
        ),
        None,
    )
    audio = next((s for s in streams if s.get("codec_type") == "audio"), None)
    info = found.info
    if video is None and audio is None:
        raise MetadataError(f"no audio or video stream in this {sniffed.format.upper()} file")
    if video is None and info.kind == "video":
        info.kind, info.mime = "audio", info.mime.replace("video/", "audio/")
    if video is not None and info.kind == "audio":
        info.kind = "video"

    durations = [_float(fmt.get("duration"))] + [_float(s.get("duration")) for s in (video, audio) if s]
    info.duration = next((d for d in durations if d), None)
    info.has_audio = audio is not None
    if audio is not None:
        info.audio_codec = audio.get("codec_name") or ""
    if video is not None:
        info.video_codec = video.get("codec_name") or ""
        info.frame_rate = _rate(video.get("avg_frame_rate")) or _rate(video.get("r_frame_rate"))
        info.rotation = clockwise_rotation(video)
        width, height = video.get("width"), video.get("height")
        if width and height:
            displayed = (height, width) if info.rotation in (90, 270) else (width, height)
            found.set_stored_size(*displayed, displayed=True)

    tags = {}
    for source in [fmt] + streams:
        for key, value in (source.get("tags") or {}).items():
            tags.setdefault(key, value)
    _apply_tags(path, sniffed, found, tags)
    found.tags["ffprobe"] = {
        "format": {k: fmt.get(k) for k in ("format_name", "duration", "bit_rate", "size")},
        "tags": {k: str(v)[:500] for k, v in tags.items()},
        "streams": [
            {
                k: s.get(k)
                for k in (
                    "index",
                    "codec_type",
                    "codec_name",
                    "width",
                    "height",
                    "avg_frame_rate",
                    "sample_rate",
                    "channels",
                    "duration",
                )
                if s.get(k) is not None
            }
            for s in streams
        ],
    }


def _apply_tags(path, sniffed, found, tags: dict) -> None:
    quicktime = sniffed.format in _QUICKTIME_FORMATS
    _apply_container_tags(tags, found, quicktime=quicktime)
    if quicktime:
        found.add_xmp(_edge_xmp(path))
        found.info.orientation = None  # a video turns by its display matrix (rotation), never by XMP


def _edge_xmp(path) -> str:
    """XMP in an MP4/MOV sits in a top-level 'uuid' box or in moov/udta: near one end of the file.
    ffprobe does not report it; cameras and editors (DJI, Adobe) put their dates and makes there."""
    with open(path, "rb") as fh:
        size = fh.seek(0, os.SEEK_END)
        fh.seek(0)
        head = fh.read(_XMP_EDGE)
        if size <= _XMP_EDGE:
            return find_packet(head)
        fh.seek(max(size - _XMP_EDGE, _XMP_EDGE))
        return find_packet(head) or find_packet(fh.read(_XMP_EDGE))


def _apply_container_tags(tags: dict, found, quicktime: bool) -> None:
    found.apply(
        {
            "camera_make": _tag(tags, "com.apple.quicktime.make", "com.android.manufacturer", "make"),
            "camera_model": _tag(tags, "com.apple.quicktime.model", "com.android.model", "model"),
            "live_photo_id": _tag(tags, "com.apple.quicktime.content.identifier"),
        }
    )
    location = _tag(tags, "com.apple.quicktime.location.ISO6709", "location", "location-eng")
    match = _ISO6709_RE.match(location)
    if match:
        lat, lon = float(match.group(1)), float(match.group(2))
        if abs(lat) <= 90 and abs(lon) <= 180 and (lat, lon) != (0.0, 0.0):
            found.apply(
                {
                    "latitude": lat,
                    "longitude": lon,
                    "altitude": float(match.group(3)) if match.group(3) else None,
                }
            )
    # Apple's creationdate has the local offset; creation_time is the same instant in UTC.
    apple = capture_time.candidate("quicktime", _tag(tags, "com.apple.quicktime.creationdate"))
    if apple is not None:
        found.candidates.append(apple)
    created = _tag(tags, "creation_time", "date")
    parsed = capture_time.parse_datetime(created)
    if parsed is not None and not created.startswith(_EPOCHS):
        wall, offset = parsed
        if quicktime:
            # An exact UTC instant (QuickTime says so even without a 'Z'); the local offset is unknown.
            found.candidates.append(
                capture_time.Candidate("quicktime", wall - timedelta(minutes=offset or 0), None)
            )
        else:
            # AVI/MKV/MTS dates are the camera's clock: local wall time, like EXIF without an offset.
            found.candidates.append(capture_time.Candidate("container", wall, offset))
    if _tag(tags, "com.android.capture.fps"):
        found.tags.setdefault("File", {})["CaptureFps"] = _tag(tags, "com.android.capture.fps")
