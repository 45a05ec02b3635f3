"""Asset operations called by the API, the UI and commands: trash and delete, rotate, reprocess,
timeline months.

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
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.deletion import delete_locked
from apps.core.errors import BadInput, Conflict, NotFound, Refused, ServiceError
from apps.core.paths import PathOutsideRoot
from apps.core.querysets import Action
from apps.scanning import ignored as scanning_ignored
from apps.scanning import media_types as scanning_media
from apps.scanning import services as scanning
from apps.scanning.models import AssetStage
from apps.scanning.pipeline import registered_stages

from .derivatives.storage import delete_derivatives
from .metadata import sidecars
from .models import Asset
from .stacks import services as stacks

logger = logging.getLogger(__name__)

ROTATIONS = (0, 90, 180, 270)
DERIVATIVE_STAGES = ("thumbnail", "preview", "poster")
# Names a client may use for a group of stages when asking to reprocess an asset.
STAGE_ALIASES = {"derivatives": (*DERIVATIVE_STAGES, "transcode")}
DEFAULT_REPROCESS = ("metadata", "derivatives")
OWNER_ONLY = "only the library's owner can delete"


@dataclass
class DeleteResult:
    """One item of a bulk delete: `error` is None when it was deleted."""

    id: UUID
    error: ServiceError | None = None


def remove_from_index(assets: list[Asset]) -> None:
    """Forget assets (and their thumbnails, previews, transcodes); originals stay on disk."""
    ids = [asset.pk for asset in assets]
    stack_ids = stacks.stacks_of(ids)
    delete_locked(Asset.objects.filter(pk__in=ids), what="this file")  # workers may be writing about them
    delete_derivatives(ids)
    stacks.refresh(stack_ids)  # a deleted cover hands over to another member


def _remove_file(asset: Asset) -> None:
    """Delete the original of an asset of a writable library; Conflict when it cannot be."""
    try:
        os.remove(asset.source_path())
    except FileNotFoundError:
        pass  # already gone: forgetting it is all that is left
    except PathOutsideRoot as exc:
        raise Conflict(str(exc)) from None
    except PermissionError:
        raise Conflict(_("'%(path)s' is read-only on disk") % {"path": asset.path}) from None
    except OSError as exc:
        raise Conflict(_("cannot delete '%(path)s': %(strerror)s")
                       % {"path": asset.path, "strerror": exc.strerror}) from None
    logger.info("deleted original %s of library %s", asset.path, asset.library_id)
    _remove_sidecars(asset.source_path())


def _remove_sidecars(original: str) -> None:
    """The XMP sidecars of an original deleted for good, unless another file of the folder reads
    them too: left behind, they would hand its ratings and keywords to the next file of that name."""
    folder, name = os.path.split(original)
    try:
        names = [n for n in os.listdir(folder) if scanning_media.classify(n) or sidecars.is_sidecar_name(n)]
    except OSError:
        return
    listing = sidecars.Folder(names)
    for sidecar in listing.sidecars(name):
        if listing.holders(sidecar):
            continue
        try:
            os.remove(os.path.join(folder, sidecar))
        except OSError as exc:
            logger.warning("cannot delete the sidecar %s of %s: %s", sidecar, original, exc.strerror or exc)


def delete_for_good(assets: list[Asset]) -> list[tuple[Asset, ServiceError | None]]:
    """Delete assets for good: the index entry and the derivatives always, the original file only
    in a writable library (uploads); a read-only library's files are never touched, and scans
    leave them out from then on (apps/scanning/ignored.py). An original
    that cannot be removed keeps its asset (with the error) so nothing is forgotten half-way."""
    results, gone = [], []
    for asset in assets:
        error = None
        if not asset.library.read_only:
            try:
                _remove_file(asset)
            except ServiceError as exc:
                error = exc
        results.append((asset, error))
        if error is None:
            gone.append(asset)
    if gone:
        remove_from_index(gone)
        # A read-only library keeps the file: the next scan would index it again.
        scanning_ignored.ignore(gone)
    return results


def delete_original(asset: Asset) -> None:
    """Delete one asset for good (see delete_for_good); Conflict when its file cannot be removed."""
    [(_, error)] = delete_for_good([asset])
    if error is not None:
        raise error


def bulk_delete(user, ids: list[UUID], permanent: bool) -> list[DeleteResult]:
    """Per-item results; ids the user cannot see read as not found, exactly like unknown ids.
    Without `permanent` the assets go to the trash."""
    wanted = Asset.objects.filter(pk__in=ids)
    visible = set(wanted.visible_to(user).values_list("pk", flat=True))
    deletable = {a.pk: a for a in wanted.visible_to(user, Action.DELETE).select_related("library")}
    results, to_trash = [], []
    for asset_id in dict.fromkeys(ids):
        asset = deletable.get(asset_id)
        if asset is None:
            refused = asset_id in visible  # seen (a shared library) but not theirs to delete
            results.append(DeleteResult(asset_id, Refused(OWNER_ONLY) if refused else NotFound("not found")))
        elif permanent:
            results.append(_delete_original_of(asset))
        else:
            to_trash.append(asset.pk)
            results.append(DeleteResult(asset_id))
    if to_trash:
        move_to_trash(Asset.objects.filter(pk__in=to_trash))
    return results


def move_to_trash(assets) -> int:
    """Trash `assets` (a queryset already restricted to what the caller may delete); already trashed
    ones keep their date, so the purge counts from the first deletion. A trashed cover hands its
    stack over to another member; the membership stays, so a restore brings the stack back."""
    alive = assets.filter(deleted_at__isnull=True)
    stack_ids = set(alive.filter(stack__isnull=False).values_list("stack_id", flat=True))
    trashed = alive.update(deleted_at=timezone.now())
    stacks.refresh(stack_ids)
    return trashed


def _delete_original_of(asset: Asset) -> DeleteResult:
    try:
        delete_original(asset)
    except ServiceError as error:
        return DeleteResult(asset.pk, error)
    return DeleteResult(asset.pk)


def rotate(asset: Asset, degrees: int) -> None:
    """Store a user rotation and have the derivatives made again."""
    if degrees not in ROTATIONS:
        raise BadInput(_("rotation must be one of %(ROTATIONS)s, not %(degrees)s")
                       % {"ROTATIONS": ROTATIONS, "degrees": degrees}, field="degrees")
    with transaction.atomic():
        Asset.objects.filter(pk=asset.pk).update(user_rotation=degrees)
        asset.user_rotation = degrees
        AssetStage.objects.filter(asset=asset, stage__in=DERIVATIVE_STAGES).delete()
    delete_derivatives([asset.pk])
    regenerate_derivatives(asset)


def regenerate_derivatives(asset: Asset) -> None:
    scanning.enqueue_stages([asset.pk], stage_names=list(DERIVATIVE_STAGES))


def reprocess(asset: Asset, stages: list[str] | None = None) -> dict:
    """Run pipeline stages again for one asset, done or not ("Refresh" in the detail view).
    `derivatives` stands for thumbnail, preview, poster and transcode. BadInput names an unknown stage.
    Returns the stages queued and the task ids."""
    names = resolve_stages(stages or list(DEFAULT_REPROCESS))
    if asset.status == Asset.Status.MISSING:
        raise Conflict(_("the file is missing from its library; scan it again first"))
    tasks = scanning.enqueue_stages([asset.pk], stage_names=names, force=True)
    return {"id": asset.pk, "stages": names, "tasks": tasks}


def resolve_stages(requested: list[str]) -> list[str]:
    """Stage names in pipeline order, aliases expanded; BadInput naming what is unknown."""
    known = [stage.name for stage in registered_stages()]
    wanted: set[str] = set()
    unknown = []
    for name in requested:
        if name in STAGE_ALIASES:
            wanted.update(n for n in STAGE_ALIASES[name] if n in known)
        elif name in known:
            wanted.add(name)
        else:
            unknown.append(name)
    if unknown:
        choices = ", ".join([*STAGE_ALIASES, *known])
        raise BadInput(_("unknown stage %(names)s; one of: %(choices)s")
                       % {"names": ', '.join(map(repr, unknown)), "choices": choices}, field="stages")
    return [name for name in known if name in wanted]


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
