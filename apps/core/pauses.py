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


def pause(keys: Iterable[str], by: str = "") -> None:
    Pause.objects.bulk_create([Pause(key=key, paused_by=by) for key in keys], ignore_conflicts=True)


def resume(keys: Iterable[str]) -> int:
    return Pause.objects.filter(key__in=list(keys)).delete()[0]


def all_paused() -> dict:
    """{key: Pause} of everything paused."""
    return {row.key: row for row in Pause.objects.all()}
