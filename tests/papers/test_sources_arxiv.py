import datetime
from pathlib import Path

import pytest
from responses import matchers

from papers.sources import Malformed, NotFound, fetch_arxiv, fetch_arxiv_listing
from papers.sources.arxiv import API_URL

pytestmark = [pytest.mark.integration]

DATA = Path(__file__).parents[1] / "data" / "sources"


def answer(mocked, filename, *, status=200, **params):
    mocked.get(
        API_URL,
        body=(DATA / filename).read_bytes(),
        status=status,
        content_type="application/atom+xml; charset=utf-8",
        match=[matchers.query_param_matcher(params)] if params else [],
    )


def test_fetch_arxiv_reads_every_field(mocked):
    answer(mocked, "arxiv_1706.03762.xml", id_list="1706.03762", max_results="1")

    record = fetch_arxiv("1706.03762")

    assert record.title == "Attention Is All You Need"
    assert record.authors == [
        "Ashish Vaswani",
        "Noam Shazeer",
        "Niki Parmar",
        "Jakob Uszkoreit",
        "Llion Jones",
        "Aidan N. Gomez",
        "Lukasz Kaiser",
        "Illia Polosukhin",
    ]
    assert record.abstract.startswith("The dominant sequence transduction models are based on")
    assert record.abstract.endswith("dispensing with recurrence and convolutions entirely.")
    assert "\n" not in record.abstract
    assert record.year == 2017
    assert record.published_on == datetime.date(2017, 6, 12)
    assert record.venue_name == "Advances in Neural Information Processing Systems 30 (NIPS 2017)"
    assert record.arxiv_id == "1706.03762"
    assert record.doi == "10.48550/arxiv.1706.03762"
    assert record.bibtex_key == ""
    assert record.url == "https://arxiv.org/abs/1706.03762"
    assert record.pdf_url == "https://arxiv.org/pdf/1706.03762"
    assert record.tags == ["cs.CL", "cs.LG"]
    assert record.source == "arxiv"


def test_fetch_arxiv_old_style_id_with_unicode_and_a_wrapped_title(mocked):
    answer(mocked, "arxiv_hep-th_9901001.xml", id_list="hep-th/9901001", max_results="1")

    record = fetch_arxiv("hep-th/9901001")

    assert record.title == "Quantum Gravity and the Holographic Principle in Fünf Dimensionen"
    assert record.authors == ["Jürgen Müller", "José García"]
    assert record.arxiv_id == "hep-th/9901001"
    assert (record.year, record.published_on) == (1999, datetime.date(1999, 1, 4))
    assert (record.doi, record.venue_name) == ("", "")
    assert record.tags == ["hep-th", "gr-qc"]


def test_fetch_arxiv_error_entry_is_not_found(mocked):
    answer(mocked, "arxiv_unknown_id.xml", status=400)

    with pytest.raises(NotFound, match=r"^arXiv has no paper 1706\.99999: incorrect id format"):
        fetch_arxiv("1706.99999")


def test_fetch_arxiv_empty_feed_is_not_found(mocked):
    answer(mocked, "arxiv_empty.xml")

    with pytest.raises(NotFound, match=r"^arXiv has no paper 2412\.00001\.$"):
        fetch_arxiv("2412.00001")


def test_fetch_arxiv_cut_off_feed_is_malformed(mocked):
    answer(mocked, "arxiv_truncated.xml")

    with pytest.raises(Malformed, match="not a readable Atom feed"):
        fetch_arxiv("1706.03762")


def test_fetch_arxiv_html_error_page_is_malformed(mocked):
    mocked.get(API_URL, body="<html><body>Rate exceeded.</body></html>", content_type="text/html")

    with pytest.raises(Malformed, match="not a readable Atom feed"):
        fetch_arxiv("1706.03762")


def test_fetch_arxiv_listing_sends_the_query_and_reads_the_total(mocked):
    answer(
        mocked,
        "arxiv_listing_cs.LG.xml",
        search_query="cat:cs.LG AND submittedDate:[202401020000 TO 202401022359]",
        start="0",
        max_results="2",
        sortBy="submittedDate",
        sortOrder="ascending",
    )

    records, total = fetch_arxiv_listing(
        "cs.LG", datetime.date(2024, 1, 2), datetime.date(2024, 1, 2), max_results=2
    )

    assert total == 187
    assert [(r.arxiv_id, r.title, r.authors) for r in records] == [
        (
            "2401.01234",
            "Sparse Mixtures of Experts for Tabular Data",
            ["Ada Lovelace", "Charles Babbage"],
        ),
        ("2401.01240", "On the Convergence of Adam on Non-Smooth Objectives", ["Grace Hopper"]),
    ]
    assert [r.tags for r in records] == [["cs.LG", "stat.ML"], ["math.OC", "cs.LG"]]


def test_fetch_arxiv_listing_refuses_a_category_that_is_not_one():
    with pytest.raises(Malformed, match=r"'cs\.LG OR all' is not an arXiv category"):
        fetch_arxiv_listing("cs.LG OR all", datetime.date(2024, 1, 2), datetime.date(2024, 1, 2))
