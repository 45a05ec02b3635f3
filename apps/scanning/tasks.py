"""django-q2 entry points. Thin: the work lives in services and pipeline, which queue these by
dotted name (services.enqueue_scan, services.enqueue_stages) and never import this module.

Task names are deterministic (same work, same name) so a doubled enqueue is easy to spot in the
admin; what actually prevents double work is the ScanRun claim and the AssetStage rows.
"""

from . import services
from .fileops import services as fileops
from .pipeline import registered_stages, run_stages
from .uploads import services as upload_services


def scan_library_task(scan_run_id: int) -> str:
    run = services.run_queued_scan(scan_run_id)
    if run is None:
        return f"scan {scan_run_id} was not queued any more, or scans are paused; nothing to do"
    return services.summary(run)


def rescan_libraries_task() -> str:
    """The nightly rescan (a django-q2 cron schedule, apps/scanning/schedules.py)."""
    return services.rescan_libraries()


def run_stages_task(
    asset_ids: list[str],
    stage_names: list[str] | None = None,
    force: bool = False,
    long: bool = False,
    ml: bool = False,
) -> dict:
    """A batch of pipeline work. On the default queue long-running stages (transcodes) are left to a
    task of their own on the long queue, and model stages (faces, CLIP) to one on the inference
    queue, queued here once the quick stages are done."""
    on_default = not (long or ml)
    report = run_stages(
        asset_ids, stage_names=stage_names, force=force, defer_long=on_default, defer_inference=on_default
    )
    if report.deferred:
        wanted = _names(lambda s: s.long_running and not s.inference, stage_names)
        services.enqueue_stages(report.deferred, stage_names=wanted, force=force, long=True)
    if report.deferred_inference:
        wanted = _names(lambda s: s.inference, stage_names)
        services.enqueue_stages(report.deferred_inference, stage_names=wanted, force=force, ml=True)
    return {
        "assets": report.assets,
        "ran": report.ran,
        "failed": report.failed,
        "busy": report.skipped_busy,
        "deferred": len(report.deferred),
        "deferred_inference": len(report.deferred_inference),
    }


def expire_uploads_task() -> str:
    """Scheduled (migration 0005): partial uploads idle for MEDIAHUB_UPLOAD_EXPIRY are removed."""
    return f"{upload_services.expire()} expired upload(s) removed"


def _names(kind, stage_names) -> list[str]:
    names = [s.name for s in registered_stages() if kind(s)]
    return names if stage_names is None else [n for n in names if n in stage_names]


def run_file_operation_task(operation_id: int) -> str:
    """One file operation of many files (apps/scanning/fileops), resumed where it stopped when a
    worker died mid-way; a doubled task finds it claimed and does nothing."""
    operation = fileops.run_queued(operation_id)
    if operation is None:
        return f"file operation {operation_id} was not queued any more; nothing to do"
    return f"file operation {operation.pk}: {operation.state}, {operation.done} of {operation.total} done"
