"""receive.append without a server: chunks spread over processes still give the file's BLAKE3.

Each gunicorn worker keeps its own hasher per upload (receive._hashers); another process is
played here by swapping that table, so the catch-up from the partial file is exercised directly.
"""

import ctypes
import errno
import hashlib
import os
import subprocess
from base64 import b64encode

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
    own, receive._hashers = receive._hashers, process if process is not None else receive._hashers
    try:
        return receive.append("u1", path, offset, body.from_stream(_Stream(piece), len(piece)), len(piece), checksum)
    finally:
        receive._hashers = own


class _Stream:
    def __init__(self, data):
        self.data, self.at = data, 0

    def read(self, size):
        piece = self.data[self.at : self.at + size]
        self.at += len(piece)
        return piece


def test_chunks_alternating_between_two_processes_give_the_file_digest_without_a_rehash(partial, data):
    receive.forget("u1")
    other = {}
    offset = 0
    for number in range(4):
        offset = send(partial, data, offset, process=other if number % 2 else None)
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


def test_a_full_disk_mid_chunk_keeps_nothing_of_it(partial, data, monkeypatch):
    receive.forget("u1")
    offset = send(partial, data, 0)
    writes, real_write = [], os.write

    def write(fd, view):  # the disk fills up after the chunk's first block
        if writes:
            raise OSError(errno.ENOSPC, "No space left on device")
        writes.append(len(view))
        return real_write(fd, view)

    monkeypatch.setattr(receive.os, "write", write)
    with pytest.raises(InsufficientStorage):
        send(partial, data, offset)
    monkeypatch.undo()
    assert partial.stat().st_size == offset
    while offset < len(data):
        offset = send(partial, data, offset)
    assert receive.digest_of("u1", partial, len(data)) == blake3(data).hexdigest()


def splice(path, data, offset, process=None, **connection):
    """One PATCH of data[offset:offset + CHUNK] as gunicorn hands it over (spliced into the file)."""
    piece = data[offset : offset + CHUNK]
    own, receive._hashers = receive._hashers, process if process is not None else receive._hashers
    try:
        with incoming(connection.pop("sent", piece), len(piece), **connection) as (spliced, _sock, reader):
            new_offset = receive.append("u1", path, offset, spliced, len(piece), None)
            return new_offset, reader
    finally:
        receive._hashers = own


def test_spliced_chunks_in_this_process_and_another_give_the_file_and_its_digest(partial, data):
    receive.forget("u1")
    other, offset = {}, 0
    for number in range(4):  # the second and fourth land in a process whose hasher is behind
        offset, _reader = splice(partial, data, offset, process=other if number % 2 else None)
    assert partial.read_bytes() == data
    position, hasher = other["u1"]
    assert position == len(data) and hasher.hexdigest() == blake3(data).hexdigest()
    assert receive.digest_of("u1", partial, len(data)) == blake3(data).hexdigest()


def test_a_broken_spliced_chunk_keeps_what_arrived_hashed_and_frees_the_blocks_it_reserved(partial, data):
    receive.forget("u1")
    offset, _reader = splice(partial, data, 0, sent=data[:1000], hang_up=True)
    assert offset == 1000 and partial.stat().st_size == 1000
    assert partial.stat().st_blocks * 512 < CHUNK // 2  # the chunk's reservation went back
    while offset < len(data):
        offset = send(partial, data, offset) if offset % 2 else splice(partial, data, offset)[0]
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


def test_a_disk_that_fills_up_mid_splice_keeps_nothing_of_the_chunk(partial, data, monkeypatch):
    """Where the file system cannot reserve (fallocate unsupported), the writes find out."""
    receive.forget("u1")
    offset = send(partial, data, 0)
    real_splice = os.splice

    def splice_until_full(source, target, count, offset_src=None, offset_dst=None, flags=0):
        if offset_dst is not None and offset_dst > offset + body.PIPE_SIZE:
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_splice(source, target, count, offset_src, offset_dst, flags)

    monkeypatch.setattr(storage, "_fallocate", None)
    monkeypatch.setattr(os, "splice", splice_until_full)
    with pytest.raises(InsufficientStorage):
        splice(partial, data, offset)
    monkeypatch.undo()
    assert partial.stat().st_size == offset
    while offset < len(data):
        offset = splice(partial, data, offset)[0]
    assert receive.digest_of("u1", partial, len(data)) == blake3(data).hexdigest()


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
    offset, _reader = splice(partial, data, 0, tls=(certificate, key))
    assert offset == CHUNK and partial.read_bytes() == data[:CHUNK]
    assert receive.digest_of("u1", partial, CHUNK) == blake3(data[:CHUNK]).hexdigest()
