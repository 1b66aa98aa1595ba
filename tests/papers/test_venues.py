import pytest
from django.utils import timezone

from tests.factories import PaperFactory, SummaryFactory, VenueFactory

pytestmark = [pytest.mark.django_db, pytest.mark.integration]


def years(venue_years):
    return [
        (row["venue_year"], row["paper_count"], row["public_summaries"]) for row in venue_years
    ]


def test_venue_list_shows_every_venue_with_its_years_newest_first(client, venue, icml):
    PaperFactory(venue=venue, venue_year=2016)
    SummaryFactory(paper=PaperFactory(venue=venue, venue_year=2017))
    PaperFactory(venue=icml, venue_year=2019)
    empty = VenueFactory(short_name="COLT", slug="colt")

    response = client.get("/venues/")

    venues = response.context["venues"]
    assert response.status_code == 200
    assert venues == [empty, icml, venue]
    assert [years(v.years) for v in venues] == [[], [(2019, 1, 0)], [(2017, 1, 1), (2016, 1, 0)]]


def test_venue_list_counts_public_summaries_of_each_years_papers(client, venue):
    first, second = (
        PaperFactory(venue=venue, venue_year=2017),
        PaperFactory(venue=venue, venue_year=2017),
    )
    SummaryFactory.create_batch(2, paper=first)
    SummaryFactory(paper=second)
    SummaryFactory(paper=second, is_private=True)
    SummaryFactory(paper=second, hidden_at=timezone.now())
    SummaryFactory(paper=second, deleted_at=timezone.now())
    PaperFactory(venue=venue, venue_year=2017)

    response = client.get("/venues/")

    [listed] = response.context["venues"]
    assert years(listed.years) == [(2017, 3, 3)]


def test_venue_list_links_each_venue_and_year(client, venue):
    PaperFactory(venue=venue, venue_year=2017)
    VenueFactory(short_name="COLT", slug="colt")

    response = client.get("/venues/")

    html = response.content.decode()
    assert '<h2 class="venue-list__name"><a href="/venues/neurips/">NeurIPS</a></h2>' in html
    assert (
        '<li class="venue-years__year"><a href="/venues/neurips/2017/">2017</a>\n'
        '        <span class="muted">1 paper, 0 summaries</span></li>'
    ) in html
    colt = html[html.index('<a href="/venues/colt/">COLT</a>') :]
    assert " ".join(colt[: colt.index("</li>")].split()) == (
        '<a href="/venues/colt/">COLT</a></h2> <p class="muted">Conference COLT</p> '
        '<p class="muted">No papers here yet.</p>'
    )
    assert '<a href="/years/">Papers by year</a>' in html


def test_venue_list_when_empty_says_so(client):
    response = client.get("/venues/")

    assert response.status_code == 200
    assert '<p class="muted">No venues yet.</p>' in response.content.decode()


def test_venue_page_lists_only_that_venues_years(client, venue, icml):
    PaperFactory(venue=venue, venue_year=2016)
    SummaryFactory(paper=PaperFactory(venue=venue, venue_year=2017))
    PaperFactory(venue=icml, venue_year=2019)

    response = client.get("/venues/neurips/")

    html = response.content.decode()
    assert response.status_code == 200
    assert response.context["venue"] == venue
    assert years(response.context["years"]) == [(2017, 1, 1), (2016, 1, 0)]
    assert "<h1>NeurIPS</h1>" in html
    assert '<a href="/venues/neurips/2016/">2016</a>' in html
    assert "/venues/icml/" not in html


def test_venue_page_without_papers_says_so(client, venue):
    response = client.get("/venues/neurips/")

    assert response.context["years"] == []
    assert '<p class="muted">No papers here yet.</p>' in response.content.decode()


def test_venue_page_of_an_unknown_venue_is_404(client, venue):
    response = client.get("/venues/nowhere/")

    assert response.status_code == 404


@pytest.mark.parametrize("path", ["/venues/neurips/", "/venues/neurips/2017/"])
def test_venue_pages_link_the_venues_feed(client, venue, path):
    response = client.get(path)

    assert (
        '<link rel="alternate" type="application/atom+xml" '
        'title="ShortScience: summaries of NeurIPS papers" href="/feeds/venues/neurips.atom">'
    ) in response.content.decode()


@pytest.mark.parametrize("count", [1, 3])
def test_venue_list_query_count_is_fixed(client, django_assert_num_queries, count):
    for n in range(count):
        venue = VenueFactory()
        for year in (2016, 2017):
            SummaryFactory(paper=PaperFactory(venue=venue, venue_year=year + n))

    with django_assert_num_queries(2):
        response = client.get("/venues/")

    assert len(response.context["venues"]) == count


@pytest.mark.parametrize("count", [1, 3])
def test_venue_page_query_count_is_fixed(client, django_assert_num_queries, venue, count):
    for year in range(2017, 2017 + count):
        SummaryFactory(paper=PaperFactory(venue=venue, venue_year=year))

    with django_assert_num_queries(2):
        response = client.get("/venues/neurips/")

    assert len(response.context["years"]) == count
