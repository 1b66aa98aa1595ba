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
5. The mixed phase, on a server of its own with the write rate limits off: each page and
   its ceiling again, for --mixed-seconds after --mixed-warmup, while a writer process
   (bench/writers.py) votes, comments, edits summaries and previews the editor's text at
   fixed rates. Per page: the same figures, the writers' outcomes (accepted, refused by
   status) and the cache's hit ratio over the page's run: Redis's keyspace hits and
   misses (INFO stats) before and after it, and the pages' X-Cache header when they
   send one (counted by wrk.lua).

--phase read runs 1-4, --phase mixed 1-2 and 5; both by default. The figures go to
bench/results/load.json and load.txt, and mixed.json and mixed.txt. The server's cache
is Redis when REDIS_URL is set, otherwise the database cache, as in production; the
hit ratio needs Redis.
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
from dataclasses import asdict, dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shortscience.settings")

from bench import writers  # noqa: E402 - after the path it is found on

SIZE = {
    "users": 10_000,
    "papers": 100_000,
    "summaries": 100_000,
    "votes": 300_000,
    "comments": 200_000,
}
RESULTS = ROOT / "bench" / "results"
WRK_SCRIPT = ROOT / "bench" / "wrk.lua"
WRITERS = ROOT / "bench" / "writers.py"
SUMMARY_LINK = re.compile(r"/summaries/(\d+)/")
# wrk.lua's bound on requests (0: none). A thread that reaches it stops sending, but wrk
# runs until its time is up, keeping its connections open: keep the time short then.
UNBOUNDED = 0
ANONYMOUS_TARGET, MEMBER_TARGET, P99_TARGET_MS = 0.5, 0.3, 100.0
# In the mixed phase a signed-in page can take seconds: wrk waits for it as long as
# gunicorn lets a worker run, so its latency is counted instead of an error.
MIXED_WRK_TIMEOUT = 30
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


@dataclass
class MixedResult(Result):
    """A page's figures in the mixed phase, with the writes beside it and the cache."""

    cache_hits: int = 0  # Redis keyspace hits over the page's run
    cache_misses: int = 0
    x_cache: dict = field(default_factory=dict)  # the pages' X-Cache header: hit, miss
    writes: dict = field(default_factory=dict)  # bench/writers.py's outcome of each kind
    others_on_redis: list = field(default_factory=list)  # other databases' busy clients
    others_cpu: float = 0.0  # the share of the machine other processes used (Disturbance)
    attempts: int = 1

    @property
    def hit_ratio(self) -> float | None:
        total = self.cache_hits + self.cache_misses
        return self.cache_hits / total if total else None


def seed() -> None:
    from django.core.management import call_command
    from django.db import connection

    print(f"Checking the data set ({', '.join(f'{v:,} {k}' for k, v in SIZE.items())}) …")
    with connection.cursor() as cursor:
        # Seeding runs long on purpose: no statement timeout on this connection, as
        # manage.py gives its commands. (VACUUM ANALYZE of the data set takes more than
        # the 5 s web requests get.) The server keeps its own.
        cursor.execute("SET statement_timeout = 0")
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

    from pages.bulk_demo import VOCABULARY
    from papers.models import Paper, Venue
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
        Page("profile", reverse("members:profile", args=[writer])),
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
def server(workers: int, workdir: Path, variables: dict[str, str] | None = None):
    """gunicorn with production settings on a free loopback port; yields (url, process).
    ``variables``: more of the server's environment."""
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
    env |= variables or {}
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


