"""The production server (gunicorn with its config file, DEBUG=0, the page cache on, Redis
when one answers at 127.0.0.1:6379, else the database cache) on a PostgreSQL of the
suite's own, with readers fetching pages while each test sends one attack.

`watch(site)` runs the readers and samples the workers' memory for the length of a
``with`` block and then says what they saw: the readers' latencies, every worker's peak
memory, and whether gunicorn killed or lost a worker.
"""

import contextlib
import http.client
import json
import os
import secrets
import socket
import statistics
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import psutil
import pytest
import requests

from tests.processes import (
    PRODUCTION_ENV,
    PrivatePostgres,
    gunicorn,
    run_manage,
    run_python,
    wait_until_serving,
)

WORKERS = 3
DATABASE = "shortscience_abuse"
REDIS = ("127.0.0.1", 6379)
# A Redis database of its own, emptied before the suite starts.
REDIS_DB = 11
# What gunicorn logs when it kills a worker or a worker dies; an orderly restart after
# max_requests says "Autorestarting worker" instead.
KILLED = ("WORKER TIMEOUT", "was sent SIGKILL", "was sent code", "Worker failed to boot")
READER_PAUSE = 0.02  # seconds between one reader's requests


def redis_answers() -> bool:
    with contextlib.suppress(OSError), socket.create_connection(REDIS, timeout=0.5):
        return True
    return False


@dataclass
class Site:
    base: str
    plan: dict
    env: dict[str, str]
    process: object
    log: Path

    @property
    def host(self) -> str:
        return urlsplit(self.base).netloc

    def client(self, member: str | None = None) -> "Client":
        return Client(self, self.plan["sessions"][member] if member else None)

    def cache_versions(self) -> dict:
        """The page cache's versions of every listing and summary, read as the server
        reads them."""
        outcome = run_python(
            "import django, json; django.setup(); from tests.abuse import world; "
            "print(json.dumps(world.cache_versions()))",
            self.env,
        )
        assert outcome.returncode == 0, outcome.stderr
        return json.loads(outcome.stdout.strip().splitlines()[-1])


class Client:
    """requests, as a browser behind the TLS proxy sends them: the proxy's header, a
    session when given, and a CSRF cookie with the matching header on every post."""

    def __init__(self, site: Site, session: str | None):
        self.site = site
        self.http = requests.Session()
        self.csrf = secrets.token_hex(16)
        self.http.cookies.set("csrftoken", self.csrf)
        if session:
            self.http.cookies.set("sessionid", session)
        self.http.headers.update(
            {
                "X-Forwarded-Proto": "https",
                "Origin": f"https://{site.host}",
                "X-CSRFToken": self.csrf,
            }
        )

    def get(self, path: str, **kwargs) -> requests.Response:
        return self.http.get(self.site.base + path, allow_redirects=False, timeout=60, **kwargs)

    def post(self, path: str, **kwargs) -> requests.Response:
        return self.http.post(self.site.base + path, allow_redirects=False, timeout=60, **kwargs)


@dataclass
class Report:
    name: str = ""
    recording: bool = False  # the readers' latencies count once this is set
    attacks: list[tuple[int | None, float]] = field(default_factory=list)  # status, seconds
    latencies: list[float] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    peak_rss: dict[int, int] = field(default_factory=dict)  # worker pid: bytes
    start_rss: dict[int, int] = field(default_factory=dict)
    killed: list[str] = field(default_factory=list)

    def attack(self, send) -> requests.Response:
        """``send()``, timed and noted for the costs table; no answer at all is noted too."""
        start = time.monotonic()
        try:
            response = send()
        except requests.RequestException:
            self.attacks.append((None, time.monotonic() - start))
            raise
        self.attacks.append((response.status_code, time.monotonic() - start))
        return response

    @property
    def slowest(self) -> float:
        return max((seconds for _, seconds in self.attacks), default=0.0)

    @property
    def p99(self) -> float:
        return statistics.quantiles(self.latencies, n=100)[98]

    @property
    def peak_growth(self) -> int:
        """The most any worker grew above what it held when the watch began (bytes)."""
        return max(
            (peak - self.start_rss.get(pid, peak) for pid, peak in self.peak_rss.items()),
            default=0,
        )

    def summary(self) -> str:
        return (
            f"{len(self.latencies)} reads, p99 {self.p99 * 1000:.0f} ms, "
            f"peak worker growth {self.peak_growth / 2**20:.0f} MB, "
            f"failures {self.failures[:3]}, killed {self.killed}"
        )


def reader_pages(plan: dict) -> list[str]:
    return ["/", *plan["papers"], *plan["summaries"], "/search/?q=robust"]


