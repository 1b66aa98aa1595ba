"""Mixed load: members read pages and write (votes, comments, summary edits) at once
against a running server; afterwards every write the server acknowledged is looked for
in the database.

    .venv/bin/python bench/mixed_load.py --url http://127.0.0.1:8000 --seconds 60 --connections 32

Run it with the server's environment (the same DATABASE_URL and SECRET_KEY): it makes its
own data set there first (papers, one member per connection, each with a summary, and a
signed-in session for each), then loads the server, then checks the database. Start the
server with the write rate limits off, or most writes are refused with 429: every
RATE_SUMMARY_WRITE, RATE_COMMENT and RATE_VOTE variable, and their _NEW twins, set empty.
Behind a TLS proxy (DEBUG=0 with BEHIND_TLS_PROXY=1), pass --as-tls-proxy: the client then
says X-Forwarded-Proto: https, as the proxy would.

Each connection is one member, one thread and one http.client connection, so a member's
writes are sequential: a vote is only ever raced by other members' votes. The client
records every response (status, time) and every write attempt, and counts a write as
acknowledged only on the answer that says it was saved: the redirect after a comment or
an edit, the redirect or the JSON {"vote": v} after a vote. Each comment and edit carries
a unique token, so the check can find it. The tests in tests/reliability/ import this
module: prepare() and check() need Django set up on the server's database; run() needs
only the standard library.
"""

import argparse
import collections
import dataclasses
import http.client
import json
import os
import random
import re
import secrets
import statistics
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlencode, urlsplit

ROOT = Path(__file__).resolve().parent.parent
# Longer than gunicorn's 30-second worker timeout: a request the client gives up on is
# one the server may still finish, and then a member's writes would overlap.
REQUEST_TIMEOUT = 60
# What each connection does, by weight: about half reads, half writes.
ACTIONS = {
    "home": 12,
    "paper": 12,
    "summary": 20,
    "vote": 28,
    "comment": 16,
    "edit": 12,
}
TOKEN = re.compile(r"\bload-[0-9a-f]{16}\b")
BASE_VERSION = re.compile(r'name="base_version" value="(\d+)"')
TITLE = re.compile(r"<title>([^<]*)</title>")


# The data set ---------------------------------------------------------------------------


def prepare(members: int, papers: int = 8) -> dict:
    """Make ``members`` members, each with a verified address, a summary of one of
    ``papers`` new papers, and a signed-in session; return the plan run() follows.

    Every name carries a fresh prefix, so runs against one database do not meet.
    Needs Django set up.
    """
    from allauth.account.models import EmailAddress
    from django.db import transaction

    from accounts.models import User
    from papers.services import create_paper
    from summaries.services import publish_summary

    prefix = f"load{secrets.token_hex(3)}"
    plan = {"members": [], "papers": [], "summaries": []}
    with transaction.atomic():
        users = []
        for number in range(members):
            user = User.objects.create_user(
                username=f"{prefix}-{number:02d}", email=f"{prefix}-{number:02d}@example.org"
            )
            EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
            users.append(user)
        paper_rows = [
            create_paper(
                users[0],
                authors=["Ada Lovelace", "Alan Turing"],
                tags=["cs.LG"],
                title=f"Load Test Paper {number} ({prefix})",
                abstract="We measure how a site behaves when many people write at once.",
                year=2024,
            )
            for number in range(papers)
        ]
        plan["papers"] = [paper.get_absolute_url() for paper in paper_rows]
        for number, user in enumerate(users):
            summary = publish_summary(
                user,
                paper_rows[number % papers],
                body=f"A first summary by {user.username}: the loss $L$ falls with data.",
            )
            plan["members"].append(
                {"id": user.pk, "session": signed_in_session(user), "summary": summary.pk}
            )
            plan["summaries"].append(summary.pk)
    return plan


def signed_in_session(user) -> str:
    """The key of a new session for ``user``, made as django.contrib.auth.login() makes
    one, in the configured session store. Needs Django set up, with the server's
    SECRET_KEY: the session carries a hash of the member's password made with it."""
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

    session = import_module(settings.SESSION_ENGINE).SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return session.session_key


# The load -------------------------------------------------------------------------------


@dataclasses.dataclass
class Request:
    kind: str
    start: float  # time.monotonic()
    end: float
    status: int | None  # None: no answer (the error says what happened)
    error: str = ""
    title: str = ""  # an error page's <title>
    retry_after: str = ""


@dataclasses.dataclass
class Write:
    """One write attempt, in the order its member made them."""

    kind: str  # "vote", "comment", "edit"
    member: int
    summary: int
    value: int | str  # the vote sent, or the token in the comment or edit
    is_acknowledged: bool


