"""What failed in a library, as its scan page lists it, and "retry": the failed pipeline stages run
again through the ordinary stage machinery (AssetStage rows, enqueue_stages)."""

from dataclasses import dataclass

from django.db import transaction

from apps.assets.models import Asset

from .fsnames import decode_path, display_name
from .models import AssetStage, ScanRun
from .services import enqueue_stages

LIST_LIMIT = 500  # rows on the page; the counts say how many there are in all


@dataclass
class FailedFile:
    path: str
    reason: str
    asset: Asset | None = None
    stage: str = ""  # the pipeline stage that failed; "" for a file the scan could not read


def failed_assets(run: ScanRun):
    """The library's assets whose last pipeline run left an error (not in the trash)."""
    return Asset.objects.filter(library=run.library, status=Asset.Status.ERROR, deleted_at__isnull=True)


def failed_files(run: ScanRun, limit: int = LIST_LIMIT) -> tuple[list[FailedFile], list[FailedFile]]:
    """(files the scan itself could not read, assets whose stages failed), each at most `limit`."""
    unreadable = [
        FailedFile(path=entry.get("path") or "(library folder)", reason=entry.get("error", ""))
        for entry in run.error_log[:limit]
    ]
    by_path = {
        a.path: a for a in Asset.objects.filter(library=run.library, path__in=[f.path for f in unreadable])
    }
    for row in unreadable:
        row.asset = by_path.get(row.path)
    rows = AssetStage.objects.filter(
        asset__in=failed_assets(run), done_at__isnull=True
    ).exclude(error="").select_related("asset").order_by("asset__path", "stage")[:limit]
    stages = [
        FailedFile(path=display_name(decode_path(r.asset.path)), reason=r.error, asset=r.asset, stage=r.stage) for r in rows
    ]
    return unreadable, stages


@transaction.atomic
def retry_failed(run: ScanRun) -> int:
    """Queue the failed stages of the library's failed assets again; returns the assets queued.

    A stage that failed MAX_ATTEMPTS times is not retried by the pipeline on its own: a person
    asking again starts its count afresh. Only stages not done run (no `force`), so what already
    succeeded is not redone. Files the scan could not read are tried by the next scan.
    """
    ids = list(failed_assets(run).values_list("pk", flat=True))
    if not ids:
        return 0
    AssetStage.objects.filter(asset_id__in=ids, done_at__isnull=True).exclude(error="").update(attempts=0)
    enqueue_stages(ids)
    return len(ids)
