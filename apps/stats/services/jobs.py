"""Background work per job kind, as the Jobs page and /api/jobs/ show it: queued, running, failed and
done counts, the latest failures, and whether the kind is paused.

Pipeline kinds are read from the stage-status table (the truth; the queue is only a cache of it):
- done: stage rows with a completion time;
- running: rows that say "worker died ... while running" (what a stage writes before it runs) whose
  asset a live worker holds the pipeline lock of;
- queued: such rows nobody holds with attempts left (the reconciliation queues them again), plus
  the backlog: pending assets of the kinds the stages apply to with no row of theirs yet;
- failed: rows with any other error (and died rows out of attempts).
Only the counts of done rows read the whole table (one GROUP BY over the (stage, done_at) index);
everything else reads the not-done rows, which are few.
"""

from django.db import connection
from django.db.models import Count, Exists, OuterRef
from django_q.models import Failure, Success

from apps.assets.models import Asset
from apps.core import pauses
from apps.people.models import FaceJob
from apps.people.services.face_jobs import queue_depth
from apps.scanning.models import AssetStage, ScanRun
from apps.scanning.pipeline import MAX_ATTEMPTS, deaths_in, locked_assets, registered_stages

from . import queues
from .kinds import KINDS, JobKind

FAILURES_SHOWN = 5  # latest failures per kind
DUPLICATES_TASK = "apps.assets.duplicates.tasks.find_duplicates_task"


def _counts(queued=0, running=0, failed=0, done=0) -> dict:
    return {"queued": queued, "running": running, "failed": failed, "done": done}


def overview() -> dict:
    """Every kind with its counts, latest failures and pause state, plus the queue depths."""
    paused = pauses.all_paused()
    stage_counts = _stage_counts()
    registered = {stage.name for stage in registered_stages()}
    kinds = []
    for kind in KINDS:
        if kind.is_pipeline:
            stages = [name for name in kind.stages if name in registered]
            counts, failures = _pipeline_counts(kind, stages, stage_counts), _stage_failures(stages)
        else:
            stages = []
            counts, failures = OTHER_COUNTS[kind.name]()
        keys = kind.pause_keys
        kinds.append(
            {
                "name": kind.name,
                "label": kind.label,
                "queue": kind.queue,
                "stages": stages,
                "configured": bool(stages) or not kind.is_pipeline,
                "pausable": bool(keys),
                "paused": bool(keys) and all(key in paused for key in keys),
                "paused_since": min((paused[k].paused_at for k in keys if k in paused), default=None),
                "actions": list(kind.actions),
                **counts,
                "latest_failures": failures,
            }
        )
    return {"kinds": kinds, "queues": queues.depths()}


# -- pipeline kinds -------------------------------------------------------------------------------
def _stage_counts() -> dict:
    """{stage: {done, errors}} in one pass; plus {"died": [(stage, asset_id, attempts)]}."""
    counts = {}
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT stage, count(*) FILTER (WHERE done_at IS NOT NULL),"
            f" count(*) FILTER (WHERE done_at IS NULL AND error <> '')"
            f" FROM {AssetStage._meta.db_table} GROUP BY stage"
        )
        for stage, done, errors in cursor.fetchall():
            counts[stage] = {"done": done, "errors": errors}
    died = list(
        AssetStage.objects.filter(done_at__isnull=True, error__startswith="worker died ")
        .values_list("stage", "asset_id", "attempts", "error")
    )
    held = locked_assets({asset_id for _, asset_id, _, _ in died})
    for stage, asset_id, attempts, error in died:
        if not deaths_in(error):
            continue
        entry = counts.setdefault(stage, {"done": 0, "errors": 0})
        state = "running" if asset_id in held else "retry" if attempts < MAX_ATTEMPTS else "given_up"
        entry[state] = entry.get(state, 0) + 1
    return counts


def _pipeline_counts(kind: JobKind, stages: list[str], stage_counts: dict) -> dict:
    total = _counts()
    for name in stages:
        entry = stage_counts.get(name, {})
        running, retry = entry.get("running", 0), entry.get("retry", 0)
        total["done"] += entry.get("done", 0)
        total["running"] += running
        total["queued"] += retry
        total["failed"] += entry.get("errors", 0) - running - retry
    total["queued"] += backlog(kind, stages)
    return total


