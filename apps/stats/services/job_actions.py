"""What the Jobs page's buttons do: run what is missing, re-run everything, retry what failed, and
pause or resume a kind. Each returns how much it queued; the work itself runs on the workers.

A paused kind refuses new runs (409): they would wait behind the pause anyway. Resuming it starts
what waited: pending assets of its stages, queued scans, a duplicate search skipped while paused.
"""

from django.db.models import Exists, OuterRef
from django.utils.translation import gettext as _

from apps.assets.duplicates.services import queue_find_duplicates
from apps.assets.models import Asset
from apps.core import pauses
from apps.core.errors import BadInput, Conflict
from apps.people.services import face_jobs
from apps.scanning import services as scanning
from apps.scanning.models import AssetStage, Library, ScanRun
from apps.scanning.pipeline import registered_stages

from .kinds import ACTIONS, JobKind, kind_named

DUPLICATES_KEY, SCAN_KEY = "duplicates", "scan"


def run(kind_name: str, action: str, user=None) -> dict:
    """`action`: "missing", "all" or "failed". Returns {"kind", "action", "queued": count}."""
    kind = kind_named(kind_name)
    if action not in ACTIONS or action not in kind.actions:
        offered = ", ".join(kind.actions) or "nothing"
        raise BadInput(_("%(label)s cannot '%(action)s'; it offers: %(offered)s")
                       % {"label": kind.label, "action": action, "offered": offered}, field="action")
    if kind.pause_keys and pauses.paused_among(kind.pause_keys):
        raise Conflict(_("%(label)s is paused; resume it first") % {"label": kind.label})
    if kind.is_pipeline:
        queued = _run_stages(kind, action)
    else:
        queued = OTHER_RUNS[kind.name](action, user)
    return {"kind": kind.name, "action": action, "queued": queued}


def set_paused(kind_name: str, paused: bool, user=None) -> dict:
    """Pause or resume; resuming queues what waited. Returns {"kind", "paused", "queued"}."""
    kind = kind_named(kind_name)
    if not kind.pause_keys:
        hint = " (pause Faces: its detection batches run that stage)" if kind.name == "face_jobs" else ""
        raise BadInput(_("%(label)s cannot be paused%(hint)s")
                       % {"label": kind.label, "hint": hint}, field="kind")
    queued = 0
    if paused:
        pauses.pause(kind.pause_keys, by=getattr(user, "username", ""))
    else:
        skipped = pauses.resume(kind.pause_keys)
        queued = _start_waiting(kind, skipped)
    return {"kind": kind.name, "paused": paused, "queued": queued}


# -- pipeline kinds -------------------------------------------------------------------------------
def _stages(kind: JobKind) -> list[str]:
    registered = {stage.name for stage in registered_stages()}
    return [name for name in kind.stages if name in registered]


def _assets(kind: JobKind):
    return Asset.objects.filter(kind__in=kind.asset_kinds, deleted_at__isnull=True).exclude(
        status=Asset.Status.MISSING
    )


def _run_stages(kind: JobKind, action: str) -> int:
    stages = _stages(kind)
    if not stages:
        return 0
    assets = _assets(kind)
    if action == "missing":
        done = AssetStage.objects.filter(asset_id=OuterRef("pk"), stage__in=stages, done_at__isnull=False)
        return scanning.rerun_stages(assets.exclude(Exists(done)), stage_names=stages)
    if action == "failed":
        failed = AssetStage.objects.filter(
            asset_id=OuterRef("pk"), stage__in=stages, done_at__isnull=True
        ).exclude(error="")
        # force: a stage that failed MAX_ATTEMPTS times is not retried otherwise.
        return scanning.rerun_stages(assets.filter(Exists(failed)), stage_names=stages, force=True)
    return scanning.rerun_stages(assets, stage_names=stages, force=True)


def _start_waiting(kind: JobKind, skipped: set) -> int:
    if kind.is_pipeline:
        stages = _stages(kind)
        pending = _assets(kind).filter(status=Asset.Status.PENDING)
        return scanning.rerun_stages(pending, stage_names=stages) if stages else 0
    if kind.name == "scans":
        waiting = list(ScanRun.objects.filter(state=ScanRun.State.QUEUED))
        for scan in waiting:
            scanning.enqueue_scan(scan)
        return len(waiting)
    if kind.name == "duplicates" and DUPLICATES_KEY in skipped:
        queue_find_duplicates()
        return 1
    return 0


# -- the other kinds ------------------------------------------------------------------------------
def _run_scans(action: str, user) -> int:
    libraries = Library.objects.filter(paused=False)
    if action == "failed":
        latest = ScanRun.objects.filter(library=OuterRef("pk")).order_by("-created").values("state")[:1]
        libraries = libraries.annotate(last_state=latest).filter(last_state=ScanRun.State.FAILED)
    started = 0
    for library in libraries:
        try:
            scanning.start_scan(library, full=action == "all")
            started += 1
        except scanning.ScanConflict:
            pass  # already queued or running: it will do
    return started


def _run_face_jobs(action: str, user) -> int:
    job = face_jobs.start_detection("all" if action == "all" else "missing", user)
    return job.assets_total


def _run_duplicates(action: str, user) -> int:
    queue_find_duplicates()
    return 1


OTHER_RUNS = {"scans": _run_scans, "face_jobs": _run_face_jobs, "duplicates": _run_duplicates}
