"""Rows stored before validation (or written around it) with values a page cannot link:
a keyword with a slash, javascript: links, an overlong abstract. Every page that shows
the paper answers 200; what cannot be a link is shown as text."""

import pytest

from papers.models import Paper
from tests.factories import PaperFactory, SummaryFactory, VenueFactory

pytestmark = [pytest.mark.django_db, pytest.mark.integration]


@pytest.fixture
def broken(db):
    venue = VenueFactory(short_name="BadConf", slug="badconf")
    paper = PaperFactory(
        title="Brokenvalues Everywhere",
        authors=["Ada Lovelace"],
        venue=venue,
        venue_year=2020,
        abstract="A" * 100_000,
        url="javascript:alert(1)",
        pdf_url="data:text/html,<script>alert(1)</script>",
        arxiv_id="",
    )
    # Straight into the tables, as an old import did: "/" cannot be in a tag's address.
    paper.tags.add("vision/language", "cs.LG")
    SummaryFactory(paper=paper)
    return Paper.objects.get(pk=paper.pk)


def pages(paper):
    author = paper.authorships.get().author
    return {
        "paper": paper.get_absolute_url(),
        "papers": "/papers/",
        "tags": "/tags/",
        "tag": "/tags/cs.LG/",
        "search": "/search/?q=Brokenvalues",
        "paper feed": f"/feeds/papers/{paper.pk}.atom",
        "site feed": "/feeds/summaries.atom",
        "venue feed": "/feeds/venues/badconf.atom",
        "bibtex": f"/papers/{paper.pk}.bib",
        "venue year": "/venues/badconf/2020/",
        "venue year bibtex": "/venues/badconf/2020.bib",
        "venue": "/venues/badconf/",
        "author": author.get_absolute_url(),
        "year": "/years/2020/",
    }


@pytest.mark.parametrize(
    "page",
    [
        "paper", "papers", "tags", "tag", "search", "paper feed", "site feed", "venue feed",
        "bibtex", "venue year", "venue year bibtex", "venue", "author", "year",
    ],
)  # fmt: skip
def test_every_page_of_a_broken_paper_answers(client, broken, page):
    response = client.get(pages(broken)[page])

    assert response.status_code == 200
    content = response.content.decode()
    assert 'href="javascript:' not in content
    assert 'href="data:' not in content


def test_a_keyword_that_cannot_be_linked_is_shown_as_text(client, broken):
    content = client.get(broken.get_absolute_url()).content.decode()

    assert "vision/language" in content
    assert '<a href="/tags/cs.LG/">cs.LG</a>' in content


def test_the_tag_list_shows_an_unlinkable_keyword_as_text(client, broken):
    content = client.get("/tags/").content.decode()

    assert "vision/language" in content
    assert 'href="/tags/cs.LG/"' in content


def test_a_link_that_is_not_http_is_not_a_link(client, broken):
    content = client.get(broken.get_absolute_url()).content.decode()

    assert 'href="javascript' not in content
    assert 'href="data:' not in content
    assert "javascript:alert(1)" in content  # Shown, as text, for a moderator to correct.


def test_an_http_link_is_still_a_link(client):
    paper = PaperFactory(url="https://example.org/p", pdf_url="http://example.org/p.pdf")
    paper.arxiv_id = ""
    paper.save()

    content = client.get(paper.get_absolute_url()).content.decode()

    assert 'href="https://example.org/p"' in content
    assert 'href="http://example.org/p.pdf"' in content


def test_the_bibtex_download_leaves_out_a_link_that_is_not_http(client, broken):
    content = client.get(f"/papers/{broken.pk}.bib").content.decode()

    assert "javascript" not in content
    assert "Brokenvalues Everywhere" in content
