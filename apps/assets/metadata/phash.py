"""64-bit perceptual hash (pHash) from a small decode, stored as a signed bigint."""

import imagehash
from PIL import Image

# pHash looks at a 32x32 DCT; anything much above that is wasted decode work.
PHASH_SOURCE_SIZE = (256, 256)


def to_signed64(value: int) -> int:
    return value - (1 << 64) if value >= (1 << 63) else value


def phash_of(image: Image.Image) -> int:
    """pHash of an already-decoded (small) image, as a signed 64-bit int for PostgreSQL."""
    if image.mode not in ("RGB", "L"):
        image = (
            image.convert("RGBA").convert("RGB")
            if "A" in image.mode or image.mode == "P"
            else image.convert("RGB")
        )
    bits = imagehash.phash(image, hash_size=8).hash.flatten()
    value = 0
    for bit in bits:
        value = (value << 1) | int(bit)
    return to_signed64(value)
