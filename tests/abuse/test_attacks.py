"""Each attack of issue 16 against the production server, while readers read.

For every attack: the attacker gets a clear 4xx (or, where the fix makes the input cheap,
a quick answer), the readers' p99 stays under 250 ms, no worker is killed and no worker
grows by more than 200 MB. Run alone with `pytest -m load tests/abuse -n0`.
"""

import pytest
import requests

from tests.abuse.conftest import watch
from tests.summaries import hostile_images

pytestmark = [pytest.mark.load, pytest.mark.slow]

READER_P99 = 0.25  # seconds
WORKER_GROWTH = 200 * 2**20  # bytes
# The most one attack request may take, answered either way.
ATTACK_SECONDS = 2.0


def assert_readers_unharmed(report):
    assert report.failures == [], report.summary()
    assert report.killed == [], report.summary()
    assert report.p99 < READER_P99, report.summary()
    assert report.peak_growth < WORKER_GROWTH, report.summary()


# 1. Rendering cost: texts at their field's maximum, in each class the fuzzer found.
HOSTILE_TEXTS = {
    "brackets": "[" * 50_000,
    "links": "[a](" * 12_500,
    "display math": "\\[" * 25_000,
    "environments": "\\begin{x}" * 5_555,
    "images": "![" * 25_000,
    "emphasis": "*_" * 25_000,
    "quotes": "> " * 25_000,
    # The fuzzers' worst finds.
    "unclosed display math lines": "[\n\\" * 16_666,
    "footnote references": "[^1]: [" * 7_142,
    "many marks": "~~*![**" * 7_142,
    "code spans in brackets": "[`" * 25_000,
    "short paragraphs": "[\n\n" * 16_666,
}


@pytest.mark.parametrize("kind", sorted(HOSTILE_TEXTS))
def test_hostile_markdown_in_a_preview(site, kind):
    attacker = site.client("attacker")

    with watch(site) as report:
        response = report.attack(
            lambda: attacker.post(
                "/summaries/preview/",
                data={"body": HOSTILE_TEXTS[kind]},
                headers={"Accept": "application/json"},
            )
        )

    assert response.status_code in (200, 400), response.text[:300]
    assert report.slowest < ATTACK_SECONDS
    assert_readers_unharmed(report)


def test_hostile_markdown_in_a_comment_is_refused_or_cheap(site):
    attacker = site.client("attacker")
    summary = site.plan["summaries"][0]

    with watch(site) as report:
        response = report.attack(
            lambda: attacker.post(f"{summary}comments/", data={"body": "[" * 10_000})
        )

    assert response.status_code in (302, 400), response.text[:300]
    assert report.slowest < ATTACK_SECONDS
    assert_readers_unharmed(report)


# 2. Image decoding: small files that claim huge pictures.
HOSTILE_IMAGES = {
    "gif 5000x5000, 30 frames": hostile_images.gif(5000, 5000, 30),
    "apng 5000x5000, 30 frames": hostile_images.apng(5000, 5000, 30),
    "webp 5000x5000, 30 frames": hostile_images.webp(5000, 5000, 30),
    "tiff 30 pages": hostile_images.tiff(5000, 5000, 30),
    "jpeg claiming 60000x60000": hostile_images.jpeg_claiming(60000, 60000),
}


@pytest.mark.parametrize("kind", sorted(HOSTILE_IMAGES))
def test_hostile_image_upload(site, kind):
    attacker = site.client("attacker")

    with watch(site) as report:
        response = report.attack(
            lambda: attacker.post(
                "/summaries/figures/",
                files={"image": ("figure.gif", HOSTILE_IMAGES[kind], "image/gif")},
                headers={"Accept": "application/json"},
            )
        )

    assert response.status_code == 400, response.text[:300]
    assert response.json()["error"]
    assert report.slowest < ATTACK_SECONDS
    assert_readers_unharmed(report)


def test_an_upload_body_over_the_limit_is_refused_before_it_is_read(site):
    attacker = site.client("attacker")
    body = b"x" * (64 * 2**20)

    with watch(site) as report:
        response = report.attack(
            lambda: attacker.post(
                "/summaries/figures/",
                data=body,
                headers={"Content-Type": "multipart/form-data; boundary=x"},
            )
        )

    assert response.status_code in (400, 413)
    assert report.slowest < ATTACK_SECONDS
    assert_readers_unharmed(report)


# 3. Revision diffs: any visitor asks for the quadratic matcher's worst case.
def test_the_worst_revision_diff(site):
    visitor = site.client()
    url = f"/summaries/{site.plan['worst_summary']}/history/?from=1&to=2"

    with watch(site) as report:
        first = report.attack(lambda: visitor.get(url))
        # With a query string of its own, so the page cache cannot answer it.
        again = report.attack(lambda: visitor.get(url + "&again=1"))

    assert (first.status_code, again.status_code) == (200, 200)
    assert report.slowest < ATTACK_SECONDS
    assert_readers_unharmed(report)


