"""The one way to queue background work: by dotted task name, so services never import tasks.

    enqueue("apps.scanning.tasks.scan_library_task", run.pk, key=f"scan-{run.pk}", group="scan")

`key` is the task's deterministic name (same work, same name), so a doubled enqueue is visible in
the admin; what prevents double work is the state the task claims (a job or stage-status row).

Three queues (mediahub/config.py says why): SHORT for work measured in seconds, LONG for scans,
transcodes and re-clusters, which settings.MEDIAHUB_LONG_TASKS names, and ML for model inference
(settings.MEDIAHUB_ML_TASKS, and the pipeline's model stages), so a face or CLIP backlog never delays
the thumbnails of a new file. The queue is always passed to
django-q2 explicitly: without it a task queued *from a worker* goes to that worker's own queue.
"""

from django.conf import settings
from django_q.brokers import get_broker
from django_q.tasks import async_task

from mediahub.config import LONG_QUEUE, ML_QUEUE

SHORT, LONG, ML = "short", "long", "ml"
QUEUES = (SHORT, LONG, ML)


def cluster_name(queue: str) -> str:
    """The django-q2 cluster (queue) name of SHORT, LONG or ML."""
    return {LONG: LONG_QUEUE, ML: ML_QUEUE}.get(queue) or settings.Q_CLUSTER["name"]


def queue_of(cluster: str) -> str | None:
    """SHORT, LONG or ML for a django-q2 cluster name; None for a name MediaHub does not use."""
    return {settings.Q_CLUSTER["name"]: SHORT, LONG_QUEUE: LONG, ML_QUEUE: ML}.get(cluster)


def default_queue(task: str) -> str:
    if task in settings.MEDIAHUB_LONG_TASKS:
        return LONG
    return ML if task in settings.MEDIAHUB_ML_TASKS else SHORT


def enqueue(task: str, *args, key: str, group: str, queue: str | None = None, **options) -> str:
    """Queue `task` (a dotted path to a function in some app's tasks.py); returns the task id.

    `queue` defaults to LONG for the tasks in MEDIAHUB_LONG_TASKS, ML for those in MEDIAHUB_ML_TASKS,
    SHORT for the rest."""
    if queue is None:
        queue = default_queue(task)
    return async_task(task, *args, task_name=key, group=group, cluster=cluster_name(queue), **options)


def waiting(queue: str) -> int:
    """Tasks in `queue` that no cluster has taken yet (a claim that expired counts as waiting)."""
    return get_broker(cluster_name(queue)).queue_size()
