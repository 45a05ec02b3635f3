"""A request body as a stream of large chunks, read at the speed of the socket under gunicorn.

gunicorn's body reader (its Unreader) gathers each read in a BytesIO and copies it twice more;
on the 2-core test machine a 64 MiB body reached a WSGI app at 200-250 MiB/s through it, and at
470-600 MiB/s with recv_into() straight from the connection (bench_upload.py and the numbers in
the issue note). So under gunicorn, with a body of known length, the bytes gunicorn already holds
are taken first and the rest is read from the socket (SocketBody). Anything else (runserver, the
test server, another WSGI server) reads the ordinary stream.

A SocketBody is read in one of two ways:
- as chunks, received into a small ring of reused buffers: the ring lets the reader receive the
  next chunks while earlier ones are still being written and hashed by other threads
  (receive.py); a chunk stays valid until KEEP further chunks were asked for;
- or moved into a file with splice(2) (splice_into), socket to pipe to page cache: the bytes never
  pass through this process, so the receive copy and its CPU are gone; the hash reads them back
  from the page cache (receive.py). bench_upload.py and the issue note have the figures.
"""

import errno
import fcntl
import os
import select
import socket
import ssl
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
# The pipe between socket and file: Linux's default for an unprivileged process at most, 16 times
# its default size, so each splice moves up to 1 MiB.
PIPE_SIZE = 1024 * 1024
SPLICE = hasattr(os, "splice")  # Linux

_rings: list[list[memoryview]] = []
_rings_lock = threading.Lock()


class ClientGone(Exception):
    """The connection broke before the announced body arrived."""


def chunks(request, count: int, stream):
    """The next `count` bytes of the body: a SocketBody under gunicorn, else chunks of the stream.
    Either is iterated for bytes-like chunks (fewer than `count` bytes in all, then ClientGone);
    a chunk is only valid until KEEP more chunks have been asked for."""
    direct = _gunicorn_connection(request, count)
    return from_stream(stream, count) if direct is None else SocketBody(*direct, count)


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
    """(socket, gunicorn's body reader) when the fast path applies."""
    environ = getattr(request, "META", {})
    body, sock = environ.get("wsgi.input"), environ.get("gunicorn.socket")
    if not (isinstance(body, Body) and isinstance(sock, socket.socket)):
        return None
    reader = body.reader
    if not (isinstance(reader, LengthReader) and isinstance(reader.unreader, SocketUnreader)):
        return None
    if reader.length != count:  # someone read part of the body already: stay on the stream
        return None
    return sock, reader


