"""What is in an album: adding (in bulk, with a status per asset), removing, moving, paging."""

from dataclasses import dataclass
from uuid import UUID

from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.albums.models import POSITION_GAP, Album, AlbumItem
from apps.albums.search import reindex_assets
from apps.assets.models import Asset
from apps.core import keyset
from apps.core.errors import BadInput, Conflict, NotFound
from apps.core.querysets import Action, check_action

MAX_BATCH = 10_000  # assets per add or remove request


@dataclass
class ItemResult:
    id: UUID
    status: int  # this asset's own answer: 201 added, 200 already there, 204 removed, 403, 404
    detail: str = ""


def _regular(album: Album) -> None:
    if album.is_smart:
        raise Conflict(_("a smart album shows a search; freeze it into a regular album to change its photos"))


def _batch(asset_ids) -> list:
    ids = list(dict.fromkeys(asset_ids))
    if not ids:
        raise BadInput(_("name at least one asset"), field="assets")
    if len(ids) > MAX_BATCH:
        raise BadInput(_("at most %(MAX_BATCH)s assets at once") % {"MAX_BATCH": MAX_BATCH}, field="assets")
    return ids


# One statement for the whole batch; the copies of the asset's capture time and trash state are
# taken from the same join (the insert trigger then has nothing to fill).
_INSERT = f"""
INSERT INTO {AlbumItem._meta.db_table}
       (album_id, asset_id, position, added_by_id, added_at, taken_at, trashed)
SELECT %s, a.id, %s + t.n * %s, %s, %s, COALESCE(a.taken_at, a.mtime, a.created),
       a.deleted_at IS NOT NULL
  FROM unnest(%s::uuid[]) WITH ORDINALITY AS t(id, n) JOIN {Asset._meta.db_table} a ON a.id = t.id
ON CONFLICT (album_id, asset_id) DO NOTHING
"""


def add_items(user, album: Album, asset_ids) -> list[ItemResult]:
    """Append assets the user sees through their libraries (seeing one through another shared album
    is not enough: albums must not pass photos on). Per asset: 201 added, 200 already in the album,
    404 unknown or not the user's to add."""
    check_action(album, user, Action.CHANGE)
    _regular(album)
    ids = _batch(asset_ids)
    addable = set(Asset.objects.in_libraries_of(user).filter(pk__in=ids).values_list("pk", flat=True))
    present = set(
        AlbumItem.objects.filter(album=album, asset_id__in=addable).values_list("asset_id", flat=True)
    )
    new = [pk for pk in ids if pk in addable and pk not in present]
    if new:
        with transaction.atomic():
            last = (
                AlbumItem.objects.filter(album=album)
                .order_by("-position")
                .values_list("position", flat=True)
                .first()
            )
            with connection.cursor() as cursor:
                cursor.execute(_INSERT, [album.pk, last or 0, POSITION_GAP, user.pk, timezone.now(), new])
            Album.objects.filter(pk=album.pk).update(updated=timezone.now())
        reindex_assets(new)
    statuses = {pk: ItemResult(pk, 201) for pk in new}
    statuses.update({pk: ItemResult(pk, 200, "already in the album") for pk in present})
    return [statuses.get(pk) or ItemResult(pk, 404, "not found") for pk in ids]


def remove_items(user, album: Album, asset_ids) -> list[ItemResult]:
    """Per asset: 204 removed, 403 added by someone else (a contributor removes only what they
    added), 404 not in the album. The photos themselves stay."""
    check_action(album, user, Action.CHANGE)
    _regular(album)
    ids = _batch(asset_ids)
    items = AlbumItem.objects.filter(album=album, asset_id__in=ids)
    present = set(items.values_list("asset_id", flat=True))
    removable = set(items.visible_to(user, Action.DELETE).values_list("asset_id", flat=True))
    if removable:
        with transaction.atomic():
            AlbumItem.objects.filter(album=album, asset_id__in=removable).delete()
            stamp = {"updated": timezone.now()}
            if album.cover_id in removable:
                stamp["cover"] = album.cover = None
            Album.objects.filter(pk=album.pk).update(**stamp)
        reindex_assets(removable)
    results = []
    for pk in ids:
        if pk in removable:
            results.append(ItemResult(pk, 204))
        elif pk in present:
            results.append(ItemResult(pk, 403, "contributors remove only the photos they added"))
        else:
            results.append(ItemResult(pk, 404, "not in the album"))
    return results


