"""What the detail view's zoom (PhotoSwipe, static/js/viewer.js) shows: the preview at first, and
the original once the photo is zoomed past the preview's pixels, where a browser can draw it."""

from django.conf import settings
from apps.core.querysets import Action

from .models import Asset
from .presentation import media_url

# Formats every browser we support decodes in an <img>. HEIC, RAW, TIFF and the like zoom into
# the preview only (it is made from them upright and sRGB).
BROWSER_IMAGE_TYPES = {"image/jpeg", "image/png", "image/webp", "image/gif", "image/avif"}


def preview_size(asset: Asset) -> tuple[int, int]:
    """The preview's pixels: the photo shrunk to MEDIAHUB_PREVIEW_SIZE on its long edge, never grown."""
    scale = min(1.0, settings.MEDIAHUB_PREVIEW_SIZE / max(asset.width, asset.height))
    return max(1, round(asset.width * scale)), max(1, round(asset.height * scale))


def zoom_source(asset: Asset, user) -> dict | None:
    """{url, width, height} of the original for zooming, or None where the preview is all there is:
    a format browsers cannot draw, a rotation the user applied (the original does not carry it),
    an original no bigger than the preview, or one the caller may see but not take (album shares)."""
    if asset.kind != Asset.Kind.PHOTO or not asset.width or not asset.height:
        return None
    if (asset.mime or "").lower() not in BROWSER_IMAGE_TYPES or asset.user_rotation:
        return None
    if max(asset.width, asset.height) <= settings.MEDIAHUB_PREVIEW_SIZE:
        return None
    if not Asset.objects.visible_to(user, Action.DOWNLOAD).filter(pk=asset.pk).exists():
        return None
    # Versioned, so the browser keeps the 12 MP file once fetched (Cache-Control: immutable).
    return {"url": media_url(asset, "original"), "width": asset.width, "height": asset.height}
