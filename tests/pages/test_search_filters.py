"""The search page's filters (venue, years, keyword, author, has summaries): alone or
with a query, on either tab, kept in the tabs' addresses; a bad one is a 400 that says
what is wrong."""

import re

import pytest

from tests.factories import PaperFactory, SummaryFactory, VenueFactory
from tests.pages.helpers import html_of, listed, search, tab_links

pytestmark = [pytest.mark.django_db, pytest.mark.integration]


def test_venue_filter(client, venue):
    there = PaperFactory(title="Learning to Rank", venue=venue, venue_year=2019)
    icml = VenueFactory(short_name="ICML", slug="icml")
    PaperFactory(title="Learning to Sort", venue=icml, venue_year=2019)
    PaperFactory(title="Learning to Search")

    response = search(client, q="learning", venue="neurips")

    assert listed(response) == [there]
    assert "NeurIPS 2019" in html_of(response)


def test_year_filters_include_both_ends(client):
    before = PaperFactory(title="Learning A", year=2015)
    first = PaperFactory(title="Learning B", year=2016)
    last = PaperFactory(title="Learning C", year=2018)
    PaperFactory(title="Learning D", year=2019)

    assert set(listed(search(client, q="learning", year_from=2016, year_to=2018))) == {
        first,
        last,
    }
    assert set(listed(search(client, q="learning", year_to=2016))) == {before, first}


def test_keyword_filter_ignores_case(client):
    tagged = PaperFactory(title="Learning A")
    tagged.tags.add("cs.LG")
    other = PaperFactory(title="Learning B")
    other.tags.add("cs.CV")

    assert listed(search(client, q="learning", tag="CS.lg")) == [tagged]
    assert listed(search(client, tag="cs.lg")) == [tagged]


def test_author_filter_matches_part_of_a_name_ignoring_accents_and_case(client):
    paper = PaperFactory(title="Long Short-Term Memory", authors=["Jürgen Schmidhuber"])
    PaperFactory(title="Long Papers", authors=["Ada Lovelace"])

    assert listed(search(client, q="long", author="schmidhu")) == [paper]
    assert listed(search(client, q="long", author="JURGEN")) == [paper]
    assert listed(search(client, author="gen Schmid")) == [paper]


def test_has_summaries_filter_counts_only_public_summaries(client):
    summarized = PaperFactory(title="Learning A")
    SummaryFactory(paper=summarized)
    privately = PaperFactory(title="Learning B")
    SummaryFactory(paper=privately, is_private=True)
    PaperFactory(title="Learning C")

    assert listed(search(client, q="learning", has_summaries="on")) == [summarized]
    assert listed(search(client, has_summaries="on")) == [summarized]


def test_filters_apply_to_the_summaries_tab(client, venue):
    there = SummaryFactory(paper__venue=venue, paper__venue_year=2019, body="Kernels.")
    SummaryFactory(body="Kernels.")

    response = search(client, q="kernels", venue="neurips", **{"in": "summaries"})

    assert listed(response) == [there]


def test_filters_alone_list_papers_newest_first(client, venue):
    older = PaperFactory(venue=venue, venue_year=2019)
    newer = PaperFactory(venue=venue, venue_year=2019)
    PaperFactory()

    response = search(client, venue="neurips")

    assert response.status_code == 200
    assert listed(response) == [newer, older]
    assert "2 papers" in html_of(response)


def test_filters_alone_list_summaries_newest_first(client, venue):
    older = SummaryFactory(paper__venue=venue, paper__venue_year=2019)
    newer = SummaryFactory(paper__venue=venue, paper__venue_year=2019)
    SummaryFactory()

    response = search(client, venue="neurips", **{"in": "summaries"})

    assert listed(response) == [newer, older]


def test_an_unknown_venue_is_a_bad_request_with_a_message(client):
    response = search(client, q="learning", venue="no-such-venue")

    assert response.status_code == 400
    assert "There is no such venue" in html_of(response)


def test_a_year_range_ending_before_it_starts_is_a_bad_request(client):
    response = search(client, year_from=2020, year_to=2010)

    assert response.status_code == 400
    assert "The range ends before it starts." in html_of(response)


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"year_from": "abc"}, "Enter a whole number."),
        ({"year_from": "99999"}, "less than or equal to 9999"),
        ({"year_to": "-1"}, "greater than or equal to 1000"),
        ({"tag": "x" * 101}, "at most 100 characters"),
        ({"author": "x" * 201}, "at most 200 characters"),
    ],
)
def test_invalid_filters_are_a_bad_request_with_a_message(client, params, message):
    response = search(client, q="learning", **params)

    assert response.status_code == 400
    assert message in html_of(response)
    assert "Traceback" not in html_of(response)


@pytest.mark.parametrize(
    "params",
    [
        {"author": "<script>alert(1)</script>"},
        {"tag": "'; --"},
        {"tag": "%"},
        {"author": "%_"},
    ],
)
def test_hostile_filters_find_nothing_and_are_escaped(client, params):
    PaperFactory(title="Learning A")

    response = search(client, q="learning", **params)

    assert response.status_code == 200
    assert listed(response) == []
    assert "<script>alert(1)" not in html_of(response)


def test_the_tabs_keep_the_query_and_filters_in_the_address(client, venue):
    PaperFactory(title="Learning to Rank", venue=venue, venue_year=2019)

    response = search(client, q="learning", venue="neurips", year_from=2000)

    links = tab_links(response)
    assert links["summaries"] == {
        "q": ["learning"],
        "venue": ["neurips"],
        "year_from": ["2000"],
        "in": ["summaries"],
    }
    assert links["papers"]["q"] == ["learning"]
    assert links["papers"]["venue"] == ["neurips"]


def test_the_form_shows_the_filters_from_the_address(client, venue):
    html = html_of(search(client, q="learning", venue="neurips", author="Lovelace"))

    assert re.search(r'<option value="neurips" selected>', html)
    assert 'name="author" value="Lovelace"' in html
    assert '<details class="search-form__filters" open>' in html


def test_an_author_filter_of_only_punctuation_finds_nothing(client):
    PaperFactory(title="Graph networks", authors=["Ada Lovelace"])

    response = search(client, q="graph", author="!!!")

    assert response.status_code == 200
    assert listed(response) == []
