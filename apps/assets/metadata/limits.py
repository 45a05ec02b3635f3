"""The pixel limit shared with the derivatives: one setting, MEDIAHUB_MAX_IMAGE_PIXELS.

Above it a picture is refused as a possible decompression bomb (a tiny file that
declares billions of pixels). Pillow's own global guard is raised to the same
line, as the derivatives module does, so a real 200 MP photo is not refused by
Pillow's 179 MP default before MediaHub's limit is even checked.
"""

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from PIL import Image

DEFAULT_MAX_PIXELS = 250_000_000


def max_pixels() -> int:
    try:
        return int(getattr(settings, "MEDIAHUB_MAX_IMAGE_PIXELS", DEFAULT_MAX_PIXELS))
    except ImproperlyConfigured:  # used outside Django (scripts, benchmarks): the default applies
        return DEFAULT_MAX_PIXELS


def raise_pillow_guard() -> None:
    Image.MAX_IMAGE_PIXELS = max(Image.MAX_IMAGE_PIXELS or 0, max_pixels())


def bomb_message(width: int, height: int) -> str | None:
    limit = max_pixels()
    if width * height <= limit:
        return None
    return (
        f"image of {width}x{height} pixels is over the {limit / 1e6:.0f} MP limit "
        "(MEDIAHUB_MAX_IMAGE_PIXELS); refused as a possible decompression bomb"
    )
