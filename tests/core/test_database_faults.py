"""The database stops, crashes or is signalled under a running install, and MediaHub recovers by
itself: real gunicorn, a real qcluster and a real embedded PostgreSQL in a data dir of their own.

The figures (seconds to recover) are printed; `pytest -s -k faults` shows them. Issue 11's acceptance,
so they run by default (marker `faults` to pick or skip them)."""

import contextlib
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import fasteners
import psutil
import pytest

from mediahub import embedded_db

from .install import REPO, create_install, free_port, get, running, start_web, wait_for

pytestmark = pytest.mark.faults


@pytest.fixture(scope="module")
def install():
    # Not under pytest's basetemp: another pytest session on the machine may prune it meanwhile.
    data_dir = Path(tempfile.mkdtemp(prefix="mediahub-faults-"))
    try:
        yield create_install(data_dir)
    finally:
        embedded_db.stop_if_unused(data_dir / "postgres")
        shutil.rmtree(data_dir, ignore_errors=True)


def api(install, port, path="/api/libraries/", **kwargs):
    return get(port, path, {"Authorization": f"Token {install.token}"}, **kwargs)


def page(install, port, path="/", **headers):
    return get(port, path, {"Cookie": f"sessionid={install.session}", **headers})


def lives(proc) -> bool:
    try:
        return proc.status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


def registered(install) -> list[int]:
    return json.loads((install.pgdata / ".handle_pids.json").read_text())


def figure(name, seconds):
    print(f"\nFIGURE {name}: {seconds:.2f} s")


def test_while_the_database_is_down_the_api_answers_json_503_and_pages_a_friendly_503_then_both_recover(
    install,
):
    # One web worker: a process's first connection joins the server under the start lock, so a
    # second worker that had not connected yet would wait for the lock this test holds.
    with running(install, web_workers=1) as (web, worker, port):
        assert api(install, port).status == 200
        # Holding the start lock keeps every process of the install from starting the server: the
        # window a slow restart or a crash recovery leaves, made long enough to look at.
        with fasteners.InterProcessLock(embedded_db.start_lock_path(install.pgdata)):
            install.stop_postgres()
            answer = api(install, port)
            assert answer.status == 503, answer.body
            assert answer.headers["Content-Type"] == "application/json"
            assert answer.json() == {"detail": "database unavailable"}
            assert int(answer.headers["Retry-After"]) > 0

            html = page(install, port)
            assert html.status == 503
            assert html.headers["Content-Type"].startswith("text/html")
            assert b"MediaHub is restarting its database" in html.body
            assert html.headers["Retry-After"] == answer.headers["Retry-After"]
            fragment = page(install, port, **{"HX-Request": "true"})
            assert (fragment.status, fragment.body.count(b"<html")) == (503, 0)
            assert get(port, "/health").status == 503
            released = time.monotonic()

        wait_for(lambda: api(install, port).status == 200, 30, "the API to answer 200 again")
        figure("lock released -> API 200 (held-down server started by a request)", time.monotonic() - released)
        assert page(install, port).status == 200
        assert web.alive() and worker.alive(), "no process of the install was restarted"

        # The worker waited the outage out and takes new work.
        scan = api(install, port, f"/api/libraries/{install.library}/scan/", method="POST")
        assert scan.status == 202, scan.body
        scans = f"/api/scans/{scan.json()['id']}/"
        wait_for(lambda: api(install, port, scans).json()["state"] == "done", 30, "the worker to run a scan")
    log = worker.output()
    assert "reincarnated" not in log and "Failed to pull task" not in log, log[-3000:]
    assert "database unavailable, the queue waits for it" in log


@pytest.mark.parametrize("fault", ["pg_ctl stop -m fast", "kill -9 postmaster"])
def test_a_stopped_or_crashed_embedded_server_is_started_again_by_the_next_requests(install, fault):
    with running(install, worker=False) as (web, _, port):
        assert api(install, port).status == 200
        postmaster = install.postmaster_pid()
        if fault == "kill -9 postmaster":
            os.kill(postmaster, signal.SIGKILL)
        else:
            install.stop_postgres()
        down = time.monotonic()
        statuses = []

        def recovered():
            statuses.append(api(install, port).status)
            return statuses[-1] == 200

        wait_for(recovered, 30, f"the API to answer 200 after {fault}")
        figure(f"{fault} -> API 200 ({len(statuses)} requests)", time.monotonic() - down)
        assert set(statuses) <= {200, 503}, statuses
        assert install.postmaster_pid() != postmaster
        assert web.alive()


def test_a_web_server_killed_with_sigkill_serves_again_when_started_and_stop_embedded_db_cleans_up(install):
    port = free_port()
    web = start_web(install, port)
    assert api(install, port).status == 200
    os.killpg(web.pid, signal.SIGKILL)  # the OOM killer's way: no handler, no atexit
    web.popen.wait()
    assert install.postgres_processes(), "the embedded server outlives a killed web server"

    started = time.monotonic()
    web = start_web(install, port)
    assert api(install, port).status == 200
    figure("web server started again after kill -9 -> API 200", time.monotonic() - started)

    os.killpg(web.pid, signal.SIGKILL)
    web.popen.wait()
    # What ./run.sh runs last: the killed processes never unregistered, so nothing else stops it.
    out = subprocess.run([sys.executable, "manage.py", "stop_embedded_db"], cwd=REPO, env=install.env,
                         capture_output=True, text=True, timeout=60)
    assert out.stdout.strip() == "Embedded PostgreSQL stopped.", out.stdout + out.stderr
    assert install.postgres_processes() == []


def test_sigterm_to_every_process_of_an_install_leaves_no_postgres_running(install):
    with running(install) as (web, worker, port):
        assert api(install, port).status == 200
        # A web worker the OOM killer took earlier stays registered; gunicorn starts another.
        killed = next(p for p in web.tree()[1:] if p.pid in registered(install))
        killed.kill()
        wait_for(lambda: not lives(killed) and len(list(filter(lives, web.tree()))) == 3, 30,
                 "gunicorn to replace the worker")
        processes = web.tree() + worker.tree()
        # What systemd does to a service's control group, and Docker to a container's processes.
        for proc in processes:
            with contextlib.suppress(psutil.NoSuchProcess):
                proc.send_signal(signal.SIGTERM)
        stopping = time.monotonic()
        for group in (web, worker):
            group.popen.wait(timeout=30)
        wait_for(lambda: not any(map(lives, processes)), 30, "every process of the install to end")
        figure("SIGTERM to every process -> all ended", time.monotonic() - stopping)
        assert install.postgres_processes() == []
        assert not (install.pgdata / "postmaster.pid").exists()


def test_with_an_external_database_the_web_server_answers_503_without_starting_it_and_reconnects(install):
    install.start_postgres()  # an external server: started by its administrator, not by MediaHub
    port = free_port()
    web = start_web(install, port, DATABASE_URL=f"postgres://postgres@/mediahub?host={install.pgdata}")
    try:
        assert api(install, port).status == 200
        install.stop_postgres()
        for _ in range(3):
            answer = api(install, port)
            assert (answer.status, answer.json()) == (503, {"detail": "database unavailable"})
        assert install.postgres_processes() == [], "an external database is not MediaHub's to start"

        install.start_postgres()
        back = time.monotonic()
        wait_for(lambda: api(install, port).status == 200, 30, "the web server to reconnect")
        figure("external server started again -> API 200", time.monotonic() - back)
        assert web.alive()
    finally:
        web.end()
        if install.postgres_processes():
            install.stop_postgres()
