import pytest

from papers.services import author_for
from tests.factories import PaperFactory, SummaryFactory

pytestmark = [pytest.mark.django_db, pytest.mark.integration]


def test_author_page_lists_their_papers_newest_year_first(client):
    older = PaperFactory(title="Older", authors=["Ada Lovelace"], year=1843)
    newer = PaperFactory(title="Newer", authors=["Charles Babbage", "Ada Lovelace"], year=1850)
    PaperFactory(title="Not hers", authors=["Charles Babbage"])
    ada = author_for("Ada Lovelace")

    response = client.get(ada.get_absolute_url())

    assert response.status_code == 200
    assert "<h1>Ada Lovelace</h1>" in response.content.decode()
    assert list(response.context["page"].object_list) == [newer, older]


def test_author_page_counts_public_summaries(client):
    paper = PaperFactory(authors=["Ada Lovelace"])
    SummaryFactory(paper=paper)
    SummaryFactory(paper=paper, is_private=True)

    response = client.get(author_for("Ada Lovelace").get_absolute_url())

    assert [p.summary_count for p in response.context["page"].object_list] == [1]


def test_author_page_at_another_slug_moves_to_the_right_one(client):
    ada = author_for("José García")

    response = client.get(f"/authors/{ada.pk}/jose/")

    assert response.status_code == 301
    assert response["Location"] == f"/authors/{ada.pk}/jose-garcia/"


def test_author_page_of_an_unknown_author_is_404(client):
    ada = author_for("Ada Lovelace")

    response = client.get(f"/authors/{ada.pk + 1000}/ada-lovelace/")

    assert response.status_code == 404


@pytest.mark.parametrize("count", [1, 3])
def test_author_page_query_count_is_fixed(client, django_assert_num_queries, listed_papers, count):
    listed_papers(count)
    url = author_for("Ada Lovelace").get_absolute_url()

    with django_assert_num_queries(5):
        response = client.get(url)

    assert len(response.context["page"].object_list) == count
