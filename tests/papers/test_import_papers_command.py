import datetime

import pytest
from django.core.management import CommandError, call_command

from papers.models import Paper
from papers.sources import NotFound, PaperRecord, Unavailable
from tests.factories import PaperFactory, UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.integration]


def record(arxiv_id: str, title: str | None = None) -> PaperRecord:
    return PaperRecord(
        title=title or f"Paper {arxiv_id}",
        authors=["Ada Lovelace"],
        year=2024,
        source="arxiv",
        arxiv_id=arxiv_id,
        tags=["cs.LG"],
    )


@pytest.fixture
def remote(monkeypatch):
    """Replace lookups: identifier -> record, or an exception to raise."""
    answers = {}

    def lookup(text):
        answer = answers[text]
        if isinstance(answer, Exception):
            raise answer
        return [answer]

    monkeypatch.setattr("papers.sources.lookup", lookup)
    return answers


def run(*args) -> tuple[str, str]:
    from io import StringIO

    out, err = StringIO(), StringIO()
    call_command("import_papers", *args, "--delay", "0", stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_imports_a_file_of_identifiers_with_progress_and_a_summary(tmp_path, remote):
    PaperFactory(arxiv_id="2401.00003")
    remote |= {
        "2401.00001": record("2401.00001"),
        "https://arxiv.org/abs/2401.00002": record("2401.00002"),
        "2401.00003": record("2401.00003"),
        "2401.99999": NotFound("arXiv has no paper 2401.99999."),
        "10.1/slow": Unavailable("Crossref did not answer within 20 seconds; try again later."),
    }
    ids = tmp_path / "ids.txt"
    ids.write_text("# my reading list\n" + "\n".join(remote) + "\n\n")

    out, err = run(str(ids))

    assert "  [1/5] 2401.00001: created" in out
    assert "  [3/5] 2401.00003: skipped" in out
    assert out.splitlines()[-1] == "Done: 2 created, 0 updated, 1 skipped, 2 failed."
    assert "[4/5] 2401.99999: arXiv has no paper 2401.99999." in err
    assert Paper.objects.filter(arxiv_id="2401.00001", source="arxiv").count() == 1


def test_running_again_creates_nothing_more(tmp_path, remote):
    remote["2401.00001"] = record("2401.00001")
    ids = tmp_path / "ids.txt"
    ids.write_text("2401.00001\n")
    run(str(ids))

    out, _ = run(str(ids))

    assert out.splitlines()[-1] == "Done: 0 created, 0 updated, 1 skipped, 0 failed."
    assert Paper.objects.count() == 1


def test_imports_a_bibtex_file_without_remote_calls(tmp_path, monkeypatch):
    monkeypatch.setattr("papers.sources.lookup", lambda text: pytest.fail("no lookup"))
    bib = tmp_path / "refs.bib"
    bib.write_text(
        '@article{mueller2020, title={Gr{\\"o}bner Bases}, author={M{\\"u}ller, Jos{\\\'e}},'
        " year={2020}}\n"
    )

    out, _ = run(str(bib), "--user", UserFactory(username="ada").username)

    paper = Paper.objects.get()
    assert out.splitlines()[-1] == "Done: 1 created, 0 updated, 0 skipped, 0 failed."
    assert (paper.title, [a.name for a in paper.ordered_authors]) == (
        "Gröbner Bases",
        ["José Müller"],
    )
    assert paper.added_by.username == "ada"


def test_imports_an_arxiv_listing_page_by_page(monkeypatch):
    calls = []

    def listing(category, date_from, date_to, start=0, max_results=100):
        calls.append((category, start, max_results))
        page = [record(f"2401.{n:05d}") for n in range(start, min(start + max_results, 150))]
        return page, 150

    monkeypatch.setattr("papers.sources.fetch_arxiv_listing", listing)

    out, _ = run("--arxiv-category", "cs.LG", "--from", "2024-01-01", "--to", "2024-01-07")

    assert calls == [("cs.LG", 0, 100), ("cs.LG", 100, 100)]
    assert out.splitlines()[-1] == "Done: 150 created, 0 updated, 0 skipped, 0 failed."
    assert "  [150/150] 2401.00149: created" in out


def test_a_failing_listing_says_where_to_resume(monkeypatch):
    def listing(*args, **kwargs):
        raise Unavailable("arXiv did not answer within 20 seconds; try again later.")

    monkeypatch.setattr("papers.sources.fetch_arxiv_listing", listing)

    out, err = run(
        "--arxiv-category", "cs.LG", "--from", "2024-01-01", "--to", "2024-01-02", "--start", "200"
    )

    assert "(resume with --start 200)" in err
    assert out.splitlines()[-1] == "Done: 0 created, 0 updated, 0 skipped, 1 failed."


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((), "Give a file of identifiers or BibTeX, or --arxiv-category."),
        (("--arxiv-category", "cs.LG"), "--arxiv-category needs --from and --to"),
        (("missing.txt",), "Cannot read missing.txt"),
        (("--user", "nobody", "--arxiv-category", "cs.LG"), "No member named 'nobody'."),
    ],
)
def test_bad_arguments_get_a_one_line_error(args, message):
    with pytest.raises(CommandError, match=message):
        call_command("import_papers", *args)


def test_listing_dates_must_be_in_order():
    with pytest.raises(CommandError, match="in that order"):
        call_command(
            "import_papers",
            "--arxiv-category",
            "cs.LG",
            "--from",
            "2024-02-01",
            "--to",
            str(datetime.date(2024, 1, 1)),
        )