def backlog(kind: JobKind, stages: list[str]) -> int:
    """Pending assets the kind applies to that none of its stages has touched yet. Pending assets are
    few (those of the last scan not yet through the pipeline): each costs one index probe."""
    if not stages:
        return 0
    touched = AssetStage.objects.filter(asset_id=OuterRef("pk"), stage__in=stages)
    return (
        Asset.objects.filter(status=Asset.Status.PENDING, kind__in=kind.asset_kinds, deleted_at__isnull=True)
        .exclude(Exists(touched))
        .count()
    )


def _stage_failures(stages: list[str]) -> list[dict]:
    if not stages:
        return []
    rows = (
        AssetStage.objects.filter(stage__in=stages, done_at__isnull=True)
        .exclude(error="")
        .exclude(error__startswith="worker died ", attempts__lt=MAX_ATTEMPTS)
        .order_by("-updated")
        .values("asset_id", "asset__filename", "stage", "error", "attempts", "updated")[:FAILURES_SHOWN]
    )
    return [
        {
            "asset": str(row["asset_id"]),
            "label": row["asset__filename"],
            "stage": row["stage"],
            "error": row["error"].splitlines()[0] if row["error"] else "",
            "attempts": row["attempts"],
            "at": row["updated"],
        }
        for row in rows
    ]


# -- the other kinds ------------------------------------------------------------------------------
def _by_state(rows) -> dict:
    return dict(rows.order_by().values("state").annotate(n=Count("pk")).values_list("state", "n"))


def _scans() -> tuple[dict, list]:
    by_state = _by_state(ScanRun.objects.all())
    counts = _counts(
        queued=by_state.get(ScanRun.State.QUEUED, 0),
        running=by_state.get(ScanRun.State.RUNNING, 0),
        failed=by_state.get(ScanRun.State.FAILED, 0),
        done=by_state.get(ScanRun.State.DONE, 0),
    )
    failures = [
        {
            "library": run.library_id,
            "label": run.library.name,
            "scan": run.pk,
            "error": (run.error_log[-1].get("error", "") if run.error_log else ""),
            "at": run.finished or run.created,
        }
        for run in ScanRun.objects.filter(state=ScanRun.State.FAILED)
        .select_related("library")
        .order_by("-created")[:FAILURES_SHOWN]
    ]
    return counts, failures


def _face_jobs() -> tuple[dict, list]:
    by_state = _by_state(FaceJob.objects.all())
    counts = _counts(
        queued=queue_depth(FaceJob.objects.all()),
        running=by_state.get(FaceJob.State.RUNNING, 0),
        failed=by_state.get(FaceJob.State.FAILED, 0),
        done=by_state.get(FaceJob.State.DONE, 0),
    )
    failures = [
        {"job": job.pk, "label": f"face {job.kind} {job.pk}", "error": job.error, "at": job.finished or job.created}
        for job in FaceJob.objects.filter(state=FaceJob.State.FAILED).order_by("-created")[:FAILURES_SHOWN]
    ]
    return counts, failures


def _duplicates() -> tuple[dict, list]:
    waiting = queues.by_group("long")
    counts = _counts(
        queued=waiting.get(("duplicates", False), 0),
        running=waiting.get(("duplicates", True), 0),
        failed=Failure.objects.filter(func=DUPLICATES_TASK).count(),
        done=Success.objects.filter(func=DUPLICATES_TASK).count(),
    )
    failures = [
        {"task": task.id, "label": task.name, "error": _last_line(task.result), "at": task.stopped}
        for task in Failure.objects.filter(func=DUPLICATES_TASK).order_by("-stopped")[:FAILURES_SHOWN]
    ]
    return counts, failures


def _last_line(text) -> str:
    lines = str(text or "").strip().splitlines()
    return lines[-1] if lines else ""


def _uploads() -> tuple[dict, list]:
    # Uploaded files go through the pipeline kinds; the upload requests themselves are not jobs.
    return _counts(), []


OTHER_COUNTS = {"scans": _scans, "face_jobs": _face_jobs, "duplicates": _duplicates, "uploads": _uploads}
