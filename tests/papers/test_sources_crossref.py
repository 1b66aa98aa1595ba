import datetime
from pathlib import Path

import pytest

from papers.sources import Malformed, NotFound, fetch_crossref

pytestmark = [pytest.mark.integration]

DATA = Path(__file__).parents[1] / "data" / "sources"


def answer(mocked, doi, filename, *, status=200, content_type="application/json"):
    mocked.get(
        f"https://api.crossref.org/works/{doi}",
        body=(DATA / filename).read_bytes(),
        status=status,
        content_type=content_type,
    )


def test_fetch_crossref_reads_every_field(mocked):
    answer(mocked, "10.1038/nature14539", "crossref_10.1038_nature14539.json")

    record = fetch_crossref("10.1038/nature14539")

    assert record.title == "Deep learning"
    assert record.authors == ["Yann LeCun", "Yoshua Bengio", "Geoffrey Hinton"]
    assert record.abstract == (
        "Deep learning allows computational models that are composed of multiple processing "
        "layers to learn representations of data with multiple levels of abstraction. These "
        "methods have dramatically improved the state-of-the-art in speech recognition, visual "
        "object recognition, object detection and many other domains such as drug discovery "
        "and genomics.\n\n"
        "Deep learning discovers intricate structure in large data sets by using the "
        "backpropagation algorithm & indicates how a machine should change its internal "
        "parameters."
    )
    # Online on 27 May, in print on 28 May: the earliest counts.
    assert (record.year, record.published_on) == (2015, datetime.date(2015, 5, 27))
    assert record.venue_name == "Nature"
    assert record.doi == "10.1038/nature14539"
    assert record.url == "http://dx.doi.org/10.1038/nature14539"
    assert (record.arxiv_id, record.bibtex_key, record.pdf_url) == ("", "", "")
    assert record.tags == []
    assert record.source == "crossref"


def test_fetch_crossref_markup_organisations_and_a_date_without_a_day(mocked):
    answer(mocked, "10.1109/5.726791", "crossref_10.1109_5.726791.json")

    record = fetch_crossref("10.1109/5.726791")

    assert record.title == "Gradient-based learning applied to document recognition"
    assert record.authors == [
        "Y. Lecun",
        "L. Bottou",
        "The Adaptive Systems Research Department",
        "Jürgen Schmidhüber",
    ]
    assert (record.year, record.published_on) == (1998, None)
    assert record.venue_name == "Proceedings of the IEEE"
    assert record.tags == ["Electrical and Electronic Engineering"]


def test_fetch_crossref_unknown_doi_is_not_found(mocked):
    answer(
        mocked, "10.1038/nothing", "crossref_not_found.txt", status=404, content_type="text/plain"
    )

    with pytest.raises(NotFound, match=r"^Crossref has no record of DOI 10\.1038/nothing\.$"):
        fetch_crossref("10.1038/nothing")


def test_fetch_crossref_without_authors_or_year_names_the_missing_fields(mocked):
    # DOIs may hold any printable character: they go into the path percent-encoded.
    answer(mocked, "10.1016/s0140-6736%2800%2900001-x", "crossref_no_authors.json")

    with pytest.raises(Malformed) as error:
        fetch_crossref("10.1016/s0140-6736(00)00001-x")

    assert str(error.value) == (
        "Crossref's record of DOI 10.1016/s0140-6736(00)00001-x has no authors or year, "
        "so it cannot be imported."
    )


def test_fetch_crossref_cut_off_json_is_malformed(mocked):
    answer(mocked, "10.1038/nature14539", "crossref_truncated.json")

    with pytest.raises(Malformed, match=r"DOI 10\.1038/nature14539 is not a work record"):
        fetch_crossref("10.1038/nature14539")
