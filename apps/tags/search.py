"""Tag names in the search documents (the contributor hook of apps/search/document.py), and keeping
them current when tags change.

A search document is one per asset, shared by everyone who sees it, so it holds the tags that speak
for the photo itself: the file's keywords and the tags of the library's owner (as the owner's
people names are there). Another user's private tags on a photo shared with them stay out: they
would let anyone who sees the photo probe what that user called it; that user finds them with
`tags_all=` and the Tags page.
"""

from collections import defaultdict

from django.db import transaction
from django.db.models import F, Q

from apps.assets.models import Asset
from apps.core.queue import enqueue
from apps.search.document import contributor
from apps.search.services import index_assets

from .models import AssetTag

INLINE_REINDEX_LIMIT = 200  # more goes to the worker, so renaming a tag on 50,000 photos answers at once
REINDEX_CHUNK = 2000


@contributor
def tag_names(assets) -> dict:
    """Every level of each tag's path (weight B, like the file's keywords): one query."""
    found = defaultdict(list)
    rows = (AssetTag.objects.filter(asset_id__in=[a.pk for a in assets])
            .filter(Q(tag__owner__isnull=True) | Q(tag__owner=F("asset__library__owner")))
            .values_list("asset_id", "tag__path"))
    for asset_id, path in rows:
        found[asset_id].append(path.replace("/", " "))
    return {asset_id: {"B": paths} for asset_id, paths in found.items()}


def reindex_assets(asset_ids) -> None:
    """Rewrite these assets' documents once the change is committed: inline for a few, else queued."""
    ids = list(dict.fromkeys(str(pk) for pk in asset_ids))
    if ids:
        transaction.on_commit(lambda: _now_or_later(ids))


def _now_or_later(ids: list[str]) -> None:
    if len(ids) <= INLINE_REINDEX_LIMIT:
        index_by_id(ids)
        return
    for start in range(0, len(ids), REINDEX_CHUNK):
        chunk = ids[start:start + REINDEX_CHUNK]
        enqueue("apps.tags.tasks.reindex_assets", chunk, key=f"tags-reindex-{chunk[0]}-{len(chunk)}", group="search")


def index_by_id(ids) -> int:
    return index_assets(list(Asset.objects.filter(pk__in=list(ids))))
