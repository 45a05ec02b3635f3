"""Queues and shared values whose locks the kernel frees when the process holding them dies.

Why: django-q2 hands tasks to its workers through one multiprocessing.Queue. A reader of such a queue
takes the queue's `_rlock` (a POSIX semaphore) and keeps it while it waits in `read()` for the next
task, so at any time one idle worker holds it. `kill -9` of that worker (or the OOM killer) leaves
the semaphore taken for ever: every other worker, and the worker the sentinel spawns in its place,
waits on it and the cluster runs nothing more (the pusher then blocks on the full queue, which is why
SIGTERM did not stop it either). Killing an idle worker that was *waiting* for the lock is harmless,
hence "it does not happen every time". A semaphore has no owner the kernel could release it for;
an flock() on a private open file description does: it goes away with the last process holding that
description, i.e. with the process that dies.
"""

import fcntl
import os
import tempfile
import threading
import time
import weakref
from multiprocessing.sharedctypes import Value
from typing import ClassVar

from django_q.queues import Queue

_POLL_S = 0.005  # re-try interval of a lock wait with a timeout


class ProcessLock:
    """A re-entrant lock for forked processes, released by the kernel when its holder dies.

    Every process opens its own file description of one unlinked temp file (after a fork, through
    /proc/self/fd) and flock()s it; threads of one process queue on a thread lock first, since
    flock() does not tell threads of one process apart. flock() does no deadlock detection (POSIX
    record locks would, per process, and would fail a worker whose feeder thread waits for another
    worker's lock with EDEADLK), so it only ever waits or succeeds.
    """

    _all: ClassVar[weakref.WeakSet] = weakref.WeakSet()  # every lock, to reopen after a fork

    def __init__(self):
        self._file = tempfile.TemporaryFile()  # noqa: SIM115 - open for the lock's whole life
        self._open_for_this_process()
        ProcessLock._all.add(self)

    def _open_for_this_process(self) -> None:
        # Its own open file description: a lock this process takes is not shared with its parent.
        self._fd = os.open(f"/proc/self/fd/{self._file.fileno()}", os.O_RDWR | os.O_CLOEXEC)
        self._thread_lock = threading.RLock()
        self._depth = 0

    @classmethod
    def _after_fork_in_child(cls) -> None:
        for lock in list(cls._all):
            os.close(lock._fd)  # the parent's description: closing our copy keeps the parent's lock
            lock._open_for_this_process()

    def acquire(self, block: bool = True, timeout: float | None = None) -> bool:
        deadline = None if not block or timeout is None else time.monotonic() + max(timeout, 0)
        if not block:
            got = self._thread_lock.acquire(False)
        else:
            got = self._thread_lock.acquire(True, -1 if deadline is None else max(timeout, 0))
        if not got:
            return False
        if self._depth == 0 and not self._flock(block, deadline):
            self._thread_lock.release()
            return False
        self._depth += 1
        return True

    def _flock(self, block: bool, deadline: float | None) -> bool:
        if block and deadline is None:
            fcntl.flock(self._fd, fcntl.LOCK_EX)
            return True
        while True:
            try:
                fcntl.flock(self._fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                return True
            except BlockingIOError:
                if not block or time.monotonic() >= deadline:
                    return False
                time.sleep(_POLL_S)

    def release(self) -> None:
        if self._depth <= 0:
            raise ValueError("release of an unlocked ProcessLock")
        self._depth -= 1
        if self._depth == 0:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
        self._thread_lock.release()

    __enter__ = acquire

    def __exit__(self, *exc):
        self.release()

    def __getstate__(self):
        raise TypeError("a ProcessLock is shared by forking, not by pickling")


os.register_at_fork(after_in_child=ProcessLock._after_fork_in_child)


def robust_value(typecode: str, initial):
    """multiprocessing.Value guarded by a ProcessLock (django-q's per-worker timer, queue sizes)."""
    return Value(typecode, initial, lock=ProcessLock())


class RobustQueue(Queue):
    """django-q's Queue with the reader, writer and size locks replaced by ProcessLocks.

    What a killed reader can still cost: a message half read (a kill between reading a message's
    length and its body, microseconds) and one slot of the size limit.
    """

    def __init__(self, maxsize: int = 0):
        super().__init__(maxsize)
        self._rlock = ProcessLock()
        self._wlock = ProcessLock()
        self.size.count = robust_value("i", 0)
