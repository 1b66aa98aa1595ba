import re

import pytest

from tests.factories import PaperFactory, SummaryFactory

LINK = re.compile(r"http://testserver(/accounts/[\w/:-]+/)")


@pytest.fixture
def link_in_mail():
    """The first site link in a sent message, as a path."""

    def find(message) -> str:
        match = LINK.search(message.body)
        assert match, message.body
        return match.group(1)

    return find


@pytest.fixture
def paper(db):
    return PaperFactory(title="Attention Is All You Need")


@pytest.fixture
def summary(author, paper):
    """The author's public, named summary of the paper."""
    return SummaryFactory(paper=paper, author=author, body="A *careful* reading.")
