"""The watcher's loop: a watchdog observer per library root, events into `Changes`, scans out.

Events arrive on the observer's thread and only go into a queue; everything else (the database,
the bookkeeping) happens on the loop's thread. Scans are queued for the workers as any scan is
(services.start_scan, a ScanRun limited to the touched folders), so killing the watcher never
interrupts a scan, and what it had not yet handed over is caught up at its next start: each
library it starts watching gets one incremental scan (an unchanged file costs one stat).
"""

import logging
import os
import queue
import threading
import time
from dataclasses import dataclass

from django.conf import settings
from django.db import DatabaseError, close_old_connections, connection
from watchdog.events import (
    DirCreatedEvent,
    DirDeletedEvent,
    DirMovedEvent,
    FileClosedEvent,
    FileCreatedEvent,
    FileDeletedEvent,
    FileModifiedEvent,
    FileMovedEvent,
    FileSystemEvent,
    FileSystemEventHandler,
)
from watchdog.observers import Observer
from watchdog.observers.polling import PollingObserver

from .. import services
from ..models import Library
from .changes import Changes, relative_to

logger = logging.getLogger(__name__)

RETRY_AFTER_CONFLICT = 1.0  # seconds before asking again while another scan of the library is active
# What the watcher listens to. Not 'modified' (one event per write() call: a 3 MB copy is two dozen),
# 'opened' or 'closed_no_write' (every read, the scans' and the pipeline's own included): with them a
# 10,000-file copy read back once made 80,000 events, five times inotify's default queue
# (fs.inotify.max_queued_events, 16,384), which a reader behind on busy cores overflows. A file
# written to is closed after writing ('closed'), and its size is watched until stable.
# Polling sees no 'closed': a changed file is 'modified' there, one event per look.
EVENTS = [
    FileCreatedEvent,
    DirCreatedEvent,
    FileDeletedEvent,
    DirDeletedEvent,
    FileMovedEvent,
    DirMovedEvent,
    FileClosedEvent,
]
OVERFLOW_LOGGER = "watchdog.observers.inotify"
OVERFLOW_MESSAGE = "Inotify queue overflowed; reconciling recursive watches below"


class Forward(FileSystemEventHandler):
    """Hands the observer thread's events to the loop, tagged with their library."""

    def __init__(self, library_id: int, events: queue.SimpleQueue):
        self.library_id = library_id
        self.events = events

    def on_any_event(self, event: FileSystemEvent) -> None:
        self.events.put((self.library_id, event))


class Overflow(logging.Handler):
    """The kernel dropped events: watchdog only logs it (with the watched root), so this handler on
    its logger is how the loop learns that a library's folders must all be looked at again."""

    def __init__(self, events: queue.SimpleQueue):
        super().__init__()
        self.events = events

    def emit(self, record: logging.LogRecord) -> None:
        if record.msg.startswith(OVERFLOW_MESSAGE) and record.args:
            self.events.put((None, str(record.args[0])))


@dataclass
class Watched:
    name: str
    root: str
    watch: object  # the observer's handle, to unschedule it
    identity: tuple | None  # (st_dev, st_ino) of the root when the watch was set
    retry_at: float = 0.0


def identity(root: str) -> tuple | None:
    """Which folder `root` is now: a share mounted over it (or unmounted, or the folder made
    again) is another folder, whose events the old watch never sees."""
    try:
        info = os.stat(root)
    except OSError:
        return None
    return (info.st_dev, info.st_ino)


def event_paths(event: FileSystemEvent) -> list[tuple[str, bool]]:
    """(path, gone) pairs an event touches; a folder merely 'modified' touches nothing of its own."""
    if event.is_directory and event.event_type in ("modified", "closed"):
        return []
    if event.event_type == "deleted":
        return [(event.src_path, True)]
    if event.event_type == "moved":
        return [(event.src_path, True), (event.dest_path, False)]
    return [(event.src_path, False)]


