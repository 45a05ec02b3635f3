"""MediaHub child processes (manage.py scan, qcluster) that must use the test database."""

import os
import signal
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlencode

from django.db import connection

from mediahub.config import LONG_QUEUE, ML_QUEUE
from tests.core.install import VENV_BIN, Processes, answers, wait_for

REPO = Path(__file__).resolve().parents[2]


def child_env(data_dir, **extra) -> dict:
    """The live test server's connection settings, passed as DATABASE_URL to mediahub.settings."""
    params = connection.get_connection_params()
    query = urlencode({"host": params["host"], "port": params["port"]})
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "mediahub.settings",
        "DATABASE_URL": f"postgres://{params['user']}@/{params['dbname']}?{query}",
        "MEDIAHUB_DATA_DIR": str(data_dir),
        "PYTHONPATH": str(REPO),
        "DATABASE_CONN_MAX_AGE": "0",
    }
    env.pop("REDIS_URL", None)
    env.update({key: str(value) for key, value in extra.items()})
    return env


def start_qcluster(env: dict, long: bool = False, log=None, ml: bool = False) -> subprocess.Popen:
    """A real `manage.py qcluster` in its own process group: the default queue's cluster, the long
    queue's (`long`) or the inference queue's (`ml`). Its output goes to the file `log` if given
    (read it while it runs), else to a pipe."""
    if long:
        env = {**env, "Q_CLUSTER_NAME": LONG_QUEUE}
    elif ml:
        env = {**env, "Q_CLUSTER_NAME": ML_QUEUE}
    output = open(log, "a") if log else subprocess.PIPE  # noqa: SIM115 - the child keeps it
    try:
        return subprocess.Popen(
            [sys.executable, "manage.py", "qcluster"],
            cwd=REPO,
            env=env,
            start_new_session=True,
            stdout=output,
            stderr=subprocess.STDOUT,
            text=True,
        )
    finally:
        if log:
            output.close()


def stop_qcluster(cluster: subprocess.Popen) -> None:
    """Stopped the way Ctrl-C stops it, killed if it does not stop."""
    if cluster.poll() is not None:
        return
    os.killpg(cluster.pid, signal.SIGINT)
    try:
        cluster.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(cluster.pid, signal.SIGKILL)
        cluster.wait()


@contextmanager
def qcluster(env: dict, long: bool = False, log=None, ml: bool = False):
    """A real `manage.py qcluster` for the duration of the block (see start_qcluster)."""
    cluster = start_qcluster(env, long=long, log=log, ml=ml)
    try:
        yield cluster
    finally:
        stop_qcluster(cluster)


@contextmanager
def qclusters(env: dict, log=None):
    """The clusters MediaHub runs, as ./run.sh starts them: (default queue, long queue); the inference
    queue's runs too, for the faces and CLIP stages."""
    with qcluster(env, log=log) as short, qcluster(env, long=True, log=log) as long, qcluster(env, ml=True, log=log):
        yield short, long


def start_watch(env: dict, log) -> subprocess.Popen:
    """A real `manage.py watch` in its own process group, its output appended to the file `log`."""
    with open(log, "a") as output:
        return subprocess.Popen(
            [sys.executable, "manage.py", "watch"],
            cwd=REPO,
            env=env,
            start_new_session=True,
            stdout=output,
            stderr=subprocess.STDOUT,
            text=True,
        )


@contextmanager
def watcher(env: dict, log):
    """`manage.py watch` for the duration of the block, stopped as Ctrl-C stops it."""
    process = start_watch(env, log)
    try:
        yield process
    finally:
        stop_qcluster(process)


def start_gunicorn(env, port, log, workers: int = 1, threads: int = 1) -> Processes:
    """A real gunicorn on the test database (env from child_env), answering /health; more than
    one thread a worker is run.sh's gthread worker."""
    web = Processes(
        [str(VENV_BIN / "gunicorn"), "mediahub.wsgi:application",
         "--bind", f"127.0.0.1:{port}", "--workers", str(workers), "--threads", str(threads), "--timeout", "60"],
        env, log,
    )
    wait_for(lambda: answers(port) or not web.alive(), 60, "gunicorn to answer /health")
    assert web.alive(), web.output()[-3000:]
    return web
