import pytest
from django.utils import timezone

from tests.factories import PaperFactory, SummaryFactory

pytestmark = [pytest.mark.django_db, pytest.mark.integration]

URL = "/papers/"


def test_paper_list_shows_the_newest_first(client):
    papers = [PaperFactory() for _ in range(3)]

    response = client.get(URL)

    assert response.status_code == 200
    assert list(response.context["page"].object_list) == papers[::-1]
    assert response.context["sort"] == "newest"


def test_paper_list_by_most_summarized(client):
    once, never, twice = PaperFactory(), PaperFactory(), PaperFactory()
    SummaryFactory(paper=once)
    SummaryFactory.create_batch(2, paper=twice)

    response = client.get(URL, {"sort": "summarized"})

    assert list(response.context["page"].object_list) == [twice, once, never]
    assert 'href="?sort=summarized" aria-current="page"' in response.content.decode()


def test_paper_list_unknown_order_falls_back_to_newest(client):
    older, newer = PaperFactory(), PaperFactory()

    response = client.get(URL, {"sort": "' OR 1=1"})

    assert response.context["sort"] == "newest"
    assert list(response.context["page"].object_list) == [newer, older]


def test_paper_list_counts_public_summaries_only(client, author):
    paper = PaperFactory()
    SummaryFactory(paper=paper)
    SummaryFactory(paper=paper, hidden_at=timezone.now())
    SummaryFactory(paper=paper, is_private=True)
    SummaryFactory(paper=paper, deleted_at=timezone.now())
    client.force_login(author)

    response = client.get(URL)

    [listed] = response.context["page"].object_list
    assert listed.summary_count == 1
    assert "· 1 summary</span>" in response.content.decode()


def test_paper_list_row_names_title_authors_and_year(client):
    paper = PaperFactory(title="Deep Learning", authors=["Yann LeCun", "Yoshua Bengio"], year=2015)

    response = client.get(URL)

    html = response.content.decode()
    assert (
        f'<a class="paper-list__title" href="{paper.get_absolute_url()}">Deep Learning</a>' in html
    )
    assert '<span class="paper-list__authors">Yann LeCun, Yoshua Bengio</span>' in html
    assert "2015\n          · 0 summaries" in html


def test_paper_list_shortens_long_author_lists(client):
    PaperFactory(authors=["A One", "B Two", "C Three", "D Four", "E Five"])

    response = client.get(URL)

    assert (
        '<span class="paper-list__authors">A One, B Two, C Three, D Four et al.</span>'
        in response.content.decode()
    )


def test_paper_list_when_empty_says_so(client):
    response = client.get(URL)

    assert response.status_code == 200
    assert "No papers here yet." in response.content.decode()


@pytest.mark.parametrize("count", [1, 3])
def test_paper_list_query_count_is_fixed(client, django_assert_num_queries, listed_papers, count):
    listed_papers(count)

    with django_assert_num_queries(4):
        response = client.get(URL)

    assert len(response.context["page"].object_list) == count
