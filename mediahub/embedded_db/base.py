"""Django backend for the embedded server: PostgreSQL, started on first connect, and started again
by the next connection when it stopped under a running process.

Starting lazily keeps commands that never touch the database (collectstatic, check) from booting a
server. A broken connection is closed by Django (CONN_HEALTH_CHECKS, and errors_occurred at the end
of a request), so the next request connects again and comes through here.
"""

from django.db.backends.postgresql import base

from . import ensure_database, ensure_running, recover
from .memory import machine_memory, sized

# Seconds a connection waits for another process that is starting the server before giving up
# (the request then answers 503); a start takes about a second.
DEFAULT_START_WAIT = 5.0


class DatabaseWrapper(base.DatabaseWrapper):
    _databases_ready: set[tuple[str, str]] = set()

    def get_connection_params(self):
        server = ensure_running(self.settings_dict["PGDATA"], memory=self._memory())
        params = super().get_connection_params()
        params.update(host=server.socket_dir, port=server.port, user=server.user)
        params.pop("password", None)
        name = params.get("dbname")
        key = (str(server.pgdata), name)
        if name and name != "postgres" and key not in self._databases_ready:
            ensure_database(server, name)
            self._databases_ready.add(key)
        return params

    def _memory(self) -> dict:
        """shared_buffers and effective_cache_size for the server's config (memory.py)."""
        return sized(machine_memory(), self.settings_dict.get("SHARED_BUFFERS", "auto"),
                     self.settings_dict.get("EFFECTIVE_CACHE_SIZE", "auto"))

    def get_new_connection(self, conn_params):
        try:
            return super().get_new_connection(conn_params)
        except self.Database.OperationalError:
            # Gone (socket missing, refused, shutting down) or refusing for another reason: recover()
            # starts it when it is not running, then one more try tells which.
            wait = self.settings_dict.get("START_WAIT", DEFAULT_START_WAIT)
            server = recover(self.settings_dict["PGDATA"], wait=wait)
            conn_params.update(host=server.socket_dir, port=server.port)
            return super().get_new_connection(conn_params)
