"""Library management and scanning: the one place views, tasks and commands call."""

import logging
import os
from pathlib import Path

from blake3 import blake3
from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.assets.derivatives.storage import delete_derivatives
from apps.assets.models import Asset
from apps.core import events, pauses
from apps.core.deletion import delete_locked
from apps.core.errors import BadInput, Conflict
from apps.core.queue import LONG, ML, QUEUES, SHORT, enqueue, waiting
from apps.core.validators import plain_id
from mediahub.config import LONG_QUEUE

from . import liveness
from .models import Library, ScanRun
from .pipeline import locked_assets, run_stages
from .roots import LibraryPathError, validate_root
from .scanner import Counts, LibraryUnavailable, ScanCancelled, Scanner
from .scope import Scope
from .signals import scan_added_files

logger = logging.getLogger(__name__)

ACTIVE_STATES = (ScanRun.State.QUEUED, ScanRun.State.RUNNING)
INLINE_STAGE_CHUNK = 256  # assets per run_stages call when a scan runs the pipeline itself


class ScanConflict(Conflict):
    """A scan of this library is already queued or running, or the library is paused (409)."""


# -- libraries -------------------------------------------------------------------------------
def get_or_add_library(path: str, owner, name: str | None = None) -> tuple[Library, bool]:
    root = validate_root(path)
    existing = Library.objects.filter(root_path=str(root)).first()
    if existing:
        return existing, False
    return add_library(str(root), owner, name), True


def add_library(path: str, owner, name: str | None = None) -> Library:
    root = validate_root(path)
    for other in Library.objects.only("name", "root_path"):
        other_root = Path(other.root_path)
        if other_root == root:
            raise LibraryPathError(f"'{root}' is already the library '{other.name}'")
        # Nested roots would index the same files twice.
        if other_root in root.parents or root in other_root.parents:
            raise LibraryPathError(f"'{root}' overlaps the library '{other.name}' at {other_root}")
    try:
        return Library.objects.create(root_path=str(root), owner=owner, name=name or root.name or str(root))
    except IntegrityError:
        raise LibraryPathError(f"'{root}' is already a library") from None


def rename_library(library: Library, name: str) -> Library:
    library.name = name
    library.save(update_fields=["name"])
    return library


def set_paused(library: Library, paused: bool) -> Library:
    library.paused = paused
    library.save(update_fields=["paused"])
    return library


def set_read_only(library: Library, read_only: bool) -> Library:
    """Whether MediaHub may write into the folder: file operations (apps/scanning/fileops), XMP
    sidecars, and removing an original deleted for good. An upload library is MediaHub's own folder
    and stays writable."""
    if read_only and library.is_upload:
        raise BadInput(_("an upload library is MediaHub's own folder and stays writable"), field="read_only")
    library.read_only = read_only
    library.save(update_fields=["read_only"])
    return library


def remove_library(library: Library) -> None:
    """Forget the library, its assets and their derivatives; the originals are left untouched."""
    library.scan_runs.filter(state__in=ACTIVE_STATES).update(
        state=ScanRun.State.CANCELLED, finished=timezone.now()
    )
    ids = Asset.objects.filter(library=library).values_list("id", flat=True)
    batch = []
    for asset_id in ids.iterator(chunk_size=2000):
        batch.append(asset_id)
        if len(batch) >= 2000:
            delete_derivatives(batch)
            batch = []
    if batch:
        delete_derivatives(batch)
    # Locked, so pipeline workers still writing about its assets wait for the delete (apps/core/deletion.py).
    delete_locked(
        Library.objects.filter(pk=library.pk), Asset.objects.filter(library=library), what="this library"
    )


def library_for(reference: str) -> Library:
    """A library by id, name or root path (for the command line)."""
    query = Q(name=reference)
    if (pk := plain_id(reference)) is not None:
        query |= Q(pk=pk)
    if os.path.isabs(reference):
        query |= Q(root_path=str(Path(reference).resolve()))
    matches = list(Library.objects.filter(query)[:2])
    if len(matches) != 1:
        raise Library.DoesNotExist(
            f"no library matches '{reference}'" if not matches else f"'{reference}' matches several libraries"
        )
    return matches[0]


