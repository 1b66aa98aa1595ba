"""Running the project in other processes: Python with its settings, manage.py, gunicorn."""

import contextlib
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

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
