"""Streams the media files of a folder tree in bounded batches.

One directory is open at a time and only the directories still to visit are kept, so memory
stays flat however many files the tree holds. Problems with single entries (unreadable folders,
files that vanish between listing and stat) are reported in `WalkProblems` and never stop the walk.
"""

import os
import stat
from collections.abc import Iterator
from dataclasses import dataclass, field

from .media_types import classify

# Folders that NAS boxes and operating systems scatter through photo trees: never media.
SKIPPED_DIRS = {"@eaDir", "#recycle", "#snapshot", "$RECYCLE.BIN", "System Volume Information", "lost+found"}
PROBLEM_LOG_CAP = 1000


@dataclass(slots=True)
class FileEntry:
    relative: str  # relative to the root, '/'-separated, surrogate-escaped when not UTF-8
    name: str
    kind: str
    size: int
    mtime_ns: int


@dataclass
class WalkProblems:
    """What the walk could not read; unreadable folders also protect their indexed files from 'missing'."""

    unreadable_dirs: list[str] = field(default_factory=list)  # relative paths ('' is the root)
    log: list[dict] = field(default_factory=list)
    count: int = 0

    def add(self, relative: str, error: BaseException | str) -> None:
        self.count += 1
        if len(self.log) < PROBLEM_LOG_CAP:
            self.log.append({"path": relative, "error": str(error)})

    def covers(self, relative: str) -> bool:
        """True when `relative` lies under a folder that could not be read."""
        return any(d == "" or relative.startswith(d + "/") for d in self.unreadable_dirs)


def is_hidden(name: str) -> bool:
    return name.startswith(".")


def is_walked(relative: str, is_dir: bool = False) -> bool:
    """Whether a full walk reaches `relative` (a '/'-separated path under the root): nothing hidden
    and no skipped folder on the way, so the watcher ignores what a scan would never index."""
    parts = [part for part in relative.split("/") if part]
    folders = parts if is_dir else parts[:-1]
    return not any(is_hidden(part) for part in parts) and not any(part in SKIPPED_DIRS for part in folders)


def walk(
    root: str, problems: WalkProblems, batch_size: int = 1000, start: str = "", recursive: bool = True
) -> Iterator[list[FileEntry]]:
    """Yield lists of at most `batch_size` media files under `root`, depth first.

    `start` (relative to `root`) walks only that folder, and without its sub-folders unless
    `recursive`; paths stay relative to `root` (the watcher's scans of touched folders)."""
    root = os.path.abspath(root)
    pending = [start]  # relative folders still to list
    visited: set[tuple[int, int]] = set()  # (dev, inode) of folders listed: bind-mount loops end here
    batch: list[FileEntry] = []
    while pending:
        relative_dir = pending.pop()
        absolute_dir = os.path.join(root, relative_dir) if relative_dir else root
        try:
            dir_stat = os.stat(absolute_dir, follow_symlinks=False)
            if (dir_stat.st_dev, dir_stat.st_ino) in visited:
                continue
            visited.add((dir_stat.st_dev, dir_stat.st_ino))
            listing = os.scandir(absolute_dir)
        except OSError as exc:
            problems.unreadable_dirs.append(relative_dir)
            problems.add(relative_dir or ".", exc)
            continue
        subdirs = []
        # Entries are consumed as the kernel returns them: a folder of a million files never
        # becomes a list. Only this one folder is open while the batch goes to the caller.
        with listing:
            for entry in _entries(listing, relative_dir, problems):
                name = entry.name
                if is_hidden(name):
                    continue
                relative = f"{relative_dir}/{name}" if relative_dir else name
                try:
                    # Symlinks are not followed: one inside the root duplicates what the walk reaches
                    # anyway, one outside it could not be opened (files are confined to the root).
                    if entry.is_dir(follow_symlinks=False):
                        if name not in SKIPPED_DIRS:
                            subdirs.append(relative)
                        continue
                    if not entry.is_file(follow_symlinks=False):
                        continue  # symlinks, FIFOs, sockets, devices: reading one could hang or escape
                    kind = classify(name)
                    if kind is None:
                        continue
                    info = entry.stat(follow_symlinks=False)
                except OSError as exc:  # vanished between listing and stat, or unreadable
                    problems.add(relative, exc)
                    continue
                if not stat.S_ISREG(info.st_mode):
                    continue
                batch.append(FileEntry(relative, name, kind, info.st_size, info.st_mtime_ns))
                if len(batch) >= batch_size:
                    yield batch
                    batch = []
        subdirs.sort(reverse=True)  # the stack then pops sibling folders in name order
        if recursive:
            pending.extend(subdirs)
    if batch:
        yield batch


def _entries(listing, relative_dir: str, problems: WalkProblems):
    """The folder's entries; a read error in the middle of a listing ends that folder only."""
    try:
        yield from listing
    except OSError as exc:
        problems.unreadable_dirs.append(relative_dir)
        problems.add(relative_dir or ".", exc)