# -- scans -----------------------------------------------------------------------------------
def reap_stale_scans(library: Library) -> int:
    reaped = 0
    for run in library.scan_runs.filter(state__in=ACTIVE_STATES):
        if liveness.is_stale(run):
            reaped += fail_stale(run)
    return reaped


def fail_stale(run: ScanRun) -> int:
    """Mark an active scan whose worker is gone failed, saying why; 1 if this call did it."""
    log = [*run.error_log, {"path": "", "error": liveness.why_stale(run)}]
    return ScanRun.objects.filter(pk=run.pk, state=run.state).update(
        state=ScanRun.State.FAILED, finished=timezone.now(), error_log=log
    )


def _create_run(library: Library, state: str, full: bool, scope: Scope | None = None) -> ScanRun:
    if library.paused:
        raise ScanConflict(f"library '{library.name}' is paused")
    reap_stale_scans(library)
    extra = {}
    if state == ScanRun.State.RUNNING:
        now = timezone.now()
        extra = {**liveness.this_process(), "started": now, "heartbeat": now}
    try:
        with transaction.atomic():
            return ScanRun.objects.create(
                library=library, state=state, full=full, scope=scope.to_json() if scope else {}, **extra
            )
    except IntegrityError:  # the one-active-scan-per-library constraint
        raise ScanConflict(f"a scan of '{library.name}' is already queued or running") from None


def start_scan(library: Library, full: bool = False, scope: Scope | None = None) -> ScanRun:
    """Queue a scan for a worker (API, UI, watcher, nightly schedule); `scope` limits it to some
    folders (the watcher's). Raises ScanConflict."""
    run = _create_run(library, ScanRun.State.QUEUED, full, scope)
    transaction.on_commit(lambda: enqueue_scan(run))
    return run


def scan_queue(run: ScanRun) -> str:
    """Where a scan waits. A whole-library scan is long work (the long queue). A scan of some
    folders (the watcher's) is a few files: on the long queue it would wait behind a transcode or a
    re-cluster, and a new photo would appear minutes late, so it runs on the default queue."""
    return SHORT if run.scope else LONG


def enqueue_scan(run: ScanRun) -> str:
    queue = scan_queue(run)
    # A scoped scan may still be big (10,000 files copied into one folder): it keeps the long
    # queue's time limit on the default queue's workers.
    limit = {"timeout": settings.Q_CLUSTER["ALT_CLUSTERS"][LONG_QUEUE]["timeout"]} if queue == SHORT else {}
    return enqueue(
        "apps.scanning.tasks.scan_library_task",
        run.pk,
        key=f"scan-{run.library_id}-{run.pk}",
        group="scan",
        queue=queue,
        **limit,
    )


SCAN_PAUSE = "scan"  # the apps.core.pauses key of scans (the Jobs page's "Library scans")


def run_queued_scan(run_id: int) -> ScanRun | None:
    """Worker side of start_scan: claim the queued run (once, however often the task was enqueued).
    While scans are paused the run stays queued: resuming them queues it again."""
    if pauses.is_paused(SCAN_PAUSE):
        pauses.note_skipped(SCAN_PAUSE)
        logger.info("scans are paused: scan %s stays queued", run_id)
        return None
    now = timezone.now()
    claimed = ScanRun.objects.filter(pk=run_id, state=ScanRun.State.QUEUED).update(
        state=ScanRun.State.RUNNING, started=now, heartbeat=now, **liveness.this_process()
    )
    if not claimed:
        return None
    run = ScanRun.objects.select_related("library").get(pk=run_id)
    return scan_library(run.library, full=run.full, run=run)


