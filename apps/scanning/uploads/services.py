"""Uploads: the limits, receiving bytes, and finishing a file into its owner's upload library.

A finished upload is content-addressed per user: when one of the user's own assets already has
its BLAKE3, nothing is stored and the answer names that asset ("duplicate"); otherwise the file is
linked into <upload dir>/<user>/<year>/<month>/ (by capture time, else upload time) and indexed
by the scanner's own insert and pipeline at once, without a scan. Finishing is idempotent, so a
server killed at any point and asked again (HEAD, PATCH) ends with one file and one asset.
"""

import logging
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.assets.metadata.extract import extract
from apps.assets.metadata.sniff import HEAD_SIZE, sniff
from apps.assets.metadata.types import MetadataError
from apps.assets.models import Asset
from apps.core import events, pauses
from apps.core.errors import BadInput, Conflict, TooLarge, Unavailable, UnsupportedType
from apps.stats.metrics import record_upload

from .. import fsnames
from ..bulk_insert import NewFile, insert_new_assets
from ..media_types import mime_type
from ..models import Library, Upload
from ..scanner import from_ns
from ..services import enqueue_stages
from ..signals import tell_added
from . import body, receive, storage

logger = logging.getLogger(__name__)

# pg_advisory_xact_lock(UPLOAD_LOCK, user id): one finishing upload per user at a time, so two
# uploads of the same bytes cannot both miss each other's asset.
UPLOAD_LOCK = 0x55504C44


# -- the library --------------------------------------------------------------------------
def upload_library(user) -> Library:
    """The user's upload library, created (writable, private) on first use."""
    library = Library.objects.filter(owner=user, is_upload=True).first()
    if library is not None:
        return library
    root = storage.user_folder(user)
    root.mkdir(parents=True, exist_ok=True)
    try:
        with transaction.atomic():
            return Library.objects.create(
                owner=user, is_upload=True, read_only=False, root_path=str(root), name=f"Uploads of {user.get_username()}"
            )
    except IntegrityError:  # created meanwhile by another request of the same user
        return Library.objects.get(owner=user, is_upload=True)


# -- limits -------------------------------------------------------------------------------
def used_bytes(user) -> int:
    """What the user's uploads take on disk: stored files plus uploads still arriving."""
    stored = Asset.objects.filter(library__owner=user, library__is_upload=True).exclude(
        status=Asset.Status.MISSING
    ).aggregate(total=Sum("size"))["total"]
    arriving = Upload.objects.filter(owner=user, state=Upload.State.RECEIVING).aggregate(total=Sum("length"))["total"]
    return (stored or 0) + (arriving or 0)


def check_limits(user, length: int) -> None:
    """TooLarge (413) over the per-file limit or the user's quota, InsufficientStorage (507)."""
    if length <= 0:
        raise BadInput(_("an empty file cannot be uploaded"), field="Upload-Length")
    limit = settings.MEDIAHUB_UPLOAD_MAX_BYTES
    if length > limit:
        raise TooLarge(_("the file is %(length)s bytes; uploads may be at most %(limit)s bytes")
                       % {"length": format(length, ','), "limit": format(limit, ',')})
    quota = settings.MEDIAHUB_UPLOAD_QUOTA
    if quota:
        used = used_bytes(user)
        if used + length > quota:
            raise TooLarge(
                f"over your upload quota: {used:,} bytes used of {quota:,}, "
                f"and this file needs {length:,} ({quota - used if quota > used else 0:,} left)"
            )
    arriving = Upload.objects.filter(state=Upload.State.RECEIVING).aggregate(total=Sum("length"))["total"] or 0
    storage.check_free_space(length + arriving)


# -- receiving ----------------------------------------------------------------------------
UPLOAD_PAUSE = "upload"  # the apps.core.pauses key of the Jobs page's "Uploads"


def start(user, filename: str, length: int, metadata: dict | None = None) -> Upload:
    """A new upload; Unavailable (503) while an admin has paused uploads (uploads begun go on)."""
    if pauses.is_paused(UPLOAD_PAUSE):
        raise Unavailable(_("uploads are paused by an administrator; try again later"), retry_after=300)
    check_limits(user, length)
    upload = Upload.objects.create(
        owner=user, filename=storage.clean_filename(filename), length=length, metadata=metadata or {}
    )
    storage.partial_path(upload.pk).touch(exist_ok=False)
    return upload


