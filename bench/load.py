"""Load benchmark: the production server under wrk, page by page, against a ceiling.

    make bench                    # or: .venv/bin/python bench/load.py [--seconds 10] ...

1. Seeds the large data set (seed_demo at SIZE; idempotent, so once it is there this
   only checks), on DATABASE_URL or the embedded server, like the site itself.
2. Starts gunicorn with production settings (DEBUG off, hashed static files) on
   loopback, with workers sized for the machine (2 per core + 1), plus URLs the site
   does not have: the ceilings, a bare Django view returning a copy of each page below
   (the same bytes), through the same server and middleware.
3. Drives each page's ceiling and then the page with wrk (Debian's package) at
   --connections for --seconds, and at most --requests requests, and prints requests/s,
   p50 and p99 per page and its throughput as a ratio of its ceiling. Anonymous pages
   aim at 0.5 of the ceiling with p99 under 100 ms; signed-in pages at 0.3.
4. Sends --memory-requests more requests over all the pages in turn (the signed-in ones
   with the member's session) and reports each worker's resident memory before and
   after.

The figures go to bench/results/load.json and load.txt. The server's cache is Redis
when REDIS_URL is set, otherwise the database cache, as in production.
"""

import argparse
import contextlib
import json
import math
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import asdict, dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shortscience.settings")

SIZE = {
    "users": 10_000,
    "papers": 100_000,
    "summaries": 100_000,
    "votes": 300_000,
    "comments": 200_000,
}
RESULTS = ROOT / "bench" / "results"
WRK_SCRIPT = ROOT / "bench" / "wrk.lua"
# wrk.lua's bound on requests (0: none). A thread that reaches it stops sending, but wrk
# runs until its time is up, keeping its connections open: keep the time short then.
UNBOUNDED = 0
ANONYMOUS_TARGET, MEMBER_TARGET, P99_TARGET_MS = 0.5, 0.3, 100.0
# The production server sits behind a TLS proxy that says so in this header.
PROXY_HEADERS = {"X-Forwarded-Proto": "https"}


@dataclass
class Page:
    name: str
    path: str
    is_member: bool = False


@dataclass
class Result:
    name: str
    path: str
    is_member: bool
    bytes: int
    requests: int
    requests_per_s: float
    p50_ms: float
    p99_ms: float
    errors: int
    ceiling_per_s: float = 0.0
    ratio: float = 0.0
    target: float = 0.0
    is_met: bool = False


def seed() -> None:
    from django.core.management import call_command
    from django.db import connection

    print(f"Checking the data set ({', '.join(f'{v:,} {k}' for k, v in SIZE.items())}) …")
    call_command("migrate", verbosity=0)
    call_command("seed_demo", **SIZE)
    with connection.cursor() as cursor:
        # Fresh statistics and visibility maps, as autovacuum would soon give: without
        # them counts read the table instead of the index.
        cursor.execute("VACUUM ANALYZE")


def pages() -> list[Page]:
    """The benchmarked pages, picked from the data: the busiest of each kind."""
    from django.db.models import Count, Q
    from django.urls import reverse

    from papers.models import Paper, Venue
    from shortscience.bulk_demo import VOCABULARY
    from summaries.models import Summary

    public = Q(summaries__is_private=False, summaries__hidden_at__isnull=True)
    paper = Paper.objects.annotate(n=Count("summaries", filter=public)).order_by("-n").first()
    discussed = Summary.objects.visible().order_by("-comment_count").first()
    writer = (
        Summary.objects.visible()
        .values("author__username")
        .annotate(n=Count("pk"))
        .order_by("-n")
        .first()["author__username"]
    )
    venue_year = (
        Paper.objects.filter(venue__isnull=False)
        .values("venue", "venue_year")
        .annotate(n=Count("pk"))
        .order_by("-n")
        .first()
    )
    venue, year = Venue.objects.get(pk=venue_year["venue"]), venue_year["venue_year"]
    anonymous = [
        Page("home, recent", reverse("home")),
        Page("home, best", reverse("home") + "?tab=best"),
        Page("paper, most summaries", paper.get_absolute_url()),
        Page("summary, most comments", discussed.get_absolute_url()),
        Page("profile", reverse("accounts:profile", args=[writer])),
        Page("venue-year", reverse("papers:venue_year", args=[venue.slug, year])),
        Page("tag", reverse("papers:tag", args=["cs.LG"])),
        Page("search", reverse("search") + f"?q={VOCABULARY[60]}+{VOCABULARY[3]}"),
        Page("Atom feed", reverse("feed_summaries")),
    ]
    members = [
        Page(f"{page.name} (signed in)", page.path, is_member=True)
        for page in anonymous
        if page.name in ("home, recent", "paper, most summaries", "summary, most comments")
    ]
    return anonymous + members


