"""A body over the size limit, sent to the real web server (gunicorn, as ./run.sh serves): a JSON 413,
and the keep-alive connection carries the client's next request."""

import http.client
import json
import re
import subprocess
import sys
import time
from contextlib import contextmanager

import pytest
from django.conf import settings

from apps.accounts.tokens import create_token
from tests.scanning.subprocess_env import REPO, child_env

LISTENING = re.compile(r"Listening at: http://127\.0\.0\.1:(\d+)")


@contextmanager
def gunicorn(env):
    """`gunicorn mediahub.wsgi` on a free port with threads (keep-alive), as ./run.sh starts it."""
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "mediahub.wsgi:application",
            "--bind",
            "127.0.0.1:0",
            "--workers",
            "1",
            "--threads",
            "2",
            "--timeout",
            "60",
        ],
        cwd=REPO,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        port, deadline, seen = None, time.monotonic() + 60, []
        while port is None:
            line = server.stderr.readline()
            seen.append(line)
            assert line or server.poll() is None, f"gunicorn exited: {''.join(seen)}"
            assert time.monotonic() < deadline, f"gunicorn did not start: {''.join(seen)}"
            if match := LISTENING.search(line):
                port = int(match.group(1))
        yield port
    finally:
        server.terminate()
        server.wait(timeout=30)


@pytest.fixture
def server(superuser, tmp_path):
    _, key = create_token(superuser, "size test")
    with gunicorn(child_env(tmp_path / "web-data")) as port:
        yield port, {"Authorization": f"Token {key}"}


OVER = settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 512 * 1024


BODIES = {
    "application/json": lambda: json.dumps({"path": "a" * OVER}).encode(),
    "application/x-www-form-urlencoded": lambda: b"path=" + b"a" * OVER,
}


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("content_type", list(BODIES))
def test_a_body_over_the_limit_is_a_json_413_and_the_connection_stays_usable(server, content_type):
    port, auth = server
    body = BODIES[content_type]()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        connection.request(
            "POST", "/api/libraries/", body=body, headers={**auth, "Content-Type": content_type}
        )
        refused = connection.getresponse()
        answer = refused.read()
        assert refused.status == 413, answer[:300]
        assert refused.getheader("Content-Type") == "application/json"
        assert "larger than" in json.loads(answer)["detail"]
        socket_used = connection.sock
        assert socket_used is not None, "the server closed the connection"

        connection.request("GET", "/api/auth/me", headers=auth)
        following = connection.getresponse()
        assert following.status == 200 and json.loads(following.read())["username"] == "root"
        assert connection.sock is socket_used  # the same connection carried it
    finally:
        connection.close()
