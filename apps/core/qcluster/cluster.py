"""The qcluster main process: starts RobustSentinel, stops it in bounded time, leaves no orphans."""

import ctypes
import logging
import os
import signal
import time
import uuid
from multiprocessing import Event

import psutil
from django import db
from django.conf import settings
from django.utils.translation import gettext as _
from django_q.cluster import Cluster, get_mp_context
from django_q.conf import logger as q_logger

from .sentinel import MONITOR_STOP_S, PUSHER_STOP_S, RobustSentinel

logger = logging.getLogger(__name__)


PR_SET_PDEATHSIG = 1  # linux/prctl.h
_libc = ctypes.CDLL(None, use_errno=True)
_forking_parent = 0


def _note_parent() -> None:
    global _forking_parent  # read by the child, in its copy of this memory
    _forking_parent = os.getpid()


def _die_with_parent() -> None:
    # The kernel kills this child when the process that forked it ends, however it ends: a sentinel
    # killed with -9 takes its workers with it instead of leaving them waiting on its queues.
    _libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != _forking_parent:  # it ended before the line above
        os._exit(1)


def tie_children_to_parents() -> None:
    """Every process forked from here on (sentinel, workers, pusher, monitor and their reincarnations)
    dies with the process that forked it."""
    os.register_at_fork(before=_note_parent, after_in_child=_die_with_parent)


class MediaHubCluster(Cluster):
    """django-q2's Cluster with RobustSentinel (its start() names django-q2's Sentinel directly)."""

    def start(self) -> int:
        # The sentinel is forked from here: it must not inherit (and later close) our connection.
        db.connections.close_all()
        tie_children_to_parents()
        self.stop_event = Event()
        self.start_event = Event()
        self.sentinel = get_mp_context().Process(
            target=RobustSentinel,
            name=f"Process-{uuid.uuid4().hex}",
            args=(self.stop_event, self.start_event, self.cluster_id, self.broker, self.timeout),
        )
        self.sentinel.start()
        q_logger.info(_("Q Cluster %(name)s starting.") % {"name": self.name})
        # Polled, not wait()ed: a signal arriving while blocked in wait() would deadlock (django-q2).
        while self.start_event and not self.start_event.is_set():
            if not self.sentinel.is_alive():
                if self.sentinel.exitcode == 0:
                    break  # stopped by a signal while starting
                raise RuntimeError(
                    f"Q Cluster {self.name} failed to start: sentinel exited with code {self.sentinel.exitcode}"
                )
            time.sleep(0.1)
        return self.pid

    def stop(self) -> bool:
        """Bounded: the sentinel's own stop takes at most the workers' grace plus a few seconds."""
        if not self.sentinel or not self.sentinel.is_alive():
            return False
        q_logger.info(_("Q Cluster %(name)s stopping.") % {"name": self.name})
        family = descendants(self.sentinel.pid)
        self.stop_event.set()
        self.sentinel.join(settings.MEDIAHUB_WORKER_STOP_GRACE + PUSHER_STOP_S + MONITOR_STOP_S + 5)
        if self.sentinel.is_alive():
            logger.error("Q Cluster %s did not stop in time: killed", self.name)
        kill_all([psutil.Process(self.sentinel.pid), *family] if self.sentinel.is_alive() else family)
        q_logger.info(_("Q Cluster %(name)s has stopped.") % {"name": self.name})
        self.start_event = None
        self.stop_event = None
        return True

    def supervise(self) -> int:
        """Wait for the sentinel; if it dies by itself, kill what it leaves behind. Returns the exit
        code for the process: non-zero when the cluster ended without being asked to, so a
        supervisor (systemd, Docker, run.sh) notices and restarts it."""
        family = []
        while self.sentinel.is_alive():
            family = descendants(self.sentinel.pid) or family
            time.sleep(1)
        if self.stop_event is None:  # stop() ran: a requested stop
            return 0
        logger.error("Q Cluster %s: the sentinel died (exit code %s)", self.name, self.sentinel.exitcode)
        kill_all(family)
        return 1


def descendants(pid: int) -> list:
    try:
        return psutil.Process(pid).children(recursive=True)
    except psutil.NoSuchProcess:
        return []


def kill_all(processes) -> None:
    for process in processes:
        try:
            process.kill()  # psutil checks the pid still names the same process
        except psutil.NoSuchProcess:
            pass