def received(upload: Upload) -> int:
    """Bytes received so far: the partial file's size is the truth, a killed server may have
    written more than it recorded. A complete file left unfinished by a crash is finished here."""
    if upload.state == Upload.State.DONE:
        return upload.length
    try:
        size = storage.partial_path(upload.pk).stat().st_size
    except FileNotFoundError:
        size = 0
    if size == upload.length:
        finish(upload)
    return size


def receive_chunk(upload: Upload, offset: int, chunks, count: int, checksum=None) -> Upload:
    """Append one request's `count` bytes (`chunks`, from body.py) at `offset` (tus PATCH);
    finishes the upload on its last byte."""
    if upload.state == Upload.State.DONE:
        raise Conflict(_("this upload is already complete"))
    if offset + count > upload.length:
        raise TooLarge(_("%(value)s bytes would exceed the announced Upload-Length of %(length)s")
                       % {"value": format(offset + count, ','), "length": format(upload.length, ',')})
    new_offset = receive.append(upload.pk, storage.partial_path(upload.pk), offset, chunks, count, checksum)
    record_upload(new_offset - offset, result="")  # /metrics: mediahub_upload_bytes_total
    upload.offset = new_offset
    upload.save(update_fields=["offset", "updated"])
    if not upload.kind and (new_offset >= HEAD_SIZE or new_offset == upload.length):
        _check_type(upload)
    if new_offset == upload.length:
        finish(upload)
    return upload


def _check_type(upload: Upload) -> None:
    """The kind from the content's first bytes; anything but a photo, video or audio is 415."""
    with open(storage.partial_path(upload.pk), "rb") as fh:
        head = fh.read(HEAD_SIZE)
    sniffed = sniff(upload.filename, head)
    if sniffed is None or sniffed.kind not in ("photo", "video", "audio"):
        cancel(upload)
        what = f"'{sniffed.format}'" if sniffed else f"unrecognised (first bytes {head[:8].hex(' ')})"
        raise UnsupportedType(_("%(filename)s: not a photo, video or audio file; its content is %(what)s")
                              % {"filename": upload.filename, "what": what})
    upload.kind = sniffed.kind
    upload.metadata = {**upload.metadata, "format": sniffed.format}
    upload.save(update_fields=["kind", "metadata", "updated"])


def cancel(upload: Upload) -> None:
    """tus termination: the partial bytes go; a finished upload's file and asset stay."""
    if upload.state == Upload.State.RECEIVING:
        storage.remove(storage.partial_path(upload.pk))
        receive.forget(upload.pk)
    Upload.objects.filter(pk=upload.pk).delete()


def ingest_file(user, fileobj, filename: str, size: int) -> Upload:
    """A whole file in one request (multipart POST): the same path as a tus upload in one chunk."""
    upload = start(user, filename, size)
    try:
        receive_chunk(upload, 0, body.from_stream(fileobj, size), size)
    except BaseException:
        if Upload.objects.filter(pk=upload.pk, state=Upload.State.RECEIVING).exists():
            cancel(upload)
        raise
    if upload.state != Upload.State.DONE:
        cancel(upload)
        raise BadInput(_("the file arrived incomplete (%(offset)s of %(size)s bytes)")
                       % {"offset": format(upload.offset, ','), "size": format(size, ',')}, field="file")
    return upload


