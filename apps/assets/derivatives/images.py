"""Photo decoding to a display-ready sRGB image, and the thumbnail/preview files made from it.

One decode per asset: the original is decoded at reduced scale where the format allows it
(JPEG `draft()`, a RAW's embedded preview), shrunk to the preview size, oriented, converted
to sRGB, written as the preview, and the thumbnail is shrunk from that same image.
"""

import functools
import io
import logging
import math
import warnings
from pathlib import Path
from typing import NamedTuple

import numpy as np
import pillow_heif
from django.conf import settings
from PIL import Image, ImageCms, ImageOps, UnidentifiedImageError

from apps.assets.metadata.colour import colour_histogram
from apps.assets.metadata.phash import PHASH_SOURCE_SIZE, phash_of

from .storage import Derivative, atomic_path, path_for, preview_format

log = logging.getLogger(__name__)

pillow_heif.register_heif_opener()
# Our own pixel limit (MEDIAHUB_MAX_IMAGE_PIXELS) refuses bombs with a clear error before any
# decode; Pillow's default (89 MP warning, 179 MP error) would refuse real 200 MP phone photos.
Image.MAX_IMAGE_PIXELS = max(Image.MAX_IMAGE_PIXELS or 0, settings.MEDIAHUB_MAX_IMAGE_PIXELS)
warnings.simplefilter("ignore", Image.DecompressionBombWarning)

# fmt: off
RAW_EXTENSIONS = {
    ".dng", ".cr2", ".cr3", ".crw", ".nef", ".nrw", ".arw", ".srf", ".sr2", ".raf", ".rw2", ".orf",
    ".pef", ".srw", ".kdc", ".dcr", ".mrw", ".3fr", ".erf", ".mef", ".mos", ".x3f", ".iiq", ".rwl",
}
# fmt: on
# LibRaw's `flip` for the RAW sensor data; the embedded JPEG is stored unrotated like it.
RAW_FLIP_TO_TRANSPOSE = {
    3: Image.Transpose.ROTATE_180,
    5: Image.Transpose.ROTATE_90,
    6: Image.Transpose.ROTATE_270,
}
USER_ROTATION_TO_TRANSPOSE = {
    90: Image.Transpose.ROTATE_270,
    180: Image.Transpose.ROTATE_180,
    270: Image.Transpose.ROTATE_90,
}
ALPHA_MODES = {"RGBA", "LA", "PA", "RGBa", "La"}
SRGB = ImageCms.createProfile("sRGB")
JPEG_QUALITY = 85
WEBP_QUALITY = 80
# Measured on a 12 MP JPEG (2 cores): Lanczos 2000->1600 px costs 64 ms, twice the draft decode
# itself; bicubic is 50 ms and looks the same at this ratio. WebP method 2 encodes a thumbnail in
# 4 ms instead of 12 ms for method 4, a few percent larger. reducing_gap=2 pre-shrinks by box
# filter where the result stays indistinguishable from a full convolution.
RESAMPLE = Image.Resampling.BICUBIC
REDUCING_GAP = 2.0
WEBP_METHOD = 2


class ImageDecodeError(Exception):
    """The file cannot be decoded as an image; the message says why."""


class ImageTooLarge(ImageDecodeError):
    """More pixels than MEDIAHUB_MAX_IMAGE_PIXELS: refused before decoding (decompression bomb guard)."""


def _check_pixels(size: tuple[int, int], source: Path) -> None:
    limit = settings.MEDIAHUB_MAX_IMAGE_PIXELS
    if size[0] * size[1] > limit:
        raise ImageTooLarge(
            f"{source.name}: {size[0]}x{size[1]} is {size[0] * size[1] / 1e6:.0f} MP, over the "
            f"{limit / 1e6:.0f} MP limit (MEDIAHUB_MAX_IMAGE_PIXELS); refused as a possible decompression bomb"
        )


def draft_request(size: tuple[int, int], long_edge: int) -> tuple[int, int]:
    """The size to ask `draft()` for so the decoded long edge stays >= long_edge.

    draft() picks the largest 1/2, 1/4, 1/8 scale keeping *both* sides >= the request, so
    asking for a square (long_edge, long_edge) would never reduce a 4:3 photo.
    """
    scale = long_edge / max(size)
    return max(1, math.ceil(size[0] * scale)), max(1, math.ceil(size[1] * scale))


