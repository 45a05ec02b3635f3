"""Environment for MediaHub child processes (manage.py scan, qcluster) that must use the test database."""

import os
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
