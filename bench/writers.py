"""Writers at fixed rates against a running server: members vote, comment and edit
summaries while one member types in the editor, whatever else loads the server.

    .venv/bin/python bench/writers.py --url http://127.0.0.1:8000 --seconds 30

Run it with the server's environment (DATABASE_URL, REDIS_URL and SECRET_KEY): it makes
its members and their signed-in sessions there first (prepare(), which needs Django),
then writes until --seconds pass (0: until SIGTERM or Ctrl-C) and prints what came of
every write. Start the server with the write rate limits off (NO_RATE_LIMITS below, in
its environment), or most writes are refused with 429. Behind a TLS proxy (DEBUG=0 with
BEHIND_TLS_PROXY=1), pass --as-tls-proxy, as for bench/mixed_load.py.

bench/load.py's mixed phase calls prepare() once, saves the plan with --save-plan's
format, and runs this file as a process of its own beside each wrk run, with
`--plan FILE --json FILE`: the process then needs only the standard library. It prints
a line "writing" once its writers have started.

The writes, at the rates of RATES, each kind on a fixed schedule of its own (open loop:
a slow answer does not slow the schedule, as far as LANES allows; a lane that falls
more than a second behind skips what it missed and counts it):

- votes (5/s): up, down or taken back, by the voting members in turn, half as the vote
  buttons' script sends them (JSON) and half as a form post, on summaries across the
  data set: a random sample of it, and the summaries shown on the pages being measured
  (given to prepare()), which get --shown-share of the votes;
- comments (1/s): by the commenting members, on the same summaries, as often;
- summary edits (0.2/s): the author of one of a few summaries (some shown on the
  measured pages, some not) opens the editor and saves the text with its last line
  replaced, so the summary keeps its length whatever the number of runs;
- previews (every 350 ms): one member typing a summary in the editor; each preview
  sends the whole text so far to the editor's preview endpoint, as its script does.

A write counts as accepted only on the answer that says it was done (mixed_load.py's
rules: the redirect or JSON after a vote, the redirect after a comment or an edit; the
preview's JSON with its HTML); every other answer counts as refused, by status, and no
answer by the error. The members are the same in every run (benchw-*), so their votes
stay one per member and summary.
"""

import argparse
import collections
import dataclasses
import html
import itertools
import json
import math
import os
import random
import re
import secrets
import signal
import statistics
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import mixed_load  # noqa: E402 - after the path it is found on

# Writes per second of each kind.
RATES = {"vote": 5.0, "comment": 1.0, "edit": 0.2, "preview": 1 / 0.35}
# Requests of each kind that may be under way at once: a lane waits for its answer.
# Signed-in pages under wrk keep answers about half a second late, which one lane per
# kind could not absorb.
LANES = {"vote": 4, "comment": 2, "edit": 1, "preview": 2}
# A lane further behind its schedule than this skips what it missed (and counts it).
MAX_LAG_SECONDS = 1.0
VOTERS, COMMENTERS = 20, 4
SAMPLE = 2000  # summaries across the data set that take votes and comments
EDITED_SHOWN, EDITED_OTHERS = 4, 4
SHOWN_SHARE = 0.5
PREFIX = "benchw"
# The typist adds this many characters of their text between previews (about 9 a second).
CHARACTERS_PER_PREVIEW = 3
EDIT_TAIL = re.compile(r"\n\n_Revised \(load-[0-9a-f]{16}\)\._\s*$")
TEXTAREA = re.compile(r'<textarea name="body"[^>]*>\n?(.*?)</textarea>', re.DOTALL)
# Every write limit the writers meet, off: set each to "" in the server's environment.
NO_RATE_LIMITS = {
    f"RATE_{action}{suffix}": ""
    for action in ("SUMMARY_WRITE", "COMMENT", "VOTE")
    for suffix in ("", "_NEW")
} | {"RATE_SUMMARY_PREVIEW": ""}


# The members ----------------------------------------------------------------------------


