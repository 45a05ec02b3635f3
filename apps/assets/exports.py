"""Export copies of photos (Lumilio's export): re-encoded as JPEG, PNG, WebP or AVIF, shrunk to a
longest edge, at a quality, with their EXIF kept, without their location, or without any metadata.

The pixels are the viewer's: decoded by apps/assets/derivatives/images.py (RAW developed with
rawpy, HEIC through pillow-heif), upright (the file's orientation and the user's rotation applied,
so the copy's EXIF says orientation 1) and in sRGB. One copy, or a ZIP of copies of a selection
made one at a time while the ZIP is sent (apps/core/zipstream.py). Downloading rights apply: an
export is the photo's pixels at full size.
"""

import io
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import PurePosixPath

from PIL import Image, UnidentifiedImageError

from django.utils.translation import gettext as _

from apps.core import zipstream
from apps.core.errors import BadInput, NotFound

from .derivatives import images, serving
from .downloads import downloadable
from .models import Asset

FORMATS = {  # name -> (Pillow format, content type, suffix)
    "jpeg": ("JPEG", "image/jpeg", ".jpg"),
    "png": ("PNG", "image/png", ".png"),
    "webp": ("WEBP", "image/webp", ".webp"),
    "avif": ("AVIF", "image/avif", ".avif"),
}
STRIP = ("none", "location", "all")
MIN_SIZE, MAX_SIZE = 16, 16383  # WebP's own limit; a bigger photo keeps its size in other formats
DEFAULT_QUALITY = 90
FULL_SIZE = 1 << 20  # a longest edge no photo reaches: decoded at its own size
ORIENTATION, GPS_IFD = 0x0112, 0x8825
# AVIF at libavif's default speed takes ~20 s for 12 MP on one core; speed 8 ~2 s, a little larger.
AVIF_SPEED = 8
NOT_A_PHOTO = "only photos can be exported as an image; {name} is a {kind}"


@dataclass(frozen=True)
class ExportOptions:
    format: str = "jpeg"
    max_size: int | None = None  # longest edge in pixels; None: the photo's own size
    quality: int = DEFAULT_QUALITY  # 1-100; PNG is lossless and ignores it
    strip: str = "none"  # "location": no GPS; "all": no metadata at all

    def __post_init__(self):
        # Services check what they are handed too (the API's serializer already says it nicer).
        if self.format not in FORMATS:
            raise BadInput(_("one of %(names)s") % {"names": ', '.join(FORMATS)}, field="format")
        if not 1 <= self.quality <= 100:
            raise BadInput(_("between 1 and 100"), field="quality")
        if self.max_size is not None and not MIN_SIZE <= self.max_size <= MAX_SIZE:
            raise BadInput(_("between %(MIN_SIZE)s and %(MAX_SIZE)s pixels")
                           % {"MIN_SIZE": MIN_SIZE, "MAX_SIZE": MAX_SIZE}, field="max_size")
        if self.strip not in STRIP:
            raise BadInput(_("one of %(names)s") % {"names": ', '.join(STRIP)}, field="strip")

    @property
    def content_type(self) -> str:
        return FORMATS[self.format][1]

    def name_for(self, asset: Asset) -> str:
        return str(PurePosixPath(asset.filename).with_suffix(FORMATS[self.format][2]))


@dataclass(frozen=True)
class Exported:
    name: str
    content_type: str
    data: bytes


class CannotExport(Exception):
    """The original cannot be read or decoded; the message says which file and why."""


def export(asset: Asset, options: ExportOptions) -> Exported:
    """One copy of `asset` (the caller's right to download it is checked by the view)."""
    if asset.kind != Asset.Kind.PHOTO:
        kind = asset.get_kind_display().lower()
        raise BadInput(NOT_A_PHOTO.format(name=asset.filename, kind=kind), field="format")
    try:
        data = _encode(asset, options)
    except CannotExport as exc:
        raise NotFound(str(exc)) from exc
    return Exported(options.name_for(asset), options.content_type, data)


def export_zip(user, asset_ids: list, options: ExportOptions):
    """A ZIP of copies of the photos among `asset_ids` that `user` may download. Videos and other
    non-photos are left out (counted in X-Left-Out, named in LEFT OUT.txt); all of them: 400."""
    assets, left_out = downloadable(user, asset_ids)
    photos = assets.filter(kind=Asset.Kind.PHOTO)
    others = assets.exclude(kind=Asset.Kind.PHOTO)
    if not photos.exists():
        raise BadInput(_("only photos can be exported as an image; none of these is a photo"), field="format")
    left_out += others.count()
    title = f"MediaHub export ({options.format.upper()})"
    entries = _entries(photos.iterator(chunk_size=100), others.iterator(chunk_size=100), options)
    return zipstream.zip_response(title, entries, sized=False, left_out=left_out)


def _entries(photos, others, options: ExportOptions) -> Iterator[zipstream.Entry]:
    """Made one at a time as the ZIP is sent: one copy in memory, never the whole batch."""
    for asset in photos:
        try:
            data = _encode(asset, options)
        except CannotExport as exc:
            yield zipstream.Entry(asset.filename, missing=str(exc))
            continue
        yield zipstream.Entry(options.name_for(asset), chunks=[data])
    for asset in others:
        yield zipstream.Entry(asset.filename, missing=f"a {asset.get_kind_display().lower()}, not a photo")


def _encode(asset: Asset, options: ExportOptions) -> bytes:
    try:
        path = serving.original(asset).path
        image = images.display_image(path, options.max_size or FULL_SIZE)
    except (serving.MediaUnavailable, images.ImageDecodeError) as exc:
        raise CannotExport(f"{asset.filename}: {exc}") from exc
    image = images.rotate_clockwise(image, asset.user_rotation)
    pillow_format = FORMATS[options.format][0]
    settings = {"quality": options.quality}
    if pillow_format == "WEBP":
        image.thumbnail((MAX_SIZE, MAX_SIZE), images.RESAMPLE)
    elif pillow_format == "AVIF":
        settings["speed"] = AVIF_SPEED
    if options.strip != "all":
        settings["exif"] = _exif(path, options.strip == "location").tobytes()
    out = io.BytesIO()
    image.save(out, format=pillow_format, **settings)
    return out.getvalue()


def _exif(path, without_location: bool) -> Image.Exif:
    """The original's EXIF, saying orientation 1 (the pixels are upright now), without GPS when
    asked. A RAW that Pillow cannot open (not TIFF-based) gives no EXIF rather than no export."""
    try:
        with Image.open(path) as original:
            exif = original.getexif()
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError):
        exif = Image.Exif()
    exif.pop(ORIENTATION, None)
    if without_location:
        exif.pop(GPS_IFD, None)
    return exif
