"""Running the planned steps of an operation, a batch at a time, disk and index together.

Each batch is one transaction that first locks the index rows of its sources (so a scan that runs
meanwhile waits for it instead of marking a moved file missing), then does the file system steps,
then writes the new paths, the new assets of copies and the items' states, and commits. A worker
killed anywhere leaves items 'planned' whose step may already be on disk: each step looks at the
disk before acting (a source gone and its target there is a move already done), so running the
planned items again ends with every file in exactly one place and the index saying where.
"""

import logging
import os
from dataclasses import dataclass, field

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Value
from django.db.models.functions import Concat, Substr
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.assets.metadata.sidecars import is_sidecar_name, sidecar_names
from apps.assets.models import Asset
from apps.search import services as search

from ..bulk_insert import NewFile, insert_new_assets
from ..fsnames import ENCODED_PREFIX, display_name
from ..models import FileOperation, FileOperationItem
from ..scanner import from_ns
from ..services import enqueue_stages
from ..signals import tell_added
from . import disk, paths

logger = logging.getLogger(__name__)

Item = FileOperationItem
Step = FileOperationItem.Step
SIDECARS_PER_FILE = len(sidecar_names("a.jpg"))


class Superseded(Exception):
    """The operation is no longer this process's to run (another worker resumed it)."""


@dataclass
class BatchResult:
    new_assets: list = field(default_factory=list)
    moved_assets: list = field(default_factory=list)


def run_items(operation: FileOperation, owner: dict) -> list:
    """Run every planned item of `operation` (claimed by `owner`: hostname and pid); returns the
    ids of the assets the copies made, for the pipeline."""
    root = operation.library.root_path
    new_ids = []
    size = settings.MEDIAHUB_FILEOPS_BATCH
    while items := _next_batch(operation, size):
        with transaction.atomic():
            _claim(operation, owner)
            result = _run_batch(operation, root, items)
        new_ids += result.new_assets
    return new_ids


def _next_batch(operation: FileOperation, size: int) -> list[Item]:
    """The next `size` planned items, and the sidecar steps that follow the last of them: a photo
    and its sidecars (planned right after it) change in one transaction."""
    items = list(operation.items.filter(state=Item.State.PLANNED).order_by("seq")[:size + SIDECARS_PER_FILE])
    cut = min(size, len(items))
    while cut < len(items) and _is_sidecar_step(items[cut]) and items[cut].step == items[cut - 1].step:
        cut += 1
    return items[:cut]


def _is_sidecar_step(item: Item) -> bool:
    return not item.is_dir and is_sidecar_name(paths.name_of(paths.real(item.source)))


def _claim(operation: FileOperation, owner: dict) -> None:
    current = FileOperation.objects.select_for_update().get(pk=operation.pk)
    mine = current.pid == owner["pid"] and current.hostname == owner["hostname"]
    if current.state != FileOperation.State.RUNNING or not mine:
        raise Superseded(f"file operation {operation.pk} is run by another process now")


def _run_batch(operation: FileOperation, root: str, items: list[Item]) -> BatchResult:
    library_id = operation.library_id
    file_moves = [item.source for item in items if item.step == Step.MOVE and not item.is_dir]
    in_library = Asset.objects.filter(library_id=library_id)
    locking = in_library.select_for_update().filter(path__in=file_moves).only("id", "path", "filename")
    locked = {a.path: a for a in locking}
    copied = {a.path: a for a in Asset.objects.filter(
        library_id=library_id, path__in=[i.source for i in items if i.step == Step.COPY]
    ).only("id", "path", "kind", "mime", "content_hash")}
    result, moved_ids, now = BatchResult(), [], timezone.now()
    for item in items:
        if item.step == Step.MOVE and item.is_dir:
            _lock_below(library_id, item.source)
        error = step_on_disk(root, operation.pk, item)
        item.state, item.error = (Item.State.FAILED, error) if error else (Item.State.DONE, "")
        if error:
            continue
        if item.step == Step.MOVE and item.is_dir:
            moved_ids += repath_folder(library_id, paths.real(item.source), paths.real(item.target))
        elif item.step == Step.MOVE and (asset := locked.get(item.source)):
            asset.path = item.target
            asset.filename = display_name(paths.name_of(paths.real(item.target)))
            asset.updated = now
            result.moved_assets.append(asset)
        elif item.step == Step.COPY and (source := copied.get(item.source)):
            result.new_assets.append(_new_copy(root, item, source))
    _write_paths(result.moved_assets, now)
    if inserted := insert_new_assets(library_id, result.new_assets):
        added = [new.pk for new in result.new_assets]
        tell_added(operation.library, added, inserted, file_operation=operation.pk)
    _write_states(items)
    failed = sum(item.state == Item.State.FAILED for item in items)
    FileOperation.objects.filter(pk=operation.pk).update(
        done=operation.done + len(items) - failed, failed=operation.failed + failed, heartbeat=now
    )
    operation.done += len(items) - failed
    operation.failed += failed
    # The file name and folder are words of the search document.
    search.index_assets(Asset.objects.filter(pk__in=[a.pk for a in result.moved_assets] + moved_ids))
    result.new_assets = [new.pk for new in result.new_assets]
    if result.new_assets:
        # Thumbnails, metadata and the rest of the pipeline for the copies, once they are committed.
        transaction.on_commit(lambda ids=result.new_assets: enqueue_stages(ids))
    return result