def prepare(shown: list[int], *, seed: int = 0) -> dict:
    """The plan run() follows: members with signed-in sessions, the summaries they vote
    and comment on, the summaries edited and their authors' sessions, the typist's text.

    ``shown``: the ids of the summaries on the measured pages. Needs Django set up with
    the server's database, cache and SECRET_KEY. Makes the benchw-* members the first
    time (each with a verified address) and new sessions every time.
    """
    from allauth.account.models import EmailAddress

    from accounts.models import User
    from summaries.models import Summary

    chance = random.Random(seed)  # noqa: S311 - a repeatable choice, no secret

    def member(name: str) -> dict:
        user, _ = User.objects.get_or_create(
            username=f"{PREFIX}-{name}", defaults={"email": f"{PREFIX}-{name}@example.org"}
        )
        EmailAddress.objects.get_or_create(
            user=user, email=user.email, defaults={"verified": True, "primary": True}
        )
        return {"id": user.pk, "session": mixed_load.signed_in_session(user), "summary": None}

    public = Summary.objects.visible()
    shown_ids = sorted(set(public.filter(pk__in=shown).values_list("pk", flat=True)))
    every = list(public.values_list("pk", flat=True).order_by("pk"))
    sample = sorted(chance.sample(every, min(SAMPLE, len(every))))
    # Edited: summaries under their authors' names (saving the form unticks "anonymous"),
    # not by one of our members.
    editable = public.filter(is_anonymous=False).exclude(author__username__startswith=PREFIX)
    edited_shown = list(editable.filter(pk__in=shown_ids).order_by("pk"))
    edited_shown = chance.sample(edited_shown, min(EDITED_SHOWN, len(edited_shown)))
    edited_others = list(editable.filter(pk__in=sample).exclude(pk__in=shown_ids).order_by("pk"))
    edited_others = chance.sample(edited_others, min(EDITED_OTHERS, len(edited_others)))
    text = max(
        (s.body for s in public.filter(pk__in=shown_ids or sample[:20])),
        key=len,
        default="The loss $L(\\theta)$ falls as $1/\\sqrt{t}$ with more data.",
    )
    return {
        "voters": [member(f"vote-{n:02d}") for n in range(VOTERS)],
        "commenters": [member(f"comment-{n:02d}") for n in range(COMMENTERS)],
        "typist": member("typist"),
        "editors": [
            {
                "id": s.author_id,
                "session": mixed_load.signed_in_session(s.author),
                "summary": s.pk,
            }
            for s in edited_shown + edited_others
        ],
        "shown": shown_ids,
        "sample": sample,
        "text": text,
    }


def targets(plan: dict, shown_share: float) -> list[int]:
    """The summaries votes and comments pick from uniformly: the sample and the shown
    ones, the shown ones repeated so that they get ``shown_share`` of the picks."""
    shown, sample = plan["shown"], plan["sample"]
    if not shown or shown_share <= 0:
        return sample
    if not sample or shown_share >= 1:
        return shown
    repeat = max(1, round(shown_share / (1 - shown_share) * len(sample) / len(shown)))
    return sample + shown * repeat


# The writes -----------------------------------------------------------------------------


class Writer(mixed_load.Member):
    """One member's writes, on their own connection: mixed_load's vote and comment, an
    edit that keeps the summary's text, and a preview of the typist's text."""

    def __init__(self, member, picks, connection, seed, typing=None, text=""):
        super().__init__({"members": [member], "summaries": picks}, 0, connection, seed)
        # The typist's text and how far into it they are: one count for all the
        # connections they type on, so the text grows by one step per preview.
        self.typing, self.text = typing, text

    def edit(self):
        """Open the summary in the editor, then save its text with a new last line."""
        summary = self.me["summary"]
        path = f"/summaries/{summary}/edit/"
        answer = self._send("edit page", "GET", path)
        page = answer[2] if answer and answer[0] == 200 else ""
        version, body = mixed_load.BASE_VERSION.search(page), TEXTAREA.search(page)
        if version is None or body is None:
            return
        token = f"load-{secrets.token_hex(8)}"
        text = EDIT_TAIL.sub("", html.unescape(body[1]).replace("\r\n", "\n")).rstrip()
        form = {"body": f"{text}\n\n_Revised ({token})._", "base_version": version[1]}
        answer = self._send("edit", "POST", path, form)
        is_acknowledged = (
            bool(answer)
            and answer[0] == 302
            and answer[1].getheader("Location") == f"/summaries/{summary}/"
        )
        self.writes.append(
            mixed_load.Write("edit", self.me["id"], summary, token, is_acknowledged)
        )

    def preview(self):
        # Half the text was there when they opened the editor; then it grows, and starts
        # over from half once it is all typed.
        half = len(self.text) // 2
        typed = half + (CHARACTERS_PER_PREVIEW * next(self.typing)) % max(1, len(self.text) - half)
        answer = self._send(
            "preview",
            "POST",
            "/summaries/preview/",
            {"body": self.text[:typed]},
            accept="application/json",
        )
        is_acknowledged = bool(answer) and answer[0] == 200 and '"html"' in answer[2]
        self.writes.append(mixed_load.Write("preview", self.me["id"], 0, typed, is_acknowledged))


