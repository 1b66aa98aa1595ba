"""Large generated data sets for performance work (seed_demo --papers/--summaries/...).

Everything is bulk-inserted in batches with progress, deterministic (a fixed random seed
per row), and idempotent: generated papers carry BibTeX keys demo/gen0000001..., and a
second run only adds what is missing. Counters (scores, comment counts) are recomputed
from the rows in SQL at the end, so they are exact.
"""

import itertools
import math
import random  # Seeded generators for repeatable demo data, nothing secret (S311).
import time

from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from taggit.models import Tag, TaggedItem

from accounts.models import User
from papers.models import Author, Authorship, Paper, Venue, normalize_name
from shortscience.rendering import render_markdown
from summaries.models import Comment, Revision, Summary, Vote

BATCH = 2000
KEY_PREFIX = "demo/gen"
WORDS = [
    "learning",
    "neural",
    "networks",
    "attention",
    "graph",
    "sparse",
    "robust",
    "efficient",
    "deep",
    "generative",
    "diffusion",
    "models",
    "transformers",
    "optimization",
    "stochastic",
    "gradient",
    "variational",
    "inference",
    "reinforcement",
    "policy",
    "representation",
    "contrastive",
    "self-supervised",
    "scalable",
    "language",
    "vision",
    "adversarial",
    "bayesian",
    "kernel",
    "convex",
    "online",
    "federated",
    "causal",
    "meta",
    "few-shot",
    "equivariant",
]
FIRST = [
    "Ada",
    "Alan",
    "Grace",
    "Marie",
    "Emmy",
    "Kurt",
    "Sofia",
    "Lin",
    "Haruto",
    "Priya",
    "Omar",
    "Elena",
    "Jonas",
    "Mara",
]
LAST = [
    "Kowalski",
    "Nowak",
    "Wei",
    "Okafor",
    "Brandt",
    "Raman",
    "Martinez",
    "Sato",
    "Volkova",
    "Kim",
    "Laurent",
    "Haddad",
]
TAGS = ["cs.LG", "cs.CV", "cs.CL", "stat.ML", "cs.AI", "cs.NE", "optimization", "theory"]
# Summary bodies: Markdown with math around generated sentences. Each is rendered once
# with a placeholder, and the words (letters and hyphens only) are put in both texts.
SLOT = "wordslot"
BODIES = [
    "We minimize $\\mathcal{L}(\\theta) = \\sum_i \\ell(f_\\theta(x_i), y_i)$. wordslot\n\n"
    "$$\\theta_{t+1} = \\theta_t - \\alpha \\nabla_\\theta \\mathcal{L}$$",
    "# Short\nwordslot\n\n# Details\n- It scales as $O(n \\log n)$.\n- It beats the baseline.",
    "wordslot The bound $\\|x\\|_2 \\le \\epsilon$ is what makes it work.",
]


def _made_up_words(count: int) -> list[str]:
    """Pronounceable made-up words ("tovera", "miskalun"): the long tail of a vocabulary."""
    rng = random.Random("vocabulary")
    onsets, vowels, codas = "bdfgklmnprstvz", "aeiou", ["", "", "n", "r", "s", "l", "x"]
    words: dict[str, None] = {}
    while len(words) < count:
        syllables = rng.randint(2, 4)
        word = "".join(rng.choice(onsets) + rng.choice(vowels) for _ in range(syllables))
        words[word + rng.choice(codas)] = None
    return list(words)


# Words of generated text follow Zipf's law, as words of real text do: the k-th most
# common is used about 1/k as often as the first. Real topic words lead, so a search for
# "attention" matches many papers and one for a made-up word a few, as on the real site.
VOCABULARY = WORDS + _made_up_words(6000)
_CUMULATIVE = list(itertools.accumulate(1 / rank for rank in range(1, len(VOCABULARY) + 1)))


def _text(rng: random.Random, count: int) -> str:
    return " ".join(rng.choices(VOCABULARY, cum_weights=_CUMULATIVE, k=count))


# Popularity is skewed, as on the real site: the k-th most summarized paper gets about
# TOP_SUMMARIES/k summaries and the k-th most discussed summary TOP_COMMENTS/k comments,
# before the rest are dealt out evenly. The benchmark's "paper with many summaries" and
# "summary with many comments" are the first of each.
TOP_SUMMARIES = 40
TOP_COMMENTS = 300


