"""extract(path) -> MediaInfo: sniff the content, run the reader for its format, settle the fields."""

import os
from datetime import UTC, datetime
from pathlib import Path

from . import capture_time
from .bmff import check_complete
from .exif import ExifError, image_size, read_exif, tiff_block
from .found import Found
from .heif import read_heif
from .motion import samsung_motion_photo_offset
from .photo import PILLOW_FORMATS, read_photo
from .raw import read_raw
from .sidecars import sidecar_of
from .sniff import HEAD_SIZE, RAW_FORMATS, extension_warning, sniff
from .types import CorruptMedia, MediaInfo, MetadataError, UnsupportedMedia
from .video import read_av
from .xmp import find_packet, xmp_size

_SALVAGE_SCAN = 1024 * 1024


def _read_sidecar(path, sniffed, found) -> None:
    """A lone .xmp file (a RAW developer's sidecar): its fields, no pixels."""
    with open(path, "rb") as fh:
        packet = find_packet(fh.read(1024 * 1024))
    if not packet:
        raise MetadataError("XMP file has no x:xmpmeta packet")
    found.add_xmp(packet)
    size = xmp_size(packet)
    if size:
        found.set_stored_size(*size)


def _add_sidecar(path: Path, found) -> None:
    sidecar = sidecar_of(path)
    if sidecar is None:
        return
    try:
        with open(sidecar, "rb") as fh:
            packet = find_packet(fh.read(1024 * 1024))
    except OSError as exc:
        found.warn(f"sidecar {sidecar.name} unreadable: {exc.strerror or exc}")
        return
    if packet:
        found.add_sidecar(packet)
    else:
        found.warn(f"sidecar {sidecar.name} has no x:xmpmeta packet")


def _salvage_exif(path, found) -> bool:
    """When the decoder gives up, exifread (which walks JPEG/TIFF/HEIF/PNG/WebP itself) may still
    find the EXIF: the asset then keeps its date and camera beside the error."""
    tiff = None
    try:
        with open(path, "rb") as fh:
            tags = read_exif(fh)
            if not tags:
                # Containers exifread does not know (e.g. a 'heix' HEIF): look for the EXIF payload itself.
                head = fh.seek(0) or fh.read(_SALVAGE_SCAN)
                at = min(
                    (i for i in (head.find(b"Exif\x00\x00MM"), head.find(b"Exif\x00\x00II")) if i >= 0),
                    default=-1,
                )
                tiff = tiff_block(head[at : at + 256 * 1024]) if at >= 0 else None
                tags = read_exif(tiff) if tiff else {}
    except ExifError:
        return False
    if not tags:
        return False
    found.add_exif(tags, tiff)
    size = image_size(tags)
    if size:
        found.set_stored_size(*size)
    return True


def _reader(sniffed):
    if sniffed.format in RAW_FORMATS:
        return read_raw
    if sniffed.format == "heif":
        return read_heif
    if sniffed.format in PILLOW_FORMATS:
        return read_photo
    if sniffed.format == "xmp":
        return _read_sidecar
    return read_av


def extract(path: str | os.PathLike, *, decode: bool = True, tags_only: bool = False) -> MediaInfo:
    """Everything MediaHub indexes about one file; raises MetadataError with a readable reason.

    CorruptMedia (a MetadataError) is raised when the tags were readable but the image data is
    not; it carries the MediaInfo read so far, so the asset can keep its date and camera.

    `decode=False` reads headers and tags only: no reduced-scale decode, so no pHash and no check
    of the image data (for callers that decode the picture anyway and hash it with phash_of).

    `tags_only=True` (with decode=False) is for a caller that waits on the capture time, place and
    camera alone (an upload's month folder): a video's container tags are read in-process by PyAV, a
    few ms instead of ffprobe's start (60-80 ms), and its duration, codecs and size stay unknown.
    """
    path = Path(path)
    try:
        stat = path.stat()
        with open(path, "rb") as fh:
            head = fh.read(HEAD_SIZE)
    except OSError as exc:
        raise MetadataError(f"cannot read the file: {exc.strerror or exc}") from exc
    if stat.st_size == 0:
        raise MetadataError("file is empty (0 bytes)")
    sniffed = sniff(path, head)
    if sniffed is None:
        raise UnsupportedMedia(f"unrecognised content (first bytes {head[:12].hex(' ')})")

    found = Found(MediaInfo(kind=sniffed.kind, mime=sniffed.mime, format=sniffed.format), decode=decode,
                  tags_only=tags_only)
    warning = extension_warning(path, sniffed)
    if warning:
        found.warn(warning)
    try:
        if head[4:8] == b"ftyp":
            try:
                check_complete(path)
            except MetadataError as exc:
                found.fail(str(exc))
        try:
            _reader(sniffed)(path, sniffed, found)
        except MetadataError as exc:
            found.fail(str(exc))
            if sniffed.kind != "photo" or not _salvage_exif(path, found):
                raise MetadataError(found.failure) from exc
        if sniffed.format != "xmp":
            _add_sidecar(path, found)
        if sniffed.kind == "photo" and not found.info.motion_photo:
            with open(path, "rb") as fh:
                offset = samsung_motion_photo_offset(fh)
            if offset:
                found.apply({"motion_photo": True, "motion_photo_offset": offset})
    except MetadataError:
        raise
    except MemoryError as exc:
        raise MetadataError(f"{sniffed.format.upper()} file needs more memory than allowed to read") from exc
    except Exception as exc:  # a reader bug or a library's odd exception must not stop a scan
        raise MetadataError(
            f"{sniffed.format.upper()} file could not be read ({type(exc).__name__}: {exc})"
        ) from exc
    info = _settle(found, stat)
    if found.failure:
        raise CorruptMedia(found.failure, info)
    return info


def _settle(found: Found, stat) -> MediaInfo:
    info = found.info
    if found.stored_size:
        width, height = found.stored_size
        # EXIF orientations 5-8 turn the picture a quarter: displayed width is the stored height.
        if not found.size_is_displayed and info.orientation in (5, 6, 7, 8):
            width, height = height, width
        info.width, info.height = width, height

    mtime = datetime.fromtimestamp(stat.st_mtime, UTC)
    winner = capture_time.choose(found.candidates) or capture_time.utc_candidate("mtime", mtime)
    info.taken_at, info.taken_at_offset, info.taken_at_source = winner.aware(), winner.offset, winner.source

    info.tags["File"] = {
        **info.tags.get("File", {}),
        "Format": info.format,
        "MIMEType": info.mime,
        "Size": stat.st_size,
    }
    mediahub = {"TakenAtSource": info.taken_at_source}
    if info.motion_photo_offset:
        mediahub["MotionPhotoVideoOffset"] = info.motion_photo_offset
    if info.warnings:
        mediahub["Warnings"] = list(info.warnings)
    info.tags["MediaHub"] = mediahub
    return info
