"""A request body on a real loopback TCP connection, read through gunicorn's own reader."""

import socket
import ssl
import threading
from contextlib import contextmanager

from gunicorn.http.body import LengthReader
from gunicorn.http.unreader import SocketUnreader

from apps.scanning.uploads import body


@contextmanager
def incoming(sent: bytes, count: int, held: bytes = b"", hang_up=False, timeout=None, tls=None, unix=False):
    """A body.SocketBody of `count` bytes whose peer sends `sent` (then hangs up when `hang_up`),
    after gunicorn's reader already holds `held` (read ahead with the headers); over TLS when
    `tls` is (certificate file, key file), as gunicorn with a certfile serves; over a Unix socket
    when `unix`, as gunicorn bound to one behind a proxy serves. Yields (the body, our end of the
    connection, gunicorn's reader)."""
    if unix:
        ours, peer = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
    else:
        with socket.create_server(("127.0.0.1", 0)) as listener:
            peer = socket.create_connection(listener.getsockname())
            ours, _address = listener.accept()
    if tls:
        client, wrapped = ssl.create_default_context(), {}
        client.check_hostname, client.verify_mode = False, ssl.CERT_NONE
        handshake = threading.Thread(target=lambda: wrapped.update(peer=client.wrap_socket(peer)))
        handshake.start()  # answered by the server's side of the handshake, below
        server = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        server.load_cert_chain(*tls)
        ours = server.wrap_socket(ours, server_side=True)
        handshake.join()
        peer = wrapped["peer"]
    ours.settimeout(timeout)
    reader = LengthReader(SocketUnreader(ours), count)
    reader.unreader.unread(held)

    def send():
        try:
            peer.sendall(sent)
        except OSError:
            return  # the server stopped reading (a refusal) and closed its end
        if hang_up:
            peer.close()

    sender = threading.Thread(target=send, daemon=True)
    sender.start()
    try:
        yield body.SocketBody(ours, reader, count), ours, reader
    finally:
        ours.close()
        sender.join(timeout=10)
        peer.close()
