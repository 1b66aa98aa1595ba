import datetime

import pytest

from papers.models import Paper
from tests.factories import PaperFactory

NEXT_YEAR = datetime.date.today().year + 1  # noqa: DTZ011 - a calendar year

pytestmark = [pytest.mark.django_db, pytest.mark.integration]

URL = "/papers/new/"


@pytest.fixture
def data(venue):
    """What a member types for a paper, written as members write it."""
    return {
        "title": "  Attention   Is All You Need ",
        "authors": "Ashish Vaswani\n Noam  Shazeer\n\nNiki Parmar\nashish vaswani\n",
        "abstract": "The dominant sequence transduction models are recurrent.",
        "year": "2017",
        "published_on": "2017-06-12",
        "venue": str(venue.pk),
        "venue_year": "2017",
        "tags": "cs.CL, cs.LG , , cs.CL",
        "arxiv_id": "https://arxiv.org/abs/1706.03762v5",
        "doi": "https://doi.org/10.5555/3295222.3295349-ABC",
        "bibtex_key": " conf/nips/VaswaniSPUJGKP17 ",
        "url": "https://papers.nips.cc/paper/7181",
        "pdf_url": "",
    }


def test_add_paper_sends_anonymous_visitors_to_sign_in(client, data):
    response = client.post(URL, data)

    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={URL}"
    assert not Paper.objects.exists()


def test_add_paper_shows_the_form_filled_from_the_address(author_client):
    response = author_client.get(URL, {"title": "Deep Learning", "arxiv_id": "1706.03762"})

    html = response.content.decode()
    assert response.status_code == 200
    assert response.context["form"].initial == {"title": "Deep Learning", "arxiv_id": "1706.03762"}
    assert 'value="Deep Learning"' in html
    assert 'value="1706.03762"' in html


def test_add_paper_creates_the_paper_and_goes_to_it(author_client, author, data, venue):
    response = author_client.post(URL, data)

    paper = Paper.objects.with_header().get()
    assert response.status_code == 302
    assert response["Location"] == paper.get_absolute_url()
    assert (paper.title, paper.year, str(paper.published_on)) == (
        "Attention Is All You Need",
        2017,
        "2017-06-12",
    )
    assert [a.name for a in paper.ordered_authors] == [
        "Ashish Vaswani",
        "Noam Shazeer",
        "Niki Parmar",
    ]
    assert sorted(paper.tags.names()) == ["cs.CL", "cs.LG"]
    assert (paper.arxiv_id, paper.doi, paper.bibtex_key) == (
        "1706.03762",
        "10.5555/3295222.3295349-abc",
        "conf/nips/VaswaniSPUJGKP17",
    )
    assert (paper.venue, paper.venue_year) == (venue, 2017)
    assert (paper.added_by, paper.source) == (author, Paper.Source.MANUAL)


def test_add_paper_thanks_the_member_on_the_paper_page(author_client, data):
    response = author_client.post(URL, data, follow=True)

    assert [str(m) for m in response.context["messages"]] == [
        "The paper is added. Would you write the first summary?"
    ]


def test_add_paper_needs_only_title_authors_and_year(author_client):
    response = author_client.post(
        URL, {"title": "Notes", "authors": "Ada Lovelace", "year": "1843"}
    )

    paper = Paper.objects.get()
    assert response.status_code == 302
    assert (paper.arxiv_id, paper.doi, paper.bibtex_key, paper.venue) == ("", "", "", None)


@pytest.mark.parametrize(
    ("field", "stored", "typed"),
    [
        ("arxiv_id", "1706.03762", "arXiv:1706.03762v2"),
        ("doi", "10.5555/3295222.3295349", "https://doi.org/10.5555/3295222.3295349"),
        ("bibtex_key", "conf/nips/VaswaniSPUJGKP17", "conf/nips/VaswaniSPUJGKP17"),
    ],
)
def test_add_paper_refuses_a_paper_already_stored(author_client, field, stored, typed):
    existing = PaperFactory(title="The Stored One", **{field: stored})
    posted = {"title": "Typed Title", "authors": "Typed Author", "year": "2017", field: typed}

    response = author_client.post(URL, posted)

    html = response.content.decode()
    assert response.status_code == 200
    assert (
        response.context["form"].non_field_errors()[0] == "This paper is already on ShortScience."
    )
    assert f'<a href="{existing.get_absolute_url()}">The Stored One</a>' in html
    assert f'value="{typed}"' in html
    assert 'value="Typed Title"' in html
    assert ">\nTyped Author</textarea>" in html
    assert list(Paper.objects.all()) == [existing]


