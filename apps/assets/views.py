"""The photo grid (timeline) and one photo's page. What the user may see comes from
`Asset.objects.visible_to`; how a tile looks comes from presentation.py."""

from datetime import datetime

from django.contrib.auth.decorators import login_required
from django.http import HttpResponseBadRequest
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from apps.core import keyset
from apps.core.errors import NotFound
from apps.core.querysets import Action, get_visible
from apps.core.validators import plain_id
from apps.people.models import Person

from . import grid_pages, services, trash, user_state
from .edits.presentation import edit_panel
from .explore import timeline
from .filters import AssetFilter, origin_query
from .models import Asset
from .stacks.detail import stack_context
from .presentation import camera_name, exposure_summary, local_taken_at, media_url, place_of
from .viewer import preview_size, zoom_source


def _timeline_query(request):
    """The grid's filters: rejected photos are left out unless `show_rejected=1` (or an explicit
    `rejected=`) asks for them; the API's own default (everything) stays as it was."""
    query = request.GET.copy()
    if query.get("show_rejected") != "1" and not query.get("rejected"):
        query["rejected"] = "false"
    return query


@login_required
def photos(request):
    filters = _timeline_query(request)
    assets = AssetFilter(filters, queryset=Asset.objects.visible_to(request.user).alive(), request=request).qs
    try:
        # The caller's favourite and rating for the tiles' badges: joined, as the API's list does.
        page = grid_pages.read(user_state.with_user_state(assets, request.user).select_related("library"), request.GET)
    except ValueError as exc:
        return HttpResponseBadRequest(str(exc))
    next_url, newer_url = grid_pages.links(request.GET, page)
    # Tiles carry the filters the user chose: a photo's previous/next keep them.
    set_query = origin_query(request.GET)
    context = {"rows": page.rows, "next_url": next_url, "newer_url": newer_url, "set_query": set_query}
    if request.htmx:
        return render(request, "assets/photos.html#grid-page", context)
    context["months"] = _scrubber_months(request, filters)
    context["until"] = request.GET.get("taken_before", "")
    context["person"] = _filtered_person(request)
    context["show_rejected"] = request.GET.get("show_rejected") == "1"
    # The scrubber's buckets: the filters the user chose (not the jump). The rejected photos the grid
    # leaves out are counted, so the whole library reads the per-month deltas (55 ms at 1,000,000).
    context["filter_query"] = origin_query(request.GET, without=("taken_before",))
    # The scrubber's jumps load pages of this same grid: the rejected toggle goes with them.
    shown = "show_rejected=1" if context["show_rejected"] else ""
    context["page_query"] = "&".join(part for part in (context["filter_query"], shown) if part)
    context["memories"] = not origin_query(request.GET)  # on the whole timeline only
    return render(request, "assets/photos.html", context)


def _scrubber_months(request, filters) -> list[dict]:
    """The months of what the grid shows (person and other filters), but not the jump itself
    (taken_before), which would hide the newer months. Full page loads only."""
    scrubber_query = filters.copy()
    for jump in ("taken_before", "cursor", "day", "at", "before"):
        scrubber_query.pop(jump, None)
    if not origin_query(request.GET, without=("taken_before",)):
        return [
            {"month": datetime.strptime(row["bucket"], "%Y-%m").date(), "count": row["count"], "until": row["before"]}
            for row in timeline.visible_buckets(request.user)
        ]
    shown = AssetFilter(scrubber_query, queryset=Asset.objects.visible_to(request.user).alive(), request=request)
    return services.months_with_counts(shown.qs)


def _filtered_person(request):
    """The person of `?person=` for the heading chip, only when the user may see them."""
    person_id = plain_id(request.GET.get("person", ""))
    if person_id is None:
        return None
    return Person.objects.visible_to(request.user).filter(pk=person_id).only("pk", "name").first()


def _neighbours(assets, asset: Asset) -> tuple:
    """(newer, older) in timeline order: what sits left and right of the asset in the grid."""
    if asset.taken_at is None:
        return None, None
    newer = keyset.after(
        keyset.ordered(assets, "taken_at", False), "taken_at", False, asset.taken_at, asset.pk
    )
    older = keyset.after(keyset.ordered(assets, "taken_at", True), "taken_at", True, asset.taken_at, asset.pk)
    return newer.only("pk").first(), older.only("pk").first()


def _origin_set(request) -> tuple:
    """(assets, their filter query): the set the photo was opened from (its grid's filters ride in
    the query), so previous and next step through a person's, an album's or a folder's photos, not
    the whole timeline. Bad or no filters: the whole timeline."""
    assets = Asset.objects.visible_to(request.user).alive()
    shown = AssetFilter(request.GET, queryset=assets, request=request)
    query = origin_query(request.GET)
    return (shown.qs, query) if query and shown.is_valid() else (assets, "")


@login_required
def photo_detail(request, pk):
    # A trashed photo opens only for who may restore it (from the Trash page), without neighbours.
    asset = get_visible(Asset.objects.select_related("library"), request.user, pk=pk)
    trashed = asset.deleted_at is not None
    if trashed and not trash.trash_of(request.user).filter(pk=asset.pk).exists():
        raise NotFound(_("photo not found"))
    origin, set_query = _origin_set(request)
    newer, older = (None, None) if trashed else _neighbours(origin, asset)
    context = {
        "set_query": set_query,
        "asset": asset,
        "taken": local_taken_at(asset),
        "offset_known": asset.taken_at_offset is not None,
        "camera": camera_name(asset),
        "place": place_of(asset),
        "exposure": exposure_summary(asset),
        "preview_url": media_url(asset, "preview"),
        "video_url": media_url(asset, "video"),
        "audio_url": media_url(asset, "audio"),
        "original_url": reverse("asset-original", kwargs={"pk": asset.pk}),
        "newer": newer,
        "older": older,
        "megapixels": (asset.width * asset.height / 1e6) if asset.width and asset.height else None,
        "controls": _controls(request.user, asset),
        "zoom": zoom_source(asset, request.user),
        "preview_size": preview_size(asset) if asset.width and asset.height else None,
        "edits": edit_panel(asset),
        "stacked": stack_context(request.user, asset),
    }
    return render(request, "assets/detail.html", context)


def _controls(user, asset: Asset) -> dict:
    """What the detail view's controls bar offers this user: their own flags (anyone who sees the
    photo), rotate and refresh (who may change it), delete or restore (who may delete it)."""
    mine = Asset.objects.filter(pk=asset.pk)
    may_change = mine.visible_to(user, Action.CHANGE).exists()
    may_delete = mine.visible_to(user, Action.DELETE).exists()
    may_download = mine.visible_to(user, Action.DOWNLOAD).exists()
    return {
        "state": user_state.state_of(user, asset) if asset.deleted_at is None else None,
        "may_change": may_change and asset.deleted_at is None,
        "may_delete": may_delete,
        "may_download": may_download,
        "trashed": asset.deleted_at is not None,
        "days_left": trash.days_left(asset) if asset.deleted_at else None,
        "stars": range(1, 6),
    }
