"""The gunicorn fast path of body.py on a real socket pair."""

import socket
import threading
from types import SimpleNamespace

from apps.scanning.uploads import body


def receive(sock, count: int) -> tuple[set[int], bytes]:
    """What one request's body reader yields: the buffers it used and the bytes."""
    reader = SimpleNamespace(length=0)
    chunks = body._from_socket(sock, b"", reader, count)
    buffers, data = set(), bytearray()
    for chunk in chunks:
        buffers.add(id(chunk.obj))
        data += chunk
    chunks.close()
    assert reader.length == 0
    return buffers, bytes(data)


def test_each_request_reuses_the_buffers_of_the_one_before_and_gets_its_own_bytes():
    size = body.CHUNK * 2 + 123  # more than one buffer, not a whole number of them
    first, second = bytes([1]) * size, bytes([2]) * size
    ours, theirs = socket.socketpair()
    sender = threading.Thread(target=lambda: theirs.sendall(first + second))
    sender.start()
    try:
        buffers_one, data_one = receive(ours, size)
        buffers_two, data_two = receive(ours, size)
    finally:
        sender.join()
        ours.close()
        theirs.close()
    assert (data_one, data_two) == (first, second)
    assert buffers_two <= buffers_one  # no new 20 MiB ring (and its page faults) per request
