"""Adding a paper by each kind of identifier, through the pages, with the remote APIs
answered by the recorded responses in tests/data/sources/."""

from pathlib import Path

import pytest

from papers.models import Paper
from papers.sources.arxiv import API_URL as ARXIV_API
from papers.sources.crossref import API_URL as CROSSREF_API

pytestmark = [pytest.mark.django_db, pytest.mark.integration]

DATA = Path(__file__).parents[1] / "data" / "sources"


def confirm(client, form) -> Paper:
    """Submit the filled-in form as the member would after checking it."""
    data = {name: value for name, value in form.initial.items() if value not in (None, "")}
    response = client.post("/papers/new/", data)
    assert response.status_code == 302, response.context["form"].errors
    return Paper.objects.get()


def test_add_by_arxiv_id(author_client, mocked):
    mocked.get(ARXIV_API, body=(DATA / "arxiv_1706.03762.xml").read_bytes())

    page = author_client.post("/papers/import/", {"text": "arXiv:1706.03762v5"})
    paper = confirm(author_client, page.context["form"])

    assert (paper.title, paper.arxiv_id, paper.source) == (
        "Attention Is All You Need",
        "1706.03762",
        "arxiv",
    )
    assert [a.name for a in paper.ordered_authors][:2] == ["Ashish Vaswani", "Noam Shazeer"]
    assert "cs.CL" in paper.tags.names()


def test_add_by_doi(author_client, mocked):
    mocked.get(
        CROSSREF_API + "10.1038/nature14539",
        body=(DATA / "crossref_10.1038_nature14539.json").read_bytes(),
        content_type="application/json",
    )

    page = author_client.post("/papers/import/", {"text": "https://doi.org/10.1038/NATURE14539"})
    paper = confirm(author_client, page.context["form"])

    assert (paper.doi, paper.source, paper.year) == ("10.1038/nature14539", "crossref", 2015)


def test_add_by_dblp_key(author_client, mocked):
    mocked.get(
        "https://dblp.org/rec/conf/cvpr/TaigmanYRW14.bib",
        body=(DATA / "dblp_conf_cvpr_TaigmanYRW14.bib").read_bytes(),
    )

    page = author_client.post("/papers/import/", {"text": "conf/cvpr/TaigmanYRW14"})
    paper = confirm(author_client, page.context["form"])

    assert (paper.bibtex_key, paper.source) == ("conf/cvpr/TaigmanYRW14", "dblp")


def test_add_from_pasted_bibtex_with_accents(author_client):
    bibtex = (DATA / "pasted_accents.bib").read_text()

    page = author_client.post("/papers/import/", {"text": bibtex})
    candidates = page.context["candidates"]
    author_client.post(
        "/papers/import/bibtex/",
        {"text": bibtex, "chosen": [str(n) for n in range(len(candidates))]},
    )

    names = {a.name for paper in Paper.objects.all() for a in paper.ordered_authors}
    assert Paper.objects.count() == len(candidates) == 2
    assert any("ü" in name or "é" in name for name in names)


def test_the_same_arxiv_paper_twice_leads_to_the_first(author_client, mocked):
    mocked.get(ARXIV_API, body=(DATA / "arxiv_1706.03762.xml").read_bytes())
    page = author_client.post("/papers/import/", {"text": "1706.03762"})
    first = confirm(author_client, page.context["form"])

    again = author_client.post("/papers/import/", {"text": "https://arxiv.org/abs/1706.03762"})

    assert again.status_code == 302
    assert again["Location"] == first.get_absolute_url()
    assert Paper.objects.count() == 1


def test_arxiv_down_is_a_clear_message_and_the_manual_form(author_client, mocked):
    mocked.get(ARXIV_API, status=503)

    page = author_client.post("/papers/import/", {"text": "1706.03762"})

    assert page.status_code == 400
    assert "arXiv" in page.context["import_form"].errors["text"][0]
    assert page.context["form"].initial == {"arxiv_id": "1706.03762"}
