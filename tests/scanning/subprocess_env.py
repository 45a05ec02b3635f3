"""MediaHub child processes (manage.py scan, qcluster) that must use the test database."""

import os
import signal
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlencode

from django.db import connection

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


@contextmanager
def qcluster(env: dict):
    """A real `manage.py qcluster` for the duration of the block, stopped the way Ctrl-C stops it
    (SIGTERM would wait out a broker poll), killed if it does not stop."""
    cluster = subprocess.Popen(
        [sys.executable, "manage.py", "qcluster"],
        cwd=REPO,
        env=env,
        start_new_session=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        yield cluster
    finally:
        os.killpg(cluster.pid, signal.SIGINT)
        try:
            cluster.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(cluster.pid, signal.SIGKILL)
            cluster.wait()
