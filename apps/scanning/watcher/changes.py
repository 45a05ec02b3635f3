"""From file events to folder scans: which folders, and when.

Like paperless-ngx's consumer, a file is taken only once it is stable: its size and mtime unchanged
for `settle` seconds, so a half-copied file is never indexed. Events are debounced per library: the
scan waits until the library has been quiet for `settle` seconds, so 10,000 files copied at once are
one scan (a few while a scan is running: what arrives meanwhile waits for it to finish), not 10,000.
A library that never goes quiet (a long import) is still scanned every `max_wait` seconds, its files
still being written left for a later scan. Pure bookkeeping over a clock: no threads, no database.
"""

import os
import time
from dataclasses import dataclass, field

from ..media_types import classify
from ..scope import Scope
from ..walker import is_walked

UNKNOWN = (-1, -1)


@dataclass
class FileState:
    seen: tuple[int, int]  # (size, mtime_ns) at the last look; UNKNOWN before the first
    since: float  # when it last changed (or an event said it did)


@dataclass
class Pending:
    """What happened in one library since its last scan was queued."""

    folders: dict[str, bool] = field(default_factory=dict)  # relative folder -> recursive
    files: dict[str, FileState] = field(default_factory=dict)  # media files written to, by relative path
    first: float = 0.0  # oldest change not yet handed to a scan
    last: float = 0.0  # newest event

    def add_folder(self, folder: str, recursive: bool, now: float) -> None:
        if not self.folders:
            self.first = now
        self.folders[folder] = self.folders.get(folder, False) or recursive
        self.last = now


def relative_to(root: str, path: str) -> str | None:
    """`path` relative to `root`, '/'-separated; None outside it or for the root itself."""
    relative = os.path.relpath(path, root)
    if relative == "." or relative == ".." or relative.startswith(".." + os.sep):
        return None
    return relative.replace(os.sep, "/")


def parent_of(relative: str) -> str:
    return relative.rpartition("/")[0]


class Changes:
    def __init__(self, settle: float, max_wait: float, clock=time.monotonic):
        self.settle = settle
        self.max_wait = max(max_wait, settle)
        self.clock = clock
        self.pending: dict[int, Pending] = {}

    def record(self, library_id: int, relative: str, is_directory: bool, gone: bool) -> bool:
        """One path of an event: `gone` when it was deleted or moved away. False when ignored."""
        if not is_walked(relative, is_directory):
            return False  # hidden (editors' and rsync's temporary files) or a NAS's system folder
        now = self.clock()
        pending = self.pending.setdefault(library_id, Pending())
        if is_directory:
            # A folder that appeared, vanished or moved: everything below it, in one walk.
            pending.add_folder(relative, True, now)
            return True
        if classify(relative.rpartition("/")[2]) is None:
            return False
        pending.add_folder(parent_of(relative), False, now)
        if gone:
            pending.files.pop(relative, None)
        else:
            state = pending.files.setdefault(relative, FileState(UNKNOWN, now))
            state.since = now
        return True

    def due(self, library_id: int, root: str) -> Scope | None:
        """The scan `library_id` needs now, or None while it should wait."""
        pending = self.pending.get(library_id)
        if pending is None or not pending.folders:
            return None
        now = self.clock()
        unstable = self._unstable(pending, root, now)
        quiet = now - pending.last >= self.settle
        if (quiet and not unstable) or now - pending.first >= self.max_wait:
            return Scope.of(dict(pending.folders), unstable)
        return None

    def _unstable(self, pending: Pending, root: str, now: float) -> set[str]:
        unstable = set()
        for relative, state in list(pending.files.items()):
            try:
                info = os.stat(os.path.join(root, relative), follow_symlinks=False)
            except OSError:
                del pending.files[relative]  # gone again: the folder's scan sees to it
                continue
            seen = (info.st_size, info.st_mtime_ns)
            if seen != state.seen:
                state.seen, state.since = seen, now
            if now - state.since < self.settle:
                unstable.add(relative)
        return unstable

    def queued(self, library_id: int, scope: Scope) -> None:
        """`scope` went to a scan: forget it, keeping the files it skipped for the next one."""
        pending = self.pending[library_id]
        now = self.clock()
        left = Pending()
        for relative in scope.skip:
            if relative in pending.files:
                left.files[relative] = pending.files[relative]
                left.add_folder(parent_of(relative), False, now)
        left.last = pending.last
        self.pending[library_id] = left

    def forget(self, library_id: int) -> None:
        self.pending.pop(library_id, None)

    def waiting(self) -> int:
        return sum(len(p.folders) for p in self.pending.values())
