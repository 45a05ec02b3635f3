"""Pure functions that turn environment values into Django settings.

Kept apart from settings.py so tests can check the parsing rules without
re-importing settings.
"""

import secrets
from pathlib import Path

import environ

EMBEDDED_DB_NAME = "mediahub"


def database_settings(database_url: str | None, data_dir: Path) -> dict:
    """`DATABASE_URL` selects an external PostgreSQL; unset selects the embedded one."""
    if database_url:
        config = environ.Env.db_url_config(database_url)
        if config["ENGINE"] != "django.db.backends.postgresql":
            raise ValueError(f"DATABASE_URL must point to PostgreSQL, not {config['ENGINE']}")
        return config
    return {
        "ENGINE": "mediahub.embedded_db",
        "NAME": EMBEDDED_DB_NAME,
        "USER": "postgres",
        # Read by the embedded backend: where the cluster lives.
        "PGDATA": str(data_dir / "postgres"),
    }


LONG_QUEUE = "mediahub-long"  # django-q2 cluster (queue) name of the long jobs
ML_QUEUE = "mediahub-ml"  # django-q2 cluster (queue) name of model inference (faces, CLIP)


def q_cluster_settings(
    redis_url: str | None,
    workers: int,
    timeout: int,
    long_workers: int = 1,
    long_timeout: int = 3600,
    ml_workers: int = 1,
    ml_timeout: int = 1800,
) -> dict:
    """django-q2: ORM broker by default, Redis when `REDIS_URL` is set; two queues, each with the
    claim window its tasks need.

    A broker hands a task out for `retry` seconds before it offers it again (the ORM broker locks the
    row that long), so `retry` must outlast the task's `timeout` or it would run twice. One window
    for all kinds of work meant that the claims of a killed cluster kept 30-second stage batches
    locked for an hour. Short idempotent work (pipeline batches, face batches, re-indexing) uses the
    default queue; scans, transcodes, re-clusters and duplicate searches use LONG_QUEUE, served by its
    own `Q_CLUSTER_NAME=mediahub-long manage.py qcluster` with its own timeout and window.

    Model inference (the faces and CLIP stages, face detection batches) has a queue of its own,
    ML_QUEUE, served by `Q_CLUSTER_NAME=mediahub-ml manage.py qcluster`: a backlog of thousands of
    face batches (minutes each on a CPU) then waits there, and the thumbnails of a new file, on the
    default queue, are made in seconds all the same. One worker by default: a model is loaded once
    per worker process and two of them would share the same cores (or GPU) anyway.
    """
    cluster = {
        "name": "mediahub",
        "workers": workers,
        "timeout": timeout,
        "retry": timeout + 60,
        "max_attempts": 3,
        "queue_limit": workers * 4,
        "catch_up": False,
        "label": "Background tasks",
        "ALT_CLUSTERS": {
            LONG_QUEUE: {
                "workers": long_workers,
                "timeout": long_timeout,
                "retry": long_timeout + 60,
                # One task waiting per worker: a task handed to a cluster is only run by that cluster.
                "queue_limit": long_workers,
                "max_attempts": 3,
            },
            ML_QUEUE: {
                "workers": ml_workers,
                "timeout": ml_timeout,
                "retry": ml_timeout + 60,
                "queue_limit": ml_workers * 2,
                "max_attempts": 3,
            },
        },
    }
    if redis_url:
        cluster["redis"] = redis_url
    else:
        cluster["orm"] = "default"
        # The ORM broker, waiting out a database outage instead of dying on it.
        cluster["broker_class"] = "mediahub.q_broker.ResilientORM"
    return cluster


def broker_name(cluster: dict) -> str:
    return "redis" if "redis" in cluster else "orm"


def load_or_create_secret_key(data_dir: Path) -> str:
    """A key generated once and kept in the data dir, so sessions survive restarts."""
    key_file = data_dir / "secret_key"
    if key_file.exists():
        return key_file.read_text().strip()
    data_dir.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(50)
    # O_EXCL: two processes starting at once must agree on one key.
    try:
        with open(key_file, "x") as fh:
            fh.write(key)
        key_file.chmod(0o600)
    except FileExistsError:
        return key_file.read_text().strip()
    return key
