"""Addresses made for ShortScience.org keep leading to the same things."""

import pytest

from tests.factories import PaperFactory, SummaryFactory, UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.integration]


@pytest.mark.parametrize(
    "key",
    [
        "conf/nips/VaswaniSPUJGKP17",
        "journals/corr/1706.03762",
        "journals/corr/abs-1706-03762",
        "1706.03762",
        "1706.03762v3",
        "https://arxiv.org/abs/1706.03762v5",
        "10.5555/3295222.3295349",
        "https://doi.org/10.5555/3295222.3295349",
    ],
)
def test_legacy_paper_link_moves_to_the_paper(client, described_paper, key):
    response = client.get("/paper", {"bibtexKey": key})

    assert response.status_code == 301
    assert response["Location"] == described_paper.get_absolute_url()


def test_legacy_paper_link_with_a_member_moves_to_their_summary(client, described_paper, author):
    SummaryFactory(paper=described_paper)
    theirs = SummaryFactory(paper=described_paper, author=author)

    response = client.get("/paper", {"bibtexKey": described_paper.bibtex_key, "a": "ADA"})

    assert response.status_code == 301
    assert response["Location"] == f"/summaries/{theirs.pk}/"


def test_legacy_paper_link_to_anon_moves_to_the_best_anonymous_summary(client, described_paper):
    SummaryFactory(paper=described_paper, score=10)
    SummaryFactory(paper=described_paper, is_anonymous=True, score=1)
    best = SummaryFactory(paper=described_paper, is_anonymous=True, score=5)

    response = client.get("/paper", {"bibtexKey": described_paper.bibtex_key, "a": "anon"})

    assert response.status_code == 301
    assert response["Location"] == f"/summaries/{best.pk}/"


def test_legacy_paper_link_never_unmasks_an_anonymous_summary(client, described_paper, author):
    SummaryFactory(paper=described_paper, author=author, is_anonymous=True)

    response = client.get("/paper", {"bibtexKey": described_paper.bibtex_key, "a": "ada"})

    assert response.status_code == 301
    assert response["Location"] == described_paper.get_absolute_url()


@pytest.mark.parametrize("hidden", [{"is_private": True}, {"hidden_at": "2020-01-01T00:00Z"}])
def test_legacy_paper_link_to_a_summary_not_public_moves_to_the_paper(
    client, described_paper, author, hidden
):
    SummaryFactory(paper=described_paper, author=author, **hidden)

    response = client.get("/paper", {"bibtexKey": described_paper.bibtex_key, "a": "ada"})

    assert response["Location"] == described_paper.get_absolute_url()


@pytest.mark.parametrize("query", [{}, {"bibtexKey": ""}, {"bibtexKey": "conf/nips/Nobody17"}])
def test_legacy_paper_link_without_a_known_key_is_404(client, described_paper, query):
    response = client.get("/paper", query)

    assert response.status_code == 404


def test_legacy_user_link_moves_to_the_profile(client, author):
    response = client.get("/user", {"name": "Ada"})

    assert response.status_code == 301
    assert response["Location"] == "/users/ada/"


@pytest.mark.parametrize("name", ["nobody", "", "left"])
def test_legacy_user_link_to_nobody_is_404(client, name):
    UserFactory(username="left", is_active=False)

    response = client.get("/user", {"name": name})

    assert response.status_code == 404


def test_legacy_users_link_moves_to_the_member_list(client):
    response = client.get("/users")

    assert response.status_code == 301
    assert response["Location"] == "/users/"


@pytest.mark.parametrize("key", ["conf/nips", "conf/nips/", " conf/nips "])
def test_legacy_venue_link_moves_to_the_venue_year(client, venue, key):
    response = client.get("/venue", {"key": key, "year": "2016"})

    assert response.status_code == 301
    assert response["Location"] == "/venues/neurips/2016/"


@pytest.mark.parametrize(
    "query",
    [
        {"key": "conf/nips", "year": "last"},
        {"key": "conf/nips"},
        {"key": "conf/icml", "year": "2016"},
        {"key": "", "year": "2016"},
    ],
)
def test_legacy_venue_link_with_a_bad_year_or_venue_is_404(client, venue, query):
    response = client.get("/venue", query)

    assert response.status_code == 404


def test_legacy_venue_link_with_a_negative_year_is_404(client, venue):
    client.raise_request_exception = False

    response = client.get("/venue", {"key": "conf/nips", "year": "-1"})

    assert response.status_code == 404


@pytest.mark.parametrize(
    ("path", "query"),
    [
        ("/paper", {"bibtexKey": "conf/nips/X\x00"}),
        ("/user", {"name": "ada\x00"}),
        ("/venue", {"key": "conf/nips\x00", "year": "2016"}),
    ],
)
def test_legacy_link_with_a_nul_character_is_a_clear_400(client, venue, path, query):
    client.raise_request_exception = False

    response = client.get(path, query)

    assert response.status_code == 400
    assert "<h1>Bad request</h1>" in response.content.decode()


def test_random_goes_to_a_paper_with_a_public_summary(client):
    summarized = PaperFactory()
    SummaryFactory(paper=summarized)
    for hidden in ({"is_private": True}, {"hidden_at": "2020-01-01T00:00Z"}):
        SummaryFactory(**hidden)
    PaperFactory()

    responses = [client.get("/random") for _ in range(5)]

    assert {r.status_code for r in responses} == {302}
    assert {r["Location"] for r in responses} == {summarized.get_absolute_url()}
    assert "max-age" not in responses[0].get("Cache-Control", "")


def test_random_without_summarized_papers_is_404(client):
    SummaryFactory(is_private=True)

    response = client.get("/random")

    assert response.status_code == 404


def test_rss_link_moves_to_the_atom_feed(client):
    response = client.get("/rss.xml")

    assert response.status_code == 301
    assert response["Location"] == "/feeds/summaries.atom"