# -- finishing ----------------------------------------------------------------------------
def finish(upload: Upload) -> Upload:
    """Hash, then either answer 'duplicate' or place and index the file. Safe to call again."""
    if not upload.kind:
        _check_type(upload)
    partial = storage.partial_path(upload.pk)
    digest = receive.digest_of(upload.pk, partial, upload.length)
    library = upload_library(upload.owner)
    if not upload.target_path:
        when = _capture_time(partial) or timezone.localtime()
        name = storage.name_for_content(upload.filename, upload.metadata.get("format", ""), upload.kind)
        target = storage.free_name(storage.month_folder(Path(library.root_path), when), name, _indexed_in(library))
        upload.target_path = str(target.relative_to(library.root_path))
        upload.save(update_fields=["target_path", "updated"])
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [UPLOAD_LOCK, upload.owner_id])
        upload.refresh_from_db()
        if upload.state == Upload.State.DONE:
            return upload  # another request finished it meanwhile
        existing = _own_asset_with(upload.owner, digest)
        if existing is not None:
            upload.outcome, upload.asset_id = Upload.Outcome.DUPLICATE, existing
        else:
            final = storage.link_into_place(partial, Path(library.root_path) / upload.target_path, _indexed_in(library))
            upload.target_path = str(final.relative_to(library.root_path))
            upload.outcome = Upload.Outcome.CREATED
            upload.asset_id = _index(library, final, upload, digest)
        upload.state, upload.offset = Upload.State.DONE, upload.length
        upload.save(update_fields=["state", "offset", "outcome", "asset", "target_path", "updated"])
        if upload.outcome == Upload.Outcome.CREATED:
            transaction.on_commit(lambda: enqueue_stages([upload.asset_id]))
            tell_added(library, [upload.asset_id], upload=upload.pk)
        _tell_done(upload, library)
        outcome = upload.outcome
        transaction.on_commit(lambda: record_upload(0, result=outcome))
    storage.remove(partial)
    return upload


def _tell_done(upload: Upload, library: Library) -> None:
    """The upload.done event (webhooks): ids, outcome and size, never the file's name."""
    data = {
        "upload": upload.pk, "asset": upload.asset_id, "library": library.pk,
        "outcome": upload.outcome, "size": upload.length,
    }
    events.emit(events.UPLOAD_DONE, library, data)


def _indexed_in(library: Library):
    """Whether a path of the library has an asset row: a name is only free when it has none."""

    def indexed(path: Path) -> bool:
        relative = fsnames.encode_path(str(path.relative_to(library.root_path)))
        return Asset.objects.filter(library=library, path=relative).exists()

    return indexed


def _own_asset_with(user, digest: str):
    """Among the assets the user owns (never another's: the answer would tell them it exists)."""
    return (
        Asset.objects.filter(library__owner=user, content_hash=digest, deleted_at__isnull=True)
        .exclude(status=Asset.Status.MISSING)
        .order_by("created")
        .values_list("pk", flat=True)
        .first()
    )


def _capture_time(path: Path):
    try:
        info = extract(path, decode=False, tags_only=True)
    except MetadataError as exc:
        info = getattr(exc, "info", None)  # CorruptMedia keeps what was read
    except Exception:  # a reader's odd failure must not lose an upload: the upload time will do
        logger.exception("reading the capture time of upload %s failed", path.name)
        info = None
    if info is None or info.taken_at is None or info.taken_at_source == "mtime":
        return None
    return info.taken_at


def _index(library: Library, final: Path, upload: Upload, digest: str):
    """The scanner's own insert for this one file (a scan that found it first wins: same row)."""
    relative = fsnames.encode_path(str(final.relative_to(library.root_path)))
    stat = final.stat()
    new = NewFile(
        path=relative,
        filename=fsnames.display_name(final.name),
        kind=upload.kind,
        mime=mime_type(final.name),
        size=stat.st_size,
        mtime=from_ns(stat.st_mtime_ns),
        content_hash=digest,
    )
    insert_new_assets(library.pk, [new])
    return Asset.objects.filter(library=library, path=relative).values_list("pk", flat=True).get()


# -- expiry -------------------------------------------------------------------------------
def expire(now=None) -> int:
    """Remove partial uploads idle for MEDIAHUB_UPLOAD_EXPIRY, finished upload records as old, and
    partial files no upload row claims (a crash between the two writes). Returns uploads removed."""
    now = now or timezone.now()
    cutoff = now - timedelta(seconds=settings.MEDIAHUB_UPLOAD_EXPIRY)
    removed = 0
    for upload in Upload.objects.filter(updated__lt=cutoff).iterator():
        cancel(upload)
        removed += 1
    known = {str(pk) for pk in Upload.objects.filter(state=Upload.State.RECEIVING).values_list("pk", flat=True)}
    for leftover in storage.partial_dir().iterdir():
        if leftover.name not in known and leftover.stat().st_mtime < cutoff.timestamp():
            storage.remove(leftover)
    return removed