class Watcher:
    def __init__(self, *, poll: float = 0, settle: float, max_wait: float, refresh: float, out=None):
        self.poll = poll
        self.observer = PollingObserver(timeout=poll) if poll else Observer()
        self.event_filter = [*EVENTS, FileModifiedEvent] if poll else EVENTS
        self.events: queue.SimpleQueue = queue.SimpleQueue()
        self.changes = Changes(settle, max_wait)
        self.refresh = refresh
        self.tick_every = min(0.5, max(settle / 4, 0.05))
        self.watched: dict[int, Watched] = {}
        self.out = out or (lambda line: logger.info("%s", line))
        self.scans_queued = 0
        self.overflow = Overflow(self.events)
        self.unwatchable: set[int] = set()  # said once, until it can be watched again

    @classmethod
    def from_settings(cls, out=None) -> "Watcher":
        return cls(
            poll=settings.MEDIAHUB_WATCH_POLL,
            settle=settings.MEDIAHUB_WATCH_SETTLE,
            max_wait=settings.MEDIAHUB_WATCH_MAX_WAIT,
            refresh=settings.MEDIAHUB_WATCH_REFRESH,
            out=out,
        )

    # -- libraries ---------------------------------------------------------------------------
    def sync_libraries(self) -> None:
        """Watch every library that is not paused, and only those (the table is the truth)."""
        wanted = {lib.pk: lib for lib in Library.objects.filter(paused=False).only("pk", "name", "root_path")}
        for library_id, watched in list(self.watched.items()):
            library = wanted.get(library_id)
            moved = library is None or library.root_path != watched.root
            if moved or identity(watched.root) != watched.identity:
                self._unwatch(library_id)
        for library_id, library in wanted.items():
            if library_id not in self.watched:
                self._watch(library)

    def _watch(self, library: Library) -> None:
        try:
            handler = Forward(library.pk, self.events)
            handle = self.observer.schedule(handler, library.root_path, recursive=True, event_filter=self.event_filter)
        except OSError as exc:
            # An unmounted share, or inotify's watch limit (fs.inotify.max_user_watches): said, and
            # tried again at each refresh. MEDIAHUB_WATCH_POLL needs no watches at all.
            if library.pk not in self.unwatchable:
                self.unwatchable.add(library.pk)
                self.out(f"cannot watch '{library.name}' at {library.root_path}: {exc}")
            return
        self.unwatchable.discard(library.pk)
        root = library.root_path
        self.watched[library.pk] = Watched(library.name, root, handle, identity(root))
        how = f"polling every {self.poll:g} s" if self.poll else "inotify"
        self.out(f"watching '{library.name}' at {library.root_path} ({how})")
        self._catch_up(library)

    def _catch_up(self, library: Library) -> None:
        """What changed while nobody watched (the watcher stopped or killed, the library paused)."""
        try:
            run = services.start_scan(library)
        except services.ScanConflict:
            return  # a scan already queued or running walks the library anyway
        self.scans_queued += 1
        self.out(f"scan {run.pk} of '{library.name}' queued: catching up")

    def _unwatch(self, library_id: int) -> None:
        watched = self.watched.pop(library_id)
        try:
            self.observer.unschedule(watched.watch)
        except KeyError:
            pass  # its emitter had stopped already (the root was deleted)
        self.changes.forget(library_id)
        self.out(f"stopped watching '{watched.name}' (removed, paused, or its folder replaced)")

    # -- events and scans --------------------------------------------------------------------
    def drain(self) -> None:
        while True:
            try:
                library_id, event = self.events.get_nowait()
            except queue.Empty:
                return
            if library_id is None:
                self._lost_events(event)
                continue
            watched = self.watched.get(library_id)
            if watched is None:
                continue
            for path, gone in event_paths(event):
                relative = relative_to(watched.root, path)
                if relative is not None:
                    self.changes.record(library_id, relative, event.is_directory, gone)

    def _lost_events(self, root: str) -> None:
        for library_id, watched in self.watched.items():
            if watched.root == root:
                # Which folders changed is unknown: all of them, in the same debounced way.
                self.changes.record(library_id, "", True, gone=False)
                self.out(f"events of '{watched.name}' were lost (inotify queue overflow): scanning all of it")

    def queue_scans(self) -> None:
        now = time.monotonic()
        for library_id, watched in list(self.watched.items()):
            if now < watched.retry_at:
                continue
            scope = self.changes.due(library_id, watched.root)
            if scope is None:
                continue
            library = Library.objects.filter(pk=library_id).first()
            if library is None or library.paused:
                self._unwatch(library_id)
                continue
            try:
                run = services.start_scan(library, scope=scope)
            except services.ScanConflict:
                watched.retry_at = now + RETRY_AFTER_CONFLICT  # its changes wait for the active scan
                continue
            self.changes.queued(library_id, scope)
            self.scans_queued += 1
            left = f", {len(scope.skip)} file(s) still being written left for later" if scope.skip else ""
            self.out(f"scan {run.pk} of '{watched.name}' queued: {len(scope.folders)} folder(s){left}")

    def tick(self) -> None:
        self.drain()
        self.queue_scans()

    def run(self, stop: threading.Event) -> None:
        self.observer.start()
        logging.getLogger(OVERFLOW_LOGGER).addHandler(self.overflow)
        next_sync, ready = 0.0, False
        try:
            while not stop.is_set():
                try:
                    if time.monotonic() >= next_sync:
                        close_old_connections()
                        self.sync_libraries()
                        next_sync = time.monotonic() + self.refresh
                        if not ready:
                            ready = True
                            count = len(self.watched)
                            self.out(f"ready: watching {count} librar{'y' if count == 1 else 'ies'}")
                    self.tick()
                except DatabaseError as exc:
                    # The database restarting: events stay queued, the next tick tries again.
                    logger.warning("watcher: database unavailable (%s); retrying", exc)
                    connection.close()
                stop.wait(self.tick_every)
        finally:
            logging.getLogger(OVERFLOW_LOGGER).removeHandler(self.overflow)
            self.observer.stop()
            self.observer.join(timeout=10)
