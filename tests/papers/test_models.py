import pytest
from django.db import IntegrityError, transaction

from papers.models import Author, Paper, normalize_name
from papers.services import author_for
from tests.factories import PaperFactory

pytestmark = [pytest.mark.django_db, pytest.mark.integration]


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Matthew W. Hoffman", "matthew w hoffman"),
        ("  MATTHEW   W  HOFFMAN ", "matthew w hoffman"),
        ("José García", "jose garcia"),
        ("Paul Erdős", "paul erdos"),
        ("Jean-Pierre Serre", "jean-pierre serre"),
        ("O'Neil, J.", "o neil j"),
        ("Straße", "strasse"),
    ],
)
def test_normalize_name_ignores_accents_case_and_punctuation(name, expected):
    result = normalize_name(name)

    assert result == expected


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("arxiv_id", "1706.03762"),
        ("doi", "10.1038/nature14539"),
        ("bibtex_key", "conf/nips/VaswaniSPUJGKP17"),
    ],
)
def test_paper_identifier_is_unique(field, value):
    PaperFactory(**{field: value})

    with pytest.raises(IntegrityError, match=f"papers_paper_{field}_unique"), transaction.atomic():
        PaperFactory(**{field: value})


def test_papers_without_identifiers_may_be_many():
    PaperFactory(arxiv_id="", doi="", bibtex_key="")

    PaperFactory(arxiv_id="", doi="", bibtex_key="")

    assert Paper.objects.filter(arxiv_id="", doi="", bibtex_key="").count() == 2


def test_paper_doi_is_stored_lowercase_only():
    with pytest.raises(IntegrityError, match="papers_paper_doi_lower"):
        PaperFactory(doi="10.1038/NATURE14539")


def test_paper_venue_without_a_year_is_refused(venue):
    with pytest.raises(IntegrityError, match="papers_paper_venue_and_year_together"):
        PaperFactory(venue=venue, venue_year=None)


def test_paper_year_without_a_venue_is_refused():
    with pytest.raises(IntegrityError, match="papers_paper_venue_and_year_together"):
        PaperFactory(venue=None, venue_year=2017)


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        ("Attention Is All You Need!", "attention-is-all-you-need"),
        (
            "BERT: Pre-training of Deep Bidirectional Transformers",
            "bert-pre-training-of-deep-bidirectional-transformers",
        ),
        ("Über die Quantentheorie", "uber-die-quantentheorie"),
        ("深度学习", "paper"),
        ("word " * 20, ("word-" * 16).rstrip("-")),
    ],
)
def test_paper_slug_is_made_from_the_title(title, slug):
    paper = PaperFactory(title=title)

    assert paper.slug == slug
    assert paper.get_absolute_url() == f"/papers/{paper.pk}/{slug}/"


def test_paper_slug_follows_a_changed_title():
    paper = PaperFactory(title="Old Title")
    paper.title = "New Title"

    paper.save()

    assert paper.slug == "new-title"


def test_paper_links_to_arxiv_and_doi():
    paper = PaperFactory(arxiv_id="1706.03762", doi="10.1038/nature14539")

    links = (paper.arxiv_url, paper.arxiv_pdf_url, paper.doi_url)

    assert links == (
        "https://arxiv.org/abs/1706.03762",
        "https://arxiv.org/pdf/1706.03762",
        "https://doi.org/10.1038/nature14539",
    )


def test_paper_without_identifiers_has_no_links():
    paper = PaperFactory(arxiv_id="", doi="")

    assert (paper.arxiv_url, paper.arxiv_pdf_url, paper.doi_url) == ("", "", "")


def test_paper_venue_url_is_the_venue_year_page(venue):
    paper = PaperFactory(venue=venue, venue_year=2017)

    assert paper.venue_url == "/venues/neurips/2017/"


def test_paper_ordered_authors_follow_the_paper(db):
    paper = PaperFactory(authors=["Noam Shazeer", "Ashish Vaswani", "Niki Parmar"])

    names = [author.name for author in paper.ordered_authors]

    assert names == ["Noam Shazeer", "Ashish Vaswani", "Niki Parmar"]


def test_author_save_stores_the_normalized_name():
    author = Author.objects.create(name="José  García")

    assert author.normalized_name == "jose garcia"


def test_author_normalized_name_is_unique():
    Author.objects.create(name="José García")

    with pytest.raises(IntegrityError, match="normalized_name"):
        Author.objects.create(name="jose garcia")


def test_author_for_reuses_the_author_however_the_name_is_written():
    first = author_for("Matthew W. Hoffman")

    again = [
        author_for(name)
        for name in ("matthew w hoffman", "MATTHEW W HOFFMAN", "Matthew  W Hoffman")
    ]

    assert [author.pk for author in again] == [first.pk] * 3
    assert list(Author.objects.values_list("name", flat=True)) == ["Matthew W. Hoffman"]


def test_author_for_tidies_the_spaces_of_a_new_name():
    author = author_for("  Ada   Lovelace ")

    assert (author.name, author.normalized_name) == ("Ada Lovelace", "ada lovelace")


@pytest.mark.parametrize(("name", "slug"), [("José García", "jose-garcia"), ("李飞飞", "author")])
def test_author_url_has_a_slug_of_the_name(name, slug):
    author = author_for(name)

    assert author.get_absolute_url() == f"/authors/{author.pk}/{slug}/"
