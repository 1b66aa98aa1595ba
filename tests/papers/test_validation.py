"""papers.validation.clean_paper_data, and each way of making or changing a paper that
goes through it: services, imports, the import command, merging, the admin and the
moderators' correction."""

import datetime
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from moderation import services as moderation
from papers import importing
from papers.admin import AuthorAdminForm, PaperAdminForm
from papers.merging import merge_papers
from papers.models import Paper
from papers.services import create_paper, update_paper
from papers.sources import PaperRecord
from papers.validation import MAX_KEYWORDS, clean_paper_data, is_link
from tests.factories import PaperFactory

pytestmark = [pytest.mark.django_db, pytest.mark.integration]

GOOD = {"title": "A Paper", "authors": ["Ada Lovelace"], "year": 2020}


def errors(**fields) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as raised:
        clean_paper_data(GOOD | fields)
    return raised.value.message_dict


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("title", "   ", "Give the paper's title."),
        ("title", "T" * 501, "Titles are at most 500 characters; this one has 501."),
        ("authors", [], "Name at least one author."),
        ("authors", [f"Author {n}" for n in range(501)], "At most 500 authors"),
        ("authors", ["N" * 201], "Author names are at most 200 characters"),
        # NFKD makes "㎒" three letters: the stored normalized name would not fit.
        ("authors", ["㎒" * 100], "Author names are at most 200 characters"),
        ("authors", ["!!!"], "is not a name"),
        ("tags", ["a/b"], "without slashes"),
        ("tags", ["k" * 101], "up to 100 characters"),
        ("tags", [f"k{n}" for n in range(MAX_KEYWORDS + 1)], f"At most {MAX_KEYWORDS} keywords"),
        ("tags", ["bad\x00tag"], "control character"),
        ("url", "javascript:alert(1)", "http:// or https://"),
        ("url", "ftp://example.org/paper", "http:// or https://"),
        ("pdf_url", "data:text/html,hi", "http:// or https://"),
        ("url", "https://example.org/" + "a" * 500, "at most 500 characters"),
        ("arxiv_id", "not an id", "is not an arXiv identifier"),
        ("doi", "10.1234/" + "x" * 200, "At most 200 characters"),
        ("doi", "nonsense", "is not a DOI"),
        ("bibtex_key", "has spaces", "is not a BibTeX key"),
        ("abstract", "a" * 20_001, "Abstracts are at most 20,000 characters"),
        ("abstract", "nul \x00 here", "control character"),
        ("year", 1599, "1600 to"),
        ("year", datetime.date.today().year + 2, "1600 to"),  # noqa: DTZ011 - calendar
        ("year", None, "Give the year"),
        ("source", "elsewhere", "is not a source"),
    ],
)
def test_a_bad_value_is_refused_with_a_message(field, value, message):
    assert any(message in text for text in errors(**{field: value})[field])


def test_good_values_are_normalized():
    cleaned = clean_paper_data(
        GOOD
        | {
            "title": "  A   Paper\n",
            "authors": "José García\nJose Garcia\n\nAda Lovelace",
            "tags": "cs.LG, CS.LG, , vision",
            "arxiv_id": "arXiv:1706.03762v5",
            "doi": "https://doi.org/10.1038/NATURE14539",
            "url": " https://example.org/p ",
            "source": "",
        }
    )

    assert cleaned["title"] == "A Paper"
    assert cleaned["authors"] == ["José García", "Ada Lovelace"]
    assert cleaned["tags"] == ["cs.LG", "vision"]
    assert (cleaned["arxiv_id"], cleaned["doi"]) == ("1706.03762", "10.1038/nature14539")
    assert cleaned["url"] == "https://example.org/p"
    assert cleaned["source"] == Paper.Source.MANUAL


def test_the_required_fields_are_required_unless_partial():
    with pytest.raises(ValidationError) as raised:
        clean_paper_data({})

    assert set(raised.value.message_dict) == {"title", "authors", "year"}
    assert clean_paper_data({}, partial=True) == {}


def test_a_date_must_be_in_the_papers_year():
    assert "published_on" in errors(published_on=datetime.date(2019, 1, 1))


def test_is_link_takes_http_and_https_only():
    assert is_link("https://example.org")
    assert is_link("http://example.org/a?b=c")
    assert not any(is_link(v) for v in ["", "javascript:alert(1)", "data:,x", "//example.org"])


# Services ------------------------------------------------------------------------------


def test_create_paper_refuses_what_the_form_would(author):
    with pytest.raises(ValidationError) as raised:
        create_paper(author, authors=["Ada"], tags=["a/b"], title="T", year=2020)

    assert "tags" in raised.value.message_dict
    assert not Paper.objects.exists()


def test_update_paper_refuses_a_bad_value_and_changes_nothing():
    paper = PaperFactory(title="Kept")

    with pytest.raises(ValidationError):
        update_paper(paper, authors=["Ada Lovelace"], tags=[], title="T" * 600)

    assert Paper.objects.get(pk=paper.pk).title == "Kept"


