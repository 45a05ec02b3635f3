"""Paused work, by key (a pipeline stage's name, or "scan", "duplicates", "upload"): the Jobs page
pauses and resumes; whoever starts work asks here first and leaves paused work queued or pending.

Read from the database on every call (one indexed query): a pause must reach every worker process at
once, and the callers ask once per batch of work, not per asset.
"""

from collections.abc import Iterable

from .models import Pause


def paused_among(keys: Iterable[str]) -> set[str]:
    keys = list(keys)
    if not keys:
        return set()
    return set(Pause.objects.filter(key__in=keys).values_list("key", flat=True))


def is_paused(key: str) -> bool:
    return Pause.objects.filter(key=key).exists()


def note_skipped(key: str) -> None:
    """Work of `key` was not started because it is paused: whoever resumes it may start it then."""
    Pause.objects.filter(key=key, skipped=False).update(skipped=True)


def pause(keys: Iterable[str], by: str = "") -> None:
    Pause.objects.bulk_create([Pause(key=key, paused_by=by) for key in keys], ignore_conflicts=True)


def resume(keys: Iterable[str]) -> set[str]:
    """Resume these keys; returns those whose work was skipped while they were paused."""
    rows = Pause.objects.filter(key__in=list(keys))
    skipped = set(rows.filter(skipped=True).values_list("key", flat=True))
    rows.delete()
    return skipped


def all_paused() -> dict:
    """{key: Pause} of everything paused."""
    return {row.key: row for row in Pause.objects.all()}
