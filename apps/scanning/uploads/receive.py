"""Bytes of one request appended to a partial file, hashed as they land: under gunicorn spliced
from the socket into the file and hashed back from the page cache (body.SocketBody), else
streamed in large chunks, written and hashed as they pass.

The BLAKE3 of the whole file is kept per upload in this process while its chunks arrive (a
hasher's state cannot be stored or sent to another process). An upload's PATCHes are spread over
the gunicorn workers (each request is a new connection): a worker whose hasher is behind, or that
has none, catches up from the partial file (already in the page cache) while it receives, so the
last request finds the hash nearly done. Never a re-hash of the prefix per chunk, which would make
an upload spread over two workers cost O(n²). bench_upload.py has the figures.
"""

import base64
import binascii
import fcntl
import hashlib
import os
import queue
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import NoReturn

from blake3 import blake3

from django.utils.translation import gettext as _

from apps.core.errors import BadInput, Conflict, InsufficientStorage, ServiceError

from . import body, storage
from .body import ClientGone

CHUNK = 4 * 1024 * 1024  # reads of a finished file when it must be hashed from disk
HASH_THREADS = blake3.AUTO
CHECKSUM_ALGORITHMS = ("sha1", "sha256", "sha512", "md5")

_hashers: dict[str, tuple[int, blake3]] = {}
_hashers_lock = threading.Lock()


class ChecksumMismatch(ServiceError):
    """tus 'checksum' extension: the chunk did not match its Upload-Checksum (tus answers 460)."""

    status = 460


@dataclass
class Checksum:
    algorithm: str
    expected: bytes

    @classmethod
    def parse(cls, header: str | None) -> "Checksum | None":
        """'sha1 <base64>' (tus Upload-Checksum), or None when the request has none."""
        if not header:
            return None
        algorithm, _space, encoded = header.strip().partition(" ")
        if algorithm.lower() not in CHECKSUM_ALGORITHMS:
            raise BadInput(_("unsupported checksum algorithm '%(algorithm)s'")
                           % {"algorithm": algorithm}, field="Upload-Checksum")
        try:
            expected = base64.b64decode(encoded.strip(), validate=True)
        except (binascii.Error, ValueError):
            raise BadInput(_("the checksum is not base64"), field="Upload-Checksum") from None
        return cls(algorithm.lower(), expected)


def hasher_at(upload_id, offset: int) -> tuple[blake3, int]:
    """(hasher, position): the hasher of the first `position` <= `offset` bytes this process
    received or caught up on, else a new one at 0. Bytes below the committed size never change
    (a rollback only truncates to its own request's start), so a hasher behind is still right."""
    with _hashers_lock:
        cached = _hashers.pop(str(upload_id), None)
    if cached and cached[0] <= offset:
        return cached[1], cached[0]
    return blake3(max_threads=HASH_THREADS), 0


def remember(upload_id, position: int, hasher: blake3 | None) -> None:
    if hasher is not None:
        with _hashers_lock:
            _hashers[str(upload_id)] = (position, hasher)


def forget(upload_id) -> None:
    with _hashers_lock:
        _hashers.pop(str(upload_id), None)


def digest_of(upload_id, path: Path, length: int) -> str:
    """BLAKE3 of the finished file: the running hasher's, caught up from disk where it is behind
    (all of it when another process received everything)."""
    hasher, position = hasher_at(upload_id, length)
    forget(upload_id)
    fd = os.open(path, os.O_RDONLY)
    try:
        _catch_up(fd, hasher, position, lambda: length)
    finally:
        os.close(fd)
    return hasher.hexdigest()


def _catch_up(fd: int, hasher: blake3, position: int, end) -> int:
    """Hash the file from `position` up to end() (read again after each block); returns where it stopped."""
    block = bytearray(CHUNK)
    while position < (target := end()):
        read = os.preadv(fd, [memoryview(block)[: min(CHUNK, target - position)]], position)
        if not read:
            raise OSError(f"the partial file ends at {position:,}, before {target:,}")
        hasher.update(memoryview(block)[:read])
        position += read
    return position


