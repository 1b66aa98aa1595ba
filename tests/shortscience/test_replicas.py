"""Reads from a replica, writes and the reads after them on the primary (shortscience/replicas.py).

The router's decisions are checked in-process; then the site runs under gunicorn with two
real databases on the test run's server, a primary and a copy of it playing the replica
whose rows differ visibly, and the pages show which one each request read.
"""

import asyncio
import concurrent.futures
import dataclasses
import http.client
import re
import subprocess
import threading
import time
import uuid
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import quote, urlencode, urlsplit

import psycopg
import pytest
from asgiref.sync import sync_to_async
from django.conf import settings
from django.contrib.sessions.models import Session
from django.core.cache.backends.db import DatabaseCache
from django.core.exceptions import MiddlewareNotUsed
from django.db import router, transaction
from django.http import HttpResponse
from psycopg import sql

from accounts.models import User
from papers.models import Paper
from shortscience import pagecache, replicas
from shortscience.embedded_postgres import server
from summaries.models import Summary
from tests.factories import PASSWORD
from tests.processes import (
    PRODUCTION_ENV,
    gunicorn,
    run_manage,
    run_python,
)

pytestmark = [pytest.mark.integration]

REPLICA_URL = "postgres://reader@replica.internal:5433/science"
PRIMARY_URL = "postgres://writer@primary.internal:5432/science"


# Settings -------------------------------------------------------------------------------


@pytest.mark.slow
def test_replica_url_adds_the_replica_and_the_router(read_settings):
    env = {"DATABASE_URL": PRIMARY_URL, "DATABASE_REPLICA_URL": REPLICA_URL}

    values = read_settings(env, "DATABASES", "DATABASE_ROUTERS")

    replica = values["DATABASES"]["replica"]
    assert (replica["HOST"], replica["PORT"], replica["USER"], replica["NAME"]) == (
        "replica.internal",
        5433,
        "reader",
        "science",
    )
    assert (replica["CONN_MAX_AGE"], replica["CONN_HEALTH_CHECKS"]) == (600, True)
    assert replica["TEST"] == {"MIRROR": "default"}
    assert values["DATABASE_ROUTERS"] == [replicas.ROUTER]


@pytest.mark.slow
def test_without_replica_url_there_is_one_database_and_no_router(read_settings):
    env = {"DATABASE_URL": PRIMARY_URL, "DATABASE_REPLICA_URL": ""}

    values = read_settings(env, "DATABASES", "DATABASE_ROUTERS")

    assert list(values["DATABASES"]) == ["default"]
    assert values["DATABASE_ROUTERS"] == []


@pytest.mark.slow
@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("mysql://reader@replica.internal/science", "the site needs PostgreSQL"),
        ("replica.internal:5433", "Scheme"),
    ],
)
def test_replica_url_must_be_postgres(read_settings, url, message):
    env = {"DATABASE_URL": PRIMARY_URL, "DATABASE_REPLICA_URL": url}

    result = read_settings(env, "DATABASES")

    assert isinstance(result, subprocess.CompletedProcess)
    assert f"DATABASE_REPLICA_URL must be a postgres:// URL: {message}" in result.stderr


@pytest.mark.slow
def test_replica_url_needs_a_primary_url(read_settings):
    result = read_settings({"DATABASE_URL": "", "DATABASE_REPLICA_URL": REPLICA_URL}, "DATABASES")

    assert isinstance(result, subprocess.CompletedProcess)
    assert "DATABASE_REPLICA_URL needs DATABASE_URL" in result.stderr


# The router's decisions, in-process -------------------------------------------------------


@pytest.fixture
def routed(settings):
    """The router as DATABASE_REPLICA_URL configures it. No query runs: there is no replica."""
    settings.DATABASE_ROUTERS = [replicas.ROUTER]
    settings.REPLICA_PIN_SECONDS = 5


def serve(request, *, writes=False):
    """Pass `request` through the middleware to a view that reads a paper, then (if `writes`)
    writes one and reads again. Return where the reads went, and the response."""
    reads = []

    def view(request):
        reads.append(router.db_for_read(Paper))
        if writes:
            router.db_for_write(Paper)
            reads.append(router.db_for_read(Paper))
        return HttpResponse("page")

    response = replicas.pin_reads_after_writes(view)(request)
    return reads, response


def test_without_the_router_the_middleware_removes_itself():
    with pytest.raises(MiddlewareNotUsed):
        replicas.pin_reads_after_writes(lambda request: HttpResponse())


def test_reads_outside_a_request_go_to_the_primary(routed):
    where = (router.db_for_read(Paper), router.db_for_write(Paper))

    assert where == ("default", "default")


