"""django-q2 entry point for the duplicate job: thin, idempotent (a rerun yields the same groups)."""

from . import services


def find_duplicates_task(threshold: int | None = None) -> str:
    return services.find_duplicates(threshold=threshold).summary()


def find_duplicates_if_idle() -> str:
    """Run by the schedule a scan that added files pushes (services.find_when_quiet)."""
    return services.find_if_idle()
