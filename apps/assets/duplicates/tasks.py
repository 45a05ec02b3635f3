"""django-q2 entry point for the duplicate job: thin, idempotent (a rerun yields the same groups)."""

from django_q.tasks import async_task

from . import services


def find_duplicates_task(threshold: int | None = None) -> str:
    return services.find_duplicates(threshold=threshold).summary()


def enqueue_find_duplicates(threshold: int | None = None) -> str:
    return async_task(
        "apps.assets.duplicates.tasks.find_duplicates_task", threshold,
        task_name=f"find-duplicates-{threshold if threshold is not None else 'default'}", group="duplicates",
    )