def member_cookie() -> str:
    """A session for a generated member, made the way signing in makes one."""
    from django.test import Client

    from accounts.models import User

    client = Client()
    client.force_login(User.objects.get(username="demo000001"))
    return f"{client.cookies['sessionid'].key}={client.cookies['sessionid'].value}"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(url: str, headers: dict[str, str]) -> tuple[int, bytes]:
    request = urllib.request.Request(url, headers=headers)  # noqa: S310 - our loopback URL
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 - same
        return response.status, response.read()


@contextlib.contextmanager
def server(workers: int, workdir: Path):
    """gunicorn with production settings on a free loopback port; yields (url, process)."""
    env = os.environ | {
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "DEBUG": "0",
        "SECRET_KEY": os.environ["SECRET_KEY"],
        "ALLOWED_HOSTS": "127.0.0.1",
        "BEHIND_TLS_PROXY": "1",
        "STATIC_ROOT": str(workdir / "static"),
        "BENCH_CEILING_DIR": str(workdir / "ceilings"),
        "LOG_LEVEL": "WARNING",
    }
    bin_dir = Path(sys.executable).parent
    subprocess.run(
        [bin_dir / "python", "manage.py", "collectstatic", "--no-input", "-v0"],
        cwd=ROOT,
        env=env,
        check=True,
    )
    port = free_port()
    process = subprocess.Popen(
        [
            bin_dir / "gunicorn",
            "shortscience.wsgi",
            f"--workers={workers}",
            f"--bind=127.0.0.1:{port}",
            "--log-level=warning",
            # Its default path is one per user, which another server may hold.
            "--no-control-socket",
        ],
        cwd=ROOT,
        env=env,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                fetch(url + "/about/", PROXY_HEADERS)
                break
            except OSError:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise SystemExit("gunicorn did not start") from None
                time.sleep(0.3)
        yield url, process
    finally:
        process.terminate()
        process.wait(timeout=30)


def wrk(url: str, paths: list[str], headers: dict[str, str], *, seconds, connections, requests):
    """One wrk run over the paths in turn; returns (requests, req/s, p50 ms, p99 ms, errors)."""
    threads = min(2, connections)
    command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--latency"]
    for name, value in headers.items():
        command += ["-H", f"{name}: {value}"]
    command += ["-s", str(WRK_SCRIPT), url + paths[0], "--", *paths]
    env = os.environ | {"WRK_REQUESTS": str(requests and max(1, requests // threads))}
    output = subprocess.run(command, capture_output=True, text=True, check=True, env=env).stdout
    done = int(re.search(r"(\d+) requests in", output).group(1))
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    latency = {
        percent: _milliseconds(value)
        for percent, value in re.findall(r"^\s+(\d+)%\s+([\d.]+\w+)$", output, re.MULTILINE)
    }
    errors = sum(int(n) for n in re.findall(r"(?:connect|read|write|timeout) (\d+)", output))
    if match := re.search(r"Non-2xx or 3xx responses: (\d+)", output):
        errors += int(match.group(1))
    # No distribution when no request finished within wrk's timeout: the page failed.
    nothing = float("inf")
    return done, rate, latency.get("50", nothing), latency.get("99", nothing), errors


def _milliseconds(value: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", value).groups()
    return float(number) * {"us": 0.001, "ms": 1, "s": 1000, "m": 60_000}[unit]


def worker_memory(process: subprocess.Popen) -> dict[int, float]:
    """Resident memory of each gunicorn worker, in MiB."""
    import psutil

    children = psutil.Process(process.pid).children()
    return {child.pid: child.memory_info().rss / 2**20 for child in children}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=10, help="per page (default 10)")
    parser.add_argument("--requests", type=int, default=100_000, help="at most, per page")
    parser.add_argument("--connections", type=int, default=16, help="default 16")
    parser.add_argument(
        "--workers", type=int, default=2 * (os.cpu_count() or 1) + 1, help="gunicorn workers"
    )
    parser.add_argument("--memory-requests", type=int, default=20_000)
    parser.add_argument("--no-seed", action="store_true", help="use the data as it is")
    parser.add_argument("--only", help="run only pages whose name contains this")
    args = parser.parse_args()
    # Stopped with SIGTERM (a CI timeout, kill), unwind like Ctrl-C: gunicorn is stopped.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    if not shutil.which("wrk"):
        raise SystemExit("bench/load.py needs wrk: run scripts/ensure-wrk (Debian's package).")

    # One secret for this process and the server: this process signs the member's session.
    os.environ["SECRET_KEY"] = secrets.token_urlsafe(50)
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection

    if not args.no_seed:
        seed()
    from papers.models import Paper
    from summaries.models import Comment, Summary, Vote

    data = (
        f"{Paper.objects.count():,} papers, {Summary.objects.count():,} summaries, "
        f"{Comment.objects.count():,} comments, {Vote.objects.count():,} votes"
    )
    cache = "Redis" if settings.REDIS_URL else "the database cache"
    version = connection.cursor().connection.info.server_version // 10000
    chosen = [p for p in pages() if not args.only or args.only in p.name]
    cookie = member_cookie()
    connection.close()

    with (
        tempfile.TemporaryDirectory() as workdir,
        server(args.workers, Path(workdir)) as (
            url,
            process,
        ),
    ):
        # Each page's ceiling serves a copy of it: the same bytes through the same server.
        (Path(workdir) / "ceilings").mkdir()
        sizes = {}
        for number, page in enumerate(chosen):
            headers = PROXY_HEADERS | ({"Cookie": cookie} if page.is_member else {})
            status, body = fetch(url + page.path, headers)
            if status != 200:
                raise SystemExit(f"{page.name}: {page.path} answered {status}")
            sizes[page.name] = len(body)
            (Path(workdir) / "ceilings" / f"{number}.html").write_bytes(body)

        def measure(name, paths, headers, size, is_member=False):
            # A short warm-up fills each worker's caches, as on a running site.
            wrk(url, paths, headers, seconds=2, connections=args.connections, requests=UNBOUNDED)
            done, rate, p50, p99, errors = wrk(
                url,
                paths,
                headers,
                seconds=args.seconds,
                connections=args.connections,
                requests=args.requests,
            )
            print(f"  {name}: {rate:,.0f} req/s, p50 {p50:.1f} ms, p99 {p99:.1f} ms")
            return Result(name, paths[0], is_member, size, done, rate, p50, p99, errors)

        print(
            f"\nServer: gunicorn, {args.workers} workers, {os.cpu_count()} cores; "
            f"wrk, {args.connections} connections, {args.seconds} s per page; cache: {cache}; "
            f"PostgreSQL {version}; data: {data}.\n"
        )
        ceilings, results = [], []
        for number, page in enumerate(chosen):
            size = sizes[page.name]
            ceilings.append(
                measure(
                    f"its ceiling ({size / 1024:.0f} KiB)",
                    [f"/bench/ceiling/{number}/"],
                    PROXY_HEADERS,
                    size,
                )
            )
            results.append(
                measure(
                    page.name,
                    [page.path],
                    PROXY_HEADERS | ({"Cookie": cookie} if page.is_member else {}),
                    size,
                    page.is_member,
                )
            )
        for ceiling, result in zip(ceilings, results, strict=True):
            result.ceiling_per_s = ceiling.requests_per_s
            result.ratio = result.requests_per_s / ceiling.requests_per_s
            result.target = MEMBER_TARGET if result.is_member else ANONYMOUS_TARGET
            result.is_met = (
                result.ratio >= result.target
                and result.errors == 0
                and (result.is_member or result.p99_ms < P99_TARGET_MS)
            )

        # Every page in turn, the members' ones with the member's session, each for as
        # long as its measured rate takes to send its share of --memory-requests: a run
        # cut short by the request bound would leave wrk idle until its time is up,
        # holding connections open that sync workers wait on until gunicorn kills them.
        # Two halves, with a reading after each: the first also fills what a worker keeps
        # (templates, connections, buffers); flat memory shows over the second.
        memory = [worker_memory(process)]
        memory_requests = memory_errors = 0
        share = args.memory_requests / len(results) / 4
        for half in (1, 2):
            # Rounds over every page until this half's requests are sent.
            while memory_requests < args.memory_requests * half / 2:
                for result in results:
                    done, _, _, _, errors = wrk(
                        url,
                        [result.path],
                        PROXY_HEADERS | ({"Cookie": cookie} if result.is_member else {}),
                        seconds=max(1, math.ceil(share / max(result.requests_per_s, 1))),
                        connections=args.connections,
                        requests=UNBOUNDED,
                    )
                    memory_requests += done
                    memory_errors += errors
            memory.append(worker_memory(process))

    table = report(results, memory, memory_requests, memory_errors)
    header = (
        f"Server: gunicorn, {args.workers} workers on {os.cpu_count()} cores; wrk, "
        f"{args.connections} connections, {args.seconds} s per page; cache: {cache}; "
        f"PostgreSQL {version}; data: {data}."
    )
    print("\n" + header + "\n" + table)
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "load.txt").write_text(header + "\n" + table + "\n")
    (RESULTS / "load.json").write_text(
        json.dumps(
            {
                "server": header,
                "ceilings": [asdict(c) for c in ceilings],
                "pages": [asdict(r) for r in results],
                "memory_requests": memory_requests,
                "memory_errors": memory_errors,
                "memory_mib": {
                    str(pid): [reading.get(pid) for reading in memory] for pid in memory[0]
                },
            },
            indent=2,
        )
        + "\n"
    )
    print(f"Written to {RESULTS.relative_to(ROOT)}/load.txt and load.json.")


def report(results, memory, requests, errors) -> str:
    lines = [
        f"{'page':34} {'KiB':>5} {'req/s':>7} {'p50 ms':>7} {'p99 ms':>7} {'ceiling':>7} "
        f"{'ratio':>6} {'target':>6}  met",
    ]
    lines.append("-" * len(lines[0]))
    lines += [
        f"{r.name:34} {r.bytes / 1024:5.0f} {r.requests_per_s:7.0f} {r.p50_ms:7.1f} "
        f"{r.p99_ms:7.1f} {r.ceiling_per_s:7.0f} {r.ratio:6.2f} {r.target:6.1f}  "
        f"{'yes' if r.is_met else 'NO'}" + (f" ({r.errors} errors)" if r.errors else "")
        for r in results
    ]
    lines.append("")
    lines.append(
        f"Worker memory over {requests:,} more requests, every page in turn, {errors} errors "
        "(MiB, resident: at the start, half way, at the end):"
    )
    start, half, end = memory
    for pid in sorted(start):
        if pid not in end:
            lines.append(f"  worker {pid}: {start[pid]:.1f}, then restarted")
            continue
        lines.append(
            f"  worker {pid}: {start[pid]:.1f} -> {half.get(pid, 0):.1f} -> {end[pid]:.1f} "
            f"({end[pid] - half.get(pid, 0):+.1f} over the second half)"
        )
    return "\n".join(lines)


if __name__ == "__main__":
    main()
