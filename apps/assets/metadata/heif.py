"""HEIC/HEIF through pillow-heif (libheif).

libheif applies the `irot`/`imir` item transforms while decoding, so the size it
reports is already the displayed size: the EXIF Orientation (usually 6 on iPhones,
mirroring irot) must not be applied again. The pHash comes from a decode of the
primary image (which also checks its data) up to 50 MP, and from the embedded
thumbnail above that, so the 200 MP photo is never decoded here.
"""

import pillow_heif

from .exif import ExifError, read_exif, tiff_block
from .limits import bomb_message
from .phash import phash_of
from .types import MetadataError

# Above this, decoding the primary image for a 64-bit hash costs seconds and gigabytes.
MAX_PRIMARY_DECODE_PIXELS = 50_000_000


def read_heif(path, sniffed, found) -> None:
    try:
        heif = pillow_heif.open_heif(path, convert_hdr_to_8bit=True)
        primary = heif[heif.primary_index]
        width, height = primary.size
        info = dict(primary.info)
        if not info.get("primary"):
            # libheif falls back to another item when the primary reference is broken: not the picture.
            raise MetadataError("HEIF primary image reference points to no image")
    except MetadataError:
        raise
    except Exception as exc:  # libheif reports every container problem as ValueError/RuntimeError/OSError
        raise MetadataError(f"HEIF container is unreadable: {exc}") from exc
    found.set_stored_size(width, height, displayed=True)
    refusal = bomb_message(width, height)
    if refusal:
        found.fail(refusal)  # the tags are still worth keeping; the pixels are not touched
        found.decode = False
    if len(heif) > 1:
        found.tags.setdefault("File", {})["Images"] = len(heif)

    if found.decode:
        try:
            found.info.phash = phash_of(_small_image(primary, width * height))
        except MetadataError as exc:
            found.fail(str(exc))

    blob = info.get("exif")
    if blob:
        tiff = tiff_block(blob)
        try:
            found.add_exif(read_exif(tiff), tiff) if tiff else found.warn("EXIF item has no TIFF header")
        except ExifError as exc:
            found.warn(str(exc))
    found.add_xmp(info.get("xmp"))


def _small_image(primary, pixels: int):
    try:
        if pixels > MAX_PRIMARY_DECODE_PIXELS:
            if not primary.info.get("thumbnails"):
                raise MetadataError(
                    f"HEIF image of {pixels / 1e6:.0f} MP has no thumbnail; refusing a full decode"
                )
            return primary.get_thumbnail(0).to_pillow()
        # Decoding the primary image (not its thumbnail) is also the integrity check of its data.
        image = primary.to_pillow()
        image.thumbnail((256, 256))
        return image
    except MetadataError:
        raise
    except Exception as exc:
        raise MetadataError(f"HEIF image data is corrupt or truncated: {exc}") from exc
