import datetime

import pytest
import responses

from tests.factories import PaperFactory, SummaryFactory, VenueFactory


@pytest.fixture
def described_paper(venue):
    """A fully described paper: venue-year, keywords, every identifier, a full date."""
    paper = PaperFactory(
        title="Attention Is All You Need",
        authors=["Ashish Vaswani", "Noam Shazeer", "Niki Parmar"],
        abstract="The dominant sequence transduction models are based on recurrent networks.",
        year=2017,
        published_on=datetime.date(2017, 6, 12),
        venue=venue,
        venue_year=2017,
        arxiv_id="1706.03762",
        doi="10.5555/3295222.3295349",
        bibtex_key="conf/nips/VaswaniSPUJGKP17",
    )
    paper.tags.add("cs.CL", "cs.LG")
    return paper


@pytest.fixture
def listed_papers(venue):
    """Make papers as listings show them, for query counts: two authors (Ada Lovelace
    first), the NeurIPS 2017 venue-year, two keywords (cs.LG, math.OC), two summaries."""

    def make(count):
        papers = []
        for _ in range(count):
            paper = PaperFactory(
                authors=["Ada Lovelace", "Charles Babbage"], venue=venue, venue_year=2017
            )
            paper.tags.add("cs.LG", "math.OC")
            SummaryFactory.create_batch(2, paper=paper)
            papers.append(paper)
        return papers

    return make


@pytest.fixture
def icml(db):
    """ICML, the other venue of the venue tests, as dblp knows it."""
    return VenueFactory(
        short_name="ICML",
        full_name="International Conference on Machine Learning",
        slug="icml",
        dblp_key="conf/icml",
    )


@pytest.fixture
def mocked():
    """The remote sources (arXiv, Crossref, dblp, Bibsonomy) as recorded answers: a
    request without one fails, and every answer set up must be asked for."""
    with responses.RequestsMock() as mock:
        yield mock
