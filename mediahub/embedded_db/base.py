"""Django backend for the embedded server: PostgreSQL, started on first connect.

Starting lazily keeps commands that never touch the database (collectstatic,
check) from booting a server.
"""

from django.db.backends.postgresql import base

from . import ensure_database, ensure_running


class DatabaseWrapper(base.DatabaseWrapper):
    _databases_ready: set[tuple[str, str]] = set()

    def get_connection_params(self):
        server = ensure_running(self.settings_dict["PGDATA"])
        params = super().get_connection_params()
        params.update(host=server.socket_dir, port=server.port, user=server.user)
        params.pop("password", None)
        name = params.get("dbname")
        key = (str(server.pgdata), name)
        if name and name != "postgres" and key not in self._databases_ready:
            ensure_database(server, name)
            self._databases_ready.add(key)
        return params
