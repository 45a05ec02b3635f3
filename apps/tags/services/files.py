"""The file's keywords (XMP, XP tags: apps/search/captions.py reads them) as file tags, in bulk.

Run by the pipeline's "tags" stage for each batch of new or changed files: one query for the
metadata, one upsert of the tag rows, one delete and one insert of the links, whatever the batch
size. Existing libraries are backfilled by the same stage: `manage.py run_stages --stage tags`
runs it on every asset where it is not done yet (all of them, the first time).
"""

from apps.assets.models import AssetMetadata
from apps.core.errors import BadInput
from apps.search.captions import keyword_paths

from ..models import AssetTag, Tag, tag_key
from .names import clean_path


def _paths(dump: dict) -> list[str]:
    paths = []
    for raw in keyword_paths(dump):
        try:
            paths.append(clean_path(raw))
        except BadInput:  # a keyword over 255 characters or with control characters: not a tag
            continue
    return paths


def read_file_tags(asset_ids) -> int:
    """Make the file tags of these assets what their files say; returns the links written."""
    asset_ids = list(asset_ids)
    rows = AssetMetadata.objects.filter(asset_id__in=asset_ids).values_list("asset_id", "tags__XMP", "tags__EXIF")
    wanted = {asset_id: _paths({"XMP": xmp, "EXIF": exif}) for asset_id, xmp, exif in rows}
    by_key = {tag_key(p): p for paths in wanted.values() for p in paths}
    if by_key:
        Tag.objects.bulk_create([Tag(owner=None, path=p, key=k, source=Tag.Source.FILE) for k, p in by_key.items()],
                                ignore_conflicts=True)
    ids = dict(Tag.objects.filter(owner__isnull=True, key__in=list(by_key)).values_list("key", "pk"))
    links = {(asset_id, ids[tag_key(p)]) for asset_id, paths in wanted.items() for p in paths}
    current = AssetTag.objects.filter(asset_id__in=asset_ids, tag__owner__isnull=True)
    gone = [pk for pk, asset_id, tag_id in current.values_list("pk", "asset_id", "tag_id")
            if (asset_id, tag_id) not in links]
    if gone:
        AssetTag.objects.filter(pk__in=gone).delete()
    AssetTag.objects.bulk_create([AssetTag(asset_id=a, tag_id=t) for a, t in links], ignore_conflicts=True,
                                 batch_size=5000)
    return len(links)
