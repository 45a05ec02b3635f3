"""Creating, editing and deleting albums."""

from django.db import transaction
from django.utils.translation import gettext as _

from apps.albums.models import Album, AlbumItem
from apps.albums.search import reindex_album, reindex_assets
from apps.core.errors import BadInput
from apps.core.querysets import Action, check_action

from . import smart
from .items import renumber

EDITABLE = ("title", "description", "cover", "sort", "allow_download", "query")


def create_album(
    user,
    title: str,
    description: str = "",
    *,
    query: dict | None = None,
    sort: str = Album.Sort.MANUAL,
    allow_download: bool = True,
) -> Album:
    """A regular album, or a smart one when `query` (the /api/search/ parameters) is given."""
    title = _title(title)
    if sort not in Album.Sort.values:
        raise BadInput(_("one of %(names)s") % {"names": ', '.join(Album.Sort.values)}, field="sort")
    album = Album(owner=user, title=title, description=description, sort=sort, allow_download=allow_download)
    if query is not None:
        album.kind, album.query = Album.Kind.SMART, smart.validated(user, query)
    album.save()
    return album


def update_album(user, album: Album, **changes) -> Album:
    """Title, description, cover (an asset in the album, or None for the first item), sort, download
    right, smart query. Switching to manual order keeps the order the album showed."""
    check_action(album, user, Action.MANAGE)
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise BadInput(_("cannot be changed: %(names)s") % {"names": ', '.join(sorted(unknown))})
    if "title" in changes:
        changes["title"] = _title(changes["title"])
    if "sort" in changes and changes["sort"] not in Album.Sort.values:
        raise BadInput(_("one of %(names)s") % {"names": ', '.join(Album.Sort.values)}, field="sort")
    if changes.get("cover") is not None:
        cover = changes["cover"]
        if (
            album.is_smart
            or not AlbumItem.objects.alive()
            .filter(album=album, asset_id=getattr(cover, "pk", cover))
            .exists()
        ):
            raise BadInput(_("the cover must be a photo in the album"), field="cover")
    if "query" in changes:
        if not album.is_smart:
            raise BadInput(_("only a smart album has a search"), field="query")
        changes["query"] = smart.validated(user, changes["query"])
    renamed = "title" in changes and changes["title"] != album.title
    with transaction.atomic():
        if changes.get("sort") == Album.Sort.MANUAL and album.sort != Album.Sort.MANUAL:
            renumber(album, by=album.sort)
        for name, value in changes.items():
            setattr(album, "cover_id" if name == "cover" else name, getattr(value, "pk", value))
        album.save()
    if renamed:
        reindex_album(album)  # album names are in the search documents
    return album


def delete_album(user, album: Album) -> None:
    """The album, its items, members and links go; the photos stay."""
    check_action(album, user, Action.DELETE)
    asset_ids = list(album.items.values_list("asset_id", flat=True))
    album.delete()
    reindex_assets(asset_ids)


def _title(title) -> str:
    title = (title or "").strip()
    if not title:
        raise BadInput(_("an album needs a title"), field="title")
    if len(title) > Album._meta.get_field("title").max_length:
        raise BadInput(_("at most 200 characters"), field="title")
    return title