@dataclasses.dataclass
class Results:
    started: float
    ended: float
    requests: list[Request]
    writes: list[Write]

    @property
    def seconds(self) -> float:
        return self.ended - self.started

    def histogram(self) -> dict[str, int]:
        """Requests by status ("200", "503") or, without an answer, by error."""
        counts = collections.Counter(str(r.status) if r.status else r.error for r in self.requests)
        return dict(sorted(counts.items()))

    def acknowledged(self) -> dict[str, int]:
        counts = collections.Counter(w.kind for w in self.writes if w.is_acknowledged)
        return dict(sorted(counts.items()))

    def report(self) -> str:
        durations = sorted(r.end - r.start for r in self.requests)
        lines = [
            f"{len(self.requests)} requests in {self.seconds:.1f} s "
            f"({len(self.requests) / self.seconds:.0f}/s)",
            f"statuses: {self.histogram()}",
            f"writes acknowledged: {self.acknowledged()} of {len(self.writes)} attempted",
        ]
        if len(durations) >= 2:
            quantiles = statistics.quantiles(durations, n=100)
            lines.append(
                f"latency: p50 {quantiles[49] * 1000:.0f} ms, p95 {quantiles[94] * 1000:.0f} ms, "
                f"max {durations[-1] * 1000:.0f} ms"
            )
        by_kind = collections.defaultdict(list)
        for r in self.requests:
            by_kind[r.kind].append(r.end - r.start)
        lines.append(
            "median by kind: "
            + ", ".join(
                f"{kind} {statistics.median(times) * 1000:.0f} ms ({len(times)})"
                for kind, times in sorted(by_kind.items())
            )
        )
        return "\n".join(lines)

    def writes_json(self) -> list[dict]:
        return [dataclasses.asdict(write) for write in self.writes]


class Connection:
    """One member's keep-alive connection, with their session and a CSRF token.

    The CSRF cookie is one we make up: Django accepts any well-formed secret in the
    cookie when the X-CSRFToken header (or form field) matches it, as a browser's would.
    A server that closes connections after each answer (gunicorn's sync workers) gets a
    new one for the next request: http.client reconnects by itself.
    """

    def __init__(self, base_url: str, session: str, *, as_tls_proxy: bool):
        parts = urlsplit(base_url)
        self.http = http.client.HTTPConnection(
            parts.hostname, parts.port or 80, timeout=REQUEST_TIMEOUT
        )
        self.csrf = secrets.token_hex(16)
        self.headers = {
            "Host": parts.netloc,
            "Cookie": f"sessionid={session}; csrftoken={self.csrf}",
            "User-Agent": "shortscience-mixed-load",
        }
        if as_tls_proxy:
            self.headers["X-Forwarded-Proto"] = "https"
        self.origin = f"{'https' if as_tls_proxy else parts.scheme}://{parts.netloc}"

    def request(self, method: str, path: str, form: dict | None = None, *, accept: str = ""):
        """(status, response, body); raises OSError or HTTPException without an answer."""
        headers = dict(self.headers)
        body = None
        if form is not None:
            body = urlencode(form)
            headers |= {
                "Content-Type": "application/x-www-form-urlencoded",
                "Origin": self.origin,
                "X-CSRFToken": self.csrf,
            }
        if accept:
            headers["Accept"] = accept
        try:
            self.http.request(method, path, body=body, headers=headers)
            response = self.http.getresponse()
            content = response.read().decode("utf-8", "replace")
        except (OSError, http.client.HTTPException):
            self.http.close()
            raise
        return response.status, response, content

    def close(self):
        self.http.close()


