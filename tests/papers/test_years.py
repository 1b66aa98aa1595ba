import pytest

from papers import views
from tests.factories import PaperFactory, SummaryFactory

pytestmark = [pytest.mark.django_db, pytest.mark.integration]


def test_year_list_shows_each_year_with_its_paper_count_newest_first(client):
    PaperFactory.create_batch(2, year=2017)
    PaperFactory(year=2020)
    PaperFactory(year=1998)

    response = client.get("/years/")

    html = response.content.decode()
    assert response.status_code == 200
    assert list(response.context["years"]) == [
        {"year": 2020, "paper_count": 1},
        {"year": 2017, "paper_count": 2},
        {"year": 1998, "paper_count": 1},
    ]
    assert '<li><a href="/years/2017/">2017</a> <span class="muted">2 papers</span></li>' in html


def test_year_list_when_empty_says_so(client):
    response = client.get("/years/")

    assert response.status_code == 200
    assert '<p class="muted">No papers here yet.</p>' in response.content.decode()


def test_year_page_lists_that_years_papers_summarized_first(client):
    plain = PaperFactory(title="A Plain Paper", year=2017)
    summarized = PaperFactory(title="B Summarized Paper", year=2017)
    SummaryFactory(paper=summarized)
    also_plain = PaperFactory(title="C Plain Paper", year=2017)
    PaperFactory(year=2016)
    SummaryFactory(paper__year=2018)

    response = client.get("/years/2017/")

    assert response.status_code == 200
    assert response.context["year"] == 2017
    assert list(response.context["page"].object_list) == [summarized, plain, also_plain]
    assert "<h1>Papers from 2017</h1>" in response.content.decode()


def test_year_page_is_paginated(client, monkeypatch):
    monkeypatch.setattr(views, "PAPERS_PER_PAGE", 2)
    papers = [PaperFactory(title=f"Paper {n}", year=2017) for n in range(3)]

    first = client.get("/years/2017/")
    second = client.get("/years/2017/", {"page": 2})

    assert list(first.context["page"].object_list) == papers[:2]
    assert list(second.context["page"].object_list) == papers[2:]
    assert '<a rel="next" href="?page=2">Next</a>' in first.content.decode()


def test_year_page_without_papers_says_so(client):
    response = client.get("/years/1990/")

    assert response.status_code == 200
    assert "No papers here yet." in response.content.decode()


@pytest.mark.parametrize("year", [999, 10000])
def test_year_page_of_an_impossible_year_is_404(client, year):
    response = client.get(f"/years/{year}/")

    assert response.status_code == 404


@pytest.mark.parametrize("count", [1, 3])
def test_year_list_query_count_is_fixed(client, django_assert_num_queries, count):
    for year in range(2017, 2017 + count):
        PaperFactory(year=year)

    with django_assert_num_queries(1):
        response = client.get("/years/")

    assert len(response.context["years"]) == count


@pytest.mark.parametrize("count", [1, 3])
def test_year_page_query_count_is_fixed(client, django_assert_num_queries, listed_papers, count):
    listed_papers(count)

    with django_assert_num_queries(4):
        response = client.get("/years/2020/")

    assert len(response.context["page"].object_list) == count
