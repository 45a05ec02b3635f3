"""The gunicorn fast path of body.py on a real loopback connection: chunks into a ring of reused
buffers, and splice(2) from the socket into the partial file."""

import errno
import os

import pytest

from apps.scanning.uploads import body

from .connections import incoming

SIZE = body.CHUNK * 2 + 123  # more than one buffer or pipe, not a whole number of them


def received(incoming_body) -> tuple[set[int], bytes]:
    """What iterating one request's body yields: the buffers it used and the bytes."""
    buffers, data = set(), bytearray()
    chunks = iter(incoming_body)
    for chunk in chunks:
        buffers.add(id(chunk.obj))
        data += chunk
    chunks.close()
    return buffers, bytes(data)


def test_each_request_reuses_the_buffers_of_the_one_before_and_gets_its_own_bytes():
    first, second = bytes([1]) * SIZE, bytes([2]) * SIZE
    with incoming(first, SIZE) as (one, _sock, reader):
        buffers_one, data_one = received(one)
        assert reader.length == 0
    with incoming(second, SIZE) as (two, _sock, _reader):
        buffers_two, data_two = received(two)
    assert (data_one, data_two) == (first, second)
    assert buffers_two <= buffers_one  # no new 20 MiB ring (and its page faults) per request


@pytest.fixture
def partial(tmp_path):
    """A partial file that already holds 1,000 bytes of earlier requests."""
    path = tmp_path / "partial"
    path.write_bytes(b"p" * 1000)
    fd = os.open(path, os.O_RDWR)
    yield path, fd
    os.close(fd)


def test_splice_writes_the_held_bytes_then_the_socket_s_at_the_offset_and_leaves_the_next_request(partial):
    path, fd = partial
    data = os.urandom(SIZE)
    with incoming(data[5000:] + b"NEXT", SIZE, held=data[:5000]) as (spliced, sock, reader):
        spliced.splice_into(fd, 1000)
        assert (spliced.landed, reader.length) == (SIZE, 0)
        assert sock.recv(100) == b"NEXT"  # the connection's next request is still there
    assert path.read_bytes() == b"p" * 1000 + data


def test_a_unix_socket_behind_a_proxy_is_spliced_too(partial):
    path, fd = partial
    data = os.urandom(SIZE)
    with incoming(data, SIZE, unix=True) as (spliced, _sock, reader):
        assert spliced.splices
        spliced.splice_into(fd, 1000)
        assert (spliced.landed, reader.length) == (SIZE, 0)
    assert path.read_bytes() == b"p" * 1000 + data


def test_a_body_gunicorn_holds_whole_is_written_and_the_pipelined_request_behind_it_given_back(partial):
    path, fd = partial
    with incoming(b"", 6, held=b"sixsixNEXT") as (spliced, _sock, reader):
        spliced.splice_into(fd, 1000)
        assert reader.unreader.take_buffered() == b"NEXT"
    assert path.read_bytes() == b"p" * 1000 + b"sixsix"


def test_a_client_gone_mid_body_leaves_what_it_sent_in_the_file(partial):
    path, fd = partial
    data = os.urandom(SIZE)
    with incoming(data[: SIZE // 2], SIZE, hang_up=True) as (spliced, _sock, reader):
        with pytest.raises(body.ClientGone):
            spliced.splice_into(fd, 1000)
        assert (spliced.landed, reader.length) == (SIZE // 2, 0)
    assert path.read_bytes() == b"p" * 1000 + data[: SIZE // 2]


def test_a_socket_with_a_timeout_is_waited_on_and_given_up_after_it(partial):
    """gunicorn may hand over a socket with a timeout, non-blocking underneath: splice then gets
    EAGAIN whenever the client is slower than the server."""
    path, fd = partial
    data = os.urandom(SIZE)
    with incoming(data, SIZE, timeout=10) as (spliced, _sock, _reader):
        spliced.splice_into(fd, 1000)
    assert path.read_bytes() == b"p" * 1000 + data
    with incoming(data[:1000], SIZE, timeout=0.2) as (spliced, _sock, _reader):
        with pytest.raises(body.ClientGone, match="no byte arrived for 0.2 s"):
            spliced.splice_into(fd, 2000 + SIZE)


def test_a_file_system_without_splice_write_still_gets_the_bytes(partial, monkeypatch):
    path, fd = partial
    real_splice = os.splice

    def splice(source, target, count, offset_src=None, offset_dst=None, flags=0):
        if offset_dst is not None:  # into the file: what a file system without splice_write says
            raise OSError(errno.EINVAL, "Invalid argument")
        return real_splice(source, target, count, offset_src, offset_dst, flags)

    monkeypatch.setattr(os, "splice", splice)
    data = os.urandom(SIZE)
    with incoming(data, SIZE) as (spliced, _sock, _reader):
        spliced.splice_into(fd, 1000)
    assert path.read_bytes() == b"p" * 1000 + data