class Member:
    """One connection's loop: pick an action by weight, do it, record it."""

    def __init__(self, plan: dict, index: int, connection: Connection, seed: int):
        self.plan = plan
        self.me = plan["members"][index]
        self.others = [s for s in plan["summaries"] if s != self.me["summary"]]
        self.connection = connection
        self.random = random.Random(seed)  # noqa: S311 - a repeatable mix of actions, no secret
        self.requests: list[Request] = []
        self.writes: list[Write] = []

    def run(self, deadline: float) -> None:
        kinds, weights = zip(*ACTIONS.items(), strict=True)
        while time.monotonic() < deadline:
            getattr(self, self.random.choices(kinds, weights)[0])()
        self.connection.close()

    def _send(self, kind: str, method: str, path: str, form=None, **kwargs):
        """The answer, recorded, or None when there was none."""
        start = time.monotonic()
        try:
            status, response, body = self.connection.request(method, path, form, **kwargs)
        except (OSError, http.client.HTTPException) as error:
            self.requests.append(
                Request(kind, start, time.monotonic(), None, type(error).__name__)
            )
            time.sleep(0.2)  # Not a busy loop while nothing answers at all.
            return None
        record = Request(kind, start, time.monotonic(), status)
        if status >= 400:
            title = TITLE.search(body)
            record.title = title[1] if title else ""
            record.retry_after = response.getheader("Retry-After") or ""
        self.requests.append(record)
        return status, response, body

    def home(self):
        self._send("home", "GET", self.random.choice(["/", "/?tab=best", "/?tab=popular"]))

    def paper(self):
        self._send("paper", "GET", self.random.choice(self.plan["papers"]))

    def summary(self):
        self._send("summary", "GET", f"/summaries/{self.random.choice(self.plan['summaries'])}/")

    def vote(self):
        """Up, down or take back, on another member's summary; half as the vote buttons'
        script does it (JSON), half as a form post without JavaScript."""
        summary = self.random.choice(self.others)
        value = self.random.choice([1, -1, 0])
        path = f"/summaries/{summary}/vote/"
        if self.random.random() < 0.5:
            answer = self._send("vote", "POST", path, {"value": value}, accept="application/json")
            is_acknowledged = bool(answer) and answer[0] == 200 and _json(answer[2]) == value
        else:
            form = {"value": value, "next": f"/summaries/{summary}/"}
            answer = self._send("vote", "POST", path, form)
            is_acknowledged = bool(answer) and answer[0] == 302
        self.writes.append(Write("vote", self.me["id"], summary, value, is_acknowledged))

    def comment(self):
        summary = self.random.choice(self.plan["summaries"])
        token = f"load-{secrets.token_hex(8)}"
        form = {"body": f"Comment {token}: does this hold as $n \\to \\infty$?"}
        answer = self._send("comment", "POST", f"/summaries/{summary}/comments/", form)
        # To the comment on the page of the thread that holds it: ?page=N past the first.
        landing = re.fullmatch(
            rf"/summaries/{summary}/(\?page=\d+)?#comment-\d+",
            answer[1].getheader("Location", "") if answer else "",
        )
        is_acknowledged = bool(answer) and answer[0] == 302 and landing is not None
        self.writes.append(Write("comment", self.me["id"], summary, token, is_acknowledged))

    def edit(self):
        """Open the member's own summary in the editor, then save a new text."""
        summary = self.me["summary"]
        path = f"/summaries/{summary}/edit/"
        answer = self._send("edit page", "GET", path)
        version = BASE_VERSION.search(answer[2]) if answer and answer[0] == 200 else None
        if version is None:
            return
        token = f"load-{secrets.token_hex(8)}"
        form = {
            "body": f"Edited summary {token}.\n\nThe loss $L(\\theta)$ falls as $1/\\sqrt{{t}}$.",
            "base_version": version[1],
        }
        answer = self._send("edit", "POST", path, form)
        is_acknowledged = (
            bool(answer)
            and answer[0] == 302
            and answer[1].getheader("Location") == f"/summaries/{summary}/"
        )
        self.writes.append(Write("edit", self.me["id"], summary, token, is_acknowledged))


def _json(body: str):
    try:
        return json.loads(body).get("vote")
    except (ValueError, AttributeError):
        return None


def run(
    plan: dict,
    base_url: str,
    *,
    seconds: float,
    connections: int,
    as_tls_proxy: bool = False,
    seed: int = 0,
) -> Results:
    """Load the server for ``seconds`` with ``connections`` members at once."""
    if connections > len(plan["members"]):
        raise ValueError(f"{connections} connections need as many members in the plan.")
    members = [
        Member(
            plan,
            index,
            Connection(base_url, plan["members"][index]["session"], as_tls_proxy=as_tls_proxy),
            seed * 1000 + index,
        )
        for index in range(connections)
    ]
    started = time.monotonic()
    deadline = started + seconds
    threads = [threading.Thread(target=member.run, args=(deadline,)) for member in members]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return Results(
        started=started,
        ended=time.monotonic(),
        requests=sorted((r for m in members for r in m.requests), key=lambda r: r.start),
        writes=[write for member in members for write in member.writes],
    )


# The check ------------------------------------------------------------------------------


