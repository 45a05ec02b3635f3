"""Album names in the search documents (the contributor hook of apps/search/document.py), and
keeping them current when albums change."""

from collections import defaultdict

from django.db import transaction

from apps.albums.models import AlbumItem
from apps.assets.models import Asset
from apps.core.queue import enqueue
from apps.search.document import contributor
from apps.search.services import index_assets

INLINE_REINDEX_LIMIT = 200  # more than this goes to the worker, so adding 10,000 photos answers at once
REINDEX_CHUNK = 2000


@contributor
def album_names(assets) -> dict:
    """The titles of the albums each asset is in (weight B, like camera and keywords): one query."""
    found = defaultdict(list)
    rows = AlbumItem.objects.filter(asset_id__in=[a.pk for a in assets]).values_list(
        "asset_id", "album__title"
    )
    for asset_id, title in rows:
        found[asset_id].append(title)
    return {asset_id: {"B": titles} for asset_id, titles in found.items()}


def reindex_assets(asset_ids) -> None:
    """Rewrite these assets' search documents once the change is committed: in the request for a
    few, through the worker for many."""
    ids = list(dict.fromkeys(str(pk) for pk in asset_ids))
    if ids:
        transaction.on_commit(lambda: _now_or_later(ids))


def reindex_album(album) -> None:
    album_id = album.pk
    transaction.on_commit(lambda: _now_or_later([str(pk) for pk in _asset_ids(album_id)]))


def _asset_ids(album_id) -> list:
    return list(AlbumItem.objects.filter(album_id=album_id).values_list("asset_id", flat=True))


def _now_or_later(ids: list[str]) -> None:
    if len(ids) <= INLINE_REINDEX_LIMIT:
        index_by_id(ids)
        return
    for start in range(0, len(ids), REINDEX_CHUNK):
        chunk = ids[start : start + REINDEX_CHUNK]
        enqueue(
            "apps.albums.tasks.reindex_assets",
            chunk,
            key=f"albums-reindex-{chunk[0]}-{len(chunk)}",
            group="search",
        )


def index_by_id(ids) -> int:
    return index_assets(list(Asset.objects.filter(pk__in=list(ids))))
