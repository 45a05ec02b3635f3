"""Album pages: the albums grid, an album (its photos, inline editing, reorder, the share dialog),
an album's viewer and ZIP, and the fragments the photo pages load (the albums of a photo, the
"Add to album" picker). Reads go through visible_to; every change goes through the JSON API from
static/js/albums.js, except creating an album from the Albums page, which is a plain form."""

from django.contrib.auth.decorators import login_required
from django.db.models import F
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST
from django.utils.translation import gettext as _

from apps.assets.models import Asset
from apps.assets.presentation import camera_name, exposure_summary, local_taken_at
from apps.assets.user_state import mark_states
from apps.core.errors import NotFound, Refused
from apps.core.querysets import Action, get_visible

from . import downloads, services
from .models import Album, AlbumItem, AlbumMember, ShareLink
from .services import smart

PAGE_SIZE = 120
ORDERINGS = {  # the Albums page's sort choices
    "recent": ("-updated", "-id"),
    "title": ("title", "id"),
    "date": (F("end_at").desc(nulls_last=True), "-id"),
}


def _rights(album, user) -> dict:
    allowed = {
        action: Album.objects.visible_to(user, action).filter(pk=album.pk).exists()
        for action in (Action.CHANGE, Action.MANAGE)
    }
    return {"can_add": allowed[Action.CHANGE] and not album.is_smart, "can_manage": allowed[Action.MANAGE]}


@login_required
@require_GET
def albums_index(request):
    user = request.user
    sort = request.GET.get("sort") if request.GET.get("sort") in ORDERINGS else "recent"
    visible = (
        Album.objects.visible_to(user).with_covers(user).select_related("owner").order_by(*ORDERINGS[sort])
    )
    mine = list(visible.filter(owner=user))
    shared = list(
        visible.exclude(owner=user).filter(pk__in=AlbumMember.objects.filter(user=user).values("album_id"))
    )
    for album in mine + shared:
        if album.is_smart:
            album.item_count = smart.live_count(album, user)
    context = {"mine": mine, "shared": shared, "sort": sort, "sorts": list(ORDERINGS)}
    return render(request, "albums/index.html", context)


@login_required
@require_POST
def album_create(request):
    album = services.create_album(
        request.user, request.POST.get("title", ""), request.POST.get("description", "")
    )
    return redirect("album", pk=album.pk)


@login_required
@require_POST
def smart_album_create(request):
    """ "Save as smart album" on the Search page: the search's own parameters (from the query
    string) become the album's saved search."""
    query = {
        name: values if len(values) > 1 else values[0]
        for name, values in request.GET.lists()
        if name in smart.PARAMETERS and any(values)
    }
    album = services.create_album(request.user, request.POST.get("title", ""), query=query)
    return redirect("album", pk=album.pk)


@login_required
@require_GET
def album_page(request, pk):
    album = get_visible(Album.objects.with_covers(request.user).select_related("owner"), request.user, pk=pk)
    try:
        if album.is_smart:
            page = smart.page(album, request.user, request.GET.get("cursor"), PAGE_SIZE)
            rows = [{"asset": asset, "item": None} for asset in page.items]
        else:
            page = services.items_page(album, request.GET.get("cursor"), PAGE_SIZE)
            rows = [{"asset": item.asset, "item": item} for item in page.items]
    except ValueError:
        raise NotFound(_("no such page")) from None
    mark_states([row["asset"] for row in rows], request.user)  # the tiles' favourite and rating badges
    context = {
        "album": album,
        "rows": rows,
        "next_url": f"?cursor={page.next_cursor}" if page.next_cursor else None,
        "user_id": request.user.pk,
        **_rights(album, request.user),
    }
    if request.htmx:
        return render(request, "albums/album.html#grid-page", context)
    context["may_download"] = album.downloadable_by(request.user)
    if album.is_smart:
        album.item_count = smart.live_count(album, request.user)
    return render(request, "albums/album.html", context)


@login_required
@require_GET
def album_viewer(request, pk, asset_id):
    album = get_visible(Album.objects.select_related("owner"), request.user, pk=pk)
    if album.is_smart:
        return redirect("photo-detail", pk=asset_id)
    asset, previous, following = services.album_asset(album, asset_id)
    context = {
        "album": album,
        "asset": asset,
        "previous": previous,
        "next": following,
        "taken": local_taken_at(asset),
        "camera": camera_name(asset),
        "exposure": exposure_summary(asset),
        "may_download": album.downloadable_by(request.user),
    }
    return render(request, "albums/viewer.html", context)


@login_required
@require_GET
def album_zip(request, pk):
    album = get_visible(Album.objects.all(), request.user, pk=pk)
    if album.is_smart:
        raise NotFound(_("freeze a smart album to download it"))
    if not album.downloadable_by(request.user):
        raise Refused(_("the album's owner does not allow downloading its originals"))
    return downloads.zip_response(album.title, services.album_entries(album), strip=False)


@login_required
@require_GET
def album_share(request, pk):
    """The share dialog's body: members and links, for the owner."""
    album = get_visible(Album.objects.all(), request.user, Action.MANAGE, pk=pk)
    context = {
        "album": album,
        "members": AlbumMember.objects.filter(album=album).select_related("user"),
        "links": ShareLink.objects.visible_to(request.user).filter(album=album),
    }
    return render(request, "albums/_share.html", context)


@login_required
@require_GET
def asset_albums(request, asset_id):
    """The albums a photo is in (those the viewer sees) and its "Add to album" button: a fragment
    of the photo's page."""
    asset = get_visible(Asset.objects.alive(), request.user, pk=asset_id)
    albums = (
        Album.objects.visible_to(request.user)
        .filter(pk__in=AlbumItem.objects.filter(asset=asset).values("album_id"))
        .order_by("title")
    )
    addable = Asset.objects.in_libraries_of(request.user).filter(pk=asset.pk).exists()
    return render(
        request, "albums/_asset_albums.html", {"asset": asset, "albums": albums, "addable": addable}
    )


@login_required
@require_GET
def album_picker(request):
    """The "Add to album" dialog's list: regular albums the user may add to, most recent first."""
    albums = (
        Album.objects.visible_to(request.user, Action.CHANGE)
        .regular()
        .with_covers(request.user)
        .order_by("-updated", "-id")[:200]
    )
    return render(request, "albums/_picker.html", {"albums": albums})