def test_a_get_reads_from_the_replica_and_leaves_the_client_unpinned(routed, rf):
    reads, response = serve(rf.get("/"))

    assert reads == ["replica"]
    assert replicas.PIN_COOKIE not in response.cookies


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_a_request_that_may_write_reads_from_the_primary_and_pins_the_client(routed, rf, method):
    reads, response = serve(getattr(rf, method)("/"))

    pin = response.cookies[replicas.PIN_COOKIE]
    assert reads == ["default"]
    assert float(pin.value) == pytest.approx(time.time() + 5, abs=1)
    assert (pin["max-age"], pin["httponly"], pin["samesite"]) == (5, True, "Lax")


def test_a_get_that_writes_reads_from_the_primary_after_the_write(routed, rf):
    reads, response = serve(rf.get("/"), writes=True)

    assert reads == ["replica", "default"]
    assert replicas.PIN_COOKIE in response.cookies


@pytest.mark.usefixtures("page_cache")
def test_a_page_rendered_for_the_page_cache_reads_from_the_primary(routed, rf):
    reads = []

    @pagecache.cache_for_anonymous
    def page(request):
        reads.append(router.db_for_read(Paper))
        return HttpResponse("shared by every reader")

    replicas.pin_reads_after_writes(page)(rf.get("/"))

    assert reads == ["default"]


def test_a_pinned_client_reads_from_the_primary_without_extending_the_pin(routed, rf):
    request = rf.get("/")
    request.COOKIES[replicas.PIN_COOKIE] = f"{time.time() + 3:.3f}"

    reads, response = serve(request)

    assert reads == ["default"]
    assert replicas.PIN_COOKIE not in response.cookies


@pytest.mark.parametrize(
    "value",
    [
        pytest.param(lambda now: f"{now - 1:.3f}", id="expired"),
        pytest.param(lambda now: f"{now + 3600:.3f}", id="beyond-the-window"),
        pytest.param(lambda now: "soon", id="not-a-time"),
    ],
)
def test_a_stale_or_forged_pin_is_ignored(routed, rf, value):
    request = rf.get("/")
    request.COOKIES[replicas.PIN_COOKIE] = value(time.time())

    reads, _ = serve(request)

    assert reads == ["replica"]


def test_sessions_and_cache_entries_are_read_and_written_on_the_primary_without_pinning(
    routed, rf
):
    cache_entry = DatabaseCache("django_cache", {}).cache_model_class
    where = []

    def view(request):
        where.extend(router.db_for_read(model) for model in (Session, cache_entry))
        where.extend(router.db_for_write(model) for model in (Session, cache_entry))
        where.append(router.db_for_read(Paper))
        return HttpResponse()

    response = replicas.pin_reads_after_writes(view)(rf.get("/"))

    assert where == ["default", "default", "default", "default", "replica"]
    assert replicas.PIN_COOKIE not in response.cookies


@pytest.mark.parametrize(
    ("loaded_from", "expected"), [("default", "default"), ("replica", "replica")]
)
def test_a_relation_is_followed_on_the_database_its_object_came_from(
    routed, rf, loaded_from, expected
):
    paper = Paper(pk=1)
    paper._state.db = loaded_from
    where = []

    def view(request):
        where.append(router.db_for_read(Summary, instance=paper))
        return HttpResponse()

    replicas.pin_reads_after_writes(view)(rf.get("/"))

    assert where == [expected]


@pytest.mark.django_db
def test_reads_inside_a_transaction_on_the_primary_stay_there(routed, rf):
    where = []

    def view(request):
        with transaction.atomic():
            where.append(router.db_for_read(Paper))
        return HttpResponse()

    replicas.pin_reads_after_writes(view)(rf.get("/"))

    assert where == ["default"]


def test_objects_from_the_primary_and_the_replica_may_be_related(routed):
    paper, member = Paper(pk=1), User(pk=1)
    paper._state.db, member._state.db = "replica", "default"
    elsewhere = User(pk=2)
    elsewhere._state.db = "archive"
    router_ = replicas.PrimaryReplicaRouter()

    allowed = router_.allow_relation(paper, member)
    unknown = router_.allow_relation(paper, elsewhere)

    assert (allowed, unknown) == (True, None)


def test_migrations_run_only_on_the_primary():
    router_ = replicas.PrimaryReplicaRouter()

    decisions = [router_.allow_migrate(alias, "papers") for alias in ("replica", "default")]

    assert decisions == [False, None]