@dataclasses.dataclass
class Outcome:
    """What came of one kind of write."""

    kind: str
    rate: float  # asked for, per second
    seconds: float = 0.0
    sent: int = 0
    missed: int = 0  # slots skipped by a lane that had fallen behind
    accepted: int = 0
    refused: dict[str, int] = dataclasses.field(default_factory=dict)  # by status or error
    latencies_ms: list[float] = dataclasses.field(default_factory=list)

    def add(self, other: "Outcome") -> None:
        self.sent += other.sent
        self.missed += other.missed
        self.accepted += other.accepted
        self.refused = dict(
            sorted(
                (collections.Counter(self.refused) + collections.Counter(other.refused)).items()
            )
        )
        self.latencies_ms += other.latencies_ms

    def summary(self) -> dict:
        """The outcome without the latencies, which are summed up as p50 and p99."""
        data = dataclasses.asdict(self)
        del data["latencies_ms"]
        data["sent_per_s"] = self.sent / self.seconds if self.seconds else 0.0
        data["p50_ms"], data["p99_ms"] = _quantiles(self.latencies_ms)
        return data


def _quantiles(values: list[float]) -> tuple[float, float]:
    if len(values) < 2:
        return (values[0], values[0]) if values else (0.0, 0.0)
    cuts = statistics.quantiles(values, n=100, method="inclusive")
    return cuts[49], cuts[98]


class Lane(threading.Thread):
    """One kind of write on a fixed schedule, every ``interval`` seconds from ``first``,
    by its writers in turn. It waits for each answer; the lanes of a kind interleave."""

    def __init__(self, kind: str, writers: list[Writer], first: float, interval: float, stop):
        super().__init__(name=f"{kind} lane", daemon=True)
        self.kind, self.writers, self.first, self.interval = kind, writers, first, interval
        self.stop = stop
        self.outcome = Outcome(kind, 1 / interval)

    def run(self):
        due, turn = self.first, 0
        refused = collections.Counter()
        while not self.stop.wait(max(0.0, due - time.monotonic())):
            lag = time.monotonic() - due
            if lag > max(MAX_LAG_SECONDS, self.interval):
                skipped = math.floor(lag / self.interval)
                self.outcome.missed += skipped
                due += skipped * self.interval
            due += self.interval
            writer = self.writers[turn % len(self.writers)]
            turn += 1
            requests, writes = len(writer.requests), len(writer.writes)
            getattr(writer, self.kind)()
            self.outcome.sent += 1
            answers, written = writer.requests[requests:], writer.writes[writes:]
            last = answers[-1] if answers else None
            if last:
                self.outcome.latencies_ms.append((last.end - last.start) * 1000)
            if written and written[-1].is_acknowledged:
                self.outcome.accepted += 1
            elif last is None:
                refused["not sent"] += 1
            else:
                # Refused: by the status of the answer that decided it (the editor page's
                # when the edit could not be sent), or the error when there was none.
                label = str(last.status) if last.status else last.error
                refused[label if last.kind == self.kind else f"{last.kind} {label}"] += 1
        self.outcome.refused = dict(refused)


