"""One scan of one library: walk the tree, compare with the index, write only what changed.

An unchanged file costs the walker's stat and a dict lookup. New and changed files are hashed
(BLAKE3, streamed) and written in one transaction per walker batch, so a scan killed at any
point leaves a consistent index that the next scan completes: rows are unique per
(library, path) and the pipeline's AssetStage rows say what is still to do.
"""

import datetime as dt
import os
import time
from collections.abc import Callable
from dataclasses import dataclass

from blake3 import blake3
from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from apps.assets.models import Asset

from . import fsnames, ignored
from .bulk_insert import NewFile, insert_new_assets
from .media_types import mime_type
from .models import AssetStage, Library, ScanRun
from .scope import Scope
from .signals import tell_added
from .walker import FileEntry, WalkProblems, walk

EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
HASH_CHUNK = 1 << 20
HEARTBEAT_EVERY = 2.0  # seconds between progress writes to the ScanRun row
INDEX_CHUNK = 5000


class ScanCancelled(Exception):
    """The ScanRun stopped being 'running' under us (cancelled, or reaped as stale)."""


class LibraryUnavailable(Exception):
    """The root cannot be read, or looks unmounted: nothing may be marked missing."""


class FileChangedDuringScan(OSError):
    pass


def from_ns(mtime_ns: int) -> dt.datetime:
    return EPOCH + dt.timedelta(microseconds=mtime_ns // 1000)


def hash_file(path: str, size: int, mtime_ns: int) -> str:
    """BLAKE3 of the file, streamed; raises FileChangedDuringScan when it changed while being read."""
    fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW)
    with os.fdopen(fd, "rb", buffering=0) as fh:
        hasher = blake3()
        while chunk := fh.read(HASH_CHUNK):
            hasher.update(chunk)
        after = os.fstat(fh.fileno())
    if after.st_size != size or after.st_mtime_ns != mtime_ns:
        raise FileChangedDuringScan(f"changed while being read ({size} -> {after.st_size} bytes)")
    return hasher.hexdigest()


@dataclass
class Counts:
    files_seen: int = 0
    new: int = 0
    changed: int = 0
    moved: int = 0
    missing: int = 0
    errors: int = 0