def append(upload_id, path: Path, offset: int, chunks, count: int, checksum: Checksum | None) -> int:
    """Write the `count` bytes of `chunks` (body.chunks) at `offset`; returns the new offset.

    A client that goes away mid-request keeps what arrived (that is what resuming is for),
    except when the chunk carries a checksum: then the chunk is all or nothing. A full disk
    rolls the chunk back and raises InsufficientStorage.
    """
    fd = os.open(path, os.O_RDWR)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise Conflict(_("another request is writing to this upload")) from None
        # The lock is held: the size now is the truth (a killed server may have written more
        # than the offset it recorded).
        if os.fstat(fd).st_size != offset:
            raise Conflict(_("Upload-Offset %(offset)s does not match the %(st_size)s bytes received")
                           % {"offset": offset, "st_size": os.fstat(fd).st_size})
        try:
            _reserve(fd, offset, count)
            return _append_locked(upload_id, fd, offset, chunks, count, checksum)
        finally:
            if (size := os.fstat(fd).st_size) < offset + count:
                os.ftruncate(fd, size)  # frees what was reserved and not written
    finally:
        os.close(fd)  # releases the lock too


def _reserve(fd: int, offset: int, count: int) -> None:
    """Allocate the request's blocks before its bytes come: a full disk is refused before any byte
    is read, and the writes fill blocks already there. On the test machine that took a GiB's
    writes into the page cache from 0.22-0.26 to 0.15-0.17 s (ext4: no delayed allocation per
    page). The file's size stays what arrived (the offset's truth)."""
    try:
        storage.reserve(fd, offset, count)
    except OSError as exc:
        if storage.is_disk_full(exc):
            raise InsufficientStorage(_("the server's disk is full; the chunk was not stored")) from exc
        raise


def _append_locked(upload_id, fd: int, offset: int, chunks, count: int, checksum: Checksum | None) -> int:
    hasher, start = hasher_at(upload_id, offset)
    if checksum is None and isinstance(chunks, body.SocketBody) and chunks.splices:
        written, position = _splice(fd, offset, chunks, (hasher, start))
        remember(upload_id, position, hasher)
        return offset + written
    saved = hasher.copy() if checksum else None  # the hasher where it stood, for a rollback
    check = hashlib.new(checksum.algorithm) if checksum else None
    written, position = _copy(fd, offset, chunks, (hasher, start), check)
    if checksum and (written < count or check.digest() != checksum.expected):
        os.ftruncate(fd, offset)
        remember(upload_id, start, saved)
        if written < count:
            return offset
        raise ChecksumMismatch(f"the chunk does not match its {checksum.algorithm} checksum")
    remember(upload_id, position, hasher)
    return offset + written


def _splice(fd: int, offset: int, incoming: body.SocketBody, running: tuple[blake3, int]) -> tuple[int, int]:
    """The body moved into the file by splice (body.SocketBody.splice_into) while the hasher
    follows the file from the page cache in its own thread, as it does for a hasher behind.
    Returns (bytes written, where the hasher stands); a client gone mid-body keeps what arrived."""
    hasher, position = running
    follower, failure = _Follower(fd, hasher, position, lambda: offset + incoming.landed), None
    try:
        incoming.splice_into(fd, offset)
    except ClientGone:
        pass  # the client went away: what arrived is written
    except OSError as exc:
        failure = exc
    finally:
        position = follower.finish()  # before a rollback truncates what it reads
    if failure is not None:
        _refuse_if_disk_full(fd, offset, failure)
    if follower.error is not None:
        raise follower.error
    return incoming.landed, position


