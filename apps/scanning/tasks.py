"""django-q2 entry points. Thin: the work lives in services and pipeline, which queue these by
dotted name (services.enqueue_scan, services.enqueue_stages) and never import this module.

Task names are deterministic (same work, same name) so a doubled enqueue is easy to spot in the
admin; what actually prevents double work is the ScanRun claim and the AssetStage rows.
"""

from . import services
from .pipeline import run_stages


def scan_library_task(scan_run_id: int) -> str:
    run = services.run_queued_scan(scan_run_id)
    return services.summary(run) if run else f"scan {scan_run_id} was not queued any more; nothing to do"


def run_stages_task(asset_ids: list[str], stage_names: list[str] | None = None, force: bool = False) -> dict:
    report = run_stages(asset_ids, stage_names=stage_names, force=force)
    return {"assets": report.assets, "ran": report.ran, "failed": report.failed, "busy": report.skipped_busy}
