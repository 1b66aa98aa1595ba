"""In-process render cost of the heaviest signed-in pages, through Django's test client:
a summary's permalink with 300 comments (60 of them replies) and a paper page with 40
summaries, each read by a member who voted on some of what they show, and by a
moderator. Prints each page's median and 90th percentile time, the median CPU time this
process spent on it (steadier on a busy machine: it leaves out waiting for the CPU and
for PostgreSQL), its size and its queries.

    DATABASE_URL=postgres://... .venv/bin/python bench/render_cost.py [--requests 40]

The database must be migrated; the script adds its rows once (found again by the
papers' titles). Production settings (DEBUG off), with the caches the environment
names: Redis at REDIS_URL, else the database cache and the process's memory (see
shortscience/settings.py). No server, no network: this
measures what Django spends on a page, not what a client sees (bench/load.py does).
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shortscience.settings")
os.environ.setdefault("DEBUG", "0")
os.environ.setdefault("SECRET_KEY", "render-cost-benchmark-only")
os.environ.setdefault("ALLOWED_HOSTS", "testserver")

import django  # noqa: E402 - configured by the environment above

django.setup()

from django.conf import settings  # noqa: E402 - after django.setup()
from django.contrib.auth.models import Group  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import override_settings  # noqa: E402

# Static files by their plain names, so no `collectstatic` is needed first.
override_settings(
    STORAGES=settings.STORAGES
    | {"staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
).enable()

from summaries.models import Comment, CommentVote, Summary, Vote  # noqa: E402
from tests.factories import PaperFactory, SummaryFactory, UserFactory  # noqa: E402

DISCUSSED = "Render cost: a discussed paper"
SUMMARIZED = "Render cost: a paper with 40 summaries"
TOP_LEVEL, REPLIES, SUMMARIES = 240, 60, 40
SUMMARY_BODY = (
    "## What it does\n\nThe model replaces recurrence with *attention*: each position "
    "attends to every other, $\\mathrm{softmax}(QK^T/\\sqrt{d_k})V$, so a layer costs "
    "$O(n^2 d)$ and needs no sequential steps.\n\n"
    + "- Multi-head attention lets the model attend to several subspaces at once.\n" * 6
    + "\n$$\\mathrm{PE}_{(pos, 2i)} = \\sin(pos / 10000^{2i/d})$$\n\n"
    + ("A longer paragraph on the training set-up, the optimiser and the results. " * 12)
)
COMMENT_BODIES = [
    "Why $\\beta_2 = 0.98$ rather than the usual 0.999? The *warm-up* seems to matter more.",
    "Good summary. See also [the annotated version](https://example.org/annotated) for code.",
    "The claim in section 3 needs the **positional encoding** to be learned; here it is fixed."
    " " + "The ablation in table 3 suggests otherwise, at least for the base model. " * 3,
    "> each position attends to every other\n\nOnly in the encoder; the decoder is masked.",
]


def seed() -> None:
    if Summary.objects.filter(paper__title=DISCUSSED).exists():
        return
    reader = UserFactory(username="rc-reader")
    moderator = UserFactory(username="rc-moderator", is_staff=True)
    moderator.groups.add(Group.objects.get(name="Moderators"))
    members = [UserFactory(username=f"rc-member{n}") for n in range(SUMMARIES)]
    summary = SummaryFactory(
        paper=PaperFactory(title=DISCUSSED), author=members[0], body=SUMMARY_BODY
    )
    top = []
    for n in range(TOP_LEVEL):
        author = reader if n % 40 == 7 else members[n % len(members)]
        top.append(_comment(summary, author, n))
    for n in range(REPLIES):
        _comment(summary, members[(n + 3) % len(members)], n, parent=top[n * 4])
    Summary.objects.filter(pk=summary.pk).update(comment_count=TOP_LEVEL + REPLIES)
    for comment in top[1:60:3]:
        CommentVote.objects.create(user=reader, comment=comment)
    paper = PaperFactory(title=SUMMARIZED)
    for n, author in enumerate(members):
        voted = SummaryFactory(paper=paper, author=author, body=SUMMARY_BODY, score=n % 7)
        if n % 4 == 0:
            Vote.objects.create(user=reader, summary=voted, value=1)


def _comment(summary, author, n, parent=None) -> Comment:
    from shortscience.rendering import render_markdown

    body = COMMENT_BODIES[n % len(COMMENT_BODIES)]
    return Comment.objects.create(
        summary=summary,
        author=author,
        parent=parent,
        body=body,
        body_html=str(render_markdown(body)),
        score=n % 5,
    )


def measure(client, url, requests) -> dict:
    for _ in range(3):  # templates compiled, caches filled
        response = client.get(url, secure=True)
        if response.status_code != 200:
            raise SystemExit(f"{url} answered {response.status_code}")
    queries = []
    with connection.execute_wrapper(
        lambda execute, sql, *args: queries.append(sql) or execute(sql, *args)
    ):
        client.get(url, secure=True)
    times, cpu = [], []
    for _ in range(requests):
        start, start_cpu = time.perf_counter(), time.process_time()
        response = client.get(url, secure=True)
        times.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
    return {
        "median_ms": statistics.median(times),
        "p90_ms": statistics.quantiles(times, n=10)[-1],
        "cpu_ms": statistics.median(cpu),
        "kib": len(response.content) / 1024,
        "queries": len(queries),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=40)
    args = parser.parse_args()
    seed()
    discussed = Summary.objects.get(paper__title=DISCUSSED)
    paper = Summary.objects.filter(paper__title=SUMMARIZED).first().paper
    pages = [
        ("permalink, 300 comments", discussed.get_absolute_url()),
        ("paper, 40 summaries", paper.get_absolute_url()),
    ]
    print(
        f"{'page':28} {'reader':10} {'median ms':>10} {'p90 ms':>8} {'CPU ms':>7}"
        f" {'KiB':>7} {'queries':>8}"
    )
    for username in ("rc-reader", "rc-moderator"):
        client = Client()
        client.force_login(discussed.author.__class__.objects.get(username=username))
        for name, url in pages:
            row = measure(client, url, args.requests)
            print(
                f"{name:28} {username[3:]:10} {row['median_ms']:10.1f} {row['p90_ms']:8.1f}"
                f" {row['cpu_ms']:7.1f} {row['kib']:7.1f} {row['queries']:8d}"
            )


if __name__ == "__main__":
    main()
