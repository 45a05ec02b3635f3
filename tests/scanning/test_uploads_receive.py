"""receive.append without a server: chunks spread over processes still give the file's BLAKE3.

Each gunicorn worker keeps its own hasher per upload (receive._hashers); another process is
played here by swapping that table, so the catch-up from the partial file is exercised directly.
"""

import errno
import hashlib
import os
from base64 import b64encode

import pytest
from blake3 import blake3

from apps.core.errors import InsufficientStorage
from apps.scanning.uploads import body, receive

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
