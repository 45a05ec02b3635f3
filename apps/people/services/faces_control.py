"""Starting, stopping and clearing face work: detection runs and re-clusters as FaceJob rows.

A job row is what the status endpoint polls, what makes a second start a 409 (a partial unique
index allows one active job per kind), and what stop flips: queued batches read their job's state
before working and skip when it is no longer active, whichever broker holds them. The batch a
worker is already running finishes.
"""

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from apps.assets.models import Asset

from .. import backends
from ..models import Face, FaceJob, FaceRejection, Person
from .errors import Conflict, InvalidRequest
from .refresh import asset_ids_of, reindex_assets

DETECT_MODES = ("missing", "all")


def active_job(kind: str) -> FaceJob | None:
    return FaceJob.objects.filter(kind=kind, state__in=FaceJob.ACTIVE_STATES).first()


def detection_running() -> bool:
    return active_job(FaceJob.Kind.DETECT) is not None


def queue_depth() -> int:
    """Face tasks still waiting: detection batches not yet done, plus a queued re-cluster."""
    depth = 0
    for job in FaceJob.objects.filter(state__in=FaceJob.ACTIVE_STATES):
        if job.kind == FaceJob.Kind.DETECT:
            depth += max(0, job.batches_total - job.batches_done)
        elif job.state == FaceJob.State.QUEUED:
            depth += 1
    return depth


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


def detection_candidates(mode: str):
    """Ids of assets to (re)detect: photos and videos present on disk; with `missing`, only those
    whose faces stage has not completed."""
    from apps.scanning.models import AssetStage

    assets = Asset.objects.filter(kind__in=(Asset.Kind.PHOTO, Asset.Kind.VIDEO)).exclude(
        status=Asset.Status.MISSING
    )
    if mode == "missing":
        done = AssetStage.objects.filter(stage="faces", done_at__isnull=False).values("asset_id")
        assets = assets.exclude(pk__in=done)
    return assets.order_by().values_list("pk", flat=True)


def start_detection(mode: str, user=None) -> FaceJob:
    """Queue detection in batches of MEDIAHUB_STAGE_BATCH_SIZE assets; 409 while one runs, 503
    (FacesUnavailable) when the backend cannot run."""
    if mode not in DETECT_MODES:
        raise InvalidRequest(f"mode must be one of {', '.join(DETECT_MODES)}", field="mode")
    reason = backends.unavailable_reason()
    if reason:
        raise backends.FacesUnavailable(reason)
    ids = [str(pk) for pk in detection_candidates(mode).iterator(chunk_size=5000)]
    size = settings.MEDIAHUB_STAGE_BATCH_SIZE
    batches = [ids[start : start + size] for start in range(0, len(ids), size)]
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
        else:
            from apps.people import tasks

            force = mode == "all"
            # After commit: a worker must find the job row when it picks up the first batch.
            transaction.on_commit(lambda: tasks.enqueue_detection(job.pk, batches, force))
    return job


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


def _finish(job: FaceJob, state: str, **fields) -> None:
    job.state, job.finished = state, timezone.now()
    for name, value in fields.items():
        setattr(job, name, value)
    job.save()


def start_recluster(user=None, overrides: dict | None = None) -> FaceJob:
    """Queue a full re-cluster with the saved settings plus `overrides`; 400 on a bad parameter,
    409 while one is queued or running."""
    from .face_settings import cluster_params

    overrides = {k: v for k, v in (overrides or {}).items() if v is not None}
    try:
        cluster_params(**overrides)  # refuse bad parameters now, not in the worker
    except ImportError:
        raise backends.FacesUnavailable("face clustering is not installed in this build") from None
    except ValueError as exc:
        raise InvalidRequest(str(exc)) from None
    with transaction.atomic():
        job = _create_job(FaceJob.Kind.RECLUSTER, user, params=overrides)
        from apps.people import tasks

        transaction.on_commit(lambda: tasks.enqueue_recluster(job.pk))
    return job


RECLUSTER_SCHEDULE = "mediahub-faces-recluster-when-quiet"


def recluster_when_quiet() -> None:
    """Ask for a re-cluster MEDIAHUB_FACE_RECLUSTER_DELAY seconds after the last call.

    Incremental assignment only joins faces to people that exist, so a new library would have no
    people until someone re-clusters. The faces stage calls this whenever faces stay unassigned; each
    call pushes one django-q2 schedule row later, so a long ingest ends in one re-cluster, not one
    per batch.
    """
    from django_q.models import Schedule

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


def clear_all() -> dict:
    """Forget every face, person and rejection, and the faces stage status, so detection starts
    from nothing. Refused (409) while a face job is active: it would write faces back."""
    from apps.scanning.models import AssetStage

    with transaction.atomic():
        active = FaceJob.objects.select_for_update().filter(state__in=FaceJob.ACTIVE_STATES).first()
        if active is not None:
            raise Conflict(f"face {active.kind} is running (job {active.pk}); stop it first")
        named_assets = asset_ids_of(Face.objects.filter(person__isnull=False).exclude(person__name=""))
        counts = {"faces": Face.objects.count(), "people": Person.objects.count()}
        Person.objects.update(cover_face=None)
        FaceRejection.objects.all().delete()
        Face.objects.all().delete()
        Person.objects.all().delete()
        AssetStage.objects.filter(stage="faces").delete()
        reindex_assets(named_assets)  # names leave the search documents
    return counts
