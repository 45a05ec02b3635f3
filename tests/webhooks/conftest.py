"""A local receiver for deliveries: a real HTTP server on a free port of 127.0.0.1, in a thread.
Nothing leaves the machine."""

import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from apps.accounts import services as accounts
from apps.webhooks.models import Webhook
from tests.factories import UserFactory


@dataclass
class Received:
    path: str
    headers: object  # an email.message.Message: names are case-insensitive, as in HTTP
    body: bytes


@dataclass
class Receiver:
    url: str = ""
    answers: list = field(default_factory=list)  # statuses to answer in turn; 200 once they run out
    received: list = field(default_factory=list)
    hang: bool = False  # answer nothing until the test ends (a receiver too slow)
    released: threading.Event = field(default_factory=threading.Event)


def _handler(receiver: Receiver):
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802 - http.server's name
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            receiver.received.append(Received(self.path, self.headers, body))  # case-insensitive
            if receiver.hang:
                receiver.released.wait(10)
                return
            status = receiver.answers.pop(0) if receiver.answers else 200
            answer = f"answered {status}".encode()
            self.send_response(status)
            self.send_header("Content-Length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)

        def log_message(self, *args):
            pass

    return Handler


@pytest.fixture
def receiver():
    receiver = Receiver()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(receiver))
    server.daemon_threads = True
    receiver.url = f"http://127.0.0.1:{server.server_address[1]}/hook"
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)
    thread.start()
    yield receiver
    receiver.released.set()
    server.shutdown()
    server.server_close()


@pytest.fixture
def hook_for(receiver):
    """hook_for(owner, *events): an active hook of `owner` pointing at the receiver."""

    def make(owner, *events, **options):
        return Webhook.objects.create(
            owner=owner, name=f"{owner.username}'s hook", url=receiver.url,
            events=list(events) or ["album.shared"], **options,
        )

    return make


# Users without a password: hashing one costs about a second per user on this machine, and these
# tests never sign in with a password.
@pytest.fixture
def admin(db):
    """An admin (the role, not a superadmin) with nothing shared with them."""
    user = UserFactory(username="dora", password=None)
    accounts.set_role(user, "admin")
    return user


@pytest.fixture
def root(db):
    user = UserFactory(username="rooty", password=None)
    accounts.set_role(user, "superadmin")
    return user


@pytest.fixture
def alice(db):
    return UserFactory(username="alicia", password=None)


@pytest.fixture
def bob(db):
    return UserFactory(username="bobby", password=None)
