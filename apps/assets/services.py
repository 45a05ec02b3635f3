"""Asset operations called by the API, the UI and commands: delete, rotate, timeline months."""

import logging
import os
from dataclasses import dataclass
from datetime import timedelta
from uuid import UUID

from django.db import transaction
from django.db.models import Count
from django.db.models.functions import TruncMonth

from apps.core.paths import PathOutsideRoot
from apps.scanning.models import AssetStage

from .models import Asset

logger = logging.getLogger(__name__)

ROTATIONS = (0, 90, 180, 270)
DERIVATIVE_STAGES = ("thumbnail", "preview", "poster")


@dataclass
class DeleteResult:
    id: UUID
    status: int  # the HTTP status this item would have on its own
    detail: str = ""


def can_modify(user, asset: Asset) -> bool:
    """Changing or deleting needs the library's owner or a superadmin; seeing is not enough."""
    return user.is_superuser or asset.library.owner_id == user.pk


def _delete_derivatives(asset_ids: list) -> None:
    try:
        from apps.assets.derivatives.storage import delete_derivatives
    except ImportError:  # derivatives not installed in this build: nothing was written
        return
    delete_derivatives(asset_ids)


def remove_from_index(assets: list[Asset]) -> None:
    """Forget assets (and their thumbnails, previews, transcodes); originals stay on disk."""
    ids = [asset.pk for asset in assets]
    with transaction.atomic():
        Asset.objects.filter(pk__in=ids).delete()
    _delete_derivatives(ids)


def delete_original(asset: Asset) -> DeleteResult:
    """Delete the file itself, then the index entry. 409 when the file or library is read-only."""
    if asset.library.read_only:
        return DeleteResult(asset.pk, 409, f"library '{asset.library.name}' is read-only")
    try:
        path = asset.source_path()
        os.remove(path)
    except FileNotFoundError:
        pass  # already gone: forgetting it is all that is left
    except PathOutsideRoot as exc:
        return DeleteResult(asset.pk, 409, str(exc))
    except PermissionError:
        return DeleteResult(asset.pk, 409, f"'{asset.path}' is read-only on disk")
    except OSError as exc:
        return DeleteResult(asset.pk, 409, f"cannot delete '{asset.path}': {exc.strerror}")
    logger.info("deleted original %s of library %s", asset.path, asset.library_id)
    remove_from_index([asset])
    return DeleteResult(asset.pk, 204)


def bulk_delete(user, ids: list[UUID], permanent: bool) -> list[DeleteResult]:
    """Per-item results; ids the user cannot see read as 404, exactly like unknown ids."""
    visible = {a.pk: a for a in Asset.objects.visible_to(user).filter(pk__in=ids).select_related("library")}
    results, to_forget = [], []
    for asset_id in dict.fromkeys(ids):
        asset = visible.get(asset_id)
        if asset is None:
            results.append(DeleteResult(asset_id, 404, "not found"))
        elif not can_modify(user, asset):
            results.append(DeleteResult(asset_id, 403, "only the library's owner can delete"))
        elif permanent:
            results.append(delete_original(asset))
        else:
            to_forget.append(asset)
            results.append(DeleteResult(asset_id, 204))
    if to_forget:
        remove_from_index(to_forget)
    return results


def rotate(asset: Asset, degrees: int) -> None:
    """Store a user rotation and have the derivatives made again."""
    if degrees not in ROTATIONS:
        raise ValueError(f"rotation must be one of {ROTATIONS}, not {degrees}")
    with transaction.atomic():
        Asset.objects.filter(pk=asset.pk).update(user_rotation=degrees)
        asset.user_rotation = degrees
        AssetStage.objects.filter(asset=asset, stage__in=DERIVATIVE_STAGES).delete()
    _delete_derivatives([asset.pk])
    regenerate_derivatives(asset)


def regenerate_derivatives(asset: Asset) -> None:
    from apps.scanning.services import enqueue_stages

    enqueue_stages([asset.pk], stage_names=list(DERIVATIVE_STAGES))


def months_with_counts(assets) -> list[dict]:
    """Months that have photos, newest first, each linking to the grid starting at its end."""
    months = (
        assets.filter(taken_at__isnull=False)
        .annotate(month=TruncMonth("taken_at"))
        .values("month")
        .annotate(count=Count("pk"))
        .order_by("-month")
    )
    rows = []
    for row in months:
        start = row["month"]
        end = (start + timedelta(days=32)).replace(day=1)
        rows.append({"month": start, "count": row["count"], "until": end.isoformat()})
    return rows
