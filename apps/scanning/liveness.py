"""Is anyone still behind an active scan? A scan whose worker is gone must not block its library.

- A running scan beats: a thread of the process that runs it writes ScanRun.heartbeat every
  MEDIAHUB_SCAN_STALE_SECONDS / 6, whatever the scan is doing (hashing a batch of big files on a
  slow share can take minutes between two of the walker's own progress writes). No beat for
  MEDIAHUB_SCAN_STALE_SECONDS, or its process gone from this machine, and it is stale.
- A queued scan is vouched for: every tick of a cluster serving the long queue (the one that runs
  scans; apps/scanning/recovery.py) writes the heartbeat of every queued scan. No vouch for
  MEDIAHUB_SCAN_STALE_SECONDS means no live scan worker, and a new request may replace it.
"""

import logging
import os
import socket
import threading
from contextlib import contextmanager

from django.conf import settings
from django.db import connection
from django.utils import timezone

from .models import ScanRun

logger = logging.getLogger(__name__)

VANISHED = "scan process vanished (killed or crashed); marked failed"
UNCLAIMED = "no scan worker took it (is the long-queue worker, Q_CLUSTER_NAME=mediahub-long, running?)"


def this_process() -> dict:
    return {"hostname": socket.gethostname(), "pid": os.getpid()}


def pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def is_stale(run: ScanRun) -> bool:
    """True for an active scan that nobody is running or going to run."""
    age = (timezone.now() - (run.heartbeat or run.started or run.created)).total_seconds()
    if run.state == ScanRun.State.RUNNING:
        if run.hostname == socket.gethostname() and run.pid and not pid_alive(run.pid):
            return True
        return age > settings.MEDIAHUB_SCAN_STALE_SECONDS
    if run.state == ScanRun.State.QUEUED:
        return age > settings.MEDIAHUB_SCAN_STALE_SECONDS
    return False


def why_stale(run: ScanRun) -> str:
    return UNCLAIMED if run.state == ScanRun.State.QUEUED else VANISHED


def vanished(run: ScanRun) -> bool:
    """A run that was failed because its process was gone."""
    return (
        run.state == ScanRun.State.FAILED
        and bool(run.error_log)
        and run.error_log[-1].get("error") == VANISHED
    )


def vouch_for_queued() -> int:
    return ScanRun.objects.filter(state=ScanRun.State.QUEUED).update(heartbeat=timezone.now())


@contextmanager
def beating(run: ScanRun):
    """Keep `run`'s heartbeat fresh from a thread while the block runs."""
    stop = threading.Event()
    interval = max(settings.MEDIAHUB_SCAN_STALE_SECONDS / 6, 0.2)

    def beat():
        try:
            while not stop.wait(interval):
                try:
                    # A ScanRun, or another job with the same liveness fields (a FileOperation).
                    type(run).objects.filter(pk=run.pk, state=ScanRun.State.RUNNING).update(
                        heartbeat=timezone.now()
                    )
                except Exception:
                    name = type(run).__name__
                    logger.warning("heartbeat of %s %s not written", name, run.pk, exc_info=True)
        finally:
            connection.close()  # this thread's own connection

    thread = threading.Thread(target=beat, name=f"{type(run).__name__}-{run.pk}-heartbeat", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()
