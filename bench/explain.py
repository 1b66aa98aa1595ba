"""The plans of every page's queries on the large data set: which are slow, and why.

    make bench-explain            # or: .venv/bin/python bench/explain.py [--slower-than 5]

Requests each page of the load benchmark (bench/load.py) in-process, as a reader and as
a signed-in member, with the page cache off, and prints its queries with their time; for
every query slower than --slower-than ms it prints EXPLAIN ANALYZE, so a missing index
shows as a sequential scan or a sort over the whole table.
"""

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shortscience.settings")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--slower-than", type=float, default=5.0, help="ms (default 5)")
    parser.add_argument("--only", help="only pages whose name contains this")
    args = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from accounts.models import User
    from bench.load import pages

    settings.PAGE_CACHE_SECONDS = 0
    host = settings.ALLOWED_HOSTS[0] if settings.ALLOWED_HOSTS else "localhost"
    reader, member = Client(HTTP_HOST=host), Client(HTTP_HOST=host)
    member.force_login(User.objects.get(username="demo000001"))
    slow = 0
    for page in pages():
        if args.only and args.only not in page.name:
            continue
        client = member if page.is_member else reader
        client.get(page.path)  # Warm: the first request fills Python's caches.
        with CaptureQueriesContext(connection) as captured:
            start = time.perf_counter()
            response = client.get(page.path)
            elapsed = (time.perf_counter() - start) * 1000
        sql_ms = sum(float(q["time"]) for q in captured.captured_queries) * 1000
        print(
            f"\n{page.name} ({page.path}): {response.status_code}, {elapsed:.0f} ms, "
            f"{len(captured)} queries, {sql_ms:.0f} ms in SQL"
        )
        for query in captured.captured_queries:
            ms = float(query["time"]) * 1000
            print(f"  {ms:7.1f} ms  {query['sql'][:110]}")
            if ms >= args.slower_than:
                slow += 1
                with connection.cursor() as cursor:
                    cursor.execute("EXPLAIN (ANALYZE, COSTS OFF) " + query["sql"])
                    for (line,) in cursor.fetchall():
                        print("             | " + line)
    print(f"\n{slow} queries slower than {args.slower_than} ms.")


if __name__ == "__main__":
    main()
