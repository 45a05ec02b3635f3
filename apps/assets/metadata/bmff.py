"""ISO-BMFF (HEIF, AVIF, CR3, MP4, MOV, 3GP) top-level box walk: catches truncated files cheaply.

Decoders are lenient: libheif decodes a HEIC whose 'mdat' was cut short, ffprobe
reads a half-copied MP4's header. A top-level box that claims more bytes than the
file has is the tell-tale of an interrupted copy, found with a few seeks.
"""

import os
import struct

from .types import MetadataError

_MAX_BOXES = 10_000


def check_complete(path) -> None:
    """Raises MetadataError naming the first top-level box that is cut short or malformed."""
    with open(path, "rb") as fh:
        size = fh.seek(0, os.SEEK_END)
        offset = 0
        for _ in range(_MAX_BOXES):
            if offset >= size:
                return
            fh.seek(offset)
            header = fh.read(16)
            if len(header) < 8:
                raise MetadataError(f"file is truncated: {size - offset} stray bytes after the last box")
            box_size, box_type = struct.unpack(">I4s", header[:8])
            if box_size == 1:
                if len(header) < 16:
                    raise MetadataError("file is truncated inside a box header")
                (box_size,) = struct.unpack(">Q", header[8:16])
            elif box_size == 0:  # "extends to the end of the file"
                return
            name = "".join(chr(b) if 32 <= b < 127 else "?" for b in box_type)
            if box_size < 8:
                raise MetadataError(f"box '{name}' at byte {offset} has an invalid size ({box_size})")
            if offset + box_size > size:
                raise MetadataError(
                    f"file is truncated: box '{name}' needs {box_size} bytes, only {size - offset} are left"
                )
            offset += box_size
