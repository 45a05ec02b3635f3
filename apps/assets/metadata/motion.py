"""Samsung motion photos: the embedded video is announced in the 'SEFT' trailer.

Google's format announces itself in XMP (see xmp.py); Samsung's older one only in a
trailer after the image data: ... blocks ..., 'SEFH' directory, 4-byte length, 'SEFT'.
Only the tail of the file is read.
"""

import os
import struct

_TAIL = 64 * 1024
_MOTION_BLOCK_NAME = b"MotionPhoto_Data"


def samsung_motion_photo_offset(fh) -> int | None:
    """Bytes from the end of the file where the embedded video starts, or None."""
    size = fh.seek(0, os.SEEK_END)
    if size < 16:
        return None
    fh.seek(size - 8)
    tail = fh.read(8)
    if tail[4:] != b"SEFT":
        return None
    (directory_length,) = struct.unpack("<I", tail[:4])
    directory_at = size - 8 - directory_length
    if directory_length > _TAIL or directory_at < 0:
        return None
    fh.seek(directory_at)
    directory = fh.read(directory_length)
    if directory[:4] != b"SEFH" or len(directory) < 12:
        return None
    (count,) = struct.unpack_from("<I", directory, 8)
    for index in range(min(count, 64)):
        entry = 12 + index * 12
        if entry + 12 > len(directory):
            break
        _, block_back, block_length = struct.unpack_from("<III", directory, entry)
        block_at = directory_at - block_back
        if block_at < 0:
            continue
        fh.seek(block_at)
        header = fh.read(8 + len(_MOTION_BLOCK_NAME))
        (name_length,) = struct.unpack_from("<I", header, 4)
        if header[8 : 8 + name_length] == _MOTION_BLOCK_NAME:
            return size - (block_at + 8 + name_length)
    return None