def test_concurrent_requests_in_threads_keep_their_own_state(routed, rf):
    both_in_flight = threading.Barrier(2, timeout=10)
    reads = {}

    def view(request):
        both_in_flight.wait()
        reads[request.method] = router.db_for_read(Paper)
        return HttpResponse()

    middleware = replicas.pin_reads_after_writes(view)
    threads = [
        threading.Thread(target=middleware, args=(request,))
        for request in (rf.post("/"), rf.get("/"))
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=10)

    assert reads == {"POST": "default", "GET": "replica"}


def test_an_async_request_sees_a_write_made_in_a_worker_thread(routed, rf):
    reads = []

    async def view(request):
        reads.append(router.db_for_read(Paper))
        await sync_to_async(router.db_for_write)(Paper)
        reads.append(router.db_for_read(Paper))
        return HttpResponse()

    # In a thread of its own: the browser tests may leave an event loop running in this one.
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        handler = replicas.pin_reads_after_writes(view)
        response = pool.submit(asyncio.run, handler(rf.get("/"))).result()

    assert reads == ["replica", "default"]
    assert replicas.PIN_COOKIE in response.cookies


# A second configured database ---------------------------------------------------------------


def database_url(name: str) -> str:
    """A postgres:// URL for database `name` on the server this test run uses."""
    default = settings.DATABASES["default"]
    if default["ENGINE"] == "shortscience.embedded_postgres":
        # The embedded server listens on a unix socket; its folder goes in the query, as
        # a host part would be lower-cased by URL parsing.
        socket_dir, port = server.ensure_running(Path(default["PGDATA"]))
        return f"postgres://{server.SUPERUSER}@:{port}/{name}?host={quote(socket_dir)}"
    return urlsplit(settings.DATABASE_URL)._replace(path=f"/{name}").geturl()


def connect(name: str) -> psycopg.Connection:
    return psycopg.connect(database_url(name), autocommit=True)


def tables(name: str) -> list[str]:
    with connect(name) as connection:
        rows = connection.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1"
        ).fetchall()
    return [table for (table,) in rows]


@pytest.fixture
def scratch_database():
    """Create databases on the test run's server (empty, or copies); drop them afterwards.

    Names are unique to this test, since test workers run in parallel on one server.
    """
    prefix = f"replicas_{uuid.uuid4().hex[:12]}"
    made = []

    def make(role: str, template: str = "template0") -> str:
        name = f"{prefix}_{role}"
        with connect("postgres") as connection:
            # A copy waits up to 5 s for the template's last sessions to end.
            connection.execute(
                sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(
                    sql.Identifier(name), sql.Identifier(template)
                )
            )
        made.append(name)
        return name

    yield make
    with connect("postgres") as connection:
        for name in made:
            connection.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )


@pytest.fixture
def empty_pair(scratch_database):
    """The variables for an empty primary and an empty replica, and their names."""
    primary, replica = scratch_database("primary"), scratch_database("replica")
    env = {"DATABASE_URL": database_url(primary), "DATABASE_REPLICA_URL": database_url(replica)}
    return env, primary, replica


@pytest.mark.slow
def test_migrate_changes_only_the_primary(empty_pair):
    env, primary, replica = empty_pair

    result = run_manage(env, "migrate", "-v0")

    assert result.returncode == 0, result.stderr
    assert {"papers_paper", "summaries_summary", "django_cache"} <= set(tables(primary))
    assert tables(replica) == []


# Two apps' migrations stand for all: taggit's make tables, ours the cache table (RunPython).
MIGRATE_THE_REPLICA = """
import django

django.setup()
from django.core.management import call_command

for app in ("taggit", "shortscience"):
    call_command("migrate", app, database="replica", verbosity=0)
"""


@pytest.mark.slow
def test_migrate_asked_for_the_replica_creates_no_tables_there(empty_pair):
    env, primary, replica = empty_pair

    result = run_python(MIGRATE_THE_REPLICA, env)

    # Django still records each migration as done there, and nothing else.
    assert result.returncode == 0, result.stderr
    assert tables(replica) == ["django_migrations"]
    assert tables(primary) == []


SEED = """
import django

django.setup()
from tests.factories import PaperFactory, UserFactory

UserFactory(username="ada")
print(PaperFactory(title="Attention, as the primary has it").get_absolute_url())
"""