def check(plan: dict, writes: list[dict]) -> dict:
    """Look for every acknowledged write in the database and compare the counters with
    the rows; return {"problems": [...], "stored": {...}}. Needs Django set up.

    - every acknowledged comment token is in exactly one comment;
    - every acknowledged edit token is in one revision, and a member whose last edit
      was acknowledged finds it in their summary's text;
    - for each (member, summary) whose last vote was acknowledged, the stored vote is
      that one (no row for 0);
    - each summary's score is the sum of its votes, its comment_count the comments shown,
      and its version the number of its revisions.
    """
    from django.db.models import Count, Sum

    from summaries.models import Comment, Revision, Summary, Vote

    ids = plan["summaries"]
    problems = []
    comment_tokens = collections.Counter(
        token
        for body in Comment.objects.filter(summary__in=ids).values_list("body", flat=True)
        for token in TOKEN.findall(body)
    )
    revision_tokens = collections.Counter(
        token
        for body in Revision.objects.filter(summary__in=ids).values_list("body", flat=True)
        for token in TOKEN.findall(body)
    )
    votes = {
        (user, summary): value
        for user, summary, value in Vote.objects.filter(summary__in=ids).values_list(
            "user", "summary", "value"
        )
    }
    last_vote, last_edit = {}, {}
    for write in writes:
        if write["kind"] == "vote":
            last_vote[write["member"], write["summary"]] = write
        elif write["kind"] == "edit":
            last_edit[write["summary"]] = write
        if not write["is_acknowledged"] or write["kind"] == "vote":
            continue
        stored = comment_tokens if write["kind"] == "comment" else revision_tokens
        if stored[write["value"]] != 1:
            problems.append(
                f"acknowledged {write['kind']} {write['value']} on summary {write['summary']} "
                f"is stored {stored[write['value']]} times"
            )
    for (member, summary), write in last_vote.items():
        stored = votes.get((member, summary), 0)
        if write["is_acknowledged"] and stored != write["value"]:
            problems.append(
                f"member {member}'s acknowledged vote {write['value']} on summary {summary} "
                f"is stored as {stored}"
            )
    summaries = Summary.objects.filter(pk__in=ids).annotate(
        vote_sum=Sum("votes__value", default=0),
    )
    shown = dict(
        Comment.objects.visible()
        .filter(summary__in=ids)
        .values("summary")
        .annotate(n=Count("*"))
        .values_list("summary", "n")
    )
    revisions = dict(
        Revision.objects.filter(summary__in=ids)
        .values("summary")
        .annotate(n=Count("*"))
        .values_list("summary", "n")
    )
    for summary in summaries:
        if summary.score != summary.vote_sum:
            problems.append(
                f"summary {summary.pk}: score {summary.score}, votes add up to {summary.vote_sum}"
            )
        if summary.comment_count != shown.get(summary.pk, 0):
            problems.append(
                f"summary {summary.pk}: comment_count {summary.comment_count}, "
                f"{shown.get(summary.pk, 0)} comments shown"
            )
        if summary.version != revisions.get(summary.pk, 0):
            problems.append(
                f"summary {summary.pk}: version {summary.version}, "
                f"{revisions.get(summary.pk, 0)} revisions"
            )
        edit = last_edit.get(summary.pk)
        if edit and edit["is_acknowledged"] and edit["value"] not in summary.body:
            problems.append(
                f"summary {summary.pk}: the last acknowledged edit {edit['value']} is not its text"
            )
    stored = {
        "comments": sum(comment_tokens.values()),
        "edits": sum(revision_tokens.values()),
        "votes": Vote.objects.filter(summary__in=ids).count(),
        "unacknowledged writes found stored": sum(
            1
            for w in writes
            if not w["is_acknowledged"]
            and w["kind"] != "vote"
            and (comment_tokens if w["kind"] == "comment" else revision_tokens)[w["value"]]
        ),
    }
    return {"problems": problems, "stored": stored}


# The command ----------------------------------------------------------------------------


def setup_django() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shortscience.settings")
    import django

    django.setup()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="http://127.0.0.1:8000", help="the server")
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument(
        "--as-tls-proxy",
        action="store_true",
        help="send X-Forwarded-Proto: https (a DEBUG=0 server with BEHIND_TLS_PROXY=1)",
    )
    args = parser.parse_args(argv)

    setup_django()
    plan = prepare(args.connections)
    print(f"Loading {args.url} for {args.seconds:.0f} s with {args.connections} members …")
    results = run(
        plan,
        args.url,
        seconds=args.seconds,
        connections=args.connections,
        as_tls_proxy=args.as_tls_proxy,
    )
    print(results.report())
    outcome = check(plan, results.writes_json())
    print(f"stored: {outcome['stored']}")
    for problem in outcome["problems"]:
        print(f"PROBLEM: {problem}")
    server_errors = sum(1 for r in results.requests if r.status and r.status >= 500)
    return 1 if outcome["problems"] or server_errors else 0


if __name__ == "__main__":
    sys.exit(main())
