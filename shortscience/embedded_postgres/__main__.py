"""python -m shortscience.embedded_postgres start|stop|status [PGDATA]"""

import sys
from pathlib import Path

from . import server


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in {"start", "stop", "status"}:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    pgdata = Path(argv[1]) if len(argv) > 1 else server.DEFAULT_PGDATA
    if argv[0] == "start":
        host, port = server.ensure_running(pgdata)
        print(f"Embedded PostgreSQL running: socket {host}, port {port}")
    elif argv[0] == "stop":
        print("Stopped." if server.stop(pgdata) else "Not running.")
    else:
        server.clear_stale_pidfile(pgdata)
        print("Running." if (pgdata / "postmaster.pid").exists() else "Not running.")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