def test_add_paper_refuses_a_duplicate_with_our_message_only(author_client):
    PaperFactory(arxiv_id="1706.03762")
    posted = {"title": "T", "authors": "A", "year": "2017", "arxiv_id": "1706.03762"}

    response = author_client.post(URL, posted)

    assert response.context["form"].non_field_errors() == [
        "This paper is already on ShortScience."
    ]


def test_add_paper_shows_why_an_arxiv_id_is_wrong(author_client, data):
    data["arxiv_id"] = "not-an-id"

    response = author_client.post(URL, data)

    assert response.status_code == 200
    assert response.context["form"].errors["arxiv_id"] == [
        "'not-an-id' is not an arXiv identifier (like 1706.03762 or hep-th/9901001)."
    ]
    assert "&#x27;not-an-id&#x27; is not an arXiv identifier" in response.content.decode()
    assert not Paper.objects.exists()


def test_add_paper_shows_why_a_doi_is_wrong(author_client, data):
    data["doi"] = "nature14539"

    response = author_client.post(URL, data)

    assert response.context["form"].errors["doi"] == [
        "'nature14539' is not a DOI (like 10.1038/nature14539)."
    ]


def test_add_paper_refuses_a_date_in_another_year(author_client, data):
    data["published_on"] = "2016-12-05"

    response = author_client.post(URL, data)

    assert response.status_code == 200
    assert response.context["form"].errors["published_on"] == [
        "The date's year differs from the paper's year."
    ]
    assert not Paper.objects.exists()


@pytest.mark.parametrize(("missing", "kept"), [("venue_year", "venue"), ("venue", "venue_year")])
def test_add_paper_wants_venue_and_year_together(author_client, data, missing, kept):
    data[missing] = ""

    response = author_client.post(URL, data)

    assert response.status_code == 200
    assert response.context["form"].errors["venue_year"] == [
        "Give both the venue and its year, or neither."
    ]
    assert not Paper.objects.exists()


def test_add_paper_wants_an_author(author_client, data):
    data["authors"] = " \n  \n"

    response = author_client.post(URL, data)

    assert response.context["form"].errors["authors"] == ["This field is required."]
    assert not Paper.objects.exists()


def test_add_paper_refuses_keywords_with_slashes(author_client, data):
    data["tags"] = "cs.LG, a/b"

    response = author_client.post(URL, data)

    assert response.context["form"].errors["tags"] == [
        "Keywords are up to 100 characters, without slashes: “a/b”."
    ]


@pytest.mark.parametrize("year", ["1599", "3000"])
def test_add_paper_refuses_an_unlikely_year(author_client, data, year):
    data |= {"year": year, "published_on": "", "venue": "", "venue_year": ""}

    response = author_client.post(URL, data)

    assert response.context["form"].errors["year"] == [
        f"Enter the year the paper was first published (1600 to {NEXT_YEAR})."
    ]


def test_add_paper_lists_an_author_written_two_ways_once(author_client):
    posted = {"title": "T", "authors": "José García\nJose Garcia\nAda Lovelace", "year": "2017"}

    response = author_client.post(URL, posted)

    paper = Paper.objects.get()
    assert response.status_code == 302
    assert [a.name for a in paper.ordered_authors] == ["José García", "Ada Lovelace"]


def test_add_paper_is_rate_limited(author_client, settings, data):
    settings.ACCOUNT_RATE_LIMITS = {"paper_add": "1/m/user"}
    author_client.post(URL, data)
    second = data | {"arxiv_id": "2101.00001", "doi": "", "bibtex_key": "", "title": "Second"}

    response = author_client.post(URL, second)

    assert response.status_code == 429
    assert list(Paper.objects.values_list("title", flat=True)) == ["Attention Is All You Need"]
