"""How an asset is shown on a page: grid tiles with their headings, media URLs, capture time on
the local clock, camera and exposure in words. Pages of every app (photos, people, search,
duplicates) use these, so a tile looks the same wherever it appears."""

import uuid
from datetime import timedelta
from datetime import timezone as dt_timezone

from django.urls import reverse
from django.utils import timezone

from .derivatives import serving
from .models import Asset

PAGE_SIZE = 120
GRID_THUMBNAIL = 256  # px: the width/height attributes reserve the tile's space before the image arrives


def local_taken_at(asset: Asset):
    """The capture time on the clock of the place it was taken, when the file told us its offset."""
    if asset.taken_at is None:
        return None
    if asset.taken_at_offset is None:
        return timezone.localtime(asset.taken_at)
    return asset.taken_at.astimezone(dt_timezone(timedelta(minutes=asset.taken_at_offset)))


def place_of(asset: Asset) -> dict | None:
    """The place a photo was taken, in words (the offline reverse geocoding search stores per asset):
    {"city", "region", "country", "country_code", "label"}, or None without GPS or a geocoded row."""
    if asset.latitude is None or asset.longitude is None:
        return None
    # The search app's one-to-one row (related_name "search"); missing until the search stage ran.
    found = getattr(asset, "search", None)
    if found is None or not (found.city or found.country):
        return None
    label = ", ".join(dict.fromkeys(p for p in (found.city, found.region, found.country) if p))
    return {"city": found.city, "region": found.region, "country": found.country,
            "country_code": found.country_code, "label": label}


def media_url(asset: Asset, kind: str) -> str:
    """API media URL carrying the asset's version, so the browser may cache it for a year."""
    return f"{reverse(f'asset-{kind}', kwargs={'pk': asset.pk})}?v={serving.version(asset)}"


def display_size(asset: Asset) -> tuple[int, int] | None:
    """(width, height) as the photo is shown: stored after the file's orientation, swapped again by a
    quarter turn the user added (the derivatives are turned too). None when the size is unknown."""
    if not asset.width or not asset.height:
        return None
    if asset.user_rotation in (90, 270):
        return asset.height, asset.width
    return asset.width, asset.height


def thumbnail_box(asset: Asset) -> tuple[int, int]:
    size = display_size(asset)
    if size is None:
        return GRID_THUMBNAIL, GRID_THUMBNAIL
    width, height = size
    scale = GRID_THUMBNAIL / max(width, height)
    return max(1, round(width * scale)), max(1, round(height * scale))


def detail_urls():
    """The photo page's URL for each asset of a page of tiles: reversed once, not once a tile (a
    reverse() per tile was a sixth of rendering a 120-tile page)."""
    placeholder = str(uuid.UUID(int=0))
    pattern = reverse("photo-detail", kwargs={"pk": placeholder})
    return lambda asset: pattern.replace(placeholder, str(asset.pk))


def grid_rows(assets, previous_day: str):
    """Tiles with a month and a day heading before the first tile of each (kept once across pages)."""
    rows = []
    url = detail_urls()
    for asset in assets:
        taken = local_taken_at(asset)
        day = taken.date().isoformat()
        width, height = thumbnail_box(asset)
        rows.append(
            {
                "asset": asset,
                "taken": taken,
                "heading": day != previous_day,
                "month_heading": day[:7] != previous_day[:7],
                "day": day,
                "url": url(asset),
                "thumbnail": media_url(asset, "thumbnail"),
                "width": width,
                "height": height,
            }
        )
        previous_day = day
    return rows


def exposure_summary(asset: Asset) -> str:
    parts = []
    if asset.f_number:
        parts.append(f"f/{asset.f_number:g}")
    if asset.exposure_time:
        t = asset.exposure_time
        parts.append(f"1/{round(1 / t)} s" if t < 1 else f"{t:g} s")
    if asset.iso:
        parts.append(f"ISO {asset.iso}")
    if asset.focal_length:
        focal = f"{asset.focal_length:g} mm"
        if asset.focal_length_35mm and round(asset.focal_length_35mm) != round(asset.focal_length):
            focal += f" ({asset.focal_length_35mm:g} mm in 35 mm)"
        parts.append(focal)
    return " · ".join(parts)


def camera_name(asset: Asset) -> str:
    make, model = asset.camera_make.strip(), asset.camera_model.strip()
    if make and model.lower().startswith(make.split()[0].lower()):
        return model  # "Canon Canon EOS 5D" reads better as "Canon EOS 5D"
    return " ".join(part for part in (make, model) if part)
