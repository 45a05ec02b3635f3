"""File operations: what the API, the Folders page and the worker task call.

Who: those who may change the library's files (Library.objects.files_changeable_by: its owner, a
superadmin); a library they do not see is 404, one they only see is 403. Where: writable libraries
only (a read-only one is 409, saying a superadmin can make it writable). What: every step is planned
and checked first (plan.py), then run at once when it is small (a folder, a rename, a few files) or
handed to a worker as one job whose progress is the operation's row (GET /api/file-operations/{id}/).
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.assets.metadata.sidecars import sidecar_names
from apps.assets.models import Asset
from apps.assets.services import move_to_trash
from apps.core.errors import BadInput, Conflict, NotFound, Refused
from apps.core.querysets import get_visible
from apps.core.queue import LONG, enqueue, waiting

from .. import liveness
from ..models import FileOperation, FileOperationItem, Library
from ..signals import scan_added_files
from . import disk, execute, paths, plan

logger = logging.getLogger(__name__)

Kind, State = FileOperation.Kind, FileOperation.State
TASK = "apps.scanning.tasks.run_file_operation_task"
# Run in the request when this small: a folder rename or move is one step whatever it holds.
INLINE_STEPS = 20
INLINE_COPY_BYTES = 64 << 20
CHUNK = 2000


# -- who and where ------------------------------------------------------------------------------
def writable_library(user, library_id) -> Library:
    library = get_visible(Library.objects.all(), user, pk=library_id)
    if not Library.objects.files_changeable_by(user).filter(pk=library.pk).exists():
        raise Refused(_("only the library's owner can change its files"))
    if library.read_only:
        raise Conflict(_("'%(name)s' is read-only: MediaHub does not write into it. A superadmin can make it "
                         "writable on the Libraries page.") % {"name": library.name})
    return library


def _sources(library: Library, raw_paths, asset_ids) -> list[str]:
    """Real relative paths of the files and folders named, by path or by asset id."""
    sources = [paths.clean(raw, "paths") for raw in raw_paths or ()]
    if asset_ids:
        wanted = {str(pk) for pk in asset_ids}
        found = dict(Asset.objects.filter(library=library, pk__in=wanted).alive().values_list("pk", "path"))
        if missing := wanted - {str(pk) for pk in found}:
            raise NotFound(_("%(count)d of the files are not in this library") % {"count": len(missing)})
        sources += [paths.real(path) for path in found.values()]
    if not sources:
        raise BadInput(_("name at least one file or folder (paths or assets)"), field="paths")
    return sources


# -- the operations -----------------------------------------------------------------------------
def make_folder(user, library_id, path: str) -> FileOperation:
    library = writable_library(user, library_id)
    relative = paths.clean(path)
    return _start(user, library, Kind.MKDIR, relative, plan.make_folder(library.root_path, relative))


def rename(user, library_id, path: str, name: str) -> FileOperation:
    library = writable_library(user, library_id)
    relative = paths.clean(path)
    steps = plan.rename(library.root_path, relative, name)
    return _start(user, library, Kind.RENAME, steps[0].target, steps)


def move(user, library_id, destination: str, raw_paths=(), asset_ids=()) -> FileOperation:
    library = writable_library(user, library_id)
    folder = paths.clean(destination, "destination", allow_root=True)
    steps = plan.move(library.root_path, _sources(library, raw_paths, asset_ids), folder)
    return _start(user, library, Kind.MOVE, folder, steps)


def copy(user, library_id, destination: str, raw_paths=(), asset_ids=()) -> FileOperation:
    library = writable_library(user, library_id)
    folder = paths.clean(destination, "destination", allow_root=True)
    steps = plan.copy(library.root_path, _sources(library, raw_paths, asset_ids), folder)
    steps = _without_trashed(library, steps)
    return _start(user, library, Kind.COPY, folder, steps)


def flatten(user, library_id, path: str) -> FileOperation:
    library = writable_library(user, library_id)
    folder = paths.clean(path, allow_root=True)
    return _start(user, library, Kind.FLATTEN, folder, plan.flatten(library.root_path, folder))


def delete(user, library_id, raw_paths=(), asset_ids=()) -> FileOperation:
    """To the trash: the assets of the files and folders named (restorable; the purge removes the
    files of a writable library for good). Files that are no photo, video or audio stay."""
    library = writable_library(user, library_id)
    sources = _sources(library, raw_paths, asset_ids)
    match = Q()
    for source in sources:
        plan.existing_source(library.root_path, source, "paths")
        stored = paths.stored(source)
        match |= Q(path=stored) | Q(path__startswith=f"{stored}/")
    with transaction.atomic():
        trashed = move_to_trash(Asset.objects.filter(library=library).filter(match))
        return FileOperation.objects.create(
            library=library, user=user, kind=Kind.DELETE, state=State.DONE, total=trashed, done=trashed,
            started=timezone.now(), finished=timezone.now(),
        )


def _without_trashed(library: Library, steps: list) -> list:
    """A copy leaves out the files whose photo is in the trash (copying would bring them back), and
    their sidecars."""
    sources = [paths.stored(s.source) for s in steps if s.step == FileOperationItem.Step.COPY]
    trashed = set()
    for first in range(0, len(sources), CHUNK):
        trashed.update(Asset.objects.filter(
            library=library, deleted_at__isnull=False, path__in=sources[first:first + CHUNK]
        ).values_list("path", flat=True))
    if not trashed:
        return steps
    left_out = set()
    for path in map(paths.real, trashed):  # and their sidecars: a copy of a photo's words without it
        folder = paths.parent(path)
        left_out |= {path, *(paths.join(folder, name) for name in sidecar_names(paths.name_of(path)))}
    return [s for s in steps if s.source not in left_out]


# -- starting and running -----------------------------------------------------------------------
def _inline(kind: str, steps: list) -> bool:
    if kind in (Kind.MKDIR, Kind.RENAME):
        return True
    return len(steps) <= INLINE_STEPS and sum(s.size for s in steps) <= INLINE_COPY_BYTES


def _start(user, library: Library, kind: str, destination: str, steps: list) -> FileOperation:
    inline = _inline(kind, steps)
    owner = liveness.this_process()
    with transaction.atomic():
        try:
            with transaction.atomic():
                running = {"state": State.RUNNING, "started": timezone.now(), **owner} if inline else {}
                operation = FileOperation.objects.create(
                    library=library, user=user, kind=kind, destination=paths.stored(destination),
                    total=len(steps), heartbeat=timezone.now(), **running,
                )
        except IntegrityError:
            raise Conflict(
                _("another file operation is under way in this library: try again when it is done")
            ) from None
        FileOperationItem.objects.bulk_create(
            [FileOperationItem(operation=operation, seq=n, step=s.step, source=paths.stored(s.source),
                               target=paths.stored(s.target), is_dir=s.is_dir) for n, s in enumerate(steps)],
            batch_size=CHUNK,
        )
        if not inline:
            transaction.on_commit(lambda: enqueue_operation(operation))
    if inline:
        _run(operation, owner)
        operation.refresh_from_db()
    return operation


def enqueue_operation(operation: FileOperation) -> str:
    return enqueue(TASK, operation.pk, key=f"fileop-{operation.pk}", group="fileops", queue=LONG)


def run_queued(operation_id: int) -> FileOperation | None:
    """Worker side: claim the queued operation (once, however often its task was queued) and run
    its planned steps; a resumed operation starts where the killed run stopped."""
    owner, now = liveness.this_process(), timezone.now()
    claimed = FileOperation.objects.filter(pk=operation_id, state=State.QUEUED).update(
        state=State.RUNNING, started=Coalesce("started", now), heartbeat=now, **owner
    )
    if not claimed:
        return None
    operation = FileOperation.objects.select_related("library").get(pk=operation_id)
    _run(operation, owner)
    operation.refresh_from_db()
    return operation


def _run(operation: FileOperation, owner: dict) -> None:
    mine = FileOperation.objects.filter(pk=operation.pk, state=State.RUNNING, **owner)
    try:
        with liveness.beating(operation):
            copies = execute.run_items(operation, owner)
            if operation.kind == Kind.FLATTEN:
                root = operation.library.root_path
                disk.remove_empty_folders(paths.absolute(root, paths.real(operation.destination)))
    except execute.Superseded:
        logger.info("file operation %s was taken over by another worker", operation.pk)
        return
    except Exception as exc:
        mine.update(state=State.FAILED, error=repr(exc)[:2000], finished=timezone.now())
        raise
    failures = operation.items.filter(state=FileOperationItem.State.FAILED)
    error = ""
    if count := failures.count():
        first = failures.order_by("seq").first()
        error = _("%(count)d step(s) could not be done; the first: %(path)s: %(error)s") % {
            "count": count, "path": paths.real(first.source or first.target), "error": first.error}
    mine.update(state=State.FAILED if error else State.DONE, error=error, finished=timezone.now())
    if copies or operation.kind == Kind.COPY:
        scan_added_files.send(sender=FileOperation, run=None)  # copies are exact duplicates: look for them


# -- recovery -----------------------------------------------------------------------------------
def is_stale(operation: FileOperation) -> bool:
    here = operation.hostname == liveness.this_process()["hostname"]
    if here and operation.pid and not liveness.pid_alive(operation.pid):
        return True
    age = (timezone.now() - (operation.heartbeat or operation.created)).total_seconds()
    return age > settings.MEDIAHUB_SCAN_STALE_SECONDS


def reconcile(starting: bool = False, handed_out: int = 0) -> dict:
    """Put back in the queue each operation whose process died (it resumes from its items), and
    queue again those whose task may have been lost. Called by the long queue's cluster."""
    resumed = requeued = 0
    for operation in FileOperation.objects.filter(state=State.RUNNING):
        if is_stale(operation) and FileOperation.objects.filter(
            pk=operation.pk, state=State.RUNNING, pid=operation.pid, hostname=operation.hostname
        ).update(state=State.QUEUED, pid=None, hostname="", heartbeat=timezone.now()):
            enqueue_operation(operation)
            resumed += 1
    # At start the task may have been handed to the cluster that died; later, only an idle queue
    # says a queued operation's task was lost (a busy one may still hold it).
    queued = FileOperation.objects.filter(state=State.QUEUED)
    if not starting:
        idle = handed_out == 0 and waiting(LONG) == 0
        settled = timezone.now() - timedelta(seconds=2 * settings.MEDIAHUB_RECONCILE_INTERVAL)
        queued = queued.filter(heartbeat__lt=settled) if idle else queued.none()
    for operation in queued:
        FileOperation.objects.filter(pk=operation.pk).update(heartbeat=timezone.now())
        enqueue_operation(operation)
        requeued += 1
    return {"file operations resumed": resumed, "file operations requeued": requeued}


def failures(operation: FileOperation, limit: int = 20) -> list[dict]:
    rows = operation.items.filter(state=FileOperationItem.State.FAILED).order_by("seq")[:limit]
    return [
        {"path": paths.real(row.source or row.target), "target": paths.real(row.target), "error": row.error}
        for row in rows
    ]