class Visitor:
    """One browser: keeps its cookies and reaches the site through a TLS proxy."""

    def __init__(self, port: int):
        self.port = port
        self.cookies: dict[str, str] = {}

    def get(self, path: str):
        return self.request("GET", path)

    def post(self, path: str, form: dict[str, str]):
        return self.request("POST", path, form)

    def request(self, method: str, path: str, form: dict[str, str] | None = None):
        """Return (status, headers, body), remembering the cookies the answer sets."""
        headers = {"X-Forwarded-Proto": "https"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Origin"] = f"https://127.0.0.1:{self.port}"
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            text = response.read().decode()
        finally:
            connection.close()
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        return response.status, response.headers, text


@dataclasses.dataclass
class ReplicatedSite:
    visitor: Visitor
    paper_path: str
    primary: str
    replica: str
    log: Path

    def log_text(self) -> str:
        return self.log.read_text()


@pytest.fixture
def replicated_site(scratch_database, tmp_path):
    """gunicorn serving the site from a primary and a replica that differ in two rows.

    The replica is a copy of the primary taken after seeding, then changed as if it lagged:
    the paper's title differs, and ada's e-mail address is not yet verified there.
    """
    primary = scratch_database("primary")
    on_primary = {"DATABASE_URL": database_url(primary)}
    migrated = run_manage(on_primary, "migrate", "-v0")
    assert migrated.returncode == 0, migrated.stderr
    seeded = run_python(SEED, on_primary)
    assert seeded.returncode == 0, seeded.stderr
    paper_path = seeded.stdout.split()[-1]
    replica = scratch_database("replica", template=primary)
    with connect(replica) as connection:
        connection.execute("UPDATE papers_paper SET title = 'Attention, as the replica has it'")
        connection.execute("UPDATE account_emailaddress SET verified = false")
    env = PRODUCTION_ENV | {
        "DATABASE_URL": database_url(primary),
        "DATABASE_REPLICA_URL": database_url(replica),
        "REPLICA_PIN_SECONDS": "3",
        # The page cache renders shared pages from the primary on purpose (tested above);
        # this journey is about where the router sends each reader's own reads.
        "PAGE_CACHE_SECONDS": "0",
        "STATIC_ROOT": str(tmp_path / "static"),
        "ALLOWED_HOSTS": "127.0.0.1",
        "BEHIND_TLS_PROXY": "1",
    }
    collected = run_manage(env, "collectstatic", "--no-input", "-v0")
    assert collected.returncode == 0, collected.stderr
    log = tmp_path / "gunicorn.log"
    with gunicorn(env, log=log) as (base, _):
        yield ReplicatedSite(Visitor(urlsplit(base).port), paper_path, primary, replica, log)


def title_on(page: str) -> str:
    return re.search(r"<h1[^>]*>\s*(.*?)\s*</h1>", page, re.DOTALL).group(1)


def signed_in_as(page: str) -> str | None:
    found = re.search(r'class="account-nav__user"[^>]*>([^<]+)<', page)
    return found.group(1) if found else None


def last_login(database: str):
    with connect(database) as connection:
        return connection.execute(
            "SELECT last_login FROM accounts_user WHERE username = 'ada'"
        ).fetchone()[0]


@pytest.mark.slow
def test_pages_read_the_replica_until_a_member_writes(replicated_site):
    site, visitor = replicated_site, replicated_site.visitor

    # A reader's page comes from the replica and pins nothing.
    status, _, page = visitor.get(site.paper_path)
    assert (status, title_on(page)) == (200, "Attention, as the replica has it"), site.log_text()
    assert replicas.PIN_COOKIE not in visitor.cookies

    # Signing in is a POST: it checks ada's address on the primary (the replica has it
    # unverified, which would refuse her) and writes there, and only there.
    _, _, form = visitor.get(f"/accounts/login/?next={site.paper_path}")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)
    status, headers, _ = visitor.post(
        "/accounts/login/",
        {
            "csrfmiddlewaretoken": token,
            "login": "ada",
            "password": PASSWORD,
            "next": site.paper_path,
        },
    )
    assert (status, headers["Location"]) == (302, site.paper_path), site.log_text()
    assert last_login(site.primary) is not None
    assert last_login(site.replica) is None
    pinned_until = float(visitor.cookies[replicas.PIN_COOKIE])

    # The page the sign-in leads to, fetched at once with the pin cookie: the primary.
    status, _, page = visitor.get(site.paper_path)
    assert time.time() < pinned_until, "the page came after the pin window; a slow machine?"
    assert (status, title_on(page), signed_in_as(page)) == (
        200,
        "Attention, as the primary has it",
        "ada",
    )

    # Once the window has passed, the replica again; the session is still read from the
    # primary (the replica has none), so ada stays signed in.
    time.sleep(max(0.0, pinned_until - time.time()) + 0.1)
    status, _, page = visitor.get(site.paper_path)
    assert (status, title_on(page), signed_in_as(page)) == (
        200,
        "Attention, as the replica has it",
        "ada",
    )
