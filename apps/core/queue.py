"""The one way to queue background work: by dotted task name, so services never import tasks.

    enqueue("apps.scanning.tasks.scan_library_task", run.pk, key=f"scan-{run.pk}", group="scan")

`key` is the task's deterministic name (same work, same name), so a doubled enqueue is visible in
the admin; what prevents double work is the state the task claims (a job or stage-status row).
"""

from django_q.tasks import async_task


def enqueue(task: str, *args, key: str, group: str, **options) -> str:
    """Queue `task` (a dotted path to a function in some app's tasks.py); returns the task id."""
    return async_task(task, *args, task_name=key, group=group, **options)
