"""Search benchmark: times the search page for a fixed, varied set of queries against a
large data set, and prints p50/p95 per kind of query.

    make bench-search            # or: .venv/bin/python bench/search.py [--repeat N]

It first runs `seed_demo` at the size below (idempotent: once the data is there, it only
checks), on DATABASE_URL or the embedded server like the site itself. Each page is
requested in-process through Django's test client, so the time covers the SQL, the
Python and the template, not a network. The queries per page are printed too, and the
plan of the main query, to show it uses the GIN index.
"""

import argparse
import itertools
import os
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shortscience.settings")

SIZE = {"users": 2000, "papers": 100_000, "summaries": 100_000}


def queries() -> dict[str, list[dict]]:
    """The fixed queries, by kind. Words come from the generated vocabulary, where they
    are common (in most papers), middling (in a few hundred) or rare (in a few)."""
    from pages.bulk_demo import VOCABULARY

    common, middling, rare = VOCABULARY[:8], VOCABULARY[60:68], VOCABULARY[4000:4008]
    return {
        "one common word": [{"q": w} for w in common],
        "one middling word": [{"q": w} for w in middling],
        "one rare word": [{"q": w} for w in rare],
        "two words": [{"q": f"{a} {b}"} for a, b in zip(common, middling, strict=True)],
        '"phrase"': [{"q": f'"{a} {b}"'} for a, b in itertools.pairwise(common)],
        "-excluded": [{"q": f"{a} -{b}"} for a, b in zip(middling, common, strict=True)],
        "a OR b": [{"q": f"{a} OR {b}"} for a, b in zip(middling, rare, strict=True)],
        "typo (corrected)": [{"q": w[:2] + w[3:]} for w in middling],
        "arXiv id (redirect)": [{"q": "1706.03762"}, {"q": "https://arxiv.org/abs/1706.03762"}],
        "words + year range": [{"q": w, "year_from": 2015, "year_to": 2018} for w in middling],
        "words + venue": [{"q": w, "venue": "neurips"} for w in common[:4] + middling[:4]],
        "words + keyword": [{"q": w, "tag": "cs.LG"} for w in common[:4] + middling[:4]],
        "words + author": [{"q": w, "author": "nowak"} for w in common[:4] + middling[:4]],
        "words + has summaries": [{"q": w, "has_summaries": "on"} for w in middling],
        "summaries tab": [{"q": w, "in": "summaries"} for w in common[:4] + middling[:4]],
        "filters only": [{"venue": "icml"}, {"year_from": 2020}, {"tag": "cs.CV"}],
        "page 20 of a common word": [{"q": w, "page": 20} for w in common[:4]],
    }


def seed() -> None:
    from django.core.management import call_command

    print(f"Checking the data set ({', '.join(f'{v:,} {k}' for k, v in SIZE.items())}) …")
    call_command("migrate", verbosity=0)
    call_command("seed_demo", **SIZE)
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # Fresh statistics, as autovacuum would soon give.


def explain(word: str, **filters) -> list[str]:
    """The plan of the page's main query for one word: which indexes it uses."""
    from django.db import connection

    from papers.search import RANK_LIMIT, Filters, paper_candidates

    candidates = paper_candidates(word, Filters(**filters)).order_by()[: RANK_LIMIT + 1]
    sql, params = candidates.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN {sql}", params)
        return [row[0] for row in cursor.fetchall()]


def _p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[18] if len(values) >= 2 else values[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="times each query (default 5)")
    parser.add_argument("--no-seed", action="store_true", help="use the data as it is")
    args = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings
    from django.db import connection, reset_queries
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    if not args.no_seed:
        seed()
    from papers.models import Paper
    from summaries.models import Summary

    print(
        f"Data: {Paper.objects.count():,} papers, {Summary.objects.count():,} summaries, "
        f"on PostgreSQL {connection.cursor().connection.info.server_version // 10000}."
    )
    client = Client(HTTP_HOST=settings.ALLOWED_HOSTS[0] if settings.ALLOWED_HOSTS else "localhost")
    kinds = queries()
    # One pass to warm the caches, as a running site's would be.
    for params_list in kinds.values():
        for params in params_list:
            client.get("/search/?" + urlencode(params))

    header = (
        f"{'query kind':28} {'pages':>5} {'p50 ms':>7} {'p95 ms':>7} {'max ms':>7} "
        f"{'SQL p50':>8} {'SQL p95':>8} {'queries':>7}"
    )
    print(header)
    print("-" * len(header))
    everything = []
    for kind, params_list in kinds.items():
        times, sql_times, counts = [], [], set()
        for _ in range(args.repeat):
            for params in params_list:
                with CaptureQueriesContext(connection) as captured:
                    start = time.perf_counter()
                    response = client.get("/search/?" + urlencode(params))
                    elapsed = (time.perf_counter() - start) * 1000
                if response.status_code not in (200, 302):
                    raise SystemExit(f"{params}: status {response.status_code}")
                times.append(elapsed)
                sql_times.append(sum(float(q["time"]) for q in captured.captured_queries) * 1000)
                counts.add(len(captured))
                reset_queries()
        everything += times
        p95 = _p95(times)
        print(
            f"{kind:28} {len(times):5} {statistics.median(times):7.1f} {p95:7.1f} "
            f"{max(times):7.1f} {statistics.median(sql_times):8.1f} {_p95(sql_times):8.1f} "
            f"{'-'.join(str(c) for c in sorted({min(counts), max(counts)})):>7}"
        )
    p95 = statistics.quantiles(everything, n=20)[18]
    print("-" * len(header))
    print(f"{'all':28} {len(everything):5} {statistics.median(everything):7.1f} {p95:7.1f}")
    # A common word is in most documents: reading the table beats the index, and the
    # planner knows it. A rarer word, or a filter beside it, goes through the indexes.
    for kind, filters in (("one rare word", {}), ("one middling word", {"year_from": 2015})):
        word = kinds[kind][0]["q"]
        print(f"\nPlan of the main query for {word!r} {filters or ''}:")
        for line in explain(word, **filters):
            print("  " + line)


if __name__ == "__main__":
    main()
