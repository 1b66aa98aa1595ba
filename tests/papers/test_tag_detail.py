import pytest

from tests.factories import PaperFactory, SummaryFactory

pytestmark = [pytest.mark.django_db, pytest.mark.integration]


def test_tag_page_lists_the_papers_with_the_keyword(client):
    plain = PaperFactory()
    summarized = PaperFactory()
    plain.tags.add("cs.LG")
    summarized.tags.add("cs.LG", "stat.ML")
    SummaryFactory(paper=summarized)
    PaperFactory().tags.add("stat.ML")

    response = client.get("/tags/cs.LG/")

    assert response.status_code == 200
    assert list(response.context["page"].object_list) == [summarized, plain]
    assert "<h1>Papers with the keyword “cs.LG”</h1>" in response.content.decode()


@pytest.mark.parametrize("typed", ["cs.lg", "CS.LG", "Cs.Lg"])
def test_tag_page_address_ignores_case(client, typed):
    paper = PaperFactory()
    paper.tags.add("cs.LG")

    response = client.get(f"/tags/{typed}/")

    assert response.context["tag"].name == "cs.LG"
    assert list(response.context["page"].object_list) == [paper]


def test_tag_page_works_for_a_keyword_with_a_plus_and_spaces(client):
    paper = PaperFactory()
    paper.tags.add("C++ programs")

    response = client.get(paper.get_absolute_url())
    tag_page = client.get("/tags/C++ programs/")

    assert '<a href="/tags/C++%20programs/">C++ programs</a>' in response.content.decode()
    assert list(tag_page.context["page"].object_list) == [paper]


def test_tag_page_of_an_unknown_keyword_is_404(client):
    PaperFactory().tags.add("cs.LG")

    response = client.get("/tags/cs.AI/")

    assert response.status_code == 404


def test_tag_page_raises_no_deprecation_warning(client):
    PaperFactory().tags.add("cs.LG")

    response = client.get("/tags/cs.LG/")

    assert response.status_code == 200


def test_tag_page_gathers_papers_whatever_case_they_were_tagged_in(client):
    lower, upper = PaperFactory(), PaperFactory()
    lower.tags.add("cs.LG")
    upper.tags.add("CS.LG")

    response = client.get("/tags/cs.LG/")

    assert sorted(p.pk for p in response.context["page"].object_list) == [lower.pk, upper.pk]


@pytest.mark.parametrize("count", [1, 3])
def test_tag_page_query_count_is_fixed(client, django_assert_num_queries, listed_papers, count):
    listed_papers(count)

    with django_assert_num_queries(5):
        response = client.get("/tags/cs.LG/")

    assert len(response.context["page"].object_list) == count