def _open_pillow(source: Path, long_edge: int, use_draft: bool) -> Image.Image:
    try:
        image = Image.open(source)
        _check_pixels(image.size, source)
        if getattr(image, "n_frames", 1) > 1:
            image.seek(0)  # animated GIF/WebP, multipage TIFF: the first frame stands for the file
        if use_draft and image.format == "JPEG":
            image.draft("RGB", draft_request(image.size, long_edge))
        image.load()
        return image
    except ImageDecodeError:
        raise
    except Image.DecompressionBombError as exc:
        raise ImageTooLarge(f"{source.name}: {exc}") from exc
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError) as exc:
        raise ImageDecodeError(f"{source.name}: cannot decode image ({exc})") from exc


def _open_raw(source: Path, long_edge: int, use_draft: bool) -> Image.Image:
    """The embedded JPEG preview when it is big enough, else a half-size demosaic."""
    import rawpy  # only RAW files pay for importing LibRaw

    try:
        with rawpy.imread(str(source)) as raw:
            flip = raw.sizes.flip
            try:
                thumb = raw.extract_thumb()
            except (rawpy.LibRawNoThumbnailError, rawpy.LibRawUnsupportedThumbnailError):
                thumb = None
            image = None
            if thumb is not None and thumb.format == rawpy.ThumbFormat.JPEG:
                image = Image.open(io.BytesIO(thumb.data))
                if use_draft:
                    image.draft("RGB", draft_request(image.size, long_edge))
                image.load()
                if image.getexif().get(0x0112, 1) == 1 and flip in RAW_FLIP_TO_TRANSPOSE:
                    image = image.transpose(RAW_FLIP_TO_TRANSPOSE[flip])
            elif thumb is not None and thumb.format == rawpy.ThumbFormat.BITMAP:
                image = Image.fromarray(thumb.data)
            # A tiny embedded thumbnail would make a blurry preview: demosaic instead.
            if image is None or max(image.size) < min(long_edge, max(raw.sizes.width, raw.sizes.height)) // 2:
                _check_pixels((raw.sizes.width, raw.sizes.height), source)
                rgb = raw.postprocess(half_size=True, use_camera_wb=True, output_bps=8)  # applies flip itself
                image = Image.fromarray(rgb)
            return image
    except ImageDecodeError:
        raise
    except (rawpy.LibRawError, OSError, ValueError) as exc:
        raise ImageDecodeError(f"{source.name}: cannot decode RAW ({exc})") from exc


def _open(source: Path, long_edge: int, use_draft: bool) -> Image.Image:
    if source.suffix.lower() not in RAW_EXTENSIONS:
        return _open_pillow(source, long_edge, use_draft)
    try:
        return _open_raw(source, long_edge, use_draft)
    except ImageDecodeError as raw_error:
        # A JPEG saved under a RAW name, or a RAW LibRaw does not know that Pillow reads as TIFF.
        try:
            return _open_pillow(source, long_edge, use_draft)
        except ImageDecodeError:
            raise raw_error from None


def _flatten(image: Image.Image) -> Image.Image:
    """Modes ImageCms and the encoders take: RGB, L or CMYK; alpha composited over white."""
    if image.mode in ("I;16", "I;16B", "I;16L", "I;16N"):
        return Image.fromarray((np.asarray(image, dtype=np.uint16) >> 8).astype(np.uint8), "L")
    if image.mode in ("I", "F"):
        return image.convert("L")
    if image.mode == "P" and "transparency" in image.info or image.mode in ALPHA_MODES:
        rgba = image.convert("RGBA")
        background = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        return Image.alpha_composite(background, rgba).convert("RGB")
    if image.mode not in ("RGB", "L", "CMYK"):
        return image.convert("RGB")
    return image


@functools.lru_cache(maxsize=32)
def _srgb_transform(icc: bytes, mode: str):
    """The colour transform for one embedded profile, built once per process; None when it is sRGB already."""
    source_profile = ImageCms.ImageCmsProfile(io.BytesIO(icc))
    if ImageCms.getProfileDescription(source_profile).strip().startswith("sRGB"):
        return None  # most camera JPEGs: converting sRGB to sRGB only costs time
    return ImageCms.buildTransform(source_profile, SRGB, mode, "RGB")


def _to_srgb(image: Image.Image, icc: bytes | None) -> Image.Image:
    if icc:
        try:
            transform = _srgb_transform(icc, image.mode)
            if transform is not None:
                return ImageCms.applyTransform(image, transform)
        except (ImageCms.PyCMSError, OSError, ValueError) as exc:
            # A broken profile should not cost the user their thumbnail; colours are then as stored.
            log.warning("ignoring unusable ICC profile: %s", exc)
    return image if image.mode == "RGB" else image.convert("RGB")


