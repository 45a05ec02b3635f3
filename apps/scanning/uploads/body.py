"""A request body as a stream of large chunks, read at the speed of the socket under gunicorn.

gunicorn's body reader (its Unreader) gathers each read in a BytesIO and copies it twice more;
on the 2-core test machine a 64 MiB body reached a WSGI app at 200-250 MiB/s through it, and at
470-600 MiB/s with recv_into() straight from the connection (bench_upload.py and the numbers in
the issue note). So under gunicorn, with a body of known length, the bytes gunicorn already holds
are taken first and the rest is read from the socket into a small ring of reused buffers. Anything
else (runserver, the test server, another WSGI server) reads the ordinary stream.

The ring lets the reader receive the next chunks while earlier ones are still being written and
hashed by other threads (receive.py): a chunk stays valid until KEEP further chunks were asked for.
"""

import socket
import threading

from gunicorn.http.body import Body, LengthReader
from gunicorn.http.unreader import SocketUnreader

# Bytes gathered before they are written and hashed: big enough that os.write and the BLAKE3
# update run on large blocks (BLAKE3 uses its threads from about 1 MiB up).
CHUNK = 4 * 1024 * 1024
# Chunks that stay valid after the one being received (receive.py's queues hold at most KEEP - 1,
# plus one in each consumer's hands). The ring is KEEP + 1 buffers: 20 MiB a request.
KEEP = 4
# Rings kept for the next requests of this process. A fresh ring costs more than receiving into
# it: its 20 MiB of new pages fault in one by one (about 12 ms of CPU a request on the 2-core test
# machine, 0.2 s a GiB uploaded in 16 MiB chunks), and glibc hands big blocks back to the system
# when they are freed. Two cover a worker's usual uploads; more at once allocate and drop theirs.
RINGS_KEPT = 2

_rings: list[list[memoryview]] = []
_rings_lock = threading.Lock()


class ClientGone(Exception):
    """The connection broke before the announced body arrived."""


def chunks(request, count: int, stream):
    """Yield the next `count` bytes of the body (or fewer, then ClientGone) as bytes-like chunks.
    A chunk is only valid until KEEP more chunks have been asked for."""
    direct = _gunicorn_connection(request, count)
    if direct is None:
        yield from from_stream(stream, count)
    else:
        yield from _from_socket(*direct, count)


def from_stream(stream, count: int):
    """Chunks of an ordinary file-like object (a request stream, an uploaded file)."""
    left = count
    while left > 0:
        try:
            chunk = stream.read(min(CHUNK, left))
        except OSError as exc:  # Django's UnreadablePostError is one
            raise ClientGone(str(exc)) from exc
        if not chunk:
            raise ClientGone(f"{count - left:,} of {count:,} bytes arrived")
        left -= len(chunk)
        yield chunk


def _gunicorn_connection(request, count: int):
    """(socket, bytes gunicorn already read, its body reader) when the fast path applies."""
    environ = getattr(request, "META", {})
    body, sock = environ.get("wsgi.input"), environ.get("gunicorn.socket")
    if not (isinstance(body, Body) and isinstance(sock, socket.socket)):
        return None
    reader = body.reader
    if not (isinstance(reader, LengthReader) and isinstance(reader.unreader, SocketUnreader)):
        return None
    if reader.length != count:  # someone read part of the body already: stay on the stream
        return None
    held = reader.unreader.take_buffered()
    if len(held) > count:  # the next pipelined request began behind this body: give it back
        reader.unreader.unread(held[count:])
        held = held[:count]
    # From here gunicorn's reader must not wait for bytes this function consumes.
    reader.length = 0
    return sock, held, reader


def _take_ring() -> list[memoryview]:
    with _rings_lock:
        if _rings:
            return _rings.pop()
    return [memoryview(bytearray(CHUNK)) for _ in range(KEEP + 1)]


def _give_back(ring: list[memoryview]) -> None:
    with _rings_lock:
        if len(_rings) < RINGS_KEPT:
            _rings.append(ring)


def _from_socket(sock, held: bytes, reader, count: int):
    left = count - len(held)
    ring, turn = _take_ring(), 0
    try:
        if held:
            yield held
        while left > 0:
            view = ring[turn % len(ring)]
            turn += 1
            filled, want = 0, min(CHUNK, left)
            while filled < want:
                try:
                    received = sock.recv_into(view[filled:want])
                except OSError as exc:
                    raise ClientGone(str(exc)) from exc
                if not received:
                    left = 0  # nothing more will come on this connection
                    if filled:
                        yield view[:filled]
                    raise ClientGone(f"the connection closed before {count:,} bytes arrived")
                filled += received
            left -= filled
            yield view[:filled]
    finally:
        # Stopped early (a full disk): the rest of the body is gunicorn's to read again, so the
        # connection's next request starts where it should.
        reader.length = left
        _give_back(ring)  # the caller is done with every chunk once it closes this generator
