"""Face work as FaceJob rows: detection runs and re-clusters, whoever starts them (the API, the
`detect_faces` command, the faces stage's quiet-time request), and clearing every face.

A job row is what the status endpoint polls, what makes a second start a 409 (a partial unique
index allows one active job per kind), and what stop flips: queued batches read their job's state
before working and skip when it is no longer active, whichever broker holds them. The batch a
worker is already running finishes. tasks.py only calls the `run_*` functions here.
"""

import json
import time
import uuid

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django_q.models import Schedule
from django.utils.translation import gettext as _

from apps.assets.models import Asset
from apps.core.errors import BadInput, Conflict, Unavailable
from apps.core.queue import enqueue
from apps.scanning.models import AssetStage
from apps.scanning.pipeline import run_stages

from .. import backends, clustering
from ..models import Face, FaceJob, FaceRejection, Person
from . import face_settings
from .refresh import asset_ids_of, reindex_assets

GROUP = "faces"
# missing: assets whose faces stage is not done; all: every photo and video again; asset: the ids given.
DETECT_MODES = ("missing", "all", "asset")
PROGRESS_EVERY_S = 1.0  # how often a re-cluster writes its progress to the job row
RECLUSTER_SCHEDULE = "mediahub-faces-recluster-when-quiet"


def active_job(kind: str) -> FaceJob | None:
    return FaceJob.objects.filter(kind=kind, state__in=FaceJob.ACTIVE_STATES).first()


def queue_depth(jobs) -> int:
    """Face tasks still waiting among `jobs`: detection batches not yet done, plus a queued re-cluster."""
    depth = 0
    for job in jobs.filter(state__in=FaceJob.ACTIVE_STATES):
        if job.kind == FaceJob.Kind.DETECT:
            depth += max(0, job.batches_total - job.batches_done)
        elif job.state == FaceJob.State.QUEUED:
            depth += 1
    return depth


def job_status(user=None) -> dict:
    """Whether face work runs (for everyone), and the jobs themselves (queue depth, the latest of each
    kind) only for whoever may see them: a job's counts are the whole installation's."""
    jobs = FaceJob.objects.all() if user is None else FaceJob.objects.visible_to(user)
    return {
        "running": active_job(FaceJob.Kind.DETECT) is not None,
        "recluster_running": active_job(FaceJob.Kind.RECLUSTER) is not None,
        "queue_depth": queue_depth(jobs),
        "jobs": {kind: jobs.filter(kind=kind).first() for kind in FaceJob.Kind.values},
    }


def _create_job(kind: str, user, **fields) -> FaceJob:
    try:
        with transaction.atomic():  # a savepoint: the caller's transaction survives the refusal
            return FaceJob.objects.create(kind=kind, created_by=_user_or_none(user), **fields)
    except IntegrityError:
        running = active_job(kind)
        raise Conflict(
            f"face {kind} is already running (job {getattr(running, 'pk', '?')}); stop it or wait"
        ) from None


def _user_or_none(user):
    return user if getattr(user, "is_authenticated", False) else None


def _finish(job: FaceJob, state: str, **fields) -> None:
    job.state, job.finished = state, timezone.now()
    for name, value in fields.items():
        setattr(job, name, value)
    job.save()


# -- detection ------------------------------------------------------------------------------------
def detection_candidates(mode: str, asset_ids=()):
    """Ids of assets to (re)detect: photos and videos present on disk; with `missing`, only those
    whose faces stage has not completed; with `asset`, only those given."""
    assets = Asset.objects.filter(kind__in=(Asset.Kind.PHOTO, Asset.Kind.VIDEO)).exclude(
        status=Asset.Status.MISSING
    )
    if mode == "missing":
        done = AssetStage.objects.filter(stage="faces", done_at__isnull=False).values("asset_id")
        assets = assets.exclude(pk__in=done)
    elif mode == "asset":
        assets = assets.filter(pk__in=_uuids(asset_ids))
    return assets.order_by().values_list("pk", flat=True)


def _uuids(values) -> list[uuid.UUID]:
    try:
        return [uuid.UUID(str(value)) for value in values]
    except ValueError:
        raise BadInput(_("asset ids are UUIDs"), field="asset") from None


