"""Running the project in other processes: Python with its settings, manage.py, gunicorn,
and a PostgreSQL server of a test's own."""

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import quote

import psycopg
from psycopg import sql

from shortscience.embedded_postgres import server

ROOT = Path(__file__).resolve().parents[1]
PRODUCTION_ENV = {
    "DEBUG": "0",
    "SECRET_KEY": "x7-Qm2vLr9pW4sKz8nB1cH6tYf3dJ0gA5eR-uN_oPiVwXyZqMlCbEhTs",
    "ALLOWED_HOSTS": "shortscience.example",
}
# Variables the settings read; each subprocess starts from none of them.
SETTINGS_VARIABLES = [
    "DEBUG", "SECRET_KEY", "SECRET_KEY_FILE", "ALLOWED_HOSTS", "REDIS_URL", "EMAIL_HOST",
    "GITHUB_CLIENT_ID", "GITHUB_SECRET", "GOOGLE_CLIENT_ID", "GOOGLE_SECRET",
    "ORCID_CLIENT_ID", "ORCID_SECRET", "STATIC_ROOT", "EMAIL_PORT", "EMAIL_HOST_USER",
    "REDIS_PAGES_URL", "CACHE_MAX_ENTRIES", "PAGE_CACHE_ENTRIES",
    "DATABASE_REPLICA_URL", "REPLICA_PIN_SECONDS", "PAGE_CACHE_SECONDS",
]  # fmt: skip


def run_python(code: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    """Run Python code in a fresh process with the project's settings and these variables."""
    base = {k: v for k, v in os.environ.items() if k not in SETTINGS_VARIABLES}
    base["DJANGO_SETTINGS_MODULE"] = "shortscience.settings"
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=base | env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def run_manage(env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    """Run a manage.py command in a fresh process with these variables."""
    return run_python(
        "from django.core.management import execute_from_command_line; "
        f"execute_from_command_line(['manage.py', *{list(args)!r}])",
        env,
    )


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def gunicorn(env: dict[str, str], *, log: Path | None = None, workers: int = 1):
    """The production server (the README's gunicorn command) on a free loopback port,
    with the project's settings and these variables; yields (base URL, process) once it
    listens, and stops it afterwards. Its output goes to ``log`` when given."""
    base = {k: v for k, v in os.environ.items() if k not in SETTINGS_VARIABLES}
    port = free_port()
    command = [
        str(Path(sys.executable).with_name("gunicorn")),
        "--config=gunicorn.conf.py",
        "shortscience.wsgi",
        f"--workers={workers}",
        f"--bind=127.0.0.1:{port}",
        # Its default path is one per machine user, which another server (another
        # test, a benchmark) may be using.
        "--no-control-socket",
    ]
    with contextlib.ExitStack() as stack:
        output = stack.enter_context(log.open("w")) if log else subprocess.DEVNULL
        process = subprocess.Popen(
            command, cwd=ROOT, env=base | env, stdout=output, stderr=subprocess.STDOUT
        )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise AssertionError(f"gunicorn did not listen on port {port}") from None
                time.sleep(0.2)
        yield f"http://127.0.0.1:{port}", process
    finally:
        if process.poll() is None:
            process.terminate()
            process.wait(timeout=60)


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def fetch(url: str, **headers: str) -> tuple[int, dict[str, str], str]:
    """GET without following redirects: (status, headers, body), the connection closed."""
    request = urllib.request.Request(url, headers=headers)  # noqa: S310 - loopback URL we built
    try:
        response = urllib.request.build_opener(_NoRedirects).open(request, timeout=5)
    except urllib.error.HTTPError as error:
        response = error
    with response:
        body = response.read().decode("latin-1")
        return response.status, dict(response.headers), body


def wait_until_serving(base: str, process: subprocess.Popen, log: Path) -> None:
    """Until the home page (which reads the database) answers 200 to a request as the
    TLS proxy forwards it; fails with the server's log if it exits or 60 s pass."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert process.poll() is None, log.read_text()
        with contextlib.suppress(OSError):
            if fetch(f"{base}/", **{"X-Forwarded-Proto": "https"})[0] == 200:
                return
        time.sleep(0.5)
    raise AssertionError(f"gunicorn did not serve the home page in 60 s:\n{log.read_text()}")


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