def display_image(source: Path, long_edge: int, *, use_draft: bool = True) -> Image.Image:
    """Decode `source` as the viewer should see it: upright, sRGB, RGB, long edge <= long_edge.

    HEIC/AVIF: pillow-heif has already applied `irot`/`imir` and reset the EXIF orientation
    to 1, so exif_transpose below is a no-op for them: never rotated twice.
    """
    source = Path(source)
    image = _open(source, long_edge, use_draft)
    icc = image.info.get("icc_profile")
    exif = image.getexif()
    image = _flatten(image)
    # Shrinking before rotating and colour-converting means both touch ~2 MP, not 12.
    image.thumbnail((long_edge, long_edge), RESAMPLE, reducing_gap=REDUCING_GAP)
    image.info["exif"] = exif.tobytes()
    image = ImageOps.exif_transpose(image)
    return _to_srgb(image, icc)


def _save(image: Image.Image, path: Path, fmt: str) -> None:
    options = {"quality": JPEG_QUALITY} if fmt == "jpeg" else {"quality": WEBP_QUALITY, "method": WEBP_METHOD}
    with atomic_path(path) as temp:
        image.save(temp, format=fmt.upper(), **options)


def rotate_clockwise(image: Image.Image, degrees: int | None) -> Image.Image:
    """Apply a user's rotation (0/90/180/270 clockwise) on top of the file's own orientation."""
    method = USER_ROTATION_TO_TRANSPOSE.get((degrees or 0) % 360)
    return image.transpose(method) if method is not None else image


def write_thumbnail(image: Image.Image, asset_id) -> None:
    """Shrink `image` in place to the thumbnail size and write it as WebP."""
    image.thumbnail(
        (settings.MEDIAHUB_THUMBNAIL_SIZE,) * 2, Image.Resampling.LANCZOS, reducing_gap=REDUCING_GAP
    )
    _save(image, path_for(asset_id, Derivative.THUMBNAIL), "webp")


def write_image_derivatives(image: Image.Image, asset_id) -> None:
    """Write the preview from a display image, then the thumbnail shrunk from that same image."""
    preview = image.copy()
    preview.thumbnail((settings.MEDIAHUB_PREVIEW_SIZE,) * 2, RESAMPLE, reducing_gap=REDUCING_GAP)
    _save(preview, path_for(asset_id, Derivative.PREVIEW), preview_format())
    write_thumbnail(preview, asset_id)


class Fingerprints(NamedTuple):
    """What near-duplicate and colour search need, taken from the decode that makes the preview."""

    phash: int
    colour_histogram: list[float]


def make_photo_derivatives(source: Path, asset_id, *, use_draft: bool = True, rotate: int = 0) -> Fingerprints:
    """Thumbnail and preview of one photo from a single reduced-scale decode.

    Returns the photo's pHash and colour histogram, taken from that same decode (upright, before
    the user's rotation, so rotating a photo does not hide it from near-duplicate search): the
    metadata stage reads tags only, and no other stage decodes the pixels again.
    """
    with display_image(source, settings.MEDIAHUB_PREVIEW_SIZE, use_draft=use_draft) as image:
        small = image.reduce(max(1, min(image.size) // PHASH_SOURCE_SIZE[0]))
        fingerprints = Fingerprints(phash_of(small), colour_histogram(small))
        write_image_derivatives(rotate_clockwise(image, rotate), asset_id)
    return fingerprints


DEVELOPED_QUALITY = 92


def develop_raw(source: Path, destination: Path) -> None:
    """A full-size JPEG from a RAW for downloading where no camera JPEG sits beside it: LibRaw's
    demosaic with the camera's white balance (not the embedded preview, often a quarter of the
    sensor); a RAW LibRaw cannot read but Pillow can (TIFF-based) goes through the usual decode."""
    import rawpy  # only RAW downloads pay for importing LibRaw

    source = Path(source)
    try:
        with rawpy.imread(str(source)) as raw:
            _check_pixels((raw.sizes.width, raw.sizes.height), source)
            image = Image.fromarray(raw.postprocess(use_camera_wb=True, output_bps=8))  # applies flip itself
    except (rawpy.LibRawError, OSError, ValueError):
        image = display_image(source, settings.MEDIAHUB_MAX_IMAGE_PIXELS, use_draft=False)
    with atomic_path(destination) as temp:
        image.convert("RGB").save(temp, format="JPEG", quality=DEVELOPED_QUALITY)
