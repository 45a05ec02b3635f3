"""The video inside a Samsung/Google motion photo, cut out into a playable MP4 derivative.

The metadata stage stored where it starts (bytes from the end of the file, from the XMP
`GCamera:MicroVideoOffset` / container directory or Samsung's SEFT trailer) in the tag dump as
MediaHub.MotionPhotoVideoOffset. The bytes are copied in chunks (never the whole file in memory);
a clip browsers cannot play as it is (HEVC from recent phones) is transcoded like any video.
"""

import shutil
from pathlib import Path

from .storage import atomic_path
from . import video

CHUNK = 1 << 20


class MotionUnavailable(Exception):
    """No embedded video can be cut out of this file."""


def motion_offset(tags: dict) -> int | None:
    offset = (tags or {}).get("MediaHub", {}).get("MotionPhotoVideoOffset")
    return int(offset) if isinstance(offset, int | float | str) and str(offset).isdigit() else None


def extract_motion(source: Path, offset: int, destination: Path) -> None:
    size = source.stat().st_size
    if not 0 < offset < size:
        raise MotionUnavailable(f"{source.name}: the embedded video offset {offset} is outside the file")
    with atomic_path(destination) as temp:
        with open(source, "rb") as original, open(temp, "wb") as clip:
            original.seek(size - offset)
            shutil.copyfileobj(original, clip, CHUNK)
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
