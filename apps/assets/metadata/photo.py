"""Photos Pillow opens itself: JPEG, PNG, GIF, WebP, TIFF, BMP, AVIF, JXL.

Opening reads headers only; EXIF and XMP come from `info`. The one pixel decode
(at reduced scale: JPEG `draft()` decodes at 1/2..1/8 in the IDCT) feeds the
perceptual hash and doubles as the integrity check: truncated or garbled image
data fails here, with a message, instead of later in the thumbnailer.
"""

import struct
import warnings

import pillow_jxl  # noqa: F401 - registers the JPEG XL plugin with Pillow (requirements/base.txt)
from PIL import Image, ImageFile, UnidentifiedImageError

from .exif import ExifError, read_exif, tiff_block
from .generation import generation_of
from .limits import bomb_message, raise_pillow_guard
from .phash import PHASH_SOURCE_SIZE, phash_of
from .types import MetadataError
from .xmp import as_text as xmp_text

PILLOW_FORMATS = {
    "jpeg": "JPEG",
    "png": "PNG",
    "gif": "GIF",
    "webp": "WEBP",
    "tiff": "TIFF",
    "bmp": "BMP",
    "avif": "AVIF",
    "jxl": "JXL",
}


def open_image(path, fmt: str) -> Image.Image:
    """Pillow image (headers only), restricted to the sniffed format: garbage never reaches another plugin."""
    raise_pillow_guard()
    try:
        try:
            image = _open(path, fmt)
        except ValueError as exc:
            if fmt != "png" or "MAX_TEXT_CHUNK" not in str(exc):
                raise
            image = _open(path, fmt, skip_big_text=True)
    except Image.DecompressionBombError as exc:
        raise MetadataError(f"image refused as a decompression bomb: {exc}") from exc
    except UnidentifiedImageError as exc:
        # Pillow's own message is just the path; say what failed instead.
        raise MetadataError(
            f"{fmt.upper()} header is unreadable: not a valid {fmt.upper()} structure"
        ) from exc
    except (OSError, SyntaxError, ValueError, EOFError, struct.error) as exc:
        raise MetadataError(f"{fmt.upper()} header is unreadable: {exc}") from exc
    refusal = bomb_message(*image.size)
    if refusal:
        image.close()
        raise MetadataError(refusal)
    return image


def _open(path, fmt: str, skip_big_text: bool = False) -> Image.Image:
    """Pillow refuses a whole PNG over one compressed text chunk that inflates past 1 MB (a zip bomb,
    or a huge AI workflow); retried, that chunk is read as empty and the picture opens. The flag is
    Pillow's only switch for it and is process-wide: it is set for the header read alone."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        if not skip_big_text:
            return Image.open(path, formats=[PILLOW_FORMATS[fmt]])
        before, ImageFile.LOAD_TRUNCATED_IMAGES = ImageFile.LOAD_TRUNCATED_IMAGES, True
        try:
            return Image.open(path, formats=[PILLOW_FORMATS[fmt]])
        finally:
            ImageFile.LOAD_TRUNCATED_IMAGES = before


def decode_small(image: Image.Image, fmt: str) -> Image.Image:
    """Decode the first frame at reduced scale; raises MetadataError for broken pixel data."""
    try:
        if fmt == "jpeg":
            image.draft("RGB", PHASH_SOURCE_SIZE)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            image.load()
        image.thumbnail(PHASH_SOURCE_SIZE)  # in place: no second full-size copy; `info` is kept
        return image
    except Exception as exc:  # Pillow's decoders raise OSError, SyntaxError, ValueError, struct.error ...
        raise MetadataError(f"{fmt.upper()} image data is corrupt or truncated: {exc}") from exc


def read_photo(path, sniffed, found) -> None:
    fmt = sniffed.format
    image = open_image(path, fmt)
    try:
        found.set_stored_size(*image.size)
        frames = getattr(image, "n_frames", 1)
        if frames > 1:
            found.tags.setdefault("File", {})["Frames"] = frames
        if found.decode:
            try:
                found.info.phash = phash_of(decode_small(image, fmt))
            except MetadataError as exc:
                found.fail(str(exc))
        # PNG eXIf/iTXt after IDAT only show up in `info` once the image is loaded: read it after the decode.
        exif_blob = image.info.get("exif")
        xmp = image.info.get("xmp") or image.info.get("XML:com.adobe.xmp") or _raw_profile(image.info)
        if fmt == "tiff":
            xmp = xmp or (image.tag_v2.get(700) if hasattr(image, "tag_v2") else None)
    finally:
        image.close()

    tiff = None
    if fmt == "tiff":
        # A TIFF is its own EXIF structure.
        with open(path, "rb") as fh:
            found.add_exif(_safe_exif(fh, found))
    elif exif_blob:
        tiff = tiff_block(exif_blob)
        if tiff is None:
            found.warn("EXIF block has no TIFF header")
        else:
            found.add_exif(_safe_exif(tiff, found), tiff)
    found.add_xmp(xmp)
    found.add_generation(generation_of(path, fmt, tiff, xmp_text(xmp)))


def _raw_profile(info: dict) -> bytes | None:
    """ImageMagick writes XMP into PNG text as 'Raw profile type xmp': name, length, then hex lines."""
    text = info.get("Raw profile type xmp")
    if not text:
        return None
    lines = text.strip().split("\n")
    try:
        return bytes.fromhex("".join(lines[2:]))
    except ValueError:
        return None


def _safe_exif(source, found) -> dict:
    """Broken EXIF beside good pixels is a warning, not a failed file: the photo is still viewable."""
    try:
        return read_exif(source)
    except ExifError as exc:
        found.warn(str(exc))
        return {}
