"""The trash: deleting moves an asset here (`Asset.deleted_at` set), restoring takes it back with
everything that hangs off it, and after MEDIAHUB_TRASH_DAYS the purge deletes it for good.

Nothing is copied or removed when an asset is trashed: its faces, people, album items, ratings and
stage rows stay where they are, and every list, search and count leaves it out by `alive()`. So a
restore is one UPDATE and brings back the same id with all of it.

A user's trash is what was trashed in the libraries they own, whoever trashed it. Seeing a photo
through a share never shows it here, and a superadmin, who may delete anything, has a trash of
their own like everyone: emptying it never deletes the family's photos.
"""

import logging
import math
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone

from .models import Asset
from .stacks import services as stacks
from .services import delete_for_good, move_to_trash  # noqa: F401  (trash's API, lives beside delete)
from .user_state import AssetsNotFound

logger = logging.getLogger(__name__)

# Assets deleted for good per transaction by empty and purge: a 100,000-item trash is never one
# giant statement that holds locks on everything for minutes.
CHUNK = 500


@dataclass
class Emptied:
    """What a purge or an "empty trash" did: `deleted` for good, `kept` (still in the trash) with why."""

    deleted: int = 0
    kept: list[dict] = field(default_factory=list)


def keep_days() -> int:
    return settings.MEDIAHUB_TRASH_DAYS


def purge_at(asset: Asset) -> datetime:
    return asset.deleted_at + timedelta(days=keep_days())


def days_left(asset: Asset, now: datetime | None = None) -> int:
    """Whole days (rounded up) before the purge takes it; 0 once it is due."""
    seconds = (purge_at(asset) - (now or timezone.now())).total_seconds()
    return max(0, math.ceil(seconds / 86400))


def trash_of(user):
    """The trashed assets of the libraries `user` owns, newest trashed first."""
    libraries = Asset.objects.owned_library_ids(user)
    trashed = Asset.objects.filter(deleted_at__isnull=False, library_id__in=libraries)
    return trashed.order_by("-deleted_at", "-pk")


def restore(user, asset_ids) -> int:
    """Take these assets out of the user's trash, all or nothing: an id that is not in it (unknown,
    not theirs, or not trashed) fails the whole call with the ids named."""
    wanted = set(asset_ids)
    found = set(trash_of(user).filter(pk__in=wanted).values_list("pk", flat=True))
    if missing := wanted - found:
        raise AssetsNotFound(missing)
    restored = Asset.objects.filter(pk__in=found).update(deleted_at=None)
    stacks.refresh(stacks.stacks_of(found))  # back in their stacks, behind the cover that stood in
    return restored


def restore_all(user) -> int:
    trashed = trash_of(user)
    stack_ids = set(trashed.filter(stack__isnull=False).values_list("stack_id", flat=True))
    restored = Asset.objects.filter(pk__in=trashed.values("pk")).update(deleted_at=None)
    stacks.refresh(stack_ids)
    return restored


def empty(user) -> Emptied:
    """Delete the user's whole trash for good (see services.delete_for_good)."""
    return _delete_in_chunks(trash_of(user))


def purge_expired(now: datetime | None = None) -> Emptied:
    """Delete for good what has been in the trash longer than MEDIAHUB_TRASH_DAYS (the schedule's work)."""
    cutoff = (now or timezone.now()) - timedelta(days=keep_days())
    result = _delete_in_chunks(Asset.objects.filter(deleted_at__lt=cutoff))
    logger.info("trash purge: %s deleted for good, %s kept", result.deleted, len(result.kept))
    return result


def _delete_in_chunks(trashed) -> Emptied:
    result = Emptied()
    kept: set = set()
    while True:
        # Kept ones (a file that cannot be removed) stay trashed: skip them, or this never ends.
        chunk = list(trashed.exclude(pk__in=kept).select_related("library").order_by("pk")[:CHUNK])
        if not chunk:
            return result
        for asset, error in delete_for_good(chunk):
            if error is None:
                result.deleted += 1
            else:
                kept.add(asset.pk)
                result.kept.append({"id": str(asset.pk), "detail": str(error)})