def scan_library(
    library: Library,
    *,
    full: bool = False,
    inline: bool = False,
    run: ScanRun | None = None,
    on_progress=None,
    batch_size: int | None = None,
    scope: Scope | None = None,
) -> ScanRun:
    """Scan one library now, in this process, and send new or changed assets through the pipeline.

    inline=True runs the pipeline stages here, batch by batch; otherwise they are queued for the
    workers. Raises ScanConflict when another scan of the library is active. Returns the ScanRun.
    """
    if run is None:
        run = _create_run(library, ScanRun.State.RUNNING, full, scope)
    scope = Scope.from_json(run.scope)

    def send_to_pipeline(asset_ids):
        if not inline:
            enqueue_stages(asset_ids)
            return
        # Big chunks keep commits few; the scanner's own progress write between them.
        for start in range(0, len(asset_ids), INLINE_STAGE_CHUNK):
            run_stages(asset_ids[start : start + INLINE_STAGE_CHUNK])
            scanner.heartbeat()

    scanner = Scanner(
        library,
        run,
        full=full,
        on_assets=send_to_pipeline,
        on_progress=on_progress,
        batch_size=batch_size,
        scope=scope,
    )
    try:
        with liveness.beating(run):
            scanner.scan()
            if inline or full or _previous_scan_unfinished(run) or _pipeline_drained():
                # Assets indexed before but whose stages never ran (a scan or a worker killed, a
                # queue lost) are unchanged now, so the walk does not send them again: pick them
                # up here. With tasks still waiting in the queues they are probably among them.
                _resend_pending(library, send_to_pipeline)
    except ScanCancelled:
        logger.info("scan %s of %s stopped: no longer running", run.pk, library)
    except LibraryUnavailable as exc:
        # A state of the library, not a crash: reported on the run, other libraries go on.
        scanner.counts.errors = scanner.problems.count + 1
        _finish(
            run,
            ScanRun.State.FAILED,
            scanner.counts,
            [*scanner.problems.log, {"path": "", "error": str(exc)}],
        )
    except BaseException as exc:
        scanner.counts.errors = scanner.problems.count + 1
        _finish(
            run,
            ScanRun.State.FAILED,
            scanner.counts,
            scanner.problems.log + [{"path": "", "error": repr(exc)}],
        )
        raise
    else:
        _finish(run, ScanRun.State.DONE, scanner.counts, scanner.problems.log)
    try:
        run.refresh_from_db()
    except ScanRun.DoesNotExist:
        return run  # the library was removed while it was being scanned
    if run.state == ScanRun.State.DONE and (run.new or run.changed):
        scan_added_files.send(sender=ScanRun, run=run)
    if run.state in (ScanRun.State.DONE, ScanRun.State.FAILED):
        _tell_finished(run)
    return run


def _tell_finished(run: ScanRun) -> None:
    """The scan.finished event (webhooks): the run's counts, never its files' names."""
    counts = ("files_seen", "new", "changed", "moved", "missing", "errors")
    events.emit(
        events.SCAN_FINISHED,
        run.library,
        {"scan": run.pk, "library": run.library_id, "state": run.state, **{n: getattr(run, n) for n in counts}},
    )


def _previous_scan_unfinished(run: ScanRun) -> bool:
    previous = (
        ScanRun.objects.filter(library_id=run.library_id, created__lt=run.created)
        .order_by("-created")
        .first()
    )
    return previous is not None and previous.state != ScanRun.State.DONE


def _pipeline_drained() -> bool:
    return all(waiting(queue) == 0 for queue in QUEUES)


def _resend_pending(library: Library, send_to_pipeline) -> None:
    pending = Asset.objects.filter(library=library, status=Asset.Status.PENDING).values_list("id", flat=True)
    batch = []
    for asset_id in pending.iterator(chunk_size=2000):
        batch.append(asset_id)
        if len(batch) >= 2000:
            _send_unlocked(batch, send_to_pipeline)
            batch = []
    if batch:
        _send_unlocked(batch, send_to_pipeline)


