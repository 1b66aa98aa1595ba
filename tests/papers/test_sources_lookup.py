from pathlib import Path

import pytest
from responses import matchers

from papers.sources import Malformed, lookup
from papers.sources.arxiv import API_URL

pytestmark = [pytest.mark.integration]

DATA = Path(__file__).parents[1] / "data" / "sources"
BIBSONOMY_HASH = "2e6c7b5a1b9b5bb3c6fd0e17a4e1c9e5f"


def answer_arxiv(mocked, arxiv_id="1706.03762", filename="arxiv_1706.03762.xml"):
    mocked.get(
        API_URL,
        body=(DATA / filename).read_bytes(),
        content_type="application/atom+xml",
        match=[matchers.query_param_matcher({"id_list": arxiv_id, "max_results": "1"})],
    )


@pytest.mark.parametrize(
    "text",
    [
        "1706.03762",
        "1706.03762v5",
        "arXiv:1706.03762",
        "https://arxiv.org/abs/1706.03762v7",
        "https://arxiv.org/pdf/1706.03762.pdf",
        "  http://export.arxiv.org/abs/1706.03762  ",
        # dblp files arXiv preprints under journals/corr/; arXiv knows them best.
        "journals/corr/abs-1706-03762",
        "https://dblp.org/rec/journals/corr/abs-1706-03762.html",
    ],
)
def test_lookup_arxiv_ids_and_links(mocked, text):
    answer_arxiv(mocked)

    [record] = lookup(text)

    assert (record.source, record.arxiv_id) == ("arxiv", "1706.03762")


def test_lookup_old_style_arxiv_link(mocked):
    answer_arxiv(mocked, "hep-th/9901001", "arxiv_hep-th_9901001.xml")

    [record] = lookup("https://arxiv.org/abs/hep-th/9901001v3")

    assert record.arxiv_id == "hep-th/9901001"


@pytest.mark.parametrize(
    "text",
    ["10.1038/NATURE14539", "https://doi.org/10.1038/nature14539", "doi:10.1038/nature14539"],
)
def test_lookup_dois_go_to_crossref(mocked, text):
    mocked.get(
        "https://api.crossref.org/works/10.1038/nature14539",
        body=(DATA / "crossref_10.1038_nature14539.json").read_bytes(),
        content_type="application/json",
    )

    [record] = lookup(text)

    assert (record.source, record.doi, record.title) == (
        "crossref",
        "10.1038/nature14539",
        "Deep learning",
    )


@pytest.mark.parametrize(
    "text",
    [
        "conf/cvpr/TaigmanYRW14",
        "DBLP:conf/cvpr/TaigmanYRW14",
        "https://dblp.org/rec/conf/cvpr/TaigmanYRW14",
        "https://dblp.org/rec/conf/cvpr/TaigmanYRW14.html",
    ],
)
def test_lookup_dblp_keys_and_links(mocked, text):
    mocked.get(
        "https://dblp.org/rec/conf/cvpr/TaigmanYRW14.bib",
        body=(DATA / "dblp_conf_cvpr_TaigmanYRW14.bib").read_bytes(),
    )

    [record] = lookup(text)

    assert (record.source, record.bibtex_key) == ("dblp", "conf/cvpr/TaigmanYRW14")


def test_lookup_bibsonomy_link(mocked):
    mocked.get(
        f"https://www.bibsonomy.org/bib/bibtex/{BIBSONOMY_HASH}/dblp",
        body=(DATA / "bibsonomy_2bengio.bib").read_bytes(),
    )

    [record] = lookup(f"https://www.bibsonomy.org/bibtex/{BIBSONOMY_HASH}/dblp")

    assert (record.source, record.bibtex_key) == ("bibsonomy", "journals/tnn/BengioSF94")


def test_lookup_pasted_bibtex_gives_one_record_per_entry():
    text = (DATA / "pasted_accents.bib").read_text()
    text = text[text.index("@") :]  # Members paste from the first entry on.

    records = lookup(text)

    assert [record.bibtex_key for record in records] == ["muller2020uber", "vaswani2017attention"]


@pytest.mark.parametrize("text", ["", "   ", "attention is all you need", "https://example.org/x"])
def test_lookup_something_else_lists_what_is_accepted(text):
    with pytest.raises(Malformed) as error:
        lookup(text)

    message = str(error.value)
    assert "arXiv id" in message
    assert "DOI" in message
    assert "dblp key" in message
    assert "Bibsonomy" in message
    assert "BibTeX" in message