def run(
    plan: dict,
    base_url: str,
    *,
    seconds: float = 0,
    stop: threading.Event | None = None,
    as_tls_proxy: bool = False,
    rates: dict[str, float] | None = None,
    shown_share: float = SHOWN_SHARE,
    seed: int = 0,
    started=None,
) -> dict[str, Outcome]:
    """Write at ``rates`` (RATES by default) until ``seconds`` pass (0: no bound) or
    ``stop`` is set; return the outcome of each kind. Needs only the standard library.
    ``started()`` is called once every lane runs."""
    rates = RATES | (rates or {})
    stop = stop or threading.Event()
    picks = targets(plan, shown_share)
    typing = itertools.count()
    members = {
        "vote": plan["voters"],
        "comment": plan["commenters"],
        "edit": plan["editors"],
        # One member typing: each of their lanes is another connection with their session.
        "preview": [plan["typist"]] * LANES["preview"],
    }
    start = time.monotonic() + 0.1
    lanes: list[Lane] = []
    for kind, rate in rates.items():
        count = min(LANES[kind], len(members[kind]))
        if rate <= 0 or not count:
            continue
        interval = count / rate
        for lane in range(count):
            writers = [
                Writer(
                    member,
                    picks,
                    mixed_load.Connection(base_url, member["session"], as_tls_proxy=as_tls_proxy),
                    seed * 10_000 + len(lanes) * 100 + number,
                    typing,
                    plan["text"],
                )
                for number, member in enumerate(members[kind][lane::count])
            ]
            lanes.append(Lane(kind, writers, start + lane * interval / count, interval, stop))
    for lane in lanes:
        lane.start()
    if started:
        started()
    deadline = start + seconds if seconds else math.inf
    # Short waits, so that a signal handler setting ``stop`` is seen at once.
    while not stop.wait(0.2) and time.monotonic() < deadline:
        pass
    stop.set()
    for lane in lanes:
        # An answer under way is waited for (mixed_load's REQUEST_TIMEOUT bounds it).
        lane.join()
    ended = time.monotonic()
    outcomes = {}
    for kind, rate in rates.items():
        outcomes[kind] = Outcome(kind, rate, seconds=ended - start)
        for lane in lanes:
            if lane.kind == kind:
                outcomes[kind].add(lane.outcome)
    return outcomes


# The report -----------------------------------------------------------------------------


def report(outcomes: dict[str, Outcome]) -> str:
    lines = [
        f"{'writes':8} {'asked/s':>7} {'sent/s':>7} {'sent':>5} {'missed':>6} {'accepted':>8} "
        f"{'p50 ms':>7} {'p99 ms':>7}  refused",
    ]
    for outcome in outcomes.values():
        data = outcome.summary()
        refused = ", ".join(f"{n} x {status}" for status, n in outcome.refused.items()) or "none"
        lines.append(
            f"{outcome.kind:8} {outcome.rate:7.2f} {data['sent_per_s']:7.2f} {outcome.sent:5} "
            f"{outcome.missed:6} {outcome.accepted:8} {data['p50_ms']:7.0f} "
            f"{data['p99_ms']:7.0f}  {refused}"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="http://127.0.0.1:8000", help="the server")
    parser.add_argument("--seconds", type=float, default=30, help="0: until SIGTERM")
    parser.add_argument(
        "--plan", type=Path, help="a plan saved by --save-plan (or load.py): no Django needed"
    )
    parser.add_argument("--save-plan", type=Path, help="prepare, save the plan here, stop")
    parser.add_argument("--json", type=Path, help="write the outcomes here too")
    parser.add_argument(
        "--shown-share", type=float, default=SHOWN_SHARE, help="of votes and comments"
    )
    parser.add_argument(
        "--shown", default="", help="summary ids on the measured pages, comma-separated"
    )
    parser.add_argument(
        "--as-tls-proxy",
        action="store_true",
        help="send X-Forwarded-Proto: https (a DEBUG=0 server with BEHIND_TLS_PROXY=1)",
    )
    for kind, rate in RATES.items():
        parser.add_argument(f"--{kind}s-per-s", type=float, default=rate, dest=kind)
    args = parser.parse_args(argv)

    if args.plan:
        plan = json.loads(args.plan.read_text())
    else:
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shortscience.settings")
        import django

        django.setup()
        plan = prepare([int(pk) for pk in args.shown.split(",") if pk])
        if args.save_plan:
            args.save_plan.write_text(json.dumps(plan))
            print(f"Plan saved to {args.save_plan}.")
            return 0
    stop = threading.Event()
    for number in (signal.SIGTERM, signal.SIGINT):
        signal.signal(number, lambda *_: stop.set())
    outcomes = run(
        plan,
        args.url,
        seconds=args.seconds,
        stop=stop,
        as_tls_proxy=args.as_tls_proxy,
        rates={kind: getattr(args, kind) for kind in RATES},
        shown_share=args.shown_share,
        started=lambda: print("writing", flush=True),
    )
    print(report(outcomes), flush=True)
    if args.json:
        args.json.write_text(
            json.dumps(
                {
                    kind: dataclasses.asdict(outcome) | outcome.summary()
                    for kind, outcome in outcomes.items()
                }
            )
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