def _copy(fd: int, offset: int, chunks, running: tuple[blake3, int], check) -> tuple[int, int]:
    """Receive, write and hash at once: this thread reads the body (body.chunks) while one thread
    writes and another hashes (os.write, BLAKE3 and hashlib release the GIL on large buffers), so a
    chunk costs the slowest of the three, not their sum. The queues are bounded by body.KEEP, so
    no more than its ring of buffers is ever held.

    A hasher behind `offset` (the previous chunks went to another gunicorn worker) follows the
    file instead: it hashes from disk what is missing, then what this request writes, as it is
    written, so the upload's last request finds it (nearly) done instead of hashing the whole
    file once more. Returns (bytes written, where the hasher stands); a client gone mid-body
    keeps what arrived, written and hashed alike."""
    hasher, position = running
    os.lseek(fd, offset, os.SEEK_SET)
    writer = _Stage(lambda chunk: _write(fd, offset, chunk))
    stages, follower = [writer], None
    if position == offset:
        stages.append(_Stage(lambda chunk: _hash(chunk, hasher, check)))
    else:
        if check is not None:
            stages.append(_Stage(check.update))
        follower = _Follower(fd, hasher, position, lambda: offset + writer.done)
    chunks = iter(chunks)
    try:
        for chunk in chunks:
            if any(stage.error for stage in stages):
                break  # a full disk: stop reading, the rest of the body stays unread
            for stage in stages:
                stage.queue.put(chunk)
    except ClientGone:
        pass  # the client went away: what arrived is written
    finally:
        for stage in stages:
            stage.finish()
        if follower is not None:
            position = follower.finish()
        getattr(chunks, "close", lambda: None)()  # after the stages: its buffers may be reused
    for error in [stage.error for stage in stages] + [follower and follower.error]:
        if error is not None:
            raise error
    return writer.done, position if follower else offset + writer.done


class _Stage:
    """A thread applying `work` to each chunk queued, in order; after a failure it only drains."""

    def __init__(self, work):
        self.work, self.done, self.error = work, 0, None
        self.queue = queue.Queue(maxsize=body.KEEP - 1)
        self.thread = threading.Thread(target=self._run, name="upload-stage", daemon=True)
        self.thread.start()

    def _run(self) -> None:
        while (chunk := self.queue.get()) is not None:
            if self.error is None:
                try:
                    self.work(chunk)
                    self.done += len(chunk)
                except BaseException as exc:  # handed to the request's thread by finish()
                    self.error = exc

    def finish(self) -> None:
        self.queue.put(None)
        self.thread.join()


class _Follower:
    """A hasher catching up on the file from disk, behind the writer, in a thread of its own."""

    def __init__(self, fd: int, hasher: blake3, position: int, end):
        self.position, self.error, self.stop = position, None, threading.Event()
        self.thread = threading.Thread(target=self._run, args=(fd, hasher, end), name="upload-follow", daemon=True)
        self.thread.start()

    def _run(self, fd, hasher, end) -> None:
        try:
            while True:
                stopping = self.stop.is_set()  # read before the last catch-up, so nothing written is missed
                self.position = _catch_up(fd, hasher, self.position, end)
                if stopping:
                    return
                self.stop.wait(0.01)  # the writer is ahead by less than a block: let it write
        except BaseException as exc:
            self.error = exc

    def finish(self) -> int:
        self.stop.set()
        self.thread.join()
        return self.position


def _hash(chunk, hasher, check) -> None:
    if hasher is not None:
        hasher.update(chunk)
    if check is not None:
        check.update(chunk)


def _write(fd: int, offset: int, chunk) -> None:
    try:
        view = memoryview(chunk)
        while view:
            view = view[os.write(fd, view) :]
    except OSError as exc:
        _refuse_if_disk_full(fd, offset, exc)


def _refuse_if_disk_full(fd: int, offset: int, exc: OSError) -> NoReturn:
    """Re-raise a failed write; a full disk rolls the chunk back and is InsufficientStorage."""
    if not storage.is_disk_full(exc):
        raise exc
    os.ftruncate(fd, offset)
    raise InsufficientStorage(_("the server's disk is full; the chunk was not stored")) from exc
