"""The embedded server: started on demand, reused, and recovered after a crash."""

import os
import shutil
import signal
import tempfile
import time
from pathlib import Path

import psutil
import psycopg
import pytest

from shortscience.embedded_postgres import server

pytestmark = [pytest.mark.slow]


@pytest.fixture
def pgdata(monkeypatch):
    """A fresh data folder; the server in it is stopped and the folder removed afterwards.

    Not under pytest's tmp_path: pytest resets its base folder to mode 0700 when a
    session starts, which would lock out the unprivileged user PostgreSQL runs as.
    """
    monkeypatch.setattr(server, "_running", {})
    monkeypatch.setattr(server, "_databases", set())
    parent = Path(tempfile.mkdtemp(prefix="shortscience-pgtest-"))
    data = parent / "pgdata"
    yield data
    server._running.clear()
    server.stop(data)
    shutil.rmtree(parent, ignore_errors=True)


def forget(pgdata):
    """Make this process forget the server, as a new process would."""
    server._running.clear()
    server._databases.clear()
    server._pgserver().PostgresServer._instances.pop(pgdata.resolve(), None)


def postmaster_pid(pgdata) -> int:
    return int((pgdata / "postmaster.pid").read_text().split()[0])


def test_first_use_initialises_and_starts_postgres_18_with_pg_trgm(pgdata):
    host, port = server.ensure_running(pgdata)

    with psycopg.connect(host=host, port=port, user="postgres", dbname="postgres") as conn:
        version = conn.execute("SHOW server_version_num").fetchone()[0]
        conn.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        similarity = conn.execute("SELECT similarity('attention', 'atention')").fetchone()[0]
    assert int(version) >= 180000
    assert similarity > 0.5


def test_ensure_database_creates_it_once(pgdata):
    server.ensure_database(pgdata, "science")
    server._databases.clear()

    server.ensure_database(pgdata, "science")

    host, port = server.ensure_running(pgdata)
    with psycopg.connect(host=host, port=port, user="postgres", dbname="science") as conn:
        assert conn.execute("SELECT current_database()").fetchone()[0] == "science"


def test_a_second_process_reuses_the_running_server(pgdata):
    server.ensure_running(pgdata)
    first_pid = postmaster_pid(pgdata)
    forget(pgdata)

    server.ensure_running(pgdata)

    assert postmaster_pid(pgdata) == first_pid


def test_a_killed_server_is_started_again(pgdata):
    server.ensure_running(pgdata)
    old_pid = postmaster_pid(pgdata)
    os.kill(old_pid, signal.SIGKILL)
    forget(pgdata)

    host, port = server.ensure_running(pgdata)

    assert postmaster_pid(pgdata) != old_pid
    with psycopg.connect(host=host, port=port, user="postgres", dbname="postgres") as conn:
        assert conn.execute("SELECT 1").fetchone() == (1,)


def test_a_pid_file_naming_an_unrelated_process_is_cleared(pgdata):
    server.ensure_running(pgdata)
    server.stop(pgdata)
    forget(pgdata)
    # A stale pid file whose pid now belongs to some other live process (this one).
    (pgdata / "postmaster.pid").write_text(
        f"{os.getpid()}\n{pgdata}\n{int(time.time())}\n5432\n{pgdata}\n\n  1  1\nready   \n"
    )

    server.ensure_running(pgdata)

    assert psutil.Process(postmaster_pid(pgdata)).name() == "postgres"


def test_stop_reports_whether_a_server_was_running(pgdata):
    server.ensure_running(pgdata)

    assert server.stop(pgdata) is True
    assert server.stop(pgdata) is False
