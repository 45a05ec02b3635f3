"""The one way to queue background work: by dotted task name, so services never import tasks.

    enqueue("apps.scanning.tasks.scan_library_task", run.pk, key=f"scan-{run.pk}", group="scan")

`key` is the task's deterministic name (same work, same name), so a doubled enqueue is visible in
the admin; what prevents double work is the state the task claims (a job or stage-status row).

Two queues (mediahub/config.py says why): SHORT for work measured in seconds, LONG for scans,
transcodes and re-clusters, which settings.MEDIAHUB_LONG_TASKS names. The queue is always passed to
django-q2 explicitly: without it a task queued *from a worker* goes to that worker's own queue.
"""

from django.conf import settings
from django_q.brokers import get_broker
from django_q.tasks import async_task

from mediahub.config import LONG_QUEUE

SHORT, LONG = "short", "long"


def cluster_name(queue: str) -> str:
    """The django-q2 cluster (queue) name of SHORT or LONG."""
    return LONG_QUEUE if queue == LONG else settings.Q_CLUSTER["name"]


def queue_of(cluster: str) -> str | None:
    """SHORT or LONG for a django-q2 cluster name; None for a name MediaHub does not use."""
    return {settings.Q_CLUSTER["name"]: SHORT, LONG_QUEUE: LONG}.get(cluster)


def enqueue(task: str, *args, key: str, group: str, queue: str | None = None, **options) -> str:
    """Queue `task` (a dotted path to a function in some app's tasks.py); returns the task id.

    `queue` defaults to LONG for the tasks in MEDIAHUB_LONG_TASKS, SHORT for the rest."""
    if queue is None:
        queue = LONG if task in settings.MEDIAHUB_LONG_TASKS else SHORT
    return async_task(task, *args, task_name=key, group=group, cluster=cluster_name(queue), **options)


def waiting(queue: str) -> int:
    """Tasks in `queue` that no cluster has taken yet (a claim that expired counts as waiting)."""
    return get_broker(cluster_name(queue)).queue_size()