def move_item(user, album: Album, asset_id, after_id=None) -> AlbumItem:
    """Put one item right after another (`after_id`), or first (None). Writes that one row; when its
    new neighbours' positions touch, the album is renumbered first (rare: gaps halve per move)."""
    check_action(album, user, Action.MANAGE)
    _regular(album)
    if album.sort != Album.Sort.MANUAL:
        raise Conflict(_("the album is ordered by date; switch it to manual order to move photos"))
    items = AlbumItem.objects.filter(album=album)
    item = items.filter(asset_id=asset_id).first()
    if item is None:
        raise BadInput(_("%(asset_id)s is not in this album") % {"asset_id": asset_id}, field="asset")
    if after_id is not None and str(after_id) == str(asset_id):
        return item
    for _attempt in range(2):
        position = _position_after(items.exclude(pk=item.pk), after_id)
        if position is not None:
            items.filter(pk=item.pk).update(position=position)
            item.position = position
            return item
        renumber(album)
    raise Conflict(_("the album's order changed meanwhile; try again"))


def _position_after(others, after_id):
    """A free position right after `after_id` (first when None), or None when there is no room."""
    if after_id is None:
        first = others.order_by("position", "id").values_list("position", flat=True).first()
        return 0 if first is None else first - POSITION_GAP
    anchor = others.filter(asset_id=after_id).values_list("position", "id").first()
    if anchor is None:
        raise BadInput(_("%(after_id)s is not in this album") % {"after_id": after_id}, field="after")
    position, pk = anchor
    following = (
        others.filter(Q(position__gt=position) | Q(position=position, id__gt=pk))
        .filter(position__gte=position)
        .order_by("position", "id")
        .values_list("position", flat=True)
        .first()
    )
    if following is None:
        return position + POSITION_GAP
    if following - position < 2:
        return None
    return (position + following) // 2


RENUMBER_ORDER = {
    Album.Sort.MANUAL: "position, id",
    Album.Sort.DATE_ASC: "taken_at, id",
    Album.Sort.DATE_DESC: "taken_at DESC, id DESC",
}


def renumber(album: Album, by: str = Album.Sort.MANUAL) -> None:
    """Spread the album's positions POSITION_GAP apart again, in `by` order: one statement (about a
    second for 100,000 items), needed only when a move finds no room between two neighbours."""
    table = AlbumItem._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} i SET position = r.n * %s FROM ("
            f"  SELECT id, row_number() OVER (ORDER BY {RENUMBER_ORDER[by]}) AS n"
            f"  FROM {table} WHERE album_id = %s"
            f") r WHERE i.id = r.id",
            [POSITION_GAP, album.pk],
        )


ORDER_KEYS = {  # album sort -> (item field, descending)
    Album.Sort.MANUAL: ("position", False),
    Album.Sort.DATE_ASC: ("taken_at", False),
    Album.Sort.DATE_DESC: ("taken_at", True),
}


def items_page(album: Album, cursor: str | None = None, size: int = 100, items=None) -> keyset.Page:
    """One page of the album's items not in the trash, in the album's order, with their assets.
    Keyset on (position or taken_at, id): the same cost at item 50,000 as at item 1. `items`
    narrows further (e.g. to what a viewer may see). Raises ValueError for a bad cursor."""
    field, descending = ORDER_KEYS[album.sort]
    items = (items if items is not None else AlbumItem.objects.all()).filter(album=album).alive()
    return keyset.page(items.select_related("asset"), field, descending, cursor, size)


def row_with_neighbours(rows, field: str, descending: bool, asset_id):
    """(the row of `asset_id`, previous asset id, next asset id) among `rows` in the order
    (field, id); NotFound when the asset is not among them."""
    row = rows.select_related("asset__library").filter(asset_id=asset_id).first()
    if row is None:
        raise NotFound(_("not here"))
    value = getattr(row, field)
    before = keyset.after(keyset.ordered(rows, field, not descending), field, not descending, value, row.pk)
    after = keyset.after(keyset.ordered(rows, field, descending), field, descending, value, row.pk)
    return (
        row,
        before.values_list("asset_id", flat=True).first(),
        after.values_list("asset_id", flat=True).first(),
    )


def album_asset(album: Album, asset_id, items=None):
    """One asset of the album, with its neighbours in the album's order (the album's viewer)."""
    field, descending = ORDER_KEYS[album.sort]
    items = (items if items is not None else AlbumItem.objects.all()).filter(album=album).alive()
    row, before, after = row_with_neighbours(items, field, descending, asset_id)
    return row.asset, before, after


def album_entries(album: Album):
    """Every asset of the album in its order, streamed from the database (for the ZIP)."""
    field, descending = ORDER_KEYS[album.sort]
    items = keyset.ordered(AlbumItem.objects.filter(album=album).alive(), field, descending)
    return (item.asset for item in items.select_related("asset__library").iterator(500))
