"""django-q2 entry points for faces and people, queued by dotted name (apps.core.queue.enqueue).
Thin and idempotent: the FaceJob state machine lives in services/face_jobs.py.

Task names are deterministic (job and batch), so a doubled enqueue is easy to spot; what prevents
double work is the job row (a stopped or finished job's batches skip) and the stage-status rows.
"""

from .services import face_jobs, refresh


def detect_faces_batch(job_id: int, asset_ids: list[str], force: bool) -> str:
    return face_jobs.run_detection_batch(job_id, asset_ids, force)


def recluster_faces(job_id: int) -> dict | str:
    return face_jobs.run_queued_recluster(job_id)


def recluster_if_idle() -> str:
    """What the faces stage's quiet-time schedule runs."""
    return face_jobs.recluster_if_idle()


def reindex_assets_task(asset_ids: list[str]) -> int:
    return refresh.index_assets_by_id(asset_ids)
