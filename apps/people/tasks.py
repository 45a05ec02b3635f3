"""django-q2 entry points for faces and people. Thin and idempotent: the work lives in services.

Task names are deterministic (job and batch), so a doubled enqueue is easy to spot; what prevents
double work is the job row (a stopped or finished job's batches skip) and the stage-status rows.
"""

import json
import time

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from apps.core.queue import enqueue

from .models import FaceJob

GROUP = "faces"
PROGRESS_EVERY_S = 1.0  # how often a re-cluster writes its progress to the job row


def enqueue_detection(job_id: int, batches: list[list[str]], force: bool) -> None:
    # One transaction for the lot: with the ORM broker each task is a row.
    with transaction.atomic():
        for index, batch in enumerate(batches):
            enqueue(
                "apps.people.tasks.detect_faces_batch",
                job_id,
                batch,
                force,
                key=f"faces-detect-{job_id}-{index}",
                group=GROUP,
            )


def detect_faces_batch(job_id: int, asset_ids: list[str], force: bool) -> str:
    from apps.scanning.pipeline import run_stages

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


def enqueue_recluster(job_id: int) -> str:
    return enqueue(
        "apps.people.tasks.recluster_faces", job_id, key=f"faces-recluster-{job_id}", group=GROUP
    )


def recluster_if_idle() -> str:
    """The quiet-time re-cluster the faces stage asked for; skipped while another face job runs
    (a detection job in progress asks again with its own new faces)."""
    from apps.people.services import faces_control
    from apps.people.services.errors import Conflict

    try:
        job = faces_control.start_recluster()
    except Conflict as exc:
        return f"re-cluster not queued: {exc}"
    return f"re-cluster job {job.pk} queued"


def recluster_faces(job_id: int) -> dict | str:
    """Run a queued re-cluster job with the parameters it was queued with."""
    from apps.people import clustering
    from apps.people.services import face_settings, refresh

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
    refresh.reindex_assets(refresh.asset_ids_of(_faces_of_named_people()))
    return _jsonable(result)


def _faces_of_named_people():
    from .models import Face

    return Face.objects.filter(person__isnull=False).exclude(person__name="")


def _jsonable(value):
    return json.loads(json.dumps(value, default=str))


def reindex_assets_task(asset_ids: list[str]) -> int:
    from apps.people.services.refresh import index_assets_by_id

    return index_assets_by_id(asset_ids)


def enqueue_reindex(asset_ids: list[str]) -> str:
    key = f"{asset_ids[0]}-{asset_ids[-1]}-{len(asset_ids)}"
    return enqueue(
        "apps.people.tasks.reindex_assets_task", asset_ids, key=f"people-reindex-{key}", group=GROUP
    )
