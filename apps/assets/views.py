from datetime import timedelta
from datetime import timezone as dt_timezone

from django.contrib.auth.decorators import login_required
from django.http import HttpResponseBadRequest
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone

from apps.core import keyset

from . import services
from .derivatives import serving
from .filters import AssetFilter
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


def media_url(asset: Asset, kind: str) -> str:
    """API media URL carrying the asset's version, so the browser may cache it for a year."""
    return f"{reverse(f'asset-{kind}', kwargs={'pk': asset.pk})}?v={serving.version(asset)}"


def thumbnail_box(asset: Asset) -> tuple[int, int]:
    if not asset.width or not asset.height:
        return GRID_THUMBNAIL, GRID_THUMBNAIL
    scale = GRID_THUMBNAIL / max(asset.width, asset.height)
    return max(1, round(asset.width * scale)), max(1, round(asset.height * scale))


def grid_rows(assets, previous_day: str):
    """Tiles with a month and a day heading before the first tile of each (kept once across pages)."""
    rows = []
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
                "thumbnail": media_url(asset, "thumbnail"),
                "width": width,
                "height": height,
            }
        )
        previous_day = day
    return rows


@login_required
def photos(request):
    assets = AssetFilter(request.GET, queryset=Asset.objects.visible_to(request.user).alive(), request=request).qs
    try:
        page = keyset.timeline_page(assets.select_related("library"), request.GET.get("cursor"), PAGE_SIZE)
    except ValueError as exc:
        return HttpResponseBadRequest(str(exc))
    rows = grid_rows(page.items, request.GET.get("day", ""))
    next_url = None
    if page.next_cursor:
        query = request.GET.copy()
        query["cursor"] = page.next_cursor
        query["day"] = rows[-1]["day"]
        next_url = f"?{query.urlencode()}"
    context = {"page": page, "rows": rows, "next_url": next_url}
    if request.htmx:
        return render(request, "assets/photos.html#grid-page", context)
    # The scrubber counts the months of what the grid shows (person and other filters), but not the
    # jump itself (taken_before), which would hide the newer months. Full page loads only.
    scrubber_query = request.GET.copy()
    for jump in ("taken_before", "cursor", "day"):
        scrubber_query.pop(jump, None)
    shown = AssetFilter(scrubber_query, queryset=Asset.objects.visible_to(request.user).alive(), request=request)
    context["months"] = services.months_with_counts(shown.qs)
    context["until"] = request.GET.get("taken_before", "")
    context["person"] = _filtered_person(request)
    return render(request, "assets/photos.html", context)


def _filtered_person(request):
    """The person of `?person=` for the heading chip, only when the user may see them."""
    from apps.people.models import Person

    raw = request.GET.get("person", "")
    if not raw.isdigit():
        return None
    return Person.objects.visible_to(request.user).filter(pk=int(raw)).only("pk", "name").first()


def _neighbours(assets, asset: Asset) -> tuple:
    """(newer, older) in timeline order: what sits left and right of the asset in the grid."""
    if asset.taken_at is None:
        return None, None
    newer = keyset.after(
        keyset.ordered(assets, "taken_at", False), "taken_at", False, asset.taken_at, asset.pk
    )
    older = keyset.after(keyset.ordered(assets, "taken_at", True), "taken_at", True, asset.taken_at, asset.pk)
    return newer.only("pk").first(), older.only("pk").first()


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


@login_required
def photo_detail(request, pk):
    visible = Asset.objects.visible_to(request.user).alive()
    asset = get_object_or_404(visible.select_related("library"), pk=pk)
    newer, older = _neighbours(visible, asset)
    context = {
        "asset": asset,
        "taken": local_taken_at(asset),
        "offset_known": asset.taken_at_offset is not None,
        "camera": camera_name(asset),
        "exposure": exposure_summary(asset),
        "preview_url": media_url(asset, "preview"),
        "video_url": media_url(asset, "video"),
        "audio_url": media_url(asset, "audio"),
        "original_url": reverse("asset-original", kwargs={"pk": asset.pk}),
        "newer": newer,
        "older": older,
        "megapixels": (asset.width * asset.height / 1e6) if asset.width and asset.height else None,
    }
    return render(request, "assets/detail.html", context)
