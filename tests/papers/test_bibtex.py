import pytest

from papers.bibtex import citation_key, to_bibtex
from papers.models import Paper
from tests.factories import PaperFactory

pytestmark = [pytest.mark.django_db, pytest.mark.integration]


def loaded(paper):
    return Paper.objects.with_header().get(pk=paper.pk)


def test_to_bibtex_writes_a_conference_paper_in_full(described_paper):
    entry = to_bibtex(loaded(described_paper))

    assert entry == (
        "@inproceedings{conf/nips/VaswaniSPUJGKP17,\n"
        "\ttitle = {{Attention Is All You Need}},\n"
        "\tauthor = {Ashish Vaswani and Noam Shazeer and Niki Parmar},\n"
        "\tyear = {2017},\n"
        "\tbooktitle = {Advances in Neural Information Processing Systems},\n"
        "\teprint = {1706.03762},\n"
        "\tarchivePrefix = {arXiv},\n"
        "\tdoi = {10.5555/3295222.3295349},\n"
        "\turl = {https://arxiv.org/abs/1706.03762}\n"
        "}\n"
    )


def test_to_bibtex_makes_an_arxiv_preprint_a_misc_entry():
    paper = PaperFactory(
        title="Deep Residual Learning", authors=["Kaiming He"], year=2015, arxiv_id="1512.03385"
    )

    entry = to_bibtex(loaded(paper))

    assert entry.startswith("@misc{he2015deep,\n")
    assert "\teprint = {1512.03385},\n\tarchivePrefix = {arXiv},\n" in entry


def test_to_bibtex_makes_other_papers_articles_with_their_doi():
    paper = PaperFactory(
        title="Deep learning",
        authors=["Yann LeCun", "Yoshua Bengio", "Geoffrey Hinton"],
        year=2015,
        arxiv_id="",
        doi="10.1038/nature14539",
    )

    entry = to_bibtex(loaded(paper))

    assert entry == (
        "@article{lecun2015deep,\n"
        "\ttitle = {{Deep learning}},\n"
        "\tauthor = {Yann LeCun and Yoshua Bengio and Geoffrey Hinton},\n"
        "\tyear = {2015},\n"
        "\tdoi = {10.1038/nature14539},\n"
        "\turl = {https://doi.org/10.1038/nature14539}\n"
        "}\n"
    )


def test_to_bibtex_prefers_the_papers_own_web_page():
    paper = PaperFactory(url="https://example.org/paper")

    entry = to_bibtex(loaded(paper))

    assert "\turl = {https://example.org/paper}\n" in entry


def test_to_bibtex_uses_the_venue_short_name_without_a_full_name(venue):
    venue.full_name = ""
    venue.save()
    paper = PaperFactory(venue=venue, venue_year=2017)

    entry = to_bibtex(loaded(paper))

    assert "\tbooktitle = {NeurIPS},\n" in entry


@pytest.mark.parametrize(
    ("title", "authors", "year", "key"),
    [
        ("Attention Is All You Need", ["Ashish Vaswani"], 2017, "vaswani2017attention"),
        ("BERT: Pre-training of Deep Transformers", ["Jacob Devlin"], 2019, "devlin2019bert"),
        ("A Big Set", ["Ada Lovelace"], 1843, "lovelace1843paper"),
        ("Of Mice and Men", ["Mary-Jane O'Neil"], 2001, "oneil2001mice"),
    ],
)
def test_citation_key_is_surname_year_and_first_long_word(title, authors, year, key):
    paper = PaperFactory(title=title, authors=authors, year=year, bibtex_key="")

    result = citation_key(loaded(paper))

    assert result == key


def test_citation_key_is_the_stored_key_when_there_is_one():
    paper = PaperFactory(bibtex_key="journals/tnn/BengioSF94")

    result = citation_key(loaded(paper))

    assert result == "journals/tnn/BengioSF94"


def test_citation_key_folds_accents_in_the_surname():
    paper = PaperFactory(title="A Study", authors=["José García"], year=2020, bibtex_key="")

    result = citation_key(loaded(paper))

    assert result == "garcia2020study"