def _reader(site: Site, stop: threading.Event, report: Report) -> None:
    """An anonymous reader going round the home page, papers, summaries and a search."""
    parts = urlsplit(site.base)
    pages = reader_pages(site.plan)
    headers = {"Host": parts.netloc, "X-Forwarded-Proto": "https"}
    number = 0
    while not stop.is_set():
        path = pages[number % len(pages)]
        number += 1
        connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
        start = time.monotonic()
        try:
            connection.request("GET", path, headers=headers)
            response = connection.getresponse()
            response.read()
            if response.status != 200:
                report.failures.append(f"{path}: {response.status}")
        except (OSError, http.client.HTTPException) as error:
            report.failures.append(f"{path}: {type(error).__name__}")
        finally:
            connection.close()
        if report.recording:
            report.latencies.append(time.monotonic() - start)
        stop.wait(READER_PAUSE)


def _sampler(master: psutil.Process, stop: threading.Event, report: Report) -> None:
    while not stop.is_set():
        for worker in master.children():
            with contextlib.suppress(psutil.Error):
                rss = worker.memory_info().rss
                report.start_rss.setdefault(worker.pid, rss)
                report.peak_rss[worker.pid] = max(report.peak_rss.get(worker.pid, 0), rss)
        stop.wait(0.02)


# Every watched attack of the session, for the costs table (costs_table below).
WATCHED: list[Report] = []
COSTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "abuse-costs.md"


@contextlib.contextmanager
def watch(site: Site, readers: int = 2):
    """Readers and a memory sampler for the length of the block; the Report after it."""
    # "tests/abuse/test_attacks.py::test_name[its id] (call)"
    test = os.environ.get("PYTEST_CURRENT_TEST", "").split("::")[-1].rsplit(" (", 1)[0]
    report = Report(name=test)
    WATCHED.append(report)
    stop = threading.Event()
    log_start = site.log.stat().st_size
    threads = [threading.Thread(target=_reader, args=(site, stop, report)) for _ in range(readers)]
    threads.append(
        threading.Thread(target=_sampler, args=(psutil.Process(site.process.pid), stop, report))
    )
    for thread in threads:
        thread.start()
    time.sleep(0.5)  # the readers' first rounds fill the page cache
    report.recording = True
    try:
        yield report
    finally:
        time.sleep(0.5)
        stop.set()
        for thread in threads:
            thread.join(timeout=60)
        with site.log.open() as log:
            log.seek(log_start)
            report.killed = [line for line in log if any(word in line for word in KILLED)]


@pytest.fixture(scope="session", autouse=True)
def costs_table():
    """Write what each attack cost, for people (and the closing note) to read."""
    yield
    if not WATCHED:
        return
    rows = [
        "| attack | answers | slowest | worker growth | readers' p99 | workers killed |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for report in WATCHED:
        answers = ", ".join(sorted({str(status or "none") for status, _ in report.attacks}))
        p99 = f"{report.p99 * 1000:.0f} ms" if len(report.latencies) > 1 else "-"
        rows.append(
            f"| {report.name} | {answers} | {report.slowest:.2f} s | "
            f"{report.peak_growth / 2**20:.0f} MB | {p99} | {len(report.killed)} |"
        )
    COSTS.parent.mkdir(exist_ok=True)
    COSTS.write_text("\n".join(rows) + "\n")


@pytest.fixture(scope="session")
def site(static_root, tmp_path_factory):
    postgres = PrivatePostgres()
    try:
        postgres.create_database(DATABASE)
        env = PRODUCTION_ENV | {
            "DATABASE_URL": postgres.url(DATABASE),
            "ALLOWED_HOSTS": "127.0.0.1",
            "BEHIND_TLS_PROXY": "1",
            "STATIC_ROOT": str(static_root),
        }
        if redis_answers():
            import redis

            url = f"redis://{REDIS[0]}:{REDIS[1]}/{REDIS_DB}"
            redis.Redis.from_url(url).flushdb()
            env["REDIS_URL"] = url
        migrated = run_manage(env, "migrate", "--no-input", "-v0")
        assert migrated.returncode == 0, migrated.stderr
        prepared = run_python(
            "import django, json; django.setup(); from tests.abuse import world; "
            "print(json.dumps(world.prepare()))",
            env,
        )
        assert prepared.returncode == 0, prepared.stderr
        plan = json.loads(prepared.stdout.strip().splitlines()[-1])
        log = tmp_path_factory.mktemp("abuse") / "gunicorn.log"
        with gunicorn(env, log=log, workers=WORKERS) as (base, process):
            site = Site(base, plan, env, process, log)
            wait_until_serving(base, process, log)
            _warm_up(site)
            yield site
    finally:
        postgres.remove()


def _warm_up(site: Site) -> None:
    """Every reader's page once per worker and more, so each worker has imported what it
    needs and the page cache holds the pages."""
    for _ in range(2 * WORKERS):
        for page in reader_pages(site.plan):
            requests.get(site.base + page, headers={"X-Forwarded-Proto": "https"}, timeout=30)
