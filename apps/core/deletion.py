"""Deleting rows that background workers may be writing about at the same moment.

Django's cascade reads or deletes the dependent rows first, then deletes the parents, in one
transaction. A pipeline worker that commits a new dependent row (a stage status, the metadata)
between those two statements made the parents' DELETE break a foreign key: an IntegrityError, and
the user's "remove library" was a 500. Both sides are fixed by locking the parent rows first:

- here, the rows to delete (and the ones under them that workers write about) are locked FOR
  UPDATE before Django collects anything, so a worker's commit that would add a row under one of
  them waits for the delete, and then fails on its own side;
- in the pipeline (apps/scanning/pipeline.py), a worker locks the assets it writes about
  (FOR KEY SHARE) and leaves out those that vanished, quietly.
"""

import logging

from django.db import IntegrityError, OperationalError, connections, transaction
from django.utils.translation import gettext as _

from apps.core.errors import Conflict

logger = logging.getLogger(__name__)

ATTEMPTS = 3
# foreign_key_violation, deadlock_detected
RACE_STATES = {"23503", "40P01"}


def _is_race(exc: Exception) -> bool:
    return getattr(exc.__cause__, "sqlstate", None) in RACE_STATES


def lock_rows(queryset) -> int:
    """Lock the rows FOR UPDATE (in primary-key order, as every locker does, so no deadlock)."""
    return len(list(queryset.select_for_update().order_by("pk").values_list("pk", flat=True)))


def delete_locked(queryset, *under, what: str = "it"):
    """`queryset.delete()` with its rows, then the rows of each `under` queryset, locked beforehand.

    A race the locks cannot prevent (a deadlock the database broke by aborting us) is retried, and
    answered with Conflict (409) if it keeps happening. Returns what `delete()` returns.
    """
    for attempt in range(1, ATTEMPTS + 1):
        try:
            with transaction.atomic(using=queryset.db):
                for rows in (queryset, *under):
                    lock_rows(rows)
                deleted = queryset.delete()
                # Deferred foreign keys are checked here, inside the retry, not at some outer commit.
                connections[queryset.db].check_constraints()
                return deleted
        except (IntegrityError, OperationalError) as exc:
            if not _is_race(exc):
                raise
            logger.info("delete of %s raced a worker (attempt %s): %s", what, attempt, exc)
    raise Conflict(_("%(what)s is being processed right now; try again in a moment") % {"what": what})