def _head(top: int, items: int) -> list[int]:
    """How many of the first rows each of the most popular items gets: ceil(top / k)."""
    return [math.ceil(top / k) for k in range(1, min(top, items) + 1)]


def _deal(n: int, head: list[int], items: int) -> tuple[int, int]:
    """Row n's item index and its occurrence number on that item (0 for the first).

    The first sum(head) rows go to the popular items in turn (item k gets head[k]), the
    rest round-robin over all items. Deterministic, so a second run can resume at any n.
    """
    if n < sum(head):
        for index, count in enumerate(head):
            if n < count:
                return index, n
            n -= count
    n -= sum(head)
    index, round_ = n % items, n // items
    return index, (head[index] if index < len(head) else 0) + round_


_started: dict[str, float] = {}


def _progress(stdout, what, done, total):
    started = _started.setdefault(what, time.monotonic())
    elapsed = time.monotonic() - started
    stdout.write(f"  generated {what}: {done}/{total} ({done / total:.0%}, {elapsed:.0f} s)")


def generate(stdout, *, papers=0, summaries=0, votes=0, comments=0) -> None:
    users = list(User.objects.order_by("pk").values_list("pk", flat=True))
    if (summaries or votes or comments) and len(users) < 2:
        raise ValueError("Generated summaries need members: add some with --users.")
    _papers(stdout, papers)
    _summaries(stdout, summaries, users)
    _votes(stdout, votes, users)
    _comments(stdout, comments, users)
    _recount()


def _papers(stdout, total):
    have = Paper.objects.filter(bibtex_key__startswith=KEY_PREFIX).count()
    if have >= total:
        return
    venues = list(Venue.objects.order_by("pk"))
    authors = _authors()
    content_type = ContentType.objects.get_for_model(Paper)
    tags = [
        Tag.objects.get_or_create(name=name, defaults={"slug": name.lower()})[0] for name in TAGS
    ]
    for start in range(have, total, BATCH):
        numbers = range(start + 1, min(start + BATCH, total) + 1)
        rows = []
        for n in numbers:
            rng = random.Random(n)
            title = _text(rng, rng.randint(4, 9)).capitalize()
            venue = rng.choice(venues) if venues and rng.random() < 0.6 else None
            year = rng.randint(2010, 2025)
            rows.append(
                Paper(
                    title=f"{title} ({n})",
                    slug="",
                    abstract=_text(rng, rng.randint(80, 200)).capitalize() + ".",
                    year=year,
                    venue=venue,
                    venue_year=year if venue else None,
                    bibtex_key=f"{KEY_PREFIX}{n:07d}",
                    source=Paper.Source.MANUAL,
                )
            )
        for paper in rows:
            paper.slug = paper.title.lower().replace(" ", "-")[:80]
        with transaction.atomic():
            created = Paper.objects.bulk_create(rows)
            links, tagged = [], []
            for paper in created:
                rng = random.Random(paper.bibtex_key)
                for position, author in enumerate(rng.sample(authors, rng.randint(1, 4)), 1):
                    links.append(Authorship(paper=paper, author=author, position=position))
                tagged.extend(
                    TaggedItem(tag=tag, content_type=content_type, object_id=paper.pk)
                    for tag in rng.sample(tags, 2)
                )
            Authorship.objects.bulk_create(links)
            TaggedItem.objects.bulk_create(tagged)
        _progress(stdout, "papers", numbers[-1], total)


def _authors() -> list[Author]:
    names = [f"{first} {last}" for first in FIRST for last in LAST]
    Author.objects.bulk_create(
        [Author(name=name, normalized_name=normalize_name(name)) for name in names],
        ignore_conflicts=True,
    )
    return list(Author.objects.filter(normalized_name__in=[normalize_name(n) for n in names]))


