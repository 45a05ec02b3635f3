"""django-q2 entry point for the duplicate job: thin, idempotent (a rerun yields the same groups)."""

from apps.core import pauses

from . import services

PAUSE = "duplicates"  # the apps.core.pauses key of the Jobs page's "Duplicate finding"


def find_duplicates_task(threshold: int | None = None) -> str:
    if pauses.is_paused(PAUSE):
        pauses.note_skipped(PAUSE)  # resuming queues a search again
        return "duplicate finding is paused; skipped"
    return services.find_duplicates(threshold=threshold).summary()


def find_duplicates_if_idle() -> str:
    """Run by the schedule a scan that added files pushes (services.find_when_quiet)."""
    return services.find_if_idle()
