from xml.etree import ElementTree

import pytest
from django.utils import timezone

from tests.factories import SummaryFactory, UserFactory, VenueFactory

pytestmark = [pytest.mark.django_db, pytest.mark.integration]

ATOM = "{http://www.w3.org/2005/Atom}"


def parse(response):
    assert response["Content-Type"] == "application/atom+xml; charset=utf-8"
    return ElementTree.fromstring(response.content)  # noqa: S314 - our own feed, not input


def entries(response):
    """(title, author name) of each entry, in feed order."""
    return [
        (entry.findtext(f"{ATOM}title"), entry.findtext(f"{ATOM}author/{ATOM}name"))
        for entry in parse(response).findall(f"{ATOM}entry")
    ]


def test_feed_entry_carries_the_rendered_summary_its_author_and_the_paper(client, summary):
    summary.author.profile.display_name = "Ada Lovelace"
    summary.author.profile.save()

    response = client.get("/feeds/summaries.atom")

    [entry] = parse(response).findall(f"{ATOM}entry")
    assert entry.findtext(f"{ATOM}title") == "Summary of “Attention Is All You Need”"
    assert entry.findtext(f"{ATOM}author/{ATOM}name") == "Ada Lovelace"
    assert entry.find(f"{ATOM}summary").get("type") == "html"
    assert entry.findtext(f"{ATOM}summary") == summary.body_html
    assert "<em>version</em>" in summary.body_html
    assert entry.find(f"{ATOM}link").get("href") == f"http://testserver/summaries/{summary.pk}/"


def test_user_feed_lists_their_public_signed_summaries_newest_first(client, author, other_user):
    older = SummaryFactory(author=author, paper__title="Older")
    newer = SummaryFactory(author=author, paper__title="Newer")
    SummaryFactory(author=author, paper__title="Anonymous", is_anonymous=True)
    SummaryFactory(author=author, paper__title="Private", is_private=True)
    SummaryFactory(author=author, paper__title="Hidden", hidden_at=timezone.now())
    SummaryFactory(author=author, paper__title="Deleted", deleted_at=timezone.now())
    SummaryFactory(author=other_user, paper__title="Bob's")

    response = client.get("/feeds/users/ada.atom")

    feed = parse(response)
    assert entries(response) == [
        (f"Summary of “{newer.paper.title}”", "ada"),
        (f"Summary of “{older.paper.title}”", "ada"),
    ]
    assert feed.findtext(f"{ATOM}title") == "ShortScience: summaries by ada"
    assert feed.find(f"{ATOM}link").get("href") == "http://testserver/users/ada/"


def test_user_feed_address_ignores_case(client, author):
    SummaryFactory(author=author, paper__title="Mine")

    response = client.get("/feeds/users/ADA.atom")

    assert entries(response) == [("Summary of “Mine”", "ada")]


@pytest.mark.parametrize("username", ["nobody", "gone"])
def test_user_feed_of_an_unknown_or_inactive_member_is_404(client, username):
    UserFactory(username="gone", is_active=False)

    response = client.get(f"/feeds/users/{username}.atom")

    assert response.status_code == 404


def test_paper_feed_lists_the_papers_public_summaries(client, paper, author, other_user):
    SummaryFactory(paper=paper, author=author)
    SummaryFactory(paper=paper, author=other_user, is_anonymous=True)
    SummaryFactory(paper=paper, is_private=True)
    SummaryFactory(paper__title="Another Paper")

    response = client.get(f"/feeds/papers/{paper.pk}.atom")

    feed = parse(response)
    title = "Summary of “Attention Is All You Need”"
    assert entries(response) == [(title, "Anonymous"), (title, "ada")]
    assert (
        feed.findtext(f"{ATOM}title") == "ShortScience: summaries of “Attention Is All You Need”"
    )
    assert feed.find(f"{ATOM}link").get("href") == f"http://testserver{paper.get_absolute_url()}"


def test_venue_feed_lists_public_summaries_of_the_venues_papers(client, venue):
    SummaryFactory(paper__title="At NeurIPS 2016", paper__venue=venue, paper__venue_year=2016)
    SummaryFactory(paper__title="At NeurIPS 2017", paper__venue=venue, paper__venue_year=2017)
    SummaryFactory(
        paper__title="Hidden", paper__venue=venue, paper__venue_year=2017, hidden_at=timezone.now()
    )
    SummaryFactory(paper__title="Elsewhere", paper__venue=VenueFactory(), paper__venue_year=2017)
    SummaryFactory(paper__title="Nowhere")

    response = client.get("/feeds/venues/neurips.atom")

    feed = parse(response)
    assert [title for title, _ in entries(response)] == [
        "Summary of “At NeurIPS 2017”",
        "Summary of “At NeurIPS 2016”",
    ]
    assert feed.findtext(f"{ATOM}title") == "ShortScience: summaries of NeurIPS papers"
    assert feed.find(f"{ATOM}link").get("href") == "http://testserver/venues/neurips/"


@pytest.mark.parametrize(
    ("name", "path"),
    [
        ("cs.LG", "cs.LG"),
        ("deep_learning", "deep_learning"),
        ("reinforcement learning", "reinforcement%20learning"),
        ("cs.LG", "CS.lg"),
    ],
)
def test_tag_feed_lists_public_summaries_of_papers_with_the_keyword(client, name, path):
    tagged = SummaryFactory(paper__title="Tagged")
    tagged.paper.tags.add(name, "other")
    SummaryFactory(paper__title="Untagged").paper.tags.add("other")
    private = SummaryFactory(paper__title="Private", is_private=True)
    private.paper.tags.add(name)

    response = client.get(f"/feeds/tags/{path}.atom")

    feed = parse(response)
    assert [title for title, _ in entries(response)] == ["Summary of “Tagged”"]
    assert feed.findtext(f"{ATOM}title") == (
        f"ShortScience: summaries of papers with the keyword “{name}”"
    )


@pytest.mark.parametrize(
    "path",
    ["/feeds/papers/{pk}.atom", "/feeds/venues/nowhere.atom", "/feeds/tags/cs.AI.atom"],
)
def test_object_feed_of_an_unknown_object_is_404(client, paper, path):
    paper.tags.add("cs.LG")

    response = client.get(path.format(pk=paper.pk + 1000))

    assert response.status_code == 404


@pytest.mark.parametrize(
    ("path", "queries", "entries_per_item"),
    [
        ("/feeds/summaries.atom", 1, 2),
        ("/feeds/users/ada.atom", 2, 1),
        ("/feeds/papers/{pk}.atom", 2, 1),
        ("/feeds/venues/neurips.atom", 2, 2),
        ("/feeds/tags/cs.LG.atom", 2, 2),
    ],
)
@pytest.mark.parametrize("count", [1, 3])
def test_feed_query_count_is_fixed(
    client, django_assert_num_queries, author, paper, venue, path, queries, entries_per_item, count
):
    """Per item: a summary of the shared paper by someone else, and one of ada's of another
    paper; all papers are at NeurIPS with the keyword cs.LG."""
    paper.tags.add("cs.LG")
    paper.venue, paper.venue_year = venue, 2017
    paper.save()
    for _ in range(count):
        SummaryFactory(paper=paper, author=UserFactory())
        own = SummaryFactory(author=author, paper__venue=venue, paper__venue_year=2017)
        own.paper.tags.add("cs.LG")

    with django_assert_num_queries(queries):
        response = client.get(path.format(pk=paper.pk))

    assert len(entries(response)) == entries_per_item * count
