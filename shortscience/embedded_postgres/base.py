"""Django database backend: PostgreSQL, on the embedded server started on demand."""

from pathlib import Path

from django.db.backends.postgresql import base

from . import server


class DatabaseWrapper(base.DatabaseWrapper):
    def get_connection_params(self):
        params = super().get_connection_params()
        pgdata = Path(self.settings_dict["PGDATA"])
        host, port = server.ensure_running(pgdata)
        name = params.get("dbname")
        # Django itself creates and drops test databases through the "postgres"
        # maintenance database; only the project's own database is ours to create.
        if name and name != "postgres":
            server.ensure_database(pgdata, name)
        params.update(host=host, port=port, user=server.SUPERUSER)
        params.pop("password", None)
        return params
