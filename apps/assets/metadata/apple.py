"""Apple maker note: the Live Photo pairing id (MediaGroupUUID, tag 0x0011) and the burst id
(BurstUUID, tag 0x000b) that the shots of one burst share.

exifread reads maker notes only with details=True, which also decodes every
vendor table and is several times slower; the one tag needed here is read directly.
Layout (as ExifTool documents it): 'Apple iOS\\0', a 2-byte version, 'MM' or 'II',
then a TIFF IFD whose offsets count from the start of the maker note.
"""

import struct

_SIGNATURE = b"Apple iOS\x00"
_MEDIA_GROUP_UUID = 0x0011
_BURST_UUID = 0x000B
_ASCII = 2


def apple_media_group_uuid(tiff: bytes) -> str:
    return apple_uuid(tiff, _MEDIA_GROUP_UUID)


def apple_burst_uuid(tiff: bytes) -> str:
    return apple_uuid(tiff, _BURST_UUID)


def apple_uuid(tiff: bytes, wanted: int) -> str:
    """The ASCII value of one tag of the Apple maker note, or ''."""
    start = tiff.find(_SIGNATURE)
    if start < 0:
        return ""
    note = tiff[start:]
    order = {b"MM": ">", b"II": "<"}.get(note[12:14])
    if order is None or len(note) < 16:
        return ""
    (count,) = struct.unpack_from(order + "H", note, 14)
    for index in range(min(count, 256)):
        entry = 16 + index * 12
        if entry + 12 > len(note):
            break
        tag, kind, length, value = struct.unpack_from(order + "HHII", note, entry)
        if tag != wanted or kind != _ASCII:
            continue
        raw = note[entry + 8 : entry + 8 + length] if length <= 4 else note[value : value + length]
        return raw.split(b"\x00", 1)[0].decode("ascii", "replace").strip()
    return ""
