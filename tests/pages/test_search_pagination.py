"""The search page's pages and counts: twenty results to a page, odd page numbers, the
rank limit; and as many queries for many results as for one."""

import re
from html import unescape
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.factories import PaperFactory, SummaryFactory, VenueFactory
from tests.pages.helpers import html_of, listed, search

pytestmark = [pytest.mark.django_db, pytest.mark.integration]


# Pagination and counts


@pytest.fixture
def graph_papers(db):
    return [PaperFactory(title=f"Graph Study {n}") for n in range(25)]


def test_results_come_twenty_to_a_page(client, graph_papers):
    first = search(client, q="graph")
    second = search(client, q="graph", page=2)

    assert len(listed(first)) == 20
    assert len(listed(second)) == 5
    assert set(listed(first)) | set(listed(second)) == set(graph_papers)
    assert "Page 1 of 2" in html_of(first)
    assert "25 papers" in html_of(first)


def test_the_next_page_link_keeps_the_query_and_filters(client, graph_papers):
    html = html_of(search(client, q="graph", year_from=2000))

    link = re.search(r'<a rel="next" href="([^"]*)"', html).group(1)
    assert parse_qs(urlsplit(unescape(link)).query) == {
        "q": ["graph"],
        "year_from": ["2000"],
        "page": ["2"],
    }


def test_a_page_past_the_end_shows_the_last_page(client, graph_papers):
    response = search(client, q="graph", page=999)

    assert response.status_code == 200
    assert response.context["page"].number == 2
    assert len(listed(response)) == 5


@pytest.mark.parametrize("page", ["abc", "", "0", "-3", "1.5"])
def test_a_page_that_is_not_a_page_number_shows_the_first(client, graph_papers, page):
    response = search(client, q="graph", page=page)

    assert response.status_code == 200
    assert response.context["page"].number == 1
    assert len(listed(response)) == 20


def test_filters_alone_paginate_too(client, graph_papers):
    response = search(client, year_from=2000, page=999)

    assert response.context["page"].number == 2
    assert len(listed(response)) == 5


def test_a_huge_page_number_shows_the_last_page(client, graph_papers):
    response = search(client, q="graph", page=10**20)

    assert response.status_code == 200
    assert response.context["page"].number == 2


def test_past_the_rank_limit_the_page_says_more_than(client, monkeypatch):
    monkeypatch.setattr("papers.search.RANK_LIMIT", 3)
    for n in range(5):
        PaperFactory(title=f"Graph Study {n}")

    response = search(client, q="graph")

    html = html_of(response)
    assert "More than 3 papers match; the best of the first 3 found are shown." in html
    assert 'Papers <span class="muted">(3+)</span>' in html


def test_filters_alone_past_the_rank_limit_say_more_than(client, monkeypatch):
    monkeypatch.setattr("papers.search.RANK_LIMIT", 3)
    PaperFactory.create_batch(5, year=2020)

    html = html_of(search(client, year_from=2020))

    assert "More than 3 papers match." in html


def test_the_other_tab_counts_up_to_its_limit(client, monkeypatch):
    monkeypatch.setattr("papers.search.OTHER_TAB_LIMIT", 2)
    SummaryFactory.create_batch(3, paper__title="Graph Study")

    html = html_of(search(client, q="graph"))

    assert 'Summaries <span class="muted">(2+)</span>' in html


# Queries


@pytest.fixture
def learning_papers(db):
    """Papers as results show them: three authors, two keywords, a venue, a summary."""
    venue = VenueFactory(short_name="NeurIPS", slug="neurips")

    def make(count):
        for n in range(count):
            paper = PaperFactory(
                title=f"Deep Learning {n}",
                authors=["Ada Lovelace", "Charles Babbage", f"Grace Hopper{n}"],
                venue=venue,
                venue_year=2017,
            )
            paper.tags.add("cs.LG", "math.OC")
            SummaryFactory(paper=paper, body="Learning, summarized.")

    return make


@pytest.mark.parametrize("count", [1, 3])
def test_the_papers_tab_makes_as_many_queries_for_many_results_as_for_one(
    client, learning_papers, django_assert_num_queries, count
):
    learning_papers(count)

    # Any words?, the ranked page, a spelling (fewer than FEW results), the other tab's
    # count, the papers, their authorships, their keywords, the venues of the filter.
    with django_assert_num_queries(8):
        response = search(client, q="learning")

    assert len(listed(response)) == count


@pytest.mark.parametrize("count", [1, 3])
def test_the_summaries_tab_makes_as_many_queries_for_many_results_as_for_one(
    client, learning_papers, django_assert_num_queries, count
):
    learning_papers(count)

    # Any words?, the ranked page, a spelling, the other tab's count, the summaries with
    # their papers, their papers' authorships and keywords, the venues of the filter.
    with django_assert_num_queries(8):
        response = search(client, q="learning", **{"in": "summaries"})

    assert len(listed(response)) == count


@pytest.mark.parametrize("count", [1, 3])
def test_filters_alone_make_as_many_queries_for_many_results_as_for_one(
    client, learning_papers, django_assert_num_queries, count
):
    learning_papers(count)

    with django_assert_num_queries(8):
        response = search(client, venue="neurips", tag="cs.lg", author="lovelace")

    assert len(listed(response)) == count