def _summaries(stdout, total, users):
    generated = Paper.objects.filter(bibtex_key__startswith=KEY_PREFIX)
    have = Summary.objects.filter(paper__in=generated).count()
    if have >= total:
        return
    paper_ids = list(generated.order_by("pk").values_list("pk", flat=True))
    if not paper_ids:
        raise ValueError("Generated summaries need generated papers: add some with --papers.")
    # Half the members at most on one paper, so the even deal after the head still finds
    # members who have not summarized it.
    head = _head(min(TOP_SUMMARIES, len(users) // 2), len(paper_ids))
    most = head[0] + math.ceil(max(0, total - sum(head)) / len(paper_ids))
    if most > len(users):
        raise ValueError("More summaries of a paper than members: one per member per paper.")
    rendered = [(body, str(render_markdown(body))) for body in BODIES]
    for start in range(have, total, BATCH):
        numbers = range(start, min(start + BATCH, total))
        rows = []
        for n in numbers:
            # The j-th summary of paper i is by the (i + j)-th member, so no member
            # summarizes one paper twice.
            index, occurrence = _deal(n, head, len(paper_ids))
            paper_id = paper_ids[index]
            author_id = users[(index + occurrence) % len(users)]
            body, html = rendered[n % len(rendered)]
            words = _text(random.Random(-n - 1), random.Random(n).randint(40, 300)).capitalize()
            rows.append(
                Summary(
                    paper_id=paper_id,
                    author_id=author_id,
                    body=body.replace(SLOT, words),
                    body_html=html.replace(SLOT, words),
                )
            )
        with transaction.atomic():
            created = Summary.objects.bulk_create(rows)
            Revision.objects.bulk_create(
                Revision(summary=s, number=1, body=s.body, editor_id=s.author_id) for s in created
            )
        _progress(stdout, "summaries", numbers[-1] + 1, total)


def _generated_summaries():
    return Summary.objects.filter(paper__bibtex_key__startswith=KEY_PREFIX)


def _votes(stdout, total, users):
    have = Vote.objects.filter(summary__in=_generated_summaries()).count()
    if have >= total:
        return
    summaries = list(_generated_summaries().order_by("pk").values_list("pk", "author_id"))
    rng = random.Random(total)
    done, rounds = have, 0
    # Random pairs repeat now and then (one vote per member per summary); a bounded
    # number of extra rounds tops the count up.
    while done < total and rounds < 10 + 2 * total // BATCH:
        rounds += 1
        rows = []
        for _ in range(min(BATCH, total - done)):
            summary_id, author_id = rng.choice(summaries)
            voter = rng.choice(users)
            if voter != author_id:
                rows.append(
                    Vote(summary_id=summary_id, user_id=voter, value=rng.choice((1, 1, 1, -1)))
                )
        Vote.objects.bulk_create(rows, ignore_conflicts=True)
        done = Vote.objects.filter(summary__in=_generated_summaries()).count()
        _progress(stdout, "votes", min(done, total), total)


def _comments(stdout, total, users):
    have = Comment.objects.filter(summary__in=_generated_summaries()).count()
    if have >= total:
        return
    summary_ids = list(_generated_summaries().order_by("pk").values_list("pk", flat=True))
    html = str(render_markdown("I wonder how this compares with $\\beta = 0.9$."))
    head = _head(TOP_COMMENTS, len(summary_ids))
    for start in range(have, total, BATCH):
        numbers = range(start, min(start + BATCH, total))
        Comment.objects.bulk_create(
            Comment(
                summary_id=summary_ids[_deal(n, head, len(summary_ids))[0]],
                author_id=users[(n * 31) % len(users)],
                body="I wonder how this compares with $\\beta = 0.9$.",
                body_html=html,
            )
            for n in numbers
        )
        _progress(stdout, "comments", numbers[-1] + 1, total)


def _recount():
    """Scores and comment counts from the rows themselves, for every generated summary."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            UPDATE summaries_summary AS s
            SET score = COALESCE((SELECT SUM(v.value) FROM summaries_vote v
                                  WHERE v.summary_id = s.id), 0),
                comment_count = (SELECT COUNT(*) FROM summaries_comment c
                                 WHERE c.summary_id = s.id AND c.deleted_at IS NULL
                                 AND c.hidden_at IS NULL)
            FROM papers_paper AS p
            WHERE p.id = s.paper_id AND p.bibtex_key LIKE %s
            """,
            [KEY_PREFIX + "%"],
        )
