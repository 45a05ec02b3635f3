"""Originals without their GPS and camera data, for links whose owner turned metadata off.

Streamed, never decoded or re-encoded (the pixels a visitor downloads are the camera's):

- JPEG: the APP1 (EXIF, XMP), APP13 (IPTC) and comment segments are dropped, and whatever follows
  the image's end (the second images of MPF files and the videos of motion photos, each with tags of
  its own) is left out. The orientation, which lives in EXIF, is written back as the only tag, so
  the photo stays upright.
- PNG: the text and eXIf chunks are dropped.
- Videos: ffmpeg copies the streams into a fragmented MP4 without the container's tags (where phones
  put the location), so it plays while it downloads.

Anything else (HEIC, RAW, ...) cannot be cleaned this way: `strippable()` says so and the link
withholds such originals (their previews, made without tags, still show).
"""

import subprocess
from collections.abc import Iterator
from pathlib import Path

from PIL import Image

CHUNK = 256 * 1024
JPEG_DROPPED = {0xE1, 0xED, 0xFE}  # APP1 (EXIF, XMP), APP13 (IPTC, Photoshop), COM
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
PNG_DROPPED = {b"tEXt", b"zTXt", b"iTXt", b"eXIf", b"tIME"}
JPEG_TYPES = {"image/jpeg", "image/jpg", "image/pjpeg"}
VIDEO_CONTAINERS = {".mp4", ".m4v", ".mov", ".3gp"}


class CannotStrip(ValueError):
    """The file is not what its type said; nothing of it is sent."""


def kind_of(filename: str, mime: str) -> str | None:
    """ "jpeg", "png", "video" or None (cannot be stripped)."""
    suffix = Path(filename).suffix.lower()
    if mime in JPEG_TYPES or suffix in (".jpg", ".jpeg"):
        return "jpeg"
    if mime == "image/png" or suffix == ".png":
        return "png"
    if suffix in VIDEO_CONTAINERS:
        return "video"
    return None


def strippable(asset) -> bool:
    return kind_of(asset.filename, asset.mime) is not None


def stripped(asset, path: Path) -> Iterator[bytes]:
    kind = kind_of(asset.filename, asset.mime)
    if kind == "jpeg":
        return jpeg_without_tags(path, asset.orientation)
    if kind == "png":
        return png_without_tags(path)
    if kind == "video":
        return video_without_tags(path)
    raise CannotStrip(f"{asset.filename}: its tags cannot be removed")


def _orientation_segment(orientation: int | None) -> bytes:
    if not orientation or orientation == 1:
        return b""
    exif = Image.Exif()
    exif[0x0112] = orientation
    payload = b"Exif\x00\x00" + exif.tobytes()
    return b"\xff\xe1" + (len(payload) + 2).to_bytes(2, "big") + payload


def jpeg_without_tags(path: Path, orientation: int | None = None) -> Iterator[bytes]:
    with open(path, "rb") as handle:
        if handle.read(2) != b"\xff\xd8":
            raise CannotStrip(f"{path.name} is not a JPEG")
        yield b"\xff\xd8" + _orientation_segment(orientation)
        while True:  # header segments, up to the first scan
            marker = handle.read(2)
            if len(marker) < 2 or marker[0] != 0xFF:
                raise CannotStrip(f"{path.name}: broken JPEG header")
            if marker[1] == 0xFF:  # fill byte before a marker
                handle.seek(-1, 1)
                continue
            length_bytes = handle.read(2)
            length = int.from_bytes(length_bytes, "big")
            body = handle.read(length - 2)
            if marker[1] not in JPEG_DROPPED:
                yield marker + length_bytes + body
            if marker[1] == 0xDA:  # start of scan: entropy-coded data follows
                break
        yield from _until_end_of_image(handle)


def _until_end_of_image(handle) -> Iterator[bytes]:
    """The scans up to and with EOI (FF D9; inside scans an FF is always followed by 00 or a
    restart marker), leaving out any trailer."""
    previous_ff = False
    while chunk := handle.read(CHUNK):
        if previous_ff and chunk[0] == 0xD9:
            yield chunk[:1]
            return
        end = chunk.find(b"\xff\xd9")
        if end >= 0:
            yield chunk[: end + 2]
            return
        previous_ff = chunk[-1] == 0xFF
        yield chunk


def png_without_tags(path: Path) -> Iterator[bytes]:
    with open(path, "rb") as handle:
        if handle.read(8) != PNG_SIGNATURE:
            raise CannotStrip(f"{path.name} is not a PNG")
        yield PNG_SIGNATURE
        while header := handle.read(8):
            length, kind = int.from_bytes(header[:4], "big"), header[4:8]
            rest = handle.read(length + 4)  # data and CRC
            if kind not in PNG_DROPPED:
                yield header + rest
            if kind == b"IEND":
                return


def video_without_tags(path: Path) -> Iterator[bytes]:
    command = [
        "ffmpeg",
        "-v",
        "error",
        "-i",
        str(path),
        "-map",
        "0:v?",
        "-map",
        "0:a?",
        "-c",
        "copy",
        "-map_metadata",
        "-1",
        "-map_chapters",
        "-1",
        "-movflags",
        "frag_keyframe+empty_moov+default_base_moof",
        "-f",
        "mp4",
        "pipe:1",
    ]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    try:
        while chunk := process.stdout.read(CHUNK):
            yield chunk
    finally:
        process.kill()  # a visitor who stops downloading must not leave ffmpeg behind
        process.wait()