def start_detection(mode: str, user=None, asset_ids=(), inline=False, on_progress=None) -> FaceJob:
    """Detect faces in batches of MEDIAHUB_STAGE_BATCH_SIZE assets, recorded as one job: queued for
    the workers, or run here with `inline` (then the job is done when this returns, and
    `on_progress(assets_done, assets_total)` follows it). Conflict (409) while a detection job is
    active, Unavailable (503) when the backend cannot run here."""
    if mode not in DETECT_MODES:
        raise BadInput(_("mode must be one of %(names)s") % {"names": ', '.join(DETECT_MODES)}, field="mode")
    reason = backends.unavailable_reason()
    if reason:
        raise backends.FacesUnavailable(reason)
    ids = [str(pk) for pk in detection_candidates(mode, asset_ids).iterator(chunk_size=5000)]
    size = settings.MEDIAHUB_STAGE_BATCH_SIZE
    batches = [ids[start : start + size] for start in range(0, len(ids), size)]
    force = mode != "missing"
    with transaction.atomic():
        job = _create_job(
            FaceJob.Kind.DETECT,
            user,
            state=FaceJob.State.RUNNING,
            params={"mode": mode},
            assets_total=len(ids),
            batches_total=len(batches),
        )
        if not batches:
            _finish(job, FaceJob.State.DONE)
        elif not inline:
            # After commit: a worker must find the job row when it picks up the first batch.
            transaction.on_commit(lambda: _enqueue_batches(job.pk, batches, force))
    if inline and batches:
        _run_inline(job, batches, force, on_progress)
    return job


def _enqueue_batches(job_id: int, batches: list[list[str]], force: bool) -> None:
    with transaction.atomic():  # one transaction for the lot: with the ORM broker each task is a row
        for index, batch in enumerate(batches):
            enqueue(
                "apps.people.tasks.detect_faces_batch",
                job_id,
                batch,
                force,
                key=f"faces-detect-{job_id}-{index}",
                group=GROUP,
            )


def _run_inline(job: FaceJob, batches, force: bool, on_progress) -> None:
    done = 0
    try:
        for batch in batches:
            run_detection_batch(job.pk, batch, force)
            done += len(batch)
            if on_progress:
                on_progress(done, job.assets_total)
    except BaseException as exc:  # Ctrl-C included: an abandoned job would block the next start
        FaceJob.objects.filter(pk=job.pk, state__in=FaceJob.ACTIVE_STATES).update(
            state=FaceJob.State.FAILED, error=str(exc) or type(exc).__name__, finished=timezone.now()
        )
        raise
    job.refresh_from_db()


def run_detection_batch(job_id: int, asset_ids: list[str], force: bool) -> str:
    """One batch of a detection job (a worker's task, or the inline loop); skipped once the job was
    stopped. The last batch done completes the job."""
    if not FaceJob.objects.filter(pk=job_id, state__in=FaceJob.ACTIVE_STATES).exists():
        return f"face job {job_id} is not active any more; batch skipped"
    try:
        report = run_stages(asset_ids, stage_names=["faces"], force=force)
    finally:
        # Counted even when the batch fails, so one bad batch cannot keep the job "running" forever
        # (its assets keep their stage errors and `missing` picks them up again).
        FaceJob.objects.filter(pk=job_id).update(batches_done=F("batches_done") + 1)
        FaceJob.objects.filter(
            pk=job_id, state__in=FaceJob.ACTIVE_STATES, batches_done__gte=F("batches_total")
        ).update(state=FaceJob.State.DONE, finished=timezone.now())
    return f"faces: {report.ran} assets ran, {report.failed} failed"


def stop() -> list[FaceJob]:
    """Stop active detection and any re-cluster still queued; returns the jobs stopped. A batch (or
    re-cluster) a worker already runs finishes: it holds its own transaction."""
    stopped = list(
        FaceJob.objects.filter(state__in=FaceJob.ACTIVE_STATES).exclude(
            kind=FaceJob.Kind.RECLUSTER, state=FaceJob.State.RUNNING
        )
    )
    for job in stopped:
        _finish(job, FaceJob.State.STOPPED)
    return stopped


