"""receive.append without a server: chunks spread over processes still give the file's BLAKE3,
streamed (any WSGI server) or spliced from a real loopback connection (gunicorn, connections.py).

Each gunicorn worker keeps its own hasher per upload (receive._hashers); another process is
played here by swapping that table, so the catch-up from the partial file is exercised directly.
"""

import ctypes
import errno
import hashlib
import os
import subprocess
from base64 import b64encode
from contextlib import contextmanager

import pytest
from blake3 import blake3

from apps.core.errors import InsufficientStorage
from apps.scanning.uploads import body, receive, storage

from .connections import incoming

CHUNK = body.CHUNK * 2 + 12345  # several ring buffers per request, and a ragged end


@pytest.fixture
def data():
    return os.urandom(CHUNK * 4)


@pytest.fixture
def partial(tmp_path):
    path = tmp_path / "partial"
    path.touch()
    return path


def send(path, data, offset, checksum=None, process=None):
    """One PATCH of data[offset:offset + CHUNK], in `process` (a hasher table) when given."""
    piece = data[offset : offset + CHUNK]
    with hashers_of(process):
        return receive.append("u1", path, offset, body.from_stream(_Stream(piece), len(piece)), len(piece), checksum)


class _Stream:
    def __init__(self, data):
        self.data, self.at = data, 0

    def read(self, size):
        piece = self.data[self.at : self.at + size]
        self.at += len(piece)
        return piece


def splice(path, data, offset, process=None, **connection):
    """One PATCH of data[offset:offset + CHUNK] as gunicorn hands it over (spliced into the file)."""
    piece = data[offset : offset + CHUNK]
    with hashers_of(process), incoming(connection.pop("sent", piece), len(piece), **connection) as (spliced, *_):
        return receive.append("u1", path, offset, spliced, len(piece), None)


@contextmanager
def hashers_of(process: dict | None):
    """receive's hashers of another process (a table of them) for the block; None: this one's."""
    own = receive._hashers
    receive._hashers = own if process is None else process
    try:
        yield
    finally:
        receive._hashers = own


@pytest.mark.parametrize("way", ["streamed", "spliced"])
def test_chunks_alternating_between_two_processes_give_the_file_digest_without_a_rehash(partial, data, way):
    receive.forget("u1")
    other = {}
    offset = 0
    deliver = send if way == "streamed" else splice
    for number in range(4):
        offset = deliver(partial, data, offset, process=other if number % 2 else None)
    assert partial.read_bytes() == data
    # The last chunk went to the other process: its hasher followed the file and is complete there.
    position, hasher = other["u1"]
    assert position == len(data) and hasher.hexdigest() == blake3(data).hexdigest()
    assert receive.digest_of("u1", partial, len(data)) == blake3(data).hexdigest()


def test_a_failed_checksum_rolls_back_the_chunk_and_the_hasher(partial, data):
    receive.forget("u1")
    offset = send(partial, data, 0)
    other = {}
    wrong = "sha1 " + b64encode(hashlib.sha1(b"something else").digest()).decode()
    with pytest.raises(receive.ChecksumMismatch):
        send(partial, data, offset, receive.Checksum.parse(wrong), process=other)
    assert partial.stat().st_size == offset
    right = "sha1 " + b64encode(hashlib.sha1(data[offset : offset + CHUNK]).digest()).decode()
    offset = send(partial, data, offset, receive.Checksum.parse(right), process=other)
    while offset < len(data):
        offset = send(partial, data, offset)
    assert receive.digest_of("u1", partial, len(data)) == blake3(data).hexdigest()


@pytest.mark.parametrize("way", ["streamed", "spliced"])
def test_a_disk_that_fills_up_mid_chunk_keeps_nothing_of_it(partial, data, monkeypatch, way):
    """Where the file system cannot reserve a chunk's blocks (no fallocate), the writes find out."""
    receive.forget("u1")
    offset = send(partial, data, 0)
    monkeypatch.setattr(storage, "_fallocate", None)
    fill_the_disk_after_one_block(monkeypatch)
    deliver = send if way == "streamed" else splice
    with pytest.raises(InsufficientStorage):
        deliver(partial, data, offset)
    monkeypatch.undo()
    assert partial.stat().st_size == offset
    while offset < len(data):
        offset = deliver(partial, data, offset)
    assert receive.digest_of("u1", partial, len(data)) == blake3(data).hexdigest()


def fill_the_disk_after_one_block(monkeypatch):
    """The disk fills up once a chunk's first block is written (os.write) or spliced in."""
    real_write, real_splice, blocks = os.write, os.splice, []

    def write(fd, view):
        if blocks:
            raise OSError(errno.ENOSPC, "No space left on device")
        blocks.append(len(view))
        return real_write(fd, view)

    def splice(source, target, count, offset_src=None, offset_dst=None, flags=0):
        if offset_dst is not None:  # into the file
            if blocks:
                raise OSError(errno.ENOSPC, "No space left on device")
            blocks.append(count)
        return real_splice(source, target, count, offset_src, offset_dst, flags)

    monkeypatch.setattr(os, "write", write)
    monkeypatch.setattr(os, "splice", splice)


def test_a_broken_spliced_chunk_keeps_what_arrived_hashed_and_frees_the_blocks_it_reserved(partial, data):
    receive.forget("u1")
    offset = splice(partial, data, 0, sent=data[:1000], hang_up=True)
    assert offset == 1000 and partial.stat().st_size == 1000
    assert partial.stat().st_blocks * 512 < CHUNK // 2  # the chunk's reservation went back
    while offset < len(data):
        offset = send(partial, data, offset) if offset % 2 else splice(partial, data, offset)
    assert receive.digest_of("u1", partial, len(data)) == blake3(data).hexdigest()


def test_a_full_disk_is_refused_before_a_byte_of_the_body_is_read(partial, data, monkeypatch):
    receive.forget("u1")

    def fallocate(fd, mode, offset, length):
        ctypes.set_errno(errno.ENOSPC)
        return -1

    monkeypatch.setattr(storage, "_fallocate", fallocate)
    with pytest.raises(InsufficientStorage):
        splice(partial, data, 0)
    assert partial.stat().st_size == 0


def test_a_body_over_tls_is_stored_decrypted(partial, data, tmp_path):
    """gunicorn can terminate TLS itself (--certfile): the bytes on the wire are then not the
    body's, so they are never spliced."""
    certificate, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=localhost",
         "-keyout", str(key), "-out", str(certificate)],
        check=True, capture_output=True,
    )
    receive.forget("u1")
    offset = splice(partial, data, 0, tls=(certificate, key))
    assert offset == CHUNK and partial.read_bytes() == data[:CHUNK]
    assert receive.digest_of("u1", partial, CHUNK) == blake3(data[:CHUNK]).hexdigest()
