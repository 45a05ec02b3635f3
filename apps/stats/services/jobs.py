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

import time

from django.db import connection
from django.db.models import Count, Exists, OuterRef, Q
from django_q.models import Failure, Success

from apps.assets.models import Asset
from apps.core import pauses
from apps.people.models import FaceJob
from apps.people.services.face_jobs import queue_depth
from apps.scanning.models import AssetStage, FileOperation, ScanRun
from apps.scanning.pipeline import MAX_ATTEMPTS, deaths_in, locked_assets, registered_stages

from . import queues
from .kinds import BY_NAME, KINDS

FAILURES_SHOWN = 5  # latest failures per kind
DUPLICATES_TASK = "apps.assets.duplicates.tasks.find_duplicates_task"


def _counts(queued=0, running=0, failed=0, done=0) -> dict:
    return {"queued": queued, "running": running, "failed": failed, "done": done}


def overview() -> dict:
    """Every kind with its counts, latest failures and pause state, plus the queue depths."""
    paused = pauses.all_paused()
    stage_counts = _stage_counts()
    registered = {stage.name for stage in registered_stages()}
    stages_of = {k.name: [n for n in k.stages if n in registered] for k in KINDS if k.is_pipeline}
    backlogs = backlog(stages_of)
    failures_by_stage = _stage_failures([name for names in stages_of.values() for name in names])
    kinds = []
    for kind in KINDS:
        if kind.is_pipeline:
            stages = stages_of[kind.name]
            counts = _pipeline_counts(stages, stage_counts, backlogs[kind.name])
            failures = [f for name in stages for f in failures_by_stage.get(name, [])]
            failures = sorted(failures, key=lambda f: f["at"], reverse=True)[:FAILURES_SHOWN]
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
DONE_TTL = 10.0  # seconds the done counts are reused: the page polls every 5 s, scrapers as often
_done_cache: dict = {}


def done_counts() -> dict:
    """{stage: rows done}. The one read of the whole table (about 0.5 s at 2 million rows on a
    loaded 2-core machine, tests/benchmarks/bench_jobs.py), so reused for DONE_TTL seconds by this
    process; the other counts are always fresh."""
    now = time.monotonic()
    if _done_cache and now - _done_cache["at"] < DONE_TTL:
        return _done_cache["counts"]
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT stage, count(*) FROM {AssetStage._meta.db_table} WHERE done_at IS NOT NULL GROUP BY stage"
        )
        counts = dict(cursor.fetchall())
    _done_cache.update(at=now, counts=counts)
    return counts


def forget_done_counts() -> None:
    _done_cache.clear()


def _stage_counts() -> dict:
    """{stage: {done, errors}}, plus what the died rows are: {running, retry, given_up}. Errors are
    among the not-done rows, which the (stage, done_at) index finds."""
    counts = {stage: {"done": done, "errors": 0} for stage, done in done_counts().items()}
    # By stage name, so the (stage, done_at) index finds the not-done rows among millions.
    names = sorted(set(counts) | {stage.name for stage in registered_stages()})
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT stage, count(*) FROM {AssetStage._meta.db_table}"
            f" WHERE stage = ANY(%s) AND done_at IS NULL AND error <> '' GROUP BY stage",
            [names],
        )
        for stage, errors in cursor.fetchall():
            counts.setdefault(stage, {"done": 0})["errors"] = errors
    died = list(
        AssetStage.objects.filter(stage__in=names, done_at__isnull=True, error__startswith="worker died ")
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


def _pipeline_counts(stages: list[str], stage_counts: dict, backlog_count: int) -> dict:
    total = _counts()
    for name in stages:
        entry = stage_counts.get(name, {})
        running, retry = entry.get("running", 0), entry.get("retry", 0)
        total["done"] += entry.get("done", 0)
        total["running"] += running
        total["queued"] += retry
        total["failed"] += entry.get("errors", 0) - running - retry
    total["queued"] += backlog_count
    return total


def backlog(stages_of: dict) -> dict:
    """{kind name: pending assets it applies to that none of its stages has touched yet}, in one
    query. Pending assets are few (the last scan's, not yet through the pipeline): each costs an
    index probe per kind."""
    counts = {}
    for name, stages in stages_of.items():
        if stages:
            touched = AssetStage.objects.filter(asset_id=OuterRef("pk"), stage__in=stages)
            counts[name] = Count("pk", filter=Q(kind__in=BY_NAME[name].asset_kinds) & ~Q(Exists(touched)))
    result = dict.fromkeys(stages_of, 0)
    if counts:
        pending = Asset.objects.filter(status=Asset.Status.PENDING, deleted_at__isnull=True)
        result.update(pending.aggregate(**counts))
    return result


def _stage_failures(stages: list[str]) -> dict:
    """{stage: its latest FAILURES_SHOWN failures}, in one query (a window over the failed rows,
    which the (stage, done_at) index finds)."""
    if not stages:
        return {}
    table = AssetStage._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT s.asset_id, a.filename, s.stage, s.error, s.attempts, s.updated FROM ("
            f"  SELECT *, row_number() OVER (PARTITION BY stage ORDER BY updated DESC) AS n FROM {table}"
            f"  WHERE stage = ANY(%s) AND done_at IS NULL AND error <> ''"
            f"  AND NOT (error LIKE 'worker died %%' AND attempts < %s)"
            f") s JOIN {Asset._meta.db_table} a ON a.id = s.asset_id WHERE s.n <= %s",
            [stages, MAX_ATTEMPTS, FAILURES_SHOWN],
        )
        rows = cursor.fetchall()
    by_stage: dict = {}
    for asset_id, filename, stage, error, attempts, updated in rows:
        by_stage.setdefault(stage, []).append(
            {
                "asset": str(asset_id),
                "label": filename,
                "stage": stage,
                "error": error.splitlines()[0] if error else "",
                "attempts": attempts,
                "at": updated,
            }
        )
    return by_stage


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
        {"job": job.pk, "label": f"{job.get_kind_display()} #{job.pk}", "error": job.error,
         "at": job.finished or job.created}
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


def _file_operations() -> tuple[dict, list]:
    """Moves, copies, renames... in writable libraries, by their state; a failure's error says how
    many steps failed and the first of them (what the job wrote from its journal's failed items)."""
    State = FileOperation.State
    by_state = _by_state(FileOperation.objects.all())
    counts = _counts(*(by_state.get(s, 0) for s in (State.QUEUED, State.RUNNING, State.FAILED, State.DONE)))
    failed = FileOperation.objects.filter(state=State.FAILED).select_related("library").order_by("-created")
    failures = []
    for operation in failed[:FAILURES_SHOWN]:
        error = operation.error or operation.items.filter(state="failed").order_by("seq").values_list(
            "error", flat=True).first() or ""
        failures.append({
            "library": operation.library_id, "operation": operation.pk,
            "label": f"{operation.get_kind_display()} · {operation.library.name}", "error": _last_line(error),
            "at": operation.finished or operation.created,
        })
    return counts, failures


OTHER_COUNTS = {"scans": _scans, "face_jobs": _face_jobs, "duplicates": _duplicates, "uploads": _uploads,
                "file_operations": _file_operations}