# One UPDATE ... FROM unnest() per batch: bulk_update's CASE WHEN per row took seconds per 500 rows.
def _write_paths(assets: list[Asset], now) -> None:
    if not assets:
        return
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {Asset._meta.db_table} AS a SET path = v.path, filename = v.filename, updated = %s"
            " FROM unnest(%s::uuid[], %s::text[], %s::text[]) AS v(id, path, filename) WHERE a.id = v.id",
            [now, [a.pk for a in assets], [a.path for a in assets], [a.filename for a in assets]],
        )


def _write_states(items: list[Item]) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {Item._meta.db_table} AS i SET state = v.state, error = v.error"
            " FROM unnest(%s::bigint[], %s::text[], %s::text[]) AS v(id, state, error) WHERE i.id = v.id",
            [[i.pk for i in items], [i.state for i in items], [i.error for i in items]],
        )


def step_on_disk(root: str, operation_id: int, item: Item) -> str:
    """Do the item's file system step unless a run killed earlier did it; '' or why it failed."""
    target = paths.absolute(root, paths.real(item.target))
    try:
        if item.step == Step.MKDIR:
            if not os.path.isdir(target):
                os.mkdir(target)
            return ""
        source = paths.absolute(root, paths.real(item.source))
        if item.step == Step.MOVE:
            return _move(source, target)
        return _copy(source, target, f"{operation_id}-{item.seq}")
    except OSError as exc:
        return exc.strerror or str(exc)
    except ValueError as exc:  # a path that leaves the library now (a link put in since the plan)
        return str(exc)


def _move(source: str, target: str) -> str:
    there, gone = os.path.lexists(target), not os.path.lexists(source)
    if gone and there:
        return ""  # moved by the run that was killed
    if gone:
        return _("the file is not there any more")
    if there:
        return _taken(target)
    disk.rename_noreplace(source, target)
    return ""


def _taken(target: str) -> str:
    return _("'%(name)s' already exists there") % {"name": display_name(os.path.basename(target))}


def _copy(source: str, target: str, token: str) -> str:
    if os.path.lexists(target):
        # Renamed into place by the run that was killed (a copy is whole or absent), unless another
        # file took the name meanwhile.
        same = os.path.isfile(target) and os.path.getsize(target) == os.path.getsize(source)
        return "" if same else _taken(target)
    disk.discard(disk.temporary_copy_name(target, token))
    disk.copy_file(source, target, token)
    return ""


def _new_copy(root: str, item: Item, source: Asset) -> NewFile:
    stat = os.lstat(paths.absolute(root, paths.real(item.target)))
    return NewFile(
        path=item.target, filename=display_name(paths.name_of(paths.real(item.target))), kind=source.kind,
        mime=source.mime, size=stat.st_size, mtime=from_ns(stat.st_mtime_ns),
        content_hash=source.content_hash,
    )


def _lock_below(library_id: int, folder_stored: str) -> None:
    list(Asset.objects.select_for_update().filter(library_id=library_id, path__startswith=f"{folder_stored}/")
         .values_list("pk", flat=True))


def repath_folder(library_id: int, source: str, target: str) -> list:
    """Point the assets below folder `source` to `target` (real relative paths); their ids."""
    now = timezone.now()
    below = Asset.objects.filter(library_id=library_id, path__startswith=f"{source}/").exclude(
        path__startswith=ENCODED_PREFIX
    )
    ids = list(below.values_list("pk", flat=True))
    below.update(path=Concat(Value(target), Substr("path", len(source) + 1)), updated=now)
    # Paths with a name that is not UTF-8 are stored encoded whole (fsnames): decoded one by one.
    encoded = Asset.objects.filter(library_id=library_id, path__startswith=ENCODED_PREFIX)
    for asset in encoded.only("id", "path"):
        real = paths.real(asset.path)
        if paths.inside(real, source):
            new_path = paths.stored(target + real[len(source):])
            Asset.objects.filter(pk=asset.pk).update(path=new_path, updated=now)
            ids.append(asset.pk)
    return ids