# -- re-cluster -----------------------------------------------------------------------------------
def start_recluster(user=None, overrides: dict | None = None) -> FaceJob:
    """Queue a full re-cluster with the saved settings plus `overrides`: BadInput (400) naming a bad
    parameter, Unavailable (503) without the clustering packages, Conflict (409) while one is
    queued or running."""
    overrides = {k: v for k, v in (overrides or {}).items() if v is not None}
    reason = clustering.unavailable_reason()
    if reason:
        raise backends.FacesUnavailable(reason)
    try:
        face_settings.cluster_params(**overrides)  # refuse bad parameters now, not in the worker
    except ValueError as exc:
        field = face_settings.field_named_in(str(exc), overrides or face_settings.CLUSTER_FIELDS)
        raise BadInput(str(exc), field=field) from None
    with transaction.atomic():
        job = _create_job(FaceJob.Kind.RECLUSTER, user, params=overrides)
        transaction.on_commit(
            lambda: enqueue(
                "apps.people.tasks.recluster_faces", job.pk, key=f"faces-recluster-{job.pk}", group=GROUP
            )
        )
    return job


def run_queued_recluster(job_id: int) -> dict | str:
    """Run a queued re-cluster job with the parameters it was queued with (a worker's task)."""
    claimed = FaceJob.objects.filter(pk=job_id, state=FaceJob.State.QUEUED).update(
        state=FaceJob.State.RUNNING
    )
    if not claimed:
        return f"re-cluster job {job_id} is not queued any more; skipped"
    job = FaceJob.objects.get(pk=job_id)
    last_write = [0.0]

    def on_progress(*args, **kwargs):
        now = time.monotonic()
        if now - last_write[0] >= PROGRESS_EVERY_S:
            last_write[0] = now
            FaceJob.objects.filter(pk=job_id).update(result={"progress": _jsonable([args, kwargs])})

    try:
        result = clustering.recluster(face_settings.cluster_params(**job.params), on_progress=on_progress)
    except Exception as exc:
        FaceJob.objects.filter(pk=job_id).update(
            state=FaceJob.State.FAILED, error=str(exc), finished=timezone.now()
        )
        raise
    FaceJob.objects.filter(pk=job_id).update(
        state=FaceJob.State.DONE, result=_jsonable(result), finished=timezone.now()
    )
    # Named people may have gained or lost photos: their names move in the search documents.
    reindex_assets(asset_ids_of(Face.objects.filter(person__isnull=False).exclude(person__name="")))
    return _jsonable(result)


def _jsonable(value):
    return json.loads(json.dumps(value, default=str))


def recluster_if_idle() -> str:
    """The quiet-time re-cluster the faces stage asked for; skipped while another face job runs
    (a detection job in progress asks again with its own new faces)."""
    try:
        job = start_recluster()
    except (Conflict, Unavailable) as exc:
        return f"re-cluster not queued: {exc}"
    return f"re-cluster job {job.pk} queued"


def recluster_when_quiet() -> None:
    """Ask for a re-cluster MEDIAHUB_FACE_RECLUSTER_DELAY seconds after the last call.

    Incremental assignment only joins faces to people that exist, so a new library would have no
    people until someone re-clusters. The faces stage calls this whenever faces stay unassigned; each
    call pushes one django-q2 schedule row later, so a long ingest ends in one re-cluster, not one
    per batch.
    """
    delay = settings.MEDIAHUB_FACE_RECLUSTER_DELAY
    if delay <= 0:
        return
    Schedule.objects.update_or_create(
        name=RECLUSTER_SCHEDULE,
        defaults={
            "func": "apps.people.tasks.recluster_if_idle",
            "schedule_type": Schedule.ONCE,
            "repeats": -1,  # a ONCE schedule with negative repeats deletes itself after running
            "next_run": timezone.now() + timezone.timedelta(seconds=delay),
        },
    )


# -- clear ----------------------------------------------------------------------------------------
def clear_all() -> dict:
    """Forget every face, person and rejection, and the faces stage status, so detection starts
    from nothing. Conflict (409) while a face job is active: it would write faces back."""
    with transaction.atomic():
        active = FaceJob.objects.select_for_update().filter(state__in=FaceJob.ACTIVE_STATES).first()
        if active is not None:
            raise Conflict(_("face %(kind)s is running (job %(pk)s); stop it first")
                           % {"kind": active.kind, "pk": active.pk})
        named_assets = asset_ids_of(Face.objects.filter(person__isnull=False).exclude(person__name=""))
        counts = {"faces": Face.objects.count(), "people": Person.objects.count()}
        Person.objects.update(cover_face=None)
        FaceRejection.objects.all().delete()
        Face.objects.all().delete()
        Person.objects.all().delete()
        AssetStage.objects.filter(stage="faces").delete()
        reindex_assets(named_assets)  # names leave the search documents
    return counts