def _send_unlocked(asset_ids: list, send_to_pipeline) -> None:
    # An asset a live worker is running stages on is not lost: leave it to that worker.
    busy = locked_assets(asset_ids)
    unlocked = [asset_id for asset_id in asset_ids if asset_id not in busy]
    if unlocked:
        send_to_pipeline(unlocked)


def _finish(run: ScanRun, state: str, counts: Counts, log: list) -> None:
    ScanRun.objects.filter(pk=run.pk, state=ScanRun.State.RUNNING).update(
        state=state, finished=timezone.now(), heartbeat=timezone.now(), error_log=log, **vars(counts)
    )


def rescan_libraries() -> str:
    """The nightly schedule's work: an incremental scan of every library that is not paused
    (unchanged files cost one stat); a library already being scanned is left to that scan."""
    queued, busy = 0, 0
    for library in Library.objects.filter(paused=False):
        try:
            start_scan(library)
            queued += 1
        except ScanConflict:
            busy += 1
    return f"{queued} scan(s) queued, {busy} librar{'y' if busy == 1 else 'ies'} already being scanned"


def summary(run: ScanRun) -> str:
    seconds = max(((run.finished or timezone.now()) - (run.started or run.created)).total_seconds(), 1e-6)
    return (
        f"{run.library.name}: {run.state}, {run.files_seen} files seen, {run.new} new, {run.changed} changed, "
        f"{run.moved} moved, {run.missing} missing, {run.errors} errors, "
        f"{run.files_seen / seconds:,.0f} files/s"
    )


# -- pipeline re-runs ------------------------------------------------------------------------
def rerun_stages(assets, stage_names=None, force=False, inline=False, on_progress=None) -> int:
    """Send `assets` (a queryset) through the pipeline again: stages already done are skipped
    unless `force`, so "everything missing" is simply every asset. Returns the assets sent."""
    chunk_size = INLINE_STAGE_CHUNK if inline else 2000
    sent, chunk = 0, []
    ids = assets.exclude(status="missing").order_by().values_list("id", flat=True)
    for asset_id in ids.iterator(chunk_size=2000):
        chunk.append(asset_id)
        if len(chunk) >= chunk_size:
            sent += _send(chunk, stage_names, force, inline, on_progress)
            chunk = []
    if chunk:
        sent += _send(chunk, stage_names, force, inline, on_progress)
    return sent


def _send(ids, stage_names, force, inline, on_progress) -> int:
    if inline:
        run_stages(ids, stage_names=stage_names, force=force)
    else:
        enqueue_stages(ids, stage_names=stage_names, force=force)
    if on_progress:
        on_progress(len(ids))
    return len(ids)


def stage_task_name(asset_ids, stage_names=None, force=False) -> str:
    """Same assets, stages and force, same name: a doubled enqueue is easy to spot in the admin."""
    key = ",".join(sorted(str(i) for i in asset_ids)) + "|" + ",".join(stage_names or ["*"]) + f"|{force}"
    return "stages-" + blake3(key.encode()).hexdigest()[:24]


def enqueue_stages(
    asset_ids, stage_names=None, force: bool = False, long: bool = False, ml: bool = False
) -> list[str]:
    """Queue pipeline work in batches of MEDIAHUB_STAGE_BATCH_SIZE assets; returns the task ids.
    `long`: the batches run long-running stages (transcodes), on the long queue; `ml`: model stages
    (faces, CLIP), on the inference queue."""
    ids = [str(i) for i in asset_ids]
    size = settings.MEDIAHUB_STAGE_BATCH_SIZE
    task_ids = []
    # One transaction for the lot: with the ORM broker each task is a row, and a commit per row
    # would cost more than the rows.
    with transaction.atomic():
        for start in range(0, len(ids), size):
            chunk = ids[start : start + size]
            task_ids.append(
                enqueue(
                    "apps.scanning.tasks.run_stages_task",
                    chunk,
                    stage_names,
                    force,
                    long,
                    ml,
                    key=stage_task_name(chunk, stage_names, force),
                    group="pipeline",
                    queue=LONG if long else ML if ml else None,
                )
            )
    return task_ids