class Scanner:
    def __init__(
        self,
        library: Library,
        run: ScanRun,
        *,
        full: bool = False,
        on_assets: Callable[[list], None] | None = None,
        on_progress: Callable[[int], None] | None = None,
        batch_size: int | None = None,
        scope: Scope | None = None,
    ):
        self.library = library
        self.scope = scope  # None: the whole library
        self.run = run
        self.root = library.root_path
        self.full = full
        self.on_assets = on_assets or (lambda ids: None)
        self.on_progress = on_progress or (lambda n: None)
        self.batch_size = batch_size or settings.MEDIAHUB_SCAN_BATCH_SIZE
        self.counts = Counts()
        self.problems = WalkProblems()
        self.index: dict[str, tuple[int, int]] = {}  # stored path -> (size, mtime in µs), unseen so far
        self.missing_paths: set[str] = set()
        self.ignored: set[str] = set()  # deleted for good in a read-only library (ignored.py)
        self._last_beat = 0.0

    # -- the index ---------------------------------------------------------------------------
    def load_index(self) -> int:
        # Plain SQL through a server-side cursor: the index streams in chunks and mtimes arrive as
        # integer microseconds, skipping a datetime object per row (a third of a rescan's time).
        self.ignored = ignored.ignored_paths(self.library)
        where, params = self.scope.index_filter() if self.scope else ("TRUE", [])
        sql = (
            f"SELECT path, size, (EXTRACT(EPOCH FROM mtime) * 1000000)::bigint, status = %s"
            f" FROM {Asset._meta.db_table} WHERE library_id = %s AND {where}"
        )
        with connection.chunked_cursor() as cursor:
            cursor.itersize = INDEX_CHUNK
            cursor.execute(sql, [Asset.Status.MISSING, self.library.pk, *params])
            while rows := cursor.fetchmany(INDEX_CHUNK):
                for path, size, mtime_us, missing in rows:
                    if not self._walked(path):
                        continue
                    self.index[path] = (size, -1 if mtime_us is None else mtime_us)
                    if missing:
                        self.missing_paths.add(path)
        return len(self.index)

    # -- the scan ----------------------------------------------------------------------------
    def _walked(self, stored_path: str) -> bool:
        """Whether this scan's walk covers an indexed path (every path, for a whole-library scan)."""
        return self.scope is None or self.scope.covers(fsnames.decode_path(stored_path))

    def scan(self) -> Counts:
        if not os.path.isdir(self.root):
            raise LibraryUnavailable(f"{self.root} is not reachable (removed, or a share not mounted?)")
        if self.scope is not None:
            return self.scan_scope()
        self.load_index()
        for batch in walk(self.root, self.problems, self.batch_size):
            self.process_batch(batch)
            self.on_progress(len(batch))
            self.heartbeat()
        if "" in self.problems.unreadable_dirs:
            raise LibraryUnavailable(f"{self.root} cannot be read")
        if self.counts.files_seen == 0 and self.index:
            # An unmounted share leaves an empty mount point: marking the whole library missing
            # would be the wrong answer to a temporary problem.
            raise LibraryUnavailable(
                f"{self.root} holds no media files but {len(self.index)} are indexed; "
                "not marking them missing (is a share unmounted?)"
            )
        self.mark_vanished()
        self.heartbeat(force=True)
        return self.counts

    def scan_scope(self) -> Counts:
        """Only the scope's folders: what the watcher saw touched."""
        if self._root_looks_unmounted():
            raise LibraryUnavailable(
                f"{self.root} is empty but files of it are indexed (is a share unmounted?)"
            )
        self.load_index()
        for folder, recursive in sorted(self.scope.folders.items()):
            absolute = os.path.join(self.root, folder)
            if not os.path.isdir(absolute) or os.path.islink(absolute):
                continue  # gone (or never a folder a walk enters): its indexed files are checked below
            for batch in walk(self.root, self.problems, self.batch_size, start=folder, recursive=recursive):
                batch = [entry for entry in batch if entry.relative not in self.scope.skip]
                self.process_batch(batch)
                self.on_progress(len(batch))
                self.heartbeat()
        if "" in self.problems.unreadable_dirs:
            raise LibraryUnavailable(f"{self.root} cannot be read")
        self.mark_vanished()
        self.heartbeat(force=True)
        return self.counts

    def _root_looks_unmounted(self) -> bool:
        # The whole-library scan's guard (no file found but files indexed) at the price of one entry.
        with os.scandir(self.root) as listing:
            empty = next(iter(listing), None) is None
        return empty and Asset.objects.filter(library=self.library).exists()

    def process_batch(self, batch: list[FileEntry]) -> None:
        self.counts.files_seen += len(batch)
        new_entries, changed = [], {}
        for entry in batch:
            stored = fsnames.encode_path(entry.relative)
            known = self.index.pop(stored, None)
            if known is None:
                if stored not in self.ignored:
                    new_entries.append((stored, entry))
            elif self.full or stored in self.missing_paths or known != (entry.size, entry.mtime_ns // 1000):
                changed[stored] = entry
        if not new_entries and not changed:
            return  # the common rescan case: no hashing, no query
        new_assets = self._hash_new(new_entries)
        moved = self._claim_moves(new_assets)
        replaced = {new.pk for new in moved.values()}
        new_assets = [a for a in new_assets if a.pk not in replaced]
        updates, reset_ids, touched_ids = self._compare_changed(changed)
        now = timezone.now()
        for asset in [*moved, *updates]:
            asset.updated = now  # bulk_update does not apply auto_now
        with transaction.atomic():
            inserted = insert_new_assets(self.library.pk, new_assets)
            if moved or updates:
                fields = [
                    "path",
                    "filename",
                    "size",
                    "mtime",
                    "content_hash",
                    "status",
                    "last_error",
                    "updated",
                ]
                Asset.objects.bulk_update([*moved, *updates], fields, batch_size=500)
            if reset_ids:
                # New content: every stage has to run again.
                AssetStage.objects.filter(asset_id__in=reset_ids).delete()
            self.counts.new += inserted
            self.counts.moved += len(moved)
            self._write_counts()
            if inserted:
                tell_added(self.library, [a.pk for a in new_assets], inserted, scan=self.run.pk)
        self.on_assets([a.pk for a in new_assets] + [a.pk for a in moved] + touched_ids)

    def _hash_new(self, new_entries) -> list[NewFile]:
        new_files = []
        for stored, entry in new_entries:
            digest = self._hash(entry)
            if digest is None:
                continue
            new_files.append(
                NewFile(
                    path=stored,
                    filename=fsnames.display_name(entry.name),
                    kind=entry.kind,
                    mime=mime_type(entry.name),
                    size=entry.size,
                    mtime=from_ns(entry.mtime_ns),
                    content_hash=digest,
                )
            )
        return new_files

    def _claim_moves(self, new_assets: list[NewFile]) -> dict[Asset, NewFile]:
        """Pair new files with indexed assets of the same content whose file is gone: those moved.

        The old asset takes the new path and keeps its id, so albums, faces and ratings follow.
        Returns {old asset (updated): new asset it replaces}.
        """
        if not new_assets:
            return {}
        by_hash: dict[str, list[NewFile]] = {}
        for asset in new_assets:
            by_hash.setdefault(asset.content_hash, []).append(asset)
        candidates = Asset.objects.filter(library=self.library, content_hash__in=list(by_hash)).only(
            "id", "path", "status", "content_hash", "last_error"
        )
        moved: dict[Asset, NewFile] = {}
        for old in candidates:
            waiting = by_hash.get(old.content_hash)
            if not waiting:
                continue
            # A source must be unseen so far in this walk (or already missing, or outside the part of
            # the library this scan walks) and really gone.
            if old.status != Asset.Status.MISSING and old.path not in self.index and self._walked(old.path):
                continue
            if os.path.lexists(os.path.join(self.root, fsnames.decode_path(old.path))):
                continue  # a copy, not a move
            new = waiting.pop(0)
            self.index.pop(old.path, None)
            self.missing_paths.discard(old.path)
            old.path, old.filename, old.size, old.mtime = new.path, new.filename, new.size, new.mtime
            if old.status == Asset.Status.MISSING:
                old.status = Asset.Status.PENDING
            moved[old] = new
        return moved

    def _compare_changed(self, changed: dict[str, FileEntry]) -> tuple[list[Asset], list, list]:
        """(assets to update, ids whose stages must re-run, ids to send through the pipeline)."""
        updates, reset_ids, touched_ids = [], [], []
        if not changed:
            return updates, reset_ids, touched_ids
        rows = Asset.objects.filter(library=self.library, path__in=list(changed)).only(
            "id", "path", "size", "mtime", "content_hash", "status", "last_error", "filename"
        )
        for asset in rows:
            entry = changed[asset.path]
            digest = self._hash(entry)
            if digest is None:
                continue
            was_missing = asset.status == Asset.Status.MISSING
            same_content = digest == asset.content_hash
            if (
                same_content
                and not was_missing
                and asset.size == entry.size
                and asset.mtime == from_ns(entry.mtime_ns)
            ):
                continue  # --full found nothing new
            asset.size, asset.mtime, asset.content_hash = entry.size, from_ns(entry.mtime_ns), digest
            if not same_content:
                asset.status, asset.last_error = Asset.Status.PENDING, ""
                reset_ids.append(asset.pk)
                self.counts.changed += 1
                touched_ids.append(asset.pk)
            elif was_missing:
                asset.status = Asset.Status.PENDING  # back where it was: stages are still done
                touched_ids.append(asset.pk)
            self.missing_paths.discard(asset.path)
            updates.append(asset)
        return updates, reset_ids, touched_ids

    def _hash(self, entry: FileEntry) -> str | None:
        try:
            return hash_file(os.path.join(self.root, entry.relative), entry.size, entry.mtime_ns)
        except OSError as exc:  # vanished, unreadable, or changed while read: the next scan retries
            self.problems.add(entry.relative, exc)
            return None

    def mark_vanished(self) -> None:
        """Indexed files not seen in this walk and really gone become 'missing' (kept, not deleted)."""
        gone = []
        for path in self.index:
            if path in self.missing_paths or self.problems.covers(fsnames.decode_path(path)):
                continue
            if not os.path.lexists(os.path.join(self.root, fsnames.decode_path(path))):
                gone.append(path)
            if len(gone) >= INDEX_CHUNK:
                self._mark_missing(gone)
                gone = []
        self._mark_missing(gone)

    def _mark_missing(self, paths: list[str]) -> None:
        if not paths:
            return
        with transaction.atomic():
            self.counts.missing += (
                Asset.objects.filter(library=self.library, path__in=paths)
                .exclude(status=Asset.Status.MISSING)
                .update(status=Asset.Status.MISSING, updated=timezone.now())
            )
            self._write_counts()

    # -- progress ----------------------------------------------------------------------------
    def heartbeat(self, force: bool = False) -> None:
        now = time.monotonic()
        if force or now - self._last_beat >= HEARTBEAT_EVERY:
            self._write_counts()

    def _write_counts(self) -> None:
        self.counts.errors = self.problems.count
        updated = ScanRun.objects.filter(pk=self.run.pk, state=ScanRun.State.RUNNING).update(
            heartbeat=timezone.now(), error_log=self.problems.log, **vars(self.counts)
        )
        self._last_beat = time.monotonic()
        if not updated:
            raise ScanCancelled(f"scan {self.run.pk} is no longer running")