# 4. Search syntax.
HOSTILE_QUERIES = ["-" * 50, "-" * 500, "!" * 500, "(" * 250 + ")" * 250, '"' * 500, "- " * 250]


@pytest.mark.parametrize("query", HOSTILE_QUERIES, ids=lambda q: f"{q[:3]}x{len(q)}")
def test_hostile_search(site, query):
    visitor = site.client()

    with watch(site) as report:
        response = report.attack(lambda: visitor.get("/search/", params={"q": query}))

    assert response.status_code in (200, 400)
    assert report.slowest < ATTACK_SECONDS
    assert_readers_unharmed(report)


# 5 and 6. Papers from a BibTeX paste: checked like the form's, and counted one by one.
def bibtex_entries(count: int, **fields: str) -> str:
    """``count`` BibTeX entries of a plain paper, with ``fields`` put in or replaced."""
    entries = []
    for number in range(count):
        values = {"title": f"Hostile Paper {number}", "author": "Eve Mallory", "year": "2024"}
        values |= fields
        body = ", ".join(f"{name} = {{{value}}}" for name, value in values.items())
        entries.append(f"@article{{abuse{number}, {body}}}")
    return "\n".join(entries)


HOSTILE_ENTRIES = {
    "javascript url": {"url": "javascript:alert(1)"},
    "keyword with a slash": {"keywords": "cs/LG"},
    "2000 authors": {"author": " and ".join(f"Author {n}" for n in range(2000))},
    "600-character title": {"title": "T" * 600},
}


@pytest.mark.parametrize("kind", sorted(HOSTILE_ENTRIES))
def test_a_bibtex_confirm_with_bad_details_is_refused(site, kind):
    attacker = site.client("attacker")
    text = bibtex_entries(1, **HOSTILE_ENTRIES[kind])

    with watch(site) as report:
        response = report.attack(
            lambda: attacker.post("/papers/import/bibtex/", data={"text": text, "chosen": "0"})
        )

    assert response.status_code == 400, response.text[:300]
    assert report.slowest < ATTACK_SECONDS
    assert_readers_unharmed(report)


def test_a_bibtex_confirm_of_more_papers_than_allowed_is_refused_whole(site):
    attacker = site.client("attacker")
    data = {"text": bibtex_entries(60), "chosen": [str(n) for n in range(60)]}

    with watch(site) as report:
        response = report.attack(lambda: attacker.post("/papers/import/bibtex/", data=data))

    assert response.status_code == 429
    assert "30 left" in response.text


# 7. Junk posts do not empty the page cache.
def test_junk_posts_leave_the_page_cache_warm(site):
    visitor = site.client()
    anonymous_posts = [
        ("/no/such/page/", {}),
        ("/summaries/preview/", {"body": "x"}),
        ("/accounts/login/", {"login": "attacker", "password": "wrong"}),
        (f"{site.plan['summaries'][0]}vote/", {"value": "1"}),
    ]
    before = site.cache_versions()

    with watch(site) as report:
        answers = [
            report.attack(lambda path=path, data=data: visitor.post(path, data=data)).status_code
            for path, data in anonymous_posts * 5
        ]
        # And one without the CSRF header, with no cookie at all.
        bare = report.attack(
            lambda: requests.post(
                site.base + "/summaries/preview/",
                headers={"X-Forwarded-Proto": "https"},
                timeout=10,
            )
        ).status_code

    assert set(answers) <= {302, 200, 400, 403, 404, 405}
    assert bare == 403
    assert site.cache_versions() == before
    assert_readers_unharmed(report)


# 8. A suspended member cannot follow.
def test_a_suspended_member_cannot_follow(site):
    suspended = site.client("suspended")
    paper = site.plan["paper_ids"][1]

    with watch(site, readers=0) as report:
        response = report.attack(
            lambda: suspended.post(
                f"/papers/{paper}/follow/", headers={"Accept": "application/json"}
            )
        )

    assert response.status_code == 403
    assert response.json()["error"].startswith("Your account is suspended")


# 10. Limits at the edges, answered by gunicorn before Django reads anything.
def test_overlong_headers_and_request_lines(site):
    visitor = site.client()

    with watch(site) as report:
        line = report.attack(lambda: visitor.get("/?q=" + "a" * 8000)).status_code
        junk = {"X-Junk": "a" * 9000}
        header = report.attack(lambda: visitor.get("/", headers=junk)).status_code

    assert (line, header) == (414, 431)
    assert_readers_unharmed(report)
