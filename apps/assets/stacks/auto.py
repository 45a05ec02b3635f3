"""Automatic stacks, found for assets whose metadata was just read (the "stack" pipeline stage).

Partners of an asset, inside its library and never among photos unstacked by hand:
- the same folder and base name (IMG_1.CR2 + IMG_1.JPG; IMG_1.HEIC + IMG_1.MOV);
- a RAW and a non-RAW of the same camera with the same capture time (renamed pairs);
- the same Apple burst id, or the same camera within one second (bursts; chained, so a long burst
  is one stack);
- the same Apple content identifier (a live photo's still and its video).
Each run joins the asset to its partners' stacks, so the result does not depend on which file of
a pair was indexed first, and running it again changes nothing.
"""

from datetime import timedelta
from pathlib import PurePosixPath

from django.db.models import Q

from ..models import Asset, Stack
from . import services

BURST_WINDOW = timedelta(seconds=1)
KINDS = (Asset.Kind.PHOTO, Asset.Kind.VIDEO)


def stem(asset: Asset) -> str:
    return PurePosixPath(asset.filename).stem


def partners(asset: Asset) -> list[Asset]:
    """The assets `asset` belongs in one stack with (see the module's rules)."""
    if asset.unstacked or asset.deleted_at is not None or asset.kind not in KINDS:
        return []
    rules = Q(directory=asset.directory, filename__istartswith=f"{stem(asset)}.")
    if asset.live_photo_id:
        rules |= Q(live_photo_id=asset.live_photo_id)
    if asset.burst_id:
        rules |= Q(burst_id=asset.burst_id)
    camera = asset.camera_model.strip()
    if camera and asset.taken_at is not None:
        rules |= Q(
            camera_make=asset.camera_make, camera_model=asset.camera_model,
            taken_at__gte=asset.taken_at - BURST_WINDOW, taken_at__lte=asset.taken_at + BURST_WINDOW,
        )
    found = (
        Asset.objects.filter(library_id=asset.library_id, unstacked=False, deleted_at__isnull=True, kind__in=KINDS)
        .exclude(pk=asset.pk).filter(rules)[: services.MAX_MEMBERS]
    )
    return [other for other in found if _pairs(asset, other)]


def _pairs(asset: Asset, other: Asset) -> bool:
    if asset.directory == other.directory and stem(asset).lower() == stem(other).lower():
        return True
    if asset.live_photo_id and other.live_photo_id == asset.live_photo_id:
        return asset.kind != other.kind  # the still and its video
    if asset.burst_id and other.burst_id == asset.burst_id:
        return True
    # Same camera within a second: bursts of photos and RAW+JPEG pairs, never a photo and a clip.
    return asset.kind == other.kind == Asset.Kind.PHOTO


def stack_automatically(asset: Asset) -> Stack | None:
    """Join `asset` with its partners (and their stacks); None when it has none."""
    found = partners(asset)
    if not found:
        return None
    if asset.stack_id and all(other.stack_id == asset.stack_id for other in found):
        return asset.stack  # already together: nothing to do
    return services.join([asset, *found])
