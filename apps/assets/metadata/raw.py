"""Camera RAW files: metadata always, from the TIFF structure (or CR3/RAF containers).

TIFF-based RAWs (DNG, CR2, NEF, ARW, PEF, ORF, RW2, KDC ...) go straight to
exifread. Their IFD0 is often a small preview, so the photo's size is the largest
image among IFD0 and its SubIFDs. CR3 keeps its TIFF blocks in ISO-BMFF boxes
(CMT1 = IFD0, CMT2 = Exif IFD, CMT4 = GPS IFD); RAF embeds a JPEG whose EXIF is
the camera's.
"""

import struct

from exifread.tags.exif import EXIF_TAGS, GPS_TAGS

from .exif import ExifError, read_exif, tiff_block
from .types import MetadataError

_CR3_BOXES = {b"CMT1": "Image", b"CMT2": "EXIF", b"CMT4": "GPS"}
_CANON_UUID = bytes.fromhex("85c0b687820f11e08111f4ce462b6a48")
_MAX_SUBIFDS = 8


def read_raw(path, sniffed, found) -> None:
    if sniffed.format == "cr3":
        _read_cr3(path, found)
    elif sniffed.format == "raf":
        _read_raf(path, found)
    elif sniffed.format == "crw":
        found.warn("Canon CRW (CIFF) metadata is not read")
    else:
        with open(path, "rb") as fh:
            try:
                tags = read_exif(fh)
            except ExifError as exc:
                raise MetadataError(f"RAW file's TIFF structure is unreadable: {exc}") from exc
            if not tags:
                raise MetadataError("RAW file has no readable TIFF directory")
            found.add_exif(tags)
            if sniffed.format == "rw2" and "Image Tag 0x0017" in tags:
                found.apply({"iso": int(tags["Image Tag 0x0017"].values[0]) or None})  # Panasonic's ISO tag
            _raw_size(fh, tags, sniffed.format, found)


def _raw_size(fh, tags, fmt: str, found) -> None:
    if fmt == "rw2":
        # Panasonic stores the sensor crop borders (top, left, bottom, right) in IFD0 tags 4-7.
        borders = [tags.get(f"Image Tag 0x000{n}") for n in (4, 5, 6, 7)]
        if all(b is not None for b in borders):
            top, left, bottom, right = (int(b.values[0]) for b in borders)
            if right > left and bottom > top:
                found.set_stored_size(right - left, bottom - top)
                return
    sizes = []
    width, height = tags.get("Image ImageWidth"), tags.get("Image ImageLength")
    if width is not None and height is not None:
        sizes.append((int(width.values[0]), int(height.values[0])))
    subifds = tags.get("Image SubIFDs")
    if subifds is not None:
        little = fh.seek(0) == 0 and fh.read(2) == b"II"
        for offset in list(subifds.values)[:_MAX_SUBIFDS]:
            size = _ifd_size(fh, int(offset), "<" if little else ">")
            if size:
                sizes.append(size)
    if sizes:
        found.set_stored_size(*max(sizes, key=lambda s: s[0] * s[1]))


def _ifd_size(fh, offset: int, order: str) -> tuple[int, int] | None:
    """ImageWidth/ImageLength of one TIFF IFD (SubIFDs are not followed by exifread without details)."""
    try:
        fh.seek(offset)
        (count,) = struct.unpack(order + "H", fh.read(2))
        entries = fh.read(12 * min(count, 512))
    except (OSError, struct.error):
        return None
    values = {}
    for index in range(len(entries) // 12):
        tag, kind, _, raw = struct.unpack_from(order + "HHI4s", entries, index * 12)
        if tag in (0x0100, 0x0101):
            values[tag] = struct.unpack(order + ("H" if kind == 3 else "I"), raw[: 2 if kind == 3 else 4])[0]
    if 0x0100 in values and 0x0101 in values:
        return values[0x0100], values[0x0101]
    return None


def _read_raf(path, found) -> None:
    with open(path, "rb") as fh:
        header = fh.read(100)
        if len(header) < 92:
            raise MetadataError("RAF header is truncated")
        jpeg_offset, jpeg_length = struct.unpack(">II", header[84:92])
        fh.seek(jpeg_offset)
        jpeg = fh.read(min(jpeg_length, 256 * 1024))
    at = jpeg.find(b"Exif\x00\x00")
    tiff = tiff_block(jpeg[at:]) if at >= 0 else None
    if tiff is None:
        raise MetadataError("RAF file has no EXIF in its embedded JPEG")
    try:
        tags = read_exif(tiff)
    except ExifError as exc:
        raise MetadataError(f"RAF file's EXIF is unreadable: {exc}") from exc
    found.add_exif(tags, tiff)
    width, height = tags.get("EXIF ExifImageWidth"), tags.get("EXIF ExifImageLength")
    if width is not None and height is not None:
        found.set_stored_size(int(width.values[0]), int(height.values[0]))


def _read_cr3(path, found) -> None:
    with open(path, "rb") as fh:
        data = fh.read(4 * 1024 * 1024)  # the moov box with the CMT blocks comes first in CR3 files
    merged = {}
    for box, ifd_name in _CR3_BOXES.items():
        at = data.find(box)
        if at < 4:
            continue
        (length,) = struct.unpack(">I", data[at - 4 : at])
        block = tiff_block(data[at + 4 : at - 4 + length])
        if block is None:
            continue
        try:
            tags = read_exif(block)
        except ExifError as exc:
            found.warn(f"CR3 {box.decode()} block: {exc}")
            continue
        merged.update(_rename_ifd(tags, ifd_name))
    if not merged:
        raise MetadataError("CR3 file has no readable CMT metadata blocks")
    found.add_exif(merged)
    width, height = merged.get("EXIF ExifImageWidth"), merged.get("EXIF ExifImageLength")
    if width is not None and height is not None:
        found.set_stored_size(int(width.values[0]), int(height.values[0]))


def _rename_ifd(tags: dict, ifd_name: str) -> dict:
    """exifread names a standalone block's tags as IFD0 ('Image ...'); give them their real IFD names."""
    if ifd_name == "Image":
        return tags
    table = GPS_TAGS if ifd_name == "GPS" else EXIF_TAGS
    renamed = {}
    for name, tag in tags.items():
        if not name.startswith("Image "):
            continue
        entry = table.get(tag.tag)
        label = entry[0] if isinstance(entry, tuple) else (entry or f"Tag 0x{tag.tag:04X}")
        renamed[f"{ifd_name} {label}"] = tag
    return renamed
