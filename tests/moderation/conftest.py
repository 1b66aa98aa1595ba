import pytest

from tests.factories import PaperFactory, SummaryFactory


@pytest.fixture
def paper(db):
    """A paper with one author, whose name the case page of a paper shows to correct."""
    return PaperFactory(title="Attention Is All You Need", authors=["Ashish Vaswani"])


@pytest.fixture
def summary(author, paper):
    """The author's public summary of the paper."""
    return SummaryFactory(paper=paper, author=author, body="First *version* with $a_1$.")
