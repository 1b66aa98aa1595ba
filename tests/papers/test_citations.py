import pytest

from papers.citations import lookup_citations
from tests.factories import PaperFactory

pytestmark = [pytest.mark.django_db, pytest.mark.integration]


def test_lookup_citations_finds_papers_by_bibtex_key(described_paper):
    found = lookup_citations({"conf/nips/VaswaniSPUJGKP17"})

    assert found == {
        "conf/nips/VaswaniSPUJGKP17": (
            described_paper.get_absolute_url(),
            "Attention Is All You Need",
        )
    }


@pytest.mark.parametrize("key", ["journals/corr/abs-1706-03762", "journals/corr/1706.03762"])
def test_lookup_citations_finds_arxiv_papers_by_dblp_corr_key(described_paper, key):
    found = lookup_citations({key})

    assert found == {key: (described_paper.get_absolute_url(), "Attention Is All You Need")}


def test_lookup_citations_leaves_unknown_keys_out(described_paper):
    other = PaperFactory(title="Deep Learning", bibtex_key="lecun2015deep")

    found = lookup_citations(
        {"lecun2015deep", "conf/icml/Nobody20", "journals/corr/abs-2101-00001", "nobody"}
    )

    assert found == {"lecun2015deep": (other.get_absolute_url(), "Deep Learning")}


def test_lookup_citations_of_many_keys_is_one_query(described_paper, django_assert_num_queries):
    PaperFactory(bibtex_key="lecun2015deep")
    keys = {"conf/nips/VaswaniSPUJGKP17", "lecun2015deep", "journals/corr/abs-1706-03762"}

    with django_assert_num_queries(1):
        found = lookup_citations(keys)

    assert sorted(found) == sorted(keys)


def test_lookup_citations_of_no_keys_asks_nothing(django_assert_num_queries):
    with django_assert_num_queries(0):
        found = lookup_citations(set())

    assert found == {}
