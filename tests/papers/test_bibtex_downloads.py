import bibtexparser
import pytest
from django.utils import timezone

from tests.factories import PaperFactory, SummaryFactory, UserFactory, VenueFactory

pytestmark = [pytest.mark.django_db, pytest.mark.integration]


def entries(response) -> list[str]:
    return [entry.key for entry in bibtexparser.parse_string(response.content.decode()).entries]


def test_paper_bib_download(client):
    paper = PaperFactory(title="Attention Is All You Need", authors=["Ashish Vaswani"], year=2017)

    response = client.get(f"/papers/{paper.pk}.bib")

    assert response["Content-Type"] == "application/x-bibtex; charset=utf-8"
    assert (
        response["Content-Disposition"] == 'attachment; filename="attention-is-all-you-need.bib"'
    )
    assert entries(response) == ["vaswani2017attention"]


def test_paper_page_offers_the_download(client):
    paper = PaperFactory()

    response = client.get(paper.get_absolute_url())

    assert f'href="/papers/{paper.pk}.bib" download' in response.content.decode()


def test_venue_year_bib_has_every_paper_with_unique_keys(client):
    venue = VenueFactory(short_name="NeurIPS", slug="neurips")
    for _ in range(2):
        PaperFactory(
            title="Same Words", authors=["Ada Lovelace"], year=2017, venue=venue, venue_year=2017
        )
    PaperFactory(
        title="Elsewhere", venue=VenueFactory(short_name="ICML", slug="icml"), venue_year=2017
    )

    response = client.get("/venues/neurips/2017.bib")

    assert response["Content-Disposition"] == 'attachment; filename="neurips-2017.bib"'
    assert entries(response) == ["lovelace2017same", "lovelace2017samea"]


def test_members_bib_lists_only_their_named_public_summaries_to_others(client):
    member = UserFactory(username="ada")
    SummaryFactory(author=member, paper=PaperFactory(title="Public Work", authors=["A B"]))
    SummaryFactory(author=member, is_anonymous=True, paper=PaperFactory(title="Secret Work"))
    SummaryFactory(author=member, is_private=True, paper=PaperFactory(title="Private Work"))
    SummaryFactory(author=member, deleted_at=timezone.now(), paper=PaperFactory(title="Gone Work"))

    as_visitor = client.get("/users/ada/papers.bib").content.decode()
    client.force_login(member)
    as_owner = client.get("/users/ada/papers.bib").content.decode()

    assert "Public Work" in as_visitor
    assert "Secret Work" not in as_visitor
    assert "Private Work" not in as_visitor
    assert ("Secret Work" in as_owner, "Private Work" in as_owner) == (True, True)
    assert "Gone Work" not in as_owner


@pytest.mark.parametrize("count", [1, 3])
def test_bib_downloads_query_count_is_fixed(client, django_assert_num_queries, count):
    venue = VenueFactory(short_name="ICLR", slug="iclr")
    member = UserFactory(username="ada")
    for _ in range(count):
        paper = PaperFactory(venue=venue, venue_year=2020, authors=["A One", "B Two"])
        SummaryFactory(author=member, paper=paper)

    with django_assert_num_queries(4):
        client.get("/venues/iclr/2020.bib")
    with django_assert_num_queries(4):
        client.get("/users/ada/papers.bib")


def test_unknown_paper_bib_is_404(client):
    assert client.get("/papers/999999.bib").status_code == 404
