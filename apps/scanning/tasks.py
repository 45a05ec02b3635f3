"""django-q2 entry points. Thin: the work lives in services and pipeline.

Task names are deterministic (same work, same name) so a doubled enqueue is easy to spot in the
admin; what actually prevents double work is the ScanRun claim and the AssetStage rows.
"""

from blake3 import blake3
from django.conf import settings
from django.db import transaction
from django_q.tasks import async_task

from . import services
from .pipeline import run_stages


def scan_library_task(scan_run_id: int) -> str:
    run = services.run_queued_scan(scan_run_id)
    return services.summary(run) if run else f"scan {scan_run_id} was not queued any more; nothing to do"


def run_stages_task(asset_ids: list[str], stage_names: list[str] | None = None, force: bool = False) -> dict:
    report = run_stages(asset_ids, stage_names=stage_names, force=force)
    return {"assets": report.assets, "ran": report.ran, "failed": report.failed, "busy": report.skipped_busy}


def enqueue_scan(run) -> str:
    return async_task(
        "apps.scanning.tasks.scan_library_task",
        run.pk,
        task_name=f"scan-{run.library_id}-{run.pk}",
        group="scan",
    )


def stage_task_name(asset_ids, stage_names=None, force=False) -> str:
    key = ",".join(sorted(str(i) for i in asset_ids)) + "|" + ",".join(stage_names or ["*"]) + f"|{force}"
    return "stages-" + blake3(key.encode()).hexdigest()[:24]


def enqueue_stages(asset_ids, stage_names=None, force: bool = False) -> list[str]:
    """Queue pipeline work in batches of MEDIAHUB_STAGE_BATCH_SIZE assets; returns the task ids."""
    ids = [str(i) for i in asset_ids]
    size = settings.MEDIAHUB_STAGE_BATCH_SIZE
    task_ids = []
    # One transaction for the lot: with the ORM broker each task is a row, and a commit per row
    # would cost more than the rows.
    with transaction.atomic():
        for start in range(0, len(ids), size):
            chunk = ids[start : start + size]
            task_ids.append(
                async_task(
                    "apps.scanning.tasks.run_stages_task",
                    chunk,
                    stage_names,
                    force,
                    task_name=stage_task_name(chunk, stage_names, force),
                    group="pipeline",
                )
            )
    return task_ids
