from pathlib import Path

import pytest

from papers.sources import Malformed, NotFound, fetch_bibsonomy, fetch_dblp
from papers.sources.bibsonomy import bibtex_export_url
from papers.sources.dblp import dblp_key_from_url

pytestmark = [pytest.mark.integration]

DATA = Path(__file__).parents[1] / "data" / "sources"
BIBSONOMY_HASH = "2e6c7b5a1b9b5bb3c6fd0e17a4e1c9e5f"


def answer(mocked, url, filename, *, status=200):
    mocked.get(
        url,
        body=(DATA / filename).read_bytes(),
        status=status,
        content_type="application/x-bibtex; charset=utf-8",
    )


def test_fetch_dblp_reads_every_field(mocked):
    answer(
        mocked,
        "https://dblp.org/rec/conf/cvpr/TaigmanYRW14.bib",
        "dblp_conf_cvpr_TaigmanYRW14.bib",
    )

    record = fetch_dblp("conf/cvpr/TaigmanYRW14")

    assert record.title == (
        "DeepFace: Closing the Gap to Human-Level Performance in Face Verification"
    )
    assert record.authors == ["Yaniv Taigman", "Ming Yang", "Marc'Aurelio Ranzato", "Lior Wolf"]
    assert (record.year, record.published_on) == (2014, None)
    assert record.venue_name == (
        "2014 IEEE Conference on Computer Vision and Pattern Recognition, CVPR 2014, "
        "Columbus, OH, USA, June 23-28, 2014"
    )
    assert record.bibtex_key == "conf/cvpr/TaigmanYRW14"
    assert record.doi == "10.1109/cvpr.2014.220"
    assert record.url == "https://doi.org/10.1109/CVPR.2014.220"
    assert (record.arxiv_id, record.abstract, record.tags) == ("", "", [])
    assert record.source == "dblp"


def test_fetch_dblp_corr_entry_gives_the_arxiv_id(mocked):
    answer(
        mocked,
        "https://dblp.org/rec/journals/corr/VaswaniSPUJGKP17.bib",
        "dblp_journals_corr_VaswaniSPUJGKP17.bib",
    )

    record = fetch_dblp("DBLP:journals/corr/VaswaniSPUJGKP17")

    assert record.arxiv_id == "1706.03762"
    assert record.bibtex_key == "journals/corr/VaswaniSPUJGKP17"
    assert record.venue_name == "CoRR"
    assert len(record.authors) == 8


def test_fetch_dblp_unknown_key_is_not_found(mocked):
    mocked.get("https://dblp.org/rec/conf/nips/Nobody99.bib", status=404, body="Not Found")

    with pytest.raises(NotFound, match=r"^dblp has no record conf/nips/Nobody99\.$"):
        fetch_dblp("conf/nips/Nobody99")


def test_fetch_dblp_refuses_a_key_that_is_not_one():
    with pytest.raises(Malformed, match="is not a dblp key"):
        fetch_dblp("vaswani2017attention")


@pytest.mark.parametrize(
    "url",
    [
        "https://dblp.org/rec/conf/cvpr/TaigmanYRW14",
        "https://dblp.org/rec/conf/cvpr/TaigmanYRW14.html",
        "https://dblp.org/rec/conf/cvpr/TaigmanYRW14.bib?param=1",
        "http://dblp.uni-trier.de/rec/bibtex/conf/cvpr/TaigmanYRW14",
        "dblp.org/rec/conf/cvpr/TaigmanYRW14.xml",
    ],
)
def test_dblp_key_from_url_accepts_dblps_links(url):
    assert dblp_key_from_url(url) == "conf/cvpr/TaigmanYRW14"


def test_fetch_bibsonomy_reads_the_posts_bibtex_export(mocked):
    answer(
        mocked,
        f"https://www.bibsonomy.org/bib/bibtex/{BIBSONOMY_HASH}/dblp",
        "bibsonomy_2bengio.bib",
    )

    record = fetch_bibsonomy(f"https://www.bibsonomy.org/bibtex/{BIBSONOMY_HASH}/dblp")

    assert record.title == "Learning long-term dependencies with gradient descent is difficult."
    assert record.authors == ["Yoshua Bengio", "Patrice Y. Simard", "Paolo Frasconi"]
    assert record.year == 1994
    assert record.venue_name == "IEEE Trans. Neural Networks"
    assert record.bibtex_key == "journals/tnn/BengioSF94"
    assert record.doi == "10.1109/72.279181"
    # Bibsonomy tags are space-separated; "dblp" marks every copied post and is dropped.
    assert record.tags == ["recurrent", "vanishing_gradient"]
    assert record.source == "bibsonomy"


def test_fetch_bibsonomy_empty_export_is_not_found(mocked):
    mocked.get(f"https://www.bibsonomy.org/bib/publication/{BIBSONOMY_HASH}", body="")

    with pytest.raises(NotFound, match=r"^Bibsonomy has no publication at"):
        fetch_bibsonomy(f"https://www.bibsonomy.org/publication/{BIBSONOMY_HASH}")


@pytest.mark.parametrize(
    ("url", "export"),
    [
        (
            f"https://www.bibsonomy.org/bibtex/{BIBSONOMY_HASH}/dblp",
            f"https://www.bibsonomy.org/bib/bibtex/{BIBSONOMY_HASH}/dblp",
        ),
        (
            f"http://bibsonomy.org/publication/{BIBSONOMY_HASH[1:]}",
            f"https://www.bibsonomy.org/bib/publication/{BIBSONOMY_HASH[1:]}",
        ),
        ("https://www.bibsonomy.org/user/dblp", None),
        ("https://example.org/bibtex/2e6c7b5a1b9b5bb3c6fd0e17a4e1c9e5f/dblp", None),
    ],
)
def test_bibtex_export_url_of_publication_pages(url, export):
    assert bibtex_export_url(url) == export
