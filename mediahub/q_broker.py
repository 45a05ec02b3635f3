"""django-q2's ORM broker, made to ride out a database outage.

The stock broker lets a database error escape: the pusher logs a traceback, sleeps 10 s and dies,
and the monitor dies the same way when it acknowledges a task; the sentinel reincarnates both, so
the queue stalls and the log fills while the database is away. Here a poll that finds the database
gone waits (backing off, logged once per outage) and polls again; the next poll connects anew, and
the embedded server is started again by that connection (mediahub.embedded_db).
"""

import logging
import time

from django.db import InterfaceError, OperationalError, connections
from django_q.brokers.orm import ORM
from django_q.conf import Conf

logger = logging.getLogger("mediahub.queue")

UNAVAILABLE = (OperationalError, InterfaceError)
MAX_BACKOFF = 2.0  # seconds between polls while the database is away; the pusher stops only between polls
ACK_PATIENCE = 15.0  # seconds an acknowledgement waits for the database before the task is left to its retry


class ResilientORM(ORM):
    _outage_since: float | None = None
    _failed_polls = 0

    def dequeue(self):
        try:
            tasks = super().dequeue()
        except UNAVAILABLE as exc:
            self._wait_for_database(exc)
            return None
        if self._outage_since is not None:
            logger.info("database back after %.1f s; the queue goes on", time.monotonic() - self._outage_since)
            self._outage_since, self._failed_polls = None, 0
        return tasks

    def acknowledge(self, task_id):
        # A task whose acknowledgement is lost is run again after its retry window: the tasks are
        # idempotent, so waiting a little for the database is only about not doing work twice.
        deadline = time.monotonic() + ACK_PATIENCE
        while True:
            try:
                return super().acknowledge(task_id)
            except UNAVAILABLE as exc:
                if time.monotonic() > deadline:
                    logger.warning("task %s not acknowledged (database unavailable: %s); it will be retried",
                                   task_id, str(exc).strip())
                    return None
                self._wait_for_database(exc)

    def _wait_for_database(self, exc: Exception) -> None:
        if self._outage_since is None:
            self._outage_since = time.monotonic()
            logger.warning("database unavailable, the queue waits for it: %s", str(exc).strip())
        self._failed_polls += 1
        _close_quietly()
        time.sleep(min(Conf.POLL * 2**self._failed_polls, MAX_BACKOFF))


def _close_quietly() -> None:
    """Drop the broken connection so the next poll opens a new one."""
    try:
        connections[Conf.ORM].close()
    except UNAVAILABLE:
        pass
