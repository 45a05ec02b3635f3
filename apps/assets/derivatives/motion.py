"""The video inside a Samsung/Google motion photo, cut out into a playable MP4 derivative.

The metadata stage stored where it starts (bytes from the end of the file, from the XMP
`GCamera:MicroVideoOffset` / container directory or Samsung's SEFT trailer) in the tag dump as
MediaHub.MotionPhotoVideoOffset; Samsung's HEICs keep the MP4 in a top-level 'mpvd' box, which their
trailer only points at. The bytes are copied in chunks (never the whole file in memory);
a clip browsers cannot play as it is (HEVC from recent phones) is transcoded like any video.
"""

from pathlib import Path

from .storage import atomic_path
from . import video

CHUNK = 1 << 20


class MotionUnavailable(Exception):
    """No embedded video can be cut out of this file."""


def motion_offset(tags: dict) -> int | None:
    offset = (tags or {}).get("MediaHub", {}).get("MotionPhotoVideoOffset")
    return int(offset) if isinstance(offset, int | float | str) and str(offset).isdigit() else None


def _top_level_box(fh, size: int, wanted: bytes) -> tuple[int, int] | None:
    """(start, end) of a top-level ISO-BMFF box's payload: where Samsung's HEIC motion photos keep
    their MP4 ('mpvd'), while the SEF trailer's MotionPhoto_Data only points at it."""
    position = 0
    for _ in range(4096):  # a HEIC has a handful of top-level boxes; never loop on a broken one
        if position + 8 > size:
            return None
        fh.seek(position)
        header = fh.read(16)
        length, kind = int.from_bytes(header[:4], "big"), header[4:8]
        start = position + 8
        if length == 1 and len(header) == 16:
            length, start = int.from_bytes(header[8:16], "big"), position + 16
        elif length == 0:
            length = size - position
        if length < 8:
            return None
        if kind == wanted:
            return start, min(position + length, size)
        position += length
    return None


def locate_clip(source: Path, offset: int | None) -> tuple[int, int]:
    """(start, end) of the embedded MP4: at the stored offset when an MP4 starts there, else the
    HEIC's 'mpvd' box."""
    size = source.stat().st_size
    with open(source, "rb") as fh:
        if offset is not None and 8 < offset < size:
            fh.seek(size - offset + 4)
            if fh.read(4) == b"ftyp":
                return size - offset, size
        fh.seek(4)
        if fh.read(4) == b"ftyp":
            found = _top_level_box(fh, size, b"mpvd")
            if found is not None:
                return found
    raise MotionUnavailable(f"{source.name}: no embedded video where the file says it is")


def extract_motion(source: Path, offset: int | None, destination: Path) -> None:
    start, end = locate_clip(source, offset)
    with atomic_path(destination) as temp:
        with open(source, "rb") as original, open(temp, "wb") as clip:
            original.seek(start)
            left = end - start
            while left > 0:
                chunk = original.read(min(CHUNK, left))
                if not chunk:
                    break
                clip.write(chunk)
                left -= len(chunk)
        info = video.probe(temp)
        if not info.video_codec:
            raise MotionUnavailable(f"{source.name}: the embedded data is not a video")
        if not video.plays_in_browsers("motion.mp4", info.video_codec, info.audio_codec):
            converted = temp.with_name(temp.name + ".h264.mp4")
            try:
                video.transcode(temp, converted, info.duration)
                converted.replace(temp)
            finally:
                converted.unlink(missing_ok=True)
