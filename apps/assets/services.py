"""Asset operations called by the API, the UI and commands: delete, rotate, timeline months.

Who may do what is the queryset's business (`Asset.objects.visible_to(user, action)`); refusals
are apps.core.errors, which the API and the pages turn into their answers.
"""

import logging
import os
from dataclasses import dataclass
from datetime import timedelta
from uuid import UUID

from django.db import transaction
from django.db.models import Count
from django.db.models.functions import TruncMonth

from apps.core.deletion import delete_locked
from apps.core.errors import BadInput, Conflict, NotFound, Refused, ServiceError
from apps.core.paths import PathOutsideRoot
from apps.core.querysets import Action
from apps.scanning import services as scanning
from apps.scanning.models import AssetStage

from .derivatives.storage import delete_derivatives
from .models import Asset

logger = logging.getLogger(__name__)

ROTATIONS = (0, 90, 180, 270)
DERIVATIVE_STAGES = ("thumbnail", "preview", "poster")
OWNER_ONLY = "only the library's owner can delete"


@dataclass
class DeleteResult:
    """One item of a bulk delete: `error` is None when it was deleted."""

    id: UUID
    error: ServiceError | None = None


def remove_from_index(assets: list[Asset]) -> None:
    """Forget assets (and their thumbnails, previews, transcodes); originals stay on disk."""
    ids = [asset.pk for asset in assets]
    delete_locked(Asset.objects.filter(pk__in=ids), what="this file")  # workers may be writing about them
    delete_derivatives(ids)


def delete_original(asset: Asset) -> None:
    """Delete the file itself, then the index entry. Conflict when the file or library is read-only."""
    if asset.library.read_only:
        raise Conflict(f"library '{asset.library.name}' is read-only")
    try:
        path = asset.source_path()
        os.remove(path)
    except FileNotFoundError:
        pass  # already gone: forgetting it is all that is left
    except PathOutsideRoot as exc:
        raise Conflict(str(exc)) from None
    except PermissionError:
        raise Conflict(f"'{asset.path}' is read-only on disk") from None
    except OSError as exc:
        raise Conflict(f"cannot delete '{asset.path}': {exc.strerror}") from None
    logger.info("deleted original %s of library %s", asset.path, asset.library_id)
    remove_from_index([asset])


def bulk_delete(user, ids: list[UUID], permanent: bool) -> list[DeleteResult]:
    """Per-item results; ids the user cannot see read as not found, exactly like unknown ids."""
    wanted = Asset.objects.filter(pk__in=ids)
    visible = set(wanted.visible_to(user).values_list("pk", flat=True))
    deletable = {a.pk: a for a in wanted.visible_to(user, Action.DELETE).select_related("library")}
    results, to_forget = [], []
    for asset_id in dict.fromkeys(ids):
        asset = deletable.get(asset_id)
        if asset is None:
            refused = asset_id in visible  # seen (a shared library) but not theirs to delete
            results.append(DeleteResult(asset_id, Refused(OWNER_ONLY) if refused else NotFound("not found")))
        elif permanent:
            results.append(_delete_original_of(asset))
        else:
            to_forget.append(asset)
            results.append(DeleteResult(asset_id))
    if to_forget:
        remove_from_index(to_forget)
    return results


def _delete_original_of(asset: Asset) -> DeleteResult:
    try:
        delete_original(asset)
    except ServiceError as error:
        return DeleteResult(asset.pk, error)
    return DeleteResult(asset.pk)


def rotate(asset: Asset, degrees: int) -> None:
    """Store a user rotation and have the derivatives made again."""
    if degrees not in ROTATIONS:
        raise BadInput(f"rotation must be one of {ROTATIONS}, not {degrees}", field="degrees")
    with transaction.atomic():
        Asset.objects.filter(pk=asset.pk).update(user_rotation=degrees)
        asset.user_rotation = degrees
        AssetStage.objects.filter(asset=asset, stage__in=DERIVATIVE_STAGES).delete()
    delete_derivatives([asset.pk])
    regenerate_derivatives(asset)


def regenerate_derivatives(asset: Asset) -> None:
    scanning.enqueue_stages([asset.pk], stage_names=list(DERIVATIVE_STAGES))


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
