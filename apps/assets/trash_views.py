"""The Trash page (one view, two renderings: the page, and the next page of tiles for htmx) and the
ZIP download of a grid's selection. Restoring and emptying go through the trash API."""

import uuid

from django.contrib.auth.decorators import login_required
from django.http import HttpResponseBadRequest
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST
from django.utils.translation import gettext as _

from apps.core import keyset
from apps.core.errors import BadInput

from . import downloads, trash
from .presentation import media_url, thumbnail_box

PAGE_SIZE = 120
PLACEHOLDER = uuid.UUID(int=0)


@login_required
def trash_page(request):
    try:
        cursor = request.GET.get("cursor")
        page = keyset.page(trash.trash_of(request.user), "deleted_at", True, cursor, PAGE_SIZE)
    except ValueError as exc:
        return HttpResponseBadRequest(str(exc))
    next_url = f"?cursor={page.next_cursor}" if page.next_cursor else None
    context = {"tiles": _tiles(page.items), "next_url": next_url}
    if request.htmx:
        return render(request, "assets/trash.html#trash-page", context)
    context["keep_days"] = trash.keep_days()
    return render(request, "assets/trash.html", context)


def _tiles(assets) -> list[dict]:
    """Everything a tile shows, worked out here: the page must stay fast at 100,000 trashed items,
    and a URL reversed per tile in the template cost more than the query (120 tiles, 3 URLs each)."""
    now = timezone.now()
    detail = reverse("photo-detail", args=[PLACEHOLDER])
    tiles = []
    for asset in assets:
        width, height = thumbnail_box(asset)
        days = trash.days_left(asset, now)
        tiles.append({
            "asset": asset, "url": detail.replace(str(PLACEHOLDER), str(asset.pk)),
            "thumbnail": media_url(asset, "thumbnail"), "width": width, "height": height,
            "days_left": f"{days} day{'s' if days != 1 else ''} left",
        })
    return tiles


@login_required
@require_POST
def download_selection(request):
    """The originals of the posted `ids` as one ZIP (a form post, so the browser saves the answer)."""
    try:
        ids = [uuid.UUID(value) for value in request.POST.getlist("ids")]
    except ValueError:
        raise BadInput(_("ids must be asset ids"), field="ids") from None
    return downloads.selection_zip(request.user, ids)
