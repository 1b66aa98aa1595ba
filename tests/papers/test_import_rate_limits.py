"""The paper_add limit counts papers, not requests: a BibTeX confirm creating 30 papers
uses 30, and one asking for more than are left is refused whole."""

import pytest

from papers.models import Paper
from tests.factories import PaperFactory

pytestmark = [pytest.mark.django_db, pytest.mark.integration]

CONFIRM = "/papers/import/bibtex/"


def bibtex(count: int, start: int = 0) -> str:
    return "".join(
        f"@article{{key{n},\n  title = {{Paper number {n}}},\n"
        f"  author = {{Ada Lovelace}},\n  year = {{2020}}\n}}\n"
        for n in range(start, start + count)
    )


def confirm(client, count: int, start: int = 0):
    return client.post(
        CONFIRM, {"text": bibtex(count, start), "chosen": [str(i) for i in range(count)]}
    )


@pytest.fixture
def limit(settings):
    settings.ACCOUNT_RATE_LIMITS = {"paper_add": "30/h/user"}


def test_a_confirm_of_more_papers_than_are_left_is_refused_whole(author_client, limit):
    response = confirm(author_client, 60)

    assert response.status_code == 429
    content = response.content.decode()
    assert "60 papers" in content
    assert "30" in content
    assert "left" in content
    assert not Paper.objects.exists()


def test_papers_up_to_the_limit_are_added_then_one_more_is_refused(author_client, limit):
    refused = confirm(author_client, 60)
    accepted = confirm(author_client, 30)
    one_more = confirm(author_client, 1, start=100)

    assert refused.status_code == 429
    assert accepted.status_code == 302
    assert one_more.status_code == 429
    assert "0 left" in one_more.content.decode() or "reached" in one_more.content.decode()
    assert Paper.objects.count() == 30


def test_papers_already_here_do_not_count(author_client, limit):
    for n in range(40):
        PaperFactory(bibtex_key=f"key{n}", title=f"Paper number {n}")

    response = confirm(author_client, 60)  # 40 are linked instead, 20 are new.

    assert response.status_code == 302
    assert Paper.objects.count() == 60


def test_the_add_form_still_counts_one(author_client, limit, settings):
    settings.ACCOUNT_RATE_LIMITS = {"paper_add": "1/h/user"}
    data = {"title": "One", "authors": "Ada Lovelace", "year": 2020}

    first = author_client.post("/papers/new/", data)
    second = author_client.post("/papers/new/", data | {"title": "Two"})

    assert first.status_code == 302
    assert second.status_code == 429


def test_a_refusal_says_how_many_are_left(author_client, limit):
    confirm(author_client, 10)

    response = confirm(author_client, 25, start=100)

    assert response.status_code == 429
    assert "That is 25 papers added" in response.content.decode()
    assert "leaves you 20 for now. Choose at most 20" in response.content.decode()
    assert Paper.objects.count() == 10