def wrk(
    url: str,
    paths: list[str],
    headers: dict[str, str],
    *,
    seconds,
    connections,
    requests,
    x_cache=None,
    timeout=None,
):
    """One wrk run over the paths in turn; returns (requests, req/s, p50 ms, p99 ms, errors).
    ``x_cache``, a dict, gets the answers counted by their X-Cache header (wrk.lua).
    ``timeout``: seconds after which wrk counts an answer as an error and leaves it out of
    the latencies (wrk's default: 2)."""
    threads = min(2, connections)
    command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--latency"]
    if timeout:
        command.append(f"--timeout={timeout}s")
    for name, value in headers.items():
        command += ["-H", f"{name}: {value}"]
    command += ["-s", str(WRK_SCRIPT), url + paths[0], "--", *paths]
    env = os.environ | {"WRK_REQUESTS": str(requests and max(1, requests // threads))}
    output = subprocess.run(command, capture_output=True, text=True, check=True, env=env).stdout
    done = int(re.search(r"(\d+) requests in", output).group(1))
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    latency = {
        percent: _milliseconds(value)
        # wrk pads a value in seconds ("1.48s ") to the width of one in milliseconds.
        for percent, value in re.findall(r"^\s+(\d+)%\s+([\d.]+\w+)\s*$", output, re.MULTILINE)
    }
    errors = sum(int(n) for n in re.findall(r"(?:connect|read|write|timeout) (\d+)", output))
    if match := re.search(r"Non-2xx or 3xx responses: (\d+)", output):
        errors += int(match.group(1))
    if x_cache is not None and (match := re.search(r"^X-Cache: (.*)$", output, re.MULTILINE)):
        for count, value in re.findall(r"(\d+) ([\w-]+)", match.group(1)):
            x_cache[value] = x_cache.get(value, 0) + int(count)
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
    parser.add_argument(
        "--phase",
        choices=["all", "read", "mixed"],
        default="all",
        help="read: the pages alone and the memory; mixed: the pages under writes (default both)",
    )
    parser.add_argument("--seconds", type=int, default=10, help="per page (default 10)")
    parser.add_argument("--requests", type=int, default=100_000, help="at most, per page")
    parser.add_argument("--connections", type=int, default=16, help="default 16")
    parser.add_argument(
        "--workers", type=int, default=2 * (os.cpu_count() or 1) + 1, help="gunicorn workers"
    )
    parser.add_argument(
        "--max-requests",
        type=int,
        help="replace each gunicorn worker after this many requests, 0: never (default: "
        "gunicorn.conf.py's, as in production)",
    )
    parser.add_argument("--memory-requests", type=int, default=20_000)
    parser.add_argument(
        "--mixed-seconds", type=int, default=8, help="per page and ceiling, mixed (default 8)"
    )
    parser.add_argument(
        "--mixed-warmup", type=int, default=2, help="seconds before each, mixed (default 2)"
    )
    parser.add_argument(
        "--shown-share",
        type=float,
        default=writers.SHOWN_SHARE,
        help="of votes and comments on the measured pages' summaries (default 0.5)",
    )
    parser.add_argument(
        "--max-disturbance",
        type=float,
        default=0.1,
        help="mixed: the share of the machine other processes may use during a page's or "
        "its ceiling's run; over it, the page is measured again (default 0.1)",
    )
    parser.add_argument(
        "--retries", type=int, default=1, help="mixed: at most, per disturbed page (default 1)"
    )
    parser.add_argument(
        "--quiet-wait",
        type=float,
        default=15,
        help="mixed: seconds to wait at most, before each page, for other processes to "
        "leave the machine to the benchmark (default 15)",
    )
    parser.add_argument("--no-seed", action="store_true", help="use the data as it is")
    parser.add_argument(
        "--only",
        action="append",
        help="run only pages whose name contains this (given again: or this)",
    )
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
    chosen = [p for p in pages() if not args.only or any(o in p.name for o in args.only)]
    cookie = member_cookie()
    connection.close()
    setting = f"cache: {cache}; PostgreSQL {version}; data: {data}"
    RESULTS.mkdir(exist_ok=True)
    if args.phase in ("all", "read"):
        read_phase(args, chosen, cookie, setting)
    if args.phase in ("all", "mixed"):
        mixed_phase(args, chosen, cookie, setting)


@contextlib.contextmanager
def ceilings(url: str, workdir: Path, chosen: list[Page], cookie: str):
    """Each page's ceiling serves a copy of it: the same bytes through the same server.
    Yields each page's bytes, by name."""
    (workdir / "ceilings").mkdir(exist_ok=True)
    bodies = {}
    for number, page in enumerate(chosen):
        status, body = fetch(url + page.path, headers_for(page, cookie))
        if status != 200:
            raise SystemExit(f"{page.name}: {page.path} answered {status}")
        bodies[page.name] = body
        (workdir / "ceilings" / f"{number}.html").write_bytes(body)
    yield bodies


def gunicorn_variables(args) -> dict[str, str]:
    """The server's environment for gunicorn.conf.py's settings given on the command line."""
    if args.max_requests is None:
        return {}
    return {"GUNICORN_MAX_REQUESTS": str(args.max_requests)}


def headers_for(page: Page, cookie: str) -> dict[str, str]:
    return PROXY_HEADERS | ({"Cookie": cookie} if page.is_member else {})


def set_targets(ceilings: list[Result], results: list[Result]) -> None:
    for ceiling, result in zip(ceilings, results, strict=True):
        result.ceiling_per_s = ceiling.requests_per_s
        result.ratio = result.requests_per_s / ceiling.requests_per_s
        result.target = MEMBER_TARGET if result.is_member else ANONYMOUS_TARGET
        result.is_met = (
            result.ratio >= result.target
            and result.errors == 0
            and (result.is_member or result.p99_ms < P99_TARGET_MS)
        )


def read_phase(args, chosen: list[Page], cookie: str, setting: str) -> None:
    """Every page alone after its ceiling, then the memory over many more requests."""
    with (
        tempfile.TemporaryDirectory() as workdir,
        server(args.workers, Path(workdir), gunicorn_variables(args)) as (
            url,
            process,
        ),
        ceilings(url, Path(workdir), chosen, cookie) as bodies,
    ):
        sizes = {name: len(body) for name, body in bodies.items()}

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
            f"wrk, {args.connections} connections, {args.seconds} s per page; {setting}.\n"
        )
        ceilings_, results = [], []
        for number, page in enumerate(chosen):
            size = sizes[page.name]
            ceilings_.append(
                measure(
                    f"its ceiling ({size / 1024:.0f} KiB)",
                    [f"/bench/ceiling/{number}/"],
                    PROXY_HEADERS,
                    size,
                )
            )
            results.append(
                measure(page.name, [page.path], headers_for(page, cookie), size, page.is_member)
            )
        set_targets(ceilings_, results)

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
        f"Server: gunicorn, {args.workers} workers on {os.cpu_count()} cores"
        f"{restarts(args)}; wrk, {args.connections} connections, {args.seconds} s per page; "
        f"{setting}."
    )
    print("\n" + header + "\n" + table)
    (RESULTS / "load.txt").write_text(header + "\n" + table + "\n")
    (RESULTS / "load.json").write_text(
        json.dumps(
            {
                "server": header,
                "ceilings": [asdict(c) for c in ceilings_],
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


class RedisStats:
    """The server's cache, read beside it: keyspace hits and misses (INFO stats), which
    Redis counts for the whole server, so also which clients of other databases were
    busy meanwhile (they would count too)."""

    def __init__(self, url: str):
        import redis

        self.client = redis.Redis.from_url(url)
        self.db = self.client.connection_pool.connection_kwargs.get("db", 0)
        self.me = self.client.client_id()

    def read(self) -> tuple[int, int]:
        info = self.client.info("stats")
        return info["keyspace_hits"], info["keyspace_misses"]

    def others(self, seconds: float) -> list[str]:
        """Other databases' clients that sent a command in the last ``seconds``."""
        return [
            f"db {c['db']} ({c.get('name') or c['addr']}, {c['cmd']})"
            for c in self.client.client_list()
            if int(c["id"]) != self.me and int(c["db"]) != self.db and int(c["idle"]) <= seconds
        ]


class Disturbance:
    """How much of the machine processes other than the benchmark's used over a span: the
    CPU time of all processes (user, nice and system) minus that of this process and its
    descendants (gunicorn and its workers, wrk, the writers), of the PostgreSQL server the
    site uses and of Redis, each with the children it has waited for; as a share of every
    core over the span. Other engineers' tests on a shared machine show here.

    The whole PostgreSQL server counts as the benchmark's: a query's parallel workers
    name no database, and a backend that exits in the span leaves its time only with the
    server, so no finer line can be drawn. Others' use of that server goes uncounted."""

    def __init__(self, port: int):
        import psutil

        self.psutil = psutil
        self.port = port
        self.started = self.busy = self.mine = 0.0

    def _busy(self) -> float:
        times = self.psutil.cpu_times()
        return times.user + times.nice + times.system

    def _postgres(self) -> list:
        """The server listening on the site's port, and its processes."""
        for process in self.psutil.process_iter(["name"]):
            try:
                if process.info["name"] != "postgres" or process.parent().name() == "postgres":
                    continue
                if any(
                    c.status == self.psutil.CONN_LISTEN and c.laddr.port == self.port
                    for c in process.net_connections("tcp")
                ):
                    return [process, *process.children()]
            except self.psutil.Error:
                continue
        return []

    def _mine(self) -> float:
        me = self.psutil.Process()
        processes = [me, *me.children(recursive=True), *self._postgres()]
        processes += [
            p for p in self.psutil.process_iter(["name"]) if p.info["name"] == "redis-server"
        ]
        total = 0.0
        for process in processes:
            try:
                t = process.cpu_times()
            except self.psutil.Error:
                continue  # Gone meanwhile: its parent has it among its children's times.
            total += t.user + t.system + t.children_user + t.children_system
        return total

    def start(self) -> None:
        self.started, self.busy, self.mine = time.monotonic(), self._busy(), self._mine()

    def share(self) -> float:
        """Since start(): the share of all cores that other processes used."""
        seconds = (time.monotonic() - self.started) * (os.cpu_count() or 1)
        others = (self._busy() - self.busy) - (self._mine() - self.mine)
        return max(0.0, others / seconds) if seconds else 0.0


@contextlib.contextmanager
def writing(url: str, plan: Path, shown_share: float):
    """bench/writers.py as a process of its own, writing until the block ends; yields a
    dict that gets the outcome of each kind of write then."""
    outcomes: dict = {}
    with tempfile.NamedTemporaryFile(suffix=".json") as out:
        process = subprocess.Popen(
            [
                sys.executable,
                WRITERS,
                f"--url={url}",
                f"--plan={plan}",
                f"--json={out.name}",
                "--seconds=0",
                f"--shown-share={shown_share}",
                "--as-tls-proxy",
            ],
            stdout=subprocess.PIPE,
            text=True,
        )
        try:
            if process.stdout.readline().strip() != "writing":
                raise SystemExit("bench/writers.py did not start writing")
            yield outcomes
        finally:
            process.send_signal(signal.SIGINT)
            process.communicate(timeout=120)
        outcomes.update(json.loads(Path(out.name).read_text() or "{}"))


def mixed_phase(args, chosen: list[Page], cookie: str, setting: str) -> None:
    """Every page and its ceiling again, each while bench/writers.py writes."""
    from django.conf import settings
    from django.db import connection

    stats = RedisStats(settings.REDIS_URL) if settings.REDIS_URL else None
    disturbance = Disturbance(int(settings.DATABASES["default"].get("PORT") or 5432))
    with (
        tempfile.TemporaryDirectory() as workdir,
        server(args.workers, Path(workdir), gunicorn_variables(args) | writers.NO_RATE_LIMITS) as (
            url,
            _,
        ),
        ceilings(url, Path(workdir), chosen, cookie) as bodies,
    ):
        # The writers vote and comment on the summaries these pages show, among others.
        shown = sorted({int(n) for b in bodies.values() for n in SUMMARY_LINK.findall(b.decode())})
        plan = writers.prepare(shown)
        connection.close()
        plan_file = Path(workdir) / "plan.json"
        plan_file.write_text(json.dumps(plan))
        print(
            f"\nMixed: gunicorn, {args.workers} workers, {os.cpu_count()} cores; wrk, "
            f"{args.connections} connections, {args.mixed_seconds} s per page after "
            f"{args.mixed_warmup} s; {writers_line()}; {len(plan['shown'])} "
            f"summaries on the pages, {len(plan['sample'])} across the data set, "
            f"{len(plan['editors'])} edited; {setting}.\n"
        )

        def measure(name, paths, headers, size, is_member=False):
            with writing(url, plan_file, args.shown_share) as outcomes:
                if args.mixed_warmup:
                    wrk(
                        url,
                        paths,
                        headers,
                        seconds=args.mixed_warmup,
                        connections=args.connections,
                        requests=UNBOUNDED,
                        timeout=MIXED_WRK_TIMEOUT,
                    )
                before = stats.read() if stats else (0, 0)
                disturbance.start()
                x_cache = {}
                done, rate, p50, p99, errors = wrk(
                    url,
                    paths,
                    headers,
                    seconds=args.mixed_seconds,
                    connections=args.connections,
                    requests=args.requests,
                    x_cache=x_cache,
                    timeout=MIXED_WRK_TIMEOUT,
                )
                others_cpu = disturbance.share()
                after = stats.read() if stats else (0, 0)
                others = stats.others(args.mixed_seconds) if stats else []
            result = MixedResult(name, paths[0], is_member, size, done, rate, p50, p99, errors)
            result.cache_hits, result.cache_misses = after[0] - before[0], after[1] - before[1]
            result.x_cache, result.writes, result.others_on_redis = x_cache, outcomes, others
            result.others_cpu = others_cpu
            ratio = result.hit_ratio
            print(
                f"  {name}: {rate:,.0f} req/s, p50 {p50:.1f} ms, p99 {p99:.1f} ms, "
                f"cache hits {'n/a' if ratio is None else f'{ratio:.2f}'}; "
                f"writes {accepted(outcomes)}; other processes {others_cpu:.0%} of the machine"
                + (f"; other Redis clients busy: {', '.join(others)}" if others else "")
            )
            return result

        def quiet() -> None:
            """Wait (at most --quiet-wait) until other processes leave the machine alone."""
            deadline = time.monotonic() + args.quiet_wait
            while time.monotonic() < deadline:
                disturbance.start()
                time.sleep(1)
                if disturbance.share() <= args.max_disturbance:
                    return

        ceilings_, results = [], []
        for number, page in enumerate(chosen):
            size = len(bodies[page.name])
            # A page measured while other processes took much of the machine is measured
            # again, its ceiling too; the least disturbed attempt counts.
            attempts = []
            for attempt in range(1 + max(0, args.retries)):
                if attempt:
                    print(f"  (disturbed: measuring {page.name} again)")
                quiet()
                ceiling = measure(
                    f"its ceiling ({size / 1024:.0f} KiB)",
                    [f"/bench/ceiling/{number}/"],
                    PROXY_HEADERS,
                    size,
                )
                result = measure(
                    page.name, [page.path], headers_for(page, cookie), size, page.is_member
                )
                attempts.append((max(ceiling.others_cpu, result.others_cpu), ceiling, result))
                if attempts[-1][0] <= args.max_disturbance:
                    break
            _, ceiling, result = min(attempts, key=lambda a: a[0])
            ceiling.attempts = result.attempts = len(attempts)
            ceilings_.append(ceiling)
            results.append(result)
        set_targets(ceilings_, results)

    header = (
        f"Mixed: gunicorn, {args.workers} workers on {os.cpu_count()} cores{restarts(args)}; wrk, "
        f"{args.connections} connections, {args.mixed_seconds} s per page and per ceiling "
        f"(after {args.mixed_warmup} s), each while {writers_line()}; {setting}."
    )
    table = mixed_report(results, ceilings_, args.max_disturbance)
    print("\n" + header + "\n" + table)
    (RESULTS / "mixed.txt").write_text(header + "\n" + table + "\n")
    (RESULTS / "mixed.json").write_text(
        json.dumps(
            {
                "server": header,
                "ceilings": [asdict(c) for c in ceilings_],
                "pages": [asdict(r) | {"hit_ratio": r.hit_ratio} for r in results],
            },
            indent=2,
        )
        + "\n"
    )
    print(f"Written to {RESULTS.relative_to(ROOT)}/mixed.txt and mixed.json.")


def restarts(args) -> str:
    if args.max_requests is None:
        return ""
    return f", max_requests {args.max_requests}" if args.max_requests else ", never replaced"


def writers_line() -> str:
    return (
        f"writers vote {writers.RATES['vote']:g}/s, comment {writers.RATES['comment']:g}/s, "
        f"edit a summary {writers.RATES['edit']:g}/s and preview every "
        f"{1000 / writers.RATES['preview']:.0f} ms"
    )


def accepted(outcomes: dict) -> str:
    """ "accepted/sent" over every kind, and what was refused."""
    sent = sum(o["sent"] for o in outcomes.values())
    done = sum(o["accepted"] for o in outcomes.values())
    refused = combined(outcomes.values()).refused
    return f"{done}/{sent}" + (
        " (refused: " + ", ".join(f"{n} x {s}" for s, n in refused.items()) + ")"
        if refused
        else ""
    )


def combined(outcomes, kind: str = "all", rate: float = 0.0) -> writers.Outcome:
    """The writers' outcomes (as written to their JSON) added up."""
    total = writers.Outcome(kind, rate)
    names = set(writers.Outcome.__dataclass_fields__)
    for outcome in outcomes:
        part = writers.Outcome(**{k: v for k, v in outcome.items() if k in names})
        total.add(part)
        total.seconds += part.seconds
    return total


def mixed_report(
    results: list[MixedResult], ceilings_: list[MixedResult], max_disturbance: float
) -> str:
    lines = [
        f"{'page':34} {'KiB':>5} {'req/s':>7} {'p50 ms':>7} {'p99 ms':>7} {'ceiling':>7} "
        f"{'ratio':>6} {'target':>6}  met {'hits':>5} {'miss/s':>6} {'X-Cache':>7} "
        f"{'writes':>7} {'others':>6}",
    ]
    lines.append("-" * len(lines[0]))
    for r, c in zip(results, ceilings_, strict=True):
        x_cache = r.x_cache.get("hit", 0), sum(r.x_cache.values())
        seconds = r.requests / r.requests_per_s if r.requests_per_s else 0
        others = max(r.others_cpu, c.others_cpu)
        lines.append(
            f"{r.name:34} {r.bytes / 1024:5.0f} {r.requests_per_s:7.0f} {r.p50_ms:7.1f} "
            f"{r.p99_ms:7.1f} {r.ceiling_per_s:7.0f} {r.ratio:6.2f} {r.target:6.1f}  "
            f"{'yes' if r.is_met else ' NO'} "
            f"{'n/a' if r.hit_ratio is None else f'{r.hit_ratio:.2f}':>5} "
            f"{r.cache_misses / seconds if seconds else 0:6.0f} "
            f"{f'{x_cache[0] / x_cache[1]:.2f}' if x_cache[1] else 'none':>7} "
            f"{accepted(r.writes).split(' ')[0]:>7} "
            f"{others:5.0%}{'!' if others > max_disturbance else ' '}"
            + (f" ({r.errors} errors)" if r.errors else "")
            + (" (other Redis clients busy)" if r.others_on_redis else "")
            + (f" ({r.attempts} attempts)" if r.attempts > 1 else "")
        )
    lines += [
        "",
        "hits: Redis keyspace hits / (hits + misses) over the page's run, the writers' and "
        "sessions' reads included;",
        "miss/s: Redis keyspace misses a second; X-Cache: the share of answers saying hit "
        "(none: no such header);",
        "writes: accepted/sent during the page's run; others: the share of the machine "
        "that other processes used",
        f"during the page's or its ceiling's run, whichever is more (!: over {max_disturbance:.0%}"
        ", measured again and still over).",
        "",
        "Writes during the pages' runs (the ceilings' runs had as many):",
    ]
    kinds = {}
    for kind, rate in writers.RATES.items():
        parts = [r.writes[kind] for r in results if kind in r.writes]
        total = combined(parts, kind, rate)
        kinds[kind] = total
    lines.append(writers.report(kinds))
    if ceilings_:
        refused = combined(o for c in ceilings_ for o in c.writes.values()).refused
        if refused:
            lines.append(
                "Refused during the ceilings' runs: "
                + ", ".join(f"{n} x {s}" for s, n in refused.items())
            )
    return "\n".join(lines)


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
