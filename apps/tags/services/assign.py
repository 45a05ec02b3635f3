"""Putting tags on photos and taking them off, one photo or a whole selection at once."""

from django.db import transaction

from apps.assets.models import Asset
from apps.core.querysets import Action

from ..models import AssetTag, Tag
from ..search import reindex_assets
from .tags import ensure_tags, tags_named


def _visible_ids(user, asset_ids, action=Action.VIEW) -> list:
    return list(Asset.objects.visible_to(user, action).filter(pk__in=list(asset_ids)).values_list("pk", flat=True))


@transaction.atomic
def add_tags(user, asset_ids, paths, colour: str = "") -> dict:
    """The user's tags (made when missing) on every photo they can see among `asset_ids`; photos they
    cannot see are counted in `not_found`, never told apart from ids that do not exist."""
    asset_ids = list(dict.fromkeys(str(pk) for pk in asset_ids))
    tags = ensure_tags(user, paths, colour)
    seen = _visible_ids(user, asset_ids)
    AssetTag.objects.bulk_create([AssetTag(asset_id=pk, tag=tag) for pk in seen for tag in tags],
                                 ignore_conflicts=True, batch_size=5000)
    reindex_assets(seen)
    return {"tags": tags, "tagged": len(seen), "not_found": len(asset_ids) - len(seen)}


@transaction.atomic
def remove_tags(user, asset_ids, paths) -> dict:
    """Take tags off photos: the user's own tags from any photo they see; a file keyword only from
    photos they may change (their library's), the others are counted in `refused`."""
    asset_ids = list(dict.fromkeys(str(pk) for pk in asset_ids))
    tags = tags_named(user, paths)
    own = [t.pk for t in tags if t.owner_id == user.pk]
    from_files = [t.pk for t in tags if t.owner_id is None]
    seen = _visible_ids(user, asset_ids)
    changeable = _visible_ids(user, seen, Action.CHANGE) if from_files else []
    links = AssetTag.objects.filter(tag_id__in=own, asset_id__in=seen)
    refused = AssetTag.objects.filter(tag_id__in=from_files, asset_id__in=seen).exclude(asset_id__in=changeable)
    refused = refused.count()
    touched = set(links.values_list("asset_id", flat=True))
    removed = links.delete()[0]
    file_links = AssetTag.objects.filter(tag_id__in=from_files, asset_id__in=changeable)
    touched |= set(file_links.values_list("asset_id", flat=True))
    removed += file_links.delete()[0]
    reindex_assets(touched)
    return {"removed": removed, "refused": refused, "not_found": len(asset_ids) - len(seen)}


def tags_of(user, asset) -> list[Tag]:
    """The tags on one photo the user sees: theirs and the file's keywords."""
    return list(Tag.objects.usable_by(user).filter(links__asset=asset).order_by("key"))
