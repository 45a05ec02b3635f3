"""The nightly rescan: a django-q2 cron schedule, created once and then the admin's to edit.

A migration creates the row (0005) with MEDIAHUB_RESCAN_CRON; from then on the Django admin
(Scheduled tasks) is where its time is changed or it is switched off (repeats 0): nothing here
writes it again, so an admin's edit stays.
"""

import datetime as dt

from croniter import croniter
from django.utils import timezone

RESCAN_SCHEDULE = "Nightly rescan of every library"
RESCAN_TASK = "apps.scanning.tasks.rescan_libraries_task"


def next_cron_run(cron: str, after: dt.datetime | None = None) -> dt.datetime:
    """The first time after `after` (now) that `cron` names, in the server's time zone."""
    start = timezone.localtime(after or timezone.now())
    return croniter(cron, start).get_next(dt.datetime)


def ensure_rescan_schedule(schedule_model, cron: str) -> bool:
    """Create the nightly rescan row unless it exists (by name); True when created. Without a
    next_run django-q2 would run it at once; the first run is the next time the cron names."""
    if not cron:
        return False
    if not croniter.is_valid(cron):
        raise ValueError(f"MEDIAHUB_RESCAN_CRON={cron!r} is not a cron expression (e.g. '0 3 * * *')")
    _, created = schedule_model.objects.get_or_create(
        name=RESCAN_SCHEDULE,
        defaults={
            "func": RESCAN_TASK,
            "schedule_type": "C",  # Schedule.CRON (the migration's historical model has no constants)
            "cron": cron,
            "repeats": -1,
            "next_run": next_cron_run(cron),
        },
    )
    return created
