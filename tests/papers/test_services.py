import pytest

from papers.models import Author, Paper
from papers.services import create_paper, find_duplicate
from tests.factories import PaperFactory

pytestmark = [pytest.mark.django_db, pytest.mark.integration]


def make(added_by=None, **fields):
    defaults = {
        "title": "Attention Is All You Need",
        "year": 2017,
        "authors": ["Ashish Vaswani", "Noam Shazeer", "Niki Parmar"],
        "tags": ["cs.CL", "cs.LG"],
    }
    return create_paper(added_by, **(defaults | fields))


def test_create_paper_stores_authors_in_the_given_order(author):
    paper = make(author, authors=["Noam Shazeer", "Ashish Vaswani", "Niki Parmar"])

    paper = Paper.objects.with_header().get(pk=paper.pk)
    assert [a.name for a in paper.ordered_authors] == [
        "Noam Shazeer",
        "Ashish Vaswani",
        "Niki Parmar",
    ]
    assert list(paper.authorships.values_list("position", flat=True)) == [1, 2, 3]


def test_create_paper_sets_the_keywords_and_who_added_it(author):
    paper = make(author, tags=["cs.LG", "optimization"])

    assert sorted(paper.tags.names()) == ["cs.LG", "optimization"]
    assert (paper.added_by, paper.source) == (author, Paper.Source.MANUAL)


def test_create_paper_reuses_an_author_across_papers():
    first = make(authors=["José García", "Ada Lovelace"], arxiv_id="1706.03762")

    second = make(title="Another Paper", authors=["Jose Garcia"], arxiv_id="1706.03763")

    garcia = Author.objects.get(normalized_name="jose garcia")
    assert Author.objects.count() == 2
    assert second.ordered_authors == [garcia]
    assert list(garcia.papers.order_by("pk")) == [first, second]
    assert garcia.name == "José García"


def test_create_paper_keeps_its_fields():
    paper = make(arxiv_id="1706.03762", doi="10.5555/3295222.3295349", abstract="We propose.")

    paper.refresh_from_db()
    assert (paper.title, paper.year, paper.arxiv_id, paper.doi, paper.abstract) == (
        "Attention Is All You Need",
        2017,
        "1706.03762",
        "10.5555/3295222.3295349",
        "We propose.",
    )


@pytest.mark.parametrize(
    ("field", "value"),
    [("arxiv_id", "1706.03762"), ("doi", "10.1038/x"), ("bibtex_key", "conf/nips/X17")],
)
def test_find_duplicate_finds_a_paper_by_any_identifier(field, value):
    stored = PaperFactory(**{field: value})
    PaperFactory()

    found = find_duplicate(**{field: value})

    assert found == stored


def test_find_duplicate_ignores_empty_identifiers():
    PaperFactory(arxiv_id="", doi="", bibtex_key="")

    found = find_duplicate(arxiv_id="", doi="", bibtex_key="")

    assert found is None
