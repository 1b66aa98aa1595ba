"""Start, reuse and stop the embedded PostgreSQL server in a data folder."""

import contextlib
import logging
import subprocess
import time
import warnings
from pathlib import Path

import psutil
import psycopg
from django.core.exceptions import ImproperlyConfigured
from psycopg import errors, sql

logger = logging.getLogger(__name__)

# The data folder inside the checkout (git-ignored).
DEFAULT_PGDATA = Path(__file__).resolve().parents[2] / ".pgdata"
SUPERUSER = "postgres"
START_ATTEMPTS = 3

# pgdata -> (socket directory, port) for servers this process has made sure of.
_running: dict[Path, tuple[str, int]] = {}
# (pgdata, database name) pairs this process has made sure exist.
_databases: set[tuple[Path, str]] = set()


def _pgserver():
    # Imported lazily: only the embedded backend needs it. pgserver resolves a runtime
    # folder when its module loads and warns where XDG_RUNTIME_DIR is unset (any root
    # shell or CI job); the fallback it takes is fine.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import pgserver

    return pgserver


def clear_stale_pidfile(pgdata: Path) -> bool:
    """Remove postmaster.pid when no live postgres process owns it.

    pgserver trusts the pid file whenever its pid is alive. After a crash or a
    ``kill -9`` that pid may be a zombie or, after a reboot, an unrelated process,
    and then pgserver would hand out a server that refuses every connection.
    Returns True if a stale file was removed.
    """
    pidfile = pgdata / "postmaster.pid"
    try:
        # A negative pid marks a single-user backend (initdb's bootstrap); it is alive too.
        pid = abs(int(pidfile.read_text().split()[0]))
    except (FileNotFoundError, ValueError, IndexError):
        return False
    try:
        process = psutil.Process(pid)
        if process.status() != psutil.STATUS_ZOMBIE and process.name() == "postgres":
            return False
    except psutil.Error:
        pass
    logger.warning("Removing stale %s (pid %s is not a running postgres)", pidfile, pid)
    pidfile.unlink(missing_ok=True)
    return True


def _probe(host: str, port: int) -> None:
    with psycopg.connect(
        host=host, port=port, user=SUPERUSER, dbname="postgres", connect_timeout=5
    ):
        pass


def ensure_running(pgdata: Path) -> tuple[str, int]:
    """Start the server in ``pgdata`` unless it already runs; return (socket dir, port).

    The server keeps running after this process exits, so the next command reuses it
    (``python -m shortscience.embedded_postgres stop`` stops it). pgserver serialises
    concurrent starts (test workers) with an inter-process lock. A start that fails,
    for instance while the processes of a killed server are still exiting, is retried.
    """
    pgdata = pgdata.resolve()
    if pgdata in _running:
        return _running[pgdata]
    pgdata.parent.mkdir(parents=True, exist_ok=True)
    pgserver = _pgserver()
    last_error: Exception | None = None
    for attempt in range(1, START_ATTEMPTS + 1):
        clear_stale_pidfile(pgdata)
        try:
            server = pgserver.get_server(pgdata, cleanup_mode=None)
            info = server.get_postmaster_info()
            host, port = str(info.socket_dir), info.port
            _probe(host, port)
        except (subprocess.SubprocessError, psycopg.OperationalError, AssertionError) as error:
            # Forget the failed handle so the next attempt starts afresh.
            pgserver.PostgresServer._instances.pop(pgdata, None)
            last_error = error
            logger.warning("Embedded PostgreSQL start attempt %s failed: %s", attempt, error)
            time.sleep(attempt)
            continue
        _running[pgdata] = (host, port)
        return host, port
    raise ImproperlyConfigured(
        f"Could not start the embedded PostgreSQL in {pgdata} ({last_error}); "
        f"its log is {pgdata / 'log'}. Set DATABASE_URL to use another server."
    )


def ensure_database(pgdata: Path, name: str) -> None:
    """Create database ``name`` on the embedded server if it does not exist yet."""
    pgdata = pgdata.resolve()
    if (pgdata, name) in _databases:
        return
    host, port = ensure_running(pgdata)
    with psycopg.connect(
        host=host, port=port, user=SUPERUSER, dbname="postgres", autocommit=True
    ) as connection:
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [name]
        ).fetchone()
        if not exists:
            # Another process may create it between our check and our CREATE.
            with contextlib.suppress(errors.DuplicateDatabase):
                connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    _databases.add((pgdata, name))


def stop(pgdata: Path) -> bool:
    """Stop the server running in ``pgdata``; return False if none was running."""
    pgdata = pgdata.resolve()
    clear_stale_pidfile(pgdata)
    if not (pgdata / "postmaster.pid").exists():
        return False
    pgserver = _pgserver()
    user = None
    if psutil.Process().uids().effective == 0:
        user = "pgserver"  # pgserver runs the server as this user when we are root.
    pgserver.pg_ctl(["-w", "stop"], pgdata=pgdata, user=user)
    _running.pop(pgdata, None)
    return True
