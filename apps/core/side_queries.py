"""Database reads on a second connection, run while the calling thread reads on its own.

For a request made of independent queries of tens of milliseconds each (hybrid search: the words
side and the meaning side), the answer then comes after the slower one instead of after both. The
reads run on a small pool of threads, each with its own connection, kept open between requests as
the request threads' own are (CONN_MAX_AGE).

Inside a transaction the work runs in the calling thread, at once: another connection would not see
the transaction's own writes, nor share its snapshot (and the tests run inside one).
"""

import os
import threading
from concurrent.futures import Future, ThreadPoolExecutor

from django.db import close_old_connections, connection, connections

THREADS = 4  # a web worker's request threads (run.sh, deploy/: --threads 4): one side read each

_lock = threading.Lock()
_pool: ThreadPoolExecutor | None = None
_pool_pid: int | None = None
_opened = set()  # the pool threads' connections, for close_connections()


def _executor() -> ThreadPoolExecutor:
    global _pool, _pool_pid
    with _lock:
        if _pool is None or _pool_pid != os.getpid():  # a forked worker starts threads of its own
            _pool, _pool_pid = ThreadPoolExecutor(THREADS, thread_name_prefix="side-query"), os.getpid()
        return _pool


def rows(sql: str, params) -> list[tuple]:
    """The rows of a compiled query (queryset.query.sql_with_params()) on this thread's connection."""
    with connections["default"].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _on_own_connection(fn, args):
    close_old_connections()  # as a request starts: a broken or too old connection is replaced
    _opened.add(connections["default"])
    return fn(*args)


def alongside(fn, *args) -> Future:
    """fn(*args) on a connection of its own: the Future's result(). A queryset is not to be shared
    between threads: give `fn` compiled SQL (queryset.query.sql_with_params(), for rows()) and plain
    values, and let it build any queryset of its own."""
    if connection.in_atomic_block:
        done = Future()
        done.set_result(fn(*args))
        return done
    return _executor().submit(_on_own_connection, fn, args)


def close_connections() -> None:
    """Close the pool threads' connections (the tests, before their database is flushed or dropped)."""
    with _lock:
        for conn in list(_opened):
            conn.inc_thread_sharing()  # closed from this thread while its own thread idles
            try:
                conn.close()
            finally:
                conn.dec_thread_sharing()
        _opened.clear()