class SocketBody:
    """A body of `count` bytes read past gunicorn's reader. Nothing is taken from the connection
    until it is iterated or spliced, so a request refused before that leaves the body to
    gunicorn; once reading stopped, what was not taken is gunicorn's to read again (a full disk
    stops early), so the connection's next request starts where it should."""

    def __init__(self, sock: socket.socket, reader: LengthReader, count: int):
        self.sock, self.reader, self.count = sock, reader, count
        self.taken = 0  # bytes taken from gunicorn's buffer and the socket
        self.landed = 0  # bytes splice_into wrote to the file so far
        self.gone = False  # the client went away: nothing more will come on this connection

    @property
    def splices(self) -> bool:
        """Whether splice_into applies: on Linux, and where the bytes on the wire are the body's
        (TLS that gunicorn terminates itself is decrypted in this process)."""
        return SPLICE and not isinstance(self.sock, ssl.SSLSocket)

    def _take_buffered(self) -> bytes:
        """The bytes gunicorn already read; from here its reader must not wait for ours."""
        unreader = self.reader.unreader
        held = unreader.take_buffered()
        if len(held) > self.count:  # the next pipelined request began behind this body: give it back
            unreader.unread(held[self.count :])
            held = held[: self.count]
        self.reader.length = 0
        self.taken = len(held)
        return held

    def _give_back_the_rest(self) -> None:
        self.reader.length = 0 if self.gone else self.count - self.taken

    def _client_gone(self, why) -> ClientGone:
        self.gone = True
        return ClientGone(str(why))

    def __iter__(self):
        ring, turn = _take_ring(), 0
        try:
            if held := self._take_buffered():
                yield held
            while self.taken < self.count:
                view = ring[turn % len(ring)]
                turn += 1
                filled, want = 0, min(CHUNK, self.count - self.taken)
                while filled < want:
                    try:
                        received = self.sock.recv_into(view[filled:want])
                    except OSError as exc:
                        raise self._client_gone(exc) from exc
                    if not received:
                        self.taken += filled
                        if filled:
                            yield view[:filled]
                        raise self._client_gone(f"the connection closed before {self.count:,} bytes arrived")
                    filled += received
                self.taken += filled
                yield view[:filled]
        finally:
            self._give_back_the_rest()
            _give_back(ring)  # the caller is done with every chunk once it closes this generator

    def splice_into(self, fd: int, offset: int) -> None:
        """Move the body into the file `fd` from `offset` on, through a pipe, never through this
        process's memory. `landed` counts the bytes in the file as they arrive (receive.py's hasher
        follows it). A client that goes away raises ClientGone once what it sent has landed; a
        write that fails raises its OSError."""
        try:
            held = self._take_buffered()
            _write_at(fd, held, offset)
            self.landed = len(held)
            pipe_out, pipe_in = os.pipe()
            try:
                try:
                    fcntl.fcntl(pipe_in, fcntl.F_SETPIPE_SZ, PIPE_SIZE)
                except OSError:
                    pass  # a lower pipe-max-size: the default pipe only moves less per call
                while self.taken < self.count:
                    moved = self._splice_from_socket(pipe_in, min(PIPE_SIZE, self.count - self.taken))
                    self.taken += moved
                    while moved:
                        written = _splice_to_file(pipe_out, fd, moved, offset + self.landed)
                        moved -= written
                        self.landed += written
            finally:
                os.close(pipe_out)
                os.close(pipe_in)
        finally:
            self._give_back_the_rest()

    def _splice_from_socket(self, pipe_in: int, size: int) -> int:
        """Bytes moved from the socket into the pipe; waits as recv would, up to the socket's
        timeout (a socket with one is non-blocking underneath)."""
        while True:
            try:
                moved = os.splice(self.sock.fileno(), pipe_in, size)
            except BlockingIOError:
                self._wait_for_bytes()
                continue
            except OSError as exc:
                raise self._client_gone(exc) from exc
            if not moved:
                raise self._client_gone(f"the connection closed before {self.count:,} bytes arrived")
            return moved

    def _wait_for_bytes(self) -> None:
        timeout = self.sock.gettimeout()
        poller = select.poll()
        poller.register(self.sock, select.POLLIN)
        if not poller.poll(None if timeout is None else timeout * 1000):
            raise self._client_gone(f"no byte arrived for {timeout} s")


def _splice_to_file(pipe_out: int, fd: int, size: int, at: int) -> int:
    """Bytes moved from the pipe into the file at `at`; through this process's memory where the
    file system has no splice write (EINVAL), so such a disk still takes uploads."""
    try:
        return os.splice(pipe_out, fd, size, offset_dst=at)
    except OSError as exc:
        if exc.errno != errno.EINVAL:
            raise
    data = os.read(pipe_out, size)
    _write_at(fd, data, at)
    return len(data)


def _write_at(fd: int, data, at: int) -> None:
    view = memoryview(data)
    while view:
        written = os.pwrite(fd, view, at)
        view, at = view[written:], at + written


def _take_ring() -> list[memoryview]:
    with _rings_lock:
        if _rings:
            return _rings.pop()
    return [memoryview(bytearray(CHUNK)) for _ in range(KEEP + 1)]


def _give_back(ring: list[memoryview]) -> None:
    with _rings_lock:
        if len(_rings) < RINGS_KEPT:
            _rings.append(ring)
