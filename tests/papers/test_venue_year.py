import pytest

from tests.factories import PaperFactory, SummaryFactory, VenueFactory

pytestmark = [pytest.mark.django_db, pytest.mark.integration]

URL = "/venues/neurips/2017/"


def test_venue_year_lists_summarized_papers_first(client, venue):
    unsummarized = PaperFactory(title="A Unsummarized", venue=venue, venue_year=2017)
    summarized = PaperFactory(title="B Summarized", venue=venue, venue_year=2017)
    SummaryFactory(paper=summarized)
    also_unsummarized = PaperFactory(title="C Unsummarized", venue=venue, venue_year=2017)

    response = client.get(URL)

    assert response.status_code == 200
    assert list(response.context["page"].object_list) == [
        summarized,
        unsummarized,
        also_unsummarized,
    ]


def test_venue_year_shows_only_that_venue_and_year(client, venue):
    shown = PaperFactory(venue=venue, venue_year=2017)
    PaperFactory(venue=venue, venue_year=2016)
    PaperFactory(venue=VenueFactory(short_name="ICML"), venue_year=2017)
    PaperFactory(year=2017)

    response = client.get(URL)

    html = response.content.decode()
    assert list(response.context["page"].object_list) == [shown]
    assert "<h1>NeurIPS 2017</h1>" in html
    assert '<p class="muted">Advances in Neural Information Processing Systems</p>' in html


def test_venue_year_of_an_unknown_venue_is_404(client):
    response = client.get("/venues/nowhere/2017/")

    assert response.status_code == 404


def test_venue_year_without_papers_says_so(client, venue):
    response = client.get("/venues/neurips/1990/")

    assert response.status_code == 200
    assert "No papers here yet." in response.content.decode()


@pytest.mark.parametrize("count", [1, 3])
def test_venue_year_query_count_is_fixed(client, django_assert_num_queries, listed_papers, count):
    listed_papers(count)

    with django_assert_num_queries(5):
        response = client.get(URL)

    assert len(response.context["page"].object_list) == count
