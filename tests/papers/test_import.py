"""Adding papers from an identifier or BibTeX (the sources themselves are replayed from
recorded responses in test_sources_*.py; here the lookup is replaced)."""

import datetime

import pytest

from papers.models import Paper
from papers.sources import Malformed, NotFound, PaperRecord, Unavailable
from tests.factories import PaperFactory, VenueFactory

pytestmark = [pytest.mark.django_db, pytest.mark.integration]

IMPORT = "/papers/import/"


def record(**fields) -> PaperRecord:
    values = {
        "title": "Attention Is All You Need",
        "authors": ["Ashish Vaswani", "Noam Shazeer"],
        "year": 2017,
        "source": "arxiv",
        "abstract": "Transformers.",
        "published_on": datetime.date(2017, 6, 12),
        "arxiv_id": "1706.03762",
        "tags": ["cs.CL", "cs.LG"],
    }
    return PaperRecord(**(values | fields))


@pytest.fixture
def lookup(monkeypatch):
    """Replace the remote lookup: set .result to a list of records or an exception."""

    class Fake:
        result: list | Exception = []
        calls: list[str] = []

        def __call__(self, text):
            self.calls.append(text)
            if isinstance(self.result, Exception):
                raise self.result
            return self.result

    fake = Fake()
    monkeypatch.setattr("papers.sources.lookup", fake)
    return fake


def test_import_needs_a_signed_in_member(client, lookup):
    response = client.post(IMPORT, {"text": "1706.03762"})

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert lookup.calls == []


def test_import_shows_the_record_filled_in_for_confirmation(author_client, lookup):
    lookup.result = [record()]

    response = author_client.post(IMPORT, {"text": "https://arxiv.org/abs/1706.03762v5"})

    form = response.context["form"]
    assert response.status_code == 200
    assert lookup.calls == ["https://arxiv.org/abs/1706.03762v5"]
    assert form.initial["title"] == "Attention Is All You Need"
    assert form.initial["authors"] == "Ashish Vaswani\nNoam Shazeer"
    assert form.initial["tags"] == "cs.CL, cs.LG"
    assert form.initial["source"] == "arxiv"
    assert "Filled in from arXiv." in response.content.decode()
    assert not Paper.objects.exists()


def test_confirming_the_filled_in_form_creates_the_paper_with_its_source(author_client):
    response = author_client.post(
        "/papers/new/",
        {
            "title": "Attention Is All You Need",
            "authors": "Ashish Vaswani\nNoam Shazeer",
            "year": 2017,
            "arxiv_id": "1706.03762",
            "tags": "cs.CL, cs.LG",
            "source": "arxiv",
        },
    )

    paper = Paper.objects.get()
    assert response.status_code == 302
    assert (paper.source, paper.arxiv_id) == ("arxiv", "1706.03762")


def test_a_known_identifier_goes_to_the_existing_paper(author_client, lookup):
    existing = PaperFactory(arxiv_id="1706.03762", doi="")
    lookup.result = [record(doi="10.5555/3295222.3295349")]

    response = author_client.post(IMPORT, {"text": "1706.03762"})

    existing.refresh_from_db()
    assert response.status_code == 302
    assert response["Location"] == existing.get_absolute_url()
    assert existing.doi == "10.5555/3295222.3295349"
    assert Paper.objects.count() == 1


def test_a_nearly_identical_title_is_offered_as_the_same_paper(author_client, lookup):
    similar = PaperFactory(title="Attention is all you need!", arxiv_id="")
    lookup.result = [record(arxiv_id="", doi="10.5555/3295222.3295349")]

    response = author_client.post(IMPORT, {"text": "10.5555/3295222.3295349"})

    assert response.context["imported"].similar == [similar]
    assert "Is this the same paper as one already here?" in response.content.decode()


def test_the_venue_name_is_mapped_to_a_venue(author_client, lookup, monkeypatch):
    neurips = VenueFactory(short_name="NeurIPS", slug="neurips")
    monkeypatch.setattr(
        "papers.importing.venue_for", lambda name: neurips if "Neural" in name else None
    )
    lookup.result = [record(venue_name="Advances in Neural Information Processing Systems 30")]

    response = author_client.post(IMPORT, {"text": "1706.03762"})

    assert (
        response.context["form"].initial["venue"],
        response.context["form"].initial["venue_year"],
    ) == (neurips.pk, 2017)


@pytest.mark.parametrize(
    ("error", "message"),
    [
        (NotFound("arXiv has no paper 2101.99999."), "arXiv has no paper 2101.99999."),
        (Unavailable("arXiv did not answer within 20 seconds."), "arXiv did not answer"),
        (Malformed("This BibTeX cannot be read (line 3)."), "line 3"),
    ],
)
def test_a_failed_lookup_says_why_and_keeps_the_text(author_client, lookup, error, message):
    lookup.result = error

    response = author_client.post(IMPORT, {"text": "arXiv:2101.99999"})

    html = response.content.decode()
    assert response.status_code == 400
    assert message in " ".join(response.context["import_form"].errors["text"])
    assert "arXiv:2101.99999</textarea>" in html
    assert response.context["form"].initial == {"arxiv_id": "2101.99999"}


def test_an_empty_import_is_a_form_error(author_client, lookup):
    response = author_client.post(IMPORT, {"text": ""})

    assert response.status_code == 400
    assert response.context["import_form"].errors["text"] == [
        "Paste an identifier, a link or BibTeX."
    ]
    assert lookup.calls == []


BIBTEX = """
@inproceedings{first2020, title={First Paper}, author={Ada Lovelace}, year={2020}}
@inproceedings{second2021, title={Second Paper}, author={Alan Turing}, year={2021}}
@article{known2019, title={Known Paper}, author={Grace Hopper}, year={2019}}
"""


def test_several_bibtex_entries_are_listed_then_the_chosen_ones_created(author_client, lookup):
    known = PaperFactory(title="Known Paper", bibtex_key="known2019")
    from papers.sources import parse_bibtex

    lookup.result = parse_bibtex(BIBTEX)
    listed = author_client.post(IMPORT, {"text": BIBTEX})

    response = author_client.post("/papers/import/bibtex/", {"text": BIBTEX, "chosen": ["0", "2"]})

    assert [c.existing for c in listed.context["candidates"]] == [None, None, known]
    assert response.status_code == 302
    assert sorted(Paper.objects.values_list("title", flat=True)) == ["First Paper", "Known Paper"]


def test_import_is_rate_limited(author_client, lookup, settings):
    settings.ACCOUNT_RATE_LIMITS = {"paper_import": "1/m/user"}
    lookup.result = [record()]
    author_client.post(IMPORT, {"text": "1706.03762"})

    response = author_client.post(IMPORT, {"text": "1706.03762"})

    assert response.status_code == 429
    assert len(lookup.calls) == 1
