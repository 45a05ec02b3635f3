"""Bytes of one request appended to a partial file: streamed in large chunks, hashed as they pass.

The BLAKE3 of the whole file is kept per upload in this process while its chunks arrive in order
(a hasher's state cannot be stored, and an upload's PATCHes usually reach the same worker). When
a chunk lands in another process, or after a restart, the hasher is dropped and the finished
file is hashed once from disk instead: never a re-hash of the prefix per chunk, which would make
an upload spread over two workers cost O(n²). bench_upload.py has the figures.
"""

import base64
import binascii
import fcntl
import hashlib
import os
import threading
from dataclasses import dataclass
from pathlib import Path

from blake3 import blake3

from apps.core.errors import BadInput, Conflict, InsufficientStorage, ServiceError

from .body import ClientGone
from .storage import is_disk_full

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
        algorithm, _, encoded = header.strip().partition(" ")
        if algorithm.lower() not in CHECKSUM_ALGORITHMS:
            raise BadInput(f"unsupported checksum algorithm '{algorithm}'", field="Upload-Checksum")
        try:
            expected = base64.b64decode(encoded.strip(), validate=True)
        except (binascii.Error, ValueError):
            raise BadInput("the checksum is not base64", field="Upload-Checksum") from None
        return cls(algorithm.lower(), expected)


def hasher_at(upload_id, offset: int) -> blake3 | None:
    """The hasher holding the first `offset` bytes, if this process received them; a new one at 0."""
    with _hashers_lock:
        cached = _hashers.pop(str(upload_id), None)
    if cached and cached[0] == offset:
        return cached[1]
    return blake3(max_threads=HASH_THREADS) if offset == 0 else None


def remember(upload_id, offset: int, hasher: blake3 | None) -> None:
    if hasher is not None:
        with _hashers_lock:
            _hashers[str(upload_id)] = (offset, hasher)


def forget(upload_id) -> None:
    with _hashers_lock:
        _hashers.pop(str(upload_id), None)


def digest_of(upload_id, path: Path, length: int) -> str:
    """BLAKE3 of the finished file: the running hasher's, else the file hashed once from disk."""
    hasher = hasher_at(upload_id, length) if length else None
    forget(upload_id)
    if hasher is None:
        hasher = blake3(max_threads=HASH_THREADS)
        with open(path, "rb", buffering=0) as fh:
            while chunk := fh.read(CHUNK):
                hasher.update(chunk)
    return hasher.hexdigest()


def append(upload_id, path: Path, offset: int, chunks, count: int, checksum: Checksum | None) -> int:
    """Write the `count` bytes `chunks` yields (body.chunks) at `offset`; returns the new offset.

    A client that goes away mid-request keeps what arrived (that is what resuming is for),
    except when the chunk carries a checksum: then the chunk is all or nothing. A full disk
    rolls the chunk back and raises InsufficientStorage.
    """
    fd = os.open(path, os.O_WRONLY)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise Conflict("another request is writing to this upload") from None
        # The lock is held: the size now is the truth (a killed server may have written more
        # than the offset it recorded).
        if os.fstat(fd).st_size != offset:
            raise Conflict(f"Upload-Offset {offset} does not match the {os.fstat(fd).st_size} bytes received")
        hasher = hasher_at(upload_id, offset)
        saved = hasher.copy() if hasher is not None and checksum else None
        check = hashlib.new(checksum.algorithm) if checksum else None
        written = _copy(fd, offset, chunks, hasher, check)
        if checksum and (written < count or check.digest() != checksum.expected):
            os.ftruncate(fd, offset)
            remember(upload_id, offset, saved)
            if written < count:
                return offset
            raise ChecksumMismatch(f"the chunk does not match its {checksum.algorithm} checksum")
        remember(upload_id, offset + written, hasher)
        return offset + written
    finally:
        os.close(fd)  # releases the lock too


def _copy(fd: int, offset: int, chunks, hasher, check) -> int:
    written = 0
    os.lseek(fd, offset, os.SEEK_SET)
    try:
        for chunk in chunks:
            _write(fd, offset, chunk)
            if hasher is not None:
                hasher.update(chunk)
            if check is not None:
                check.update(chunk)
            written += len(chunk)
    except ClientGone:
        pass  # the client went away: what was written stays
    return written


def _write(fd: int, offset: int, chunk) -> None:
    try:
        view = memoryview(chunk)
        while view:
            view = view[os.write(fd, view) :]
    except OSError as exc:
        if not is_disk_full(exc):
            raise
        os.ftruncate(fd, offset)
        raise InsufficientStorage("the server's disk is full; the chunk was not stored") from exc