def test_a_moderators_correction_with_a_bad_keyword_is_refused(moderator):
    """Moderators correct papers with PaperForm and moderation.edit_paper."""
    from moderation.views import _paper_form

    paper = PaperFactory()
    data = {
        "paper-title": "Corrected",
        "paper-authors": "Ada Lovelace",
        "paper-year": "2020",
        "paper-tags": "fine, not/fine",
        "paper-url": "javascript:alert(1)",
    }

    form = _paper_form(paper, data)

    assert not form.is_valid()
    assert set(form.errors) >= {"tags", "url"}
    with pytest.raises(ValidationError):
        moderation.edit_paper(
            paper, moderator, "fix", {"authors": ["A"], "tags": ["x/y"], "title": "T"}
        )


# Imports -------------------------------------------------------------------------------


def record(**fields) -> PaperRecord:
    values = {"title": "A Paper", "authors": ["Ada Lovelace"], "year": 2020, "source": "dblp"}
    return PaperRecord(**(values | fields))


def test_a_record_lists_its_problems_with_field_names():
    problems = importing.record_problems(record(title="T" * 600, url="javascript:x"))

    assert any(p.startswith("Title: Titles are at most 500") for p in problems)
    assert any(p.startswith("Web page: ") for p in problems)
    assert importing.record_problems(record()) == []


def test_create_from_record_refuses_a_bad_record(author):
    with pytest.raises(ValidationError):
        importing.create_from_record(author, record(tags=["a/b"]))

    assert not Paper.objects.exists()


def test_a_bad_identifier_of_a_record_is_not_added_to_a_paper():
    paper = PaperFactory(arxiv_id="1706.03762", doi="", bibtex_key="")

    added = importing.add_identifiers(paper, record(bibtex_key="k" * 300, doi="10.1/" + "x" * 300))

    assert added == []


@pytest.mark.parametrize("source", ["arxiv", "crossref", "dblp", "bibsonomy"])
def test_a_single_import_that_fails_the_checks_shows_the_form_with_errors(
    author_client, monkeypatch, source
):
    bad = record(source=source, tags=["vision/language"], url="javascript:alert(1)")
    monkeypatch.setattr("papers.sources.lookup", lambda text: [bad])

    response = author_client.post("/papers/import/", {"text": "1706.03762"})

    assert response.status_code == 200
    form = response.context["form"]
    assert set(form.errors) >= {"tags", "url"}
    assert "without slashes" in response.content.decode()


def test_the_command_reports_a_bad_record_on_one_line_and_goes_on(tmp_path):
    bib = tmp_path / "refs.bib"
    bib.write_text(
        "@article{bad2020, title={Bad}, author={Ada Lovelace}, year={2020},"
        " keywords={vision/language}}\n"
        f"@article{{long2020, title={{{'T' * 600}}}, author={{Ada Lovelace}}, year={{2020}}}}\n"
        "@article{good2020, title={Good}, author={Ada Lovelace}, year={2020}}\n"
    )
    out, err = StringIO(), StringIO()

    call_command("import_papers", str(bib), stdout=out, stderr=err)

    assert list(Paper.objects.values_list("title", flat=True)) == ["Good"]
    failures = err.getvalue().splitlines()
    assert len(failures) == 2
    assert "bad2020: not stored: Keywords: Keywords are up to 100" in failures[0]
    assert "long2020: not stored: Title: Titles are at most 500" in failures[1]
    assert out.getvalue().splitlines()[-1] == "Done: 1 created, 0 updated, 0 skipped, 2 failed."


# Merging -------------------------------------------------------------------------------


def test_a_merge_takes_over_only_links_and_keywords_that_pass():
    keep = PaperFactory(url="", pdf_url="")
    duplicate = PaperFactory(url="javascript:alert(1)", pdf_url="https://example.org/p.pdf")
    duplicate.tags.add("ok", "not/ok")

    merge_papers(keep, duplicate)

    keep.refresh_from_db()
    assert (keep.url, keep.pdf_url) == ("", "https://example.org/p.pdf")
    assert [tag.name for tag in keep.tags.all()] == ["ok"]


def test_merging_keeps_the_keywords_within_the_limit():
    keep, duplicate = PaperFactory(), PaperFactory()
    keep.tags.add(*[f"a{n}" for n in range(40)])
    duplicate.tags.add(*[f"b{n}" for n in range(40)])

    merge_papers(keep, duplicate)

    assert keep.tags.count() == MAX_KEYWORDS


def test_a_merge_into_a_paper_with_a_bad_value_is_refused_with_a_reason(moderator):
    keep = PaperFactory()
    Paper.objects.filter(pk=keep.pk).update(url="javascript:alert(1)")
    duplicate = PaperFactory()

    with pytest.raises(moderation.ModerationError, match=f"Correct paper #{keep.pk} first"):
        moderation.merge(duplicate, keep, moderator, "same paper")

    assert Paper.objects.filter(pk=duplicate.pk).exists()


# The admin -----------------------------------------------------------------------------


def test_the_admin_paper_form_runs_the_checks():
    paper = PaperFactory()
    data = {
        "title": "T" * 10,
        "abstract": "",
        "year": 2020,
        "tags": "fine, not/fine",
        "url": "ftp://example.org/paper",  # A URLField takes it; pages would not.
        "source": "manual",
        "summary_count": 0,
    }

    form = PaperAdminForm(data, instance=paper)

    assert not form.is_valid()
    assert "without slashes" in str(form.errors["tags"])
    assert "https://" in str(form.errors["url"])


def test_the_admin_author_form_checks_the_name():
    form = AuthorAdminForm({"name": "!!!"})

    assert not form.is_valid()
    assert "not a name" in str(form.errors["name"])
