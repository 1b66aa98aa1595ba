"""Confirming a BibTeX import checks every chosen entry as the add-a-paper form does: an
entry that fails is named with its reasons on the confirm page, and nothing is created."""

import pytest

from papers.models import Paper

pytestmark = [pytest.mark.django_db, pytest.mark.integration]

CONFIRM = "/papers/import/bibtex/"
IMPORT = "/papers/import/"


def entry(key="good2020", **fields) -> str:
    values = {"title": "A Good Paper", "author": "Ada Lovelace", "year": "2020"} | fields
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in values.items())
    return f"@article{{{key},\n{body}\n}}\n"


def confirm(client, text: str, count: int):
    return client.post(CONFIRM, {"text": text, "chosen": [str(i) for i in range(count)]})


BAD_ENTRIES = {
    "keyword with a slash": (
        entry("slash2020", keywords="machine learning/vision"),
        "without slashes",
    ),
    "javascript url": (entry("js2020", url="javascript:alert(1)"), "http"),
    "2,000 authors": (
        entry("many2020", author=" and ".join(f"Author Number{n}" for n in range(2000))),
        "At most 500 authors",
    ),
    "600-character title": (entry("long2020", title="T" * 600), "500 characters"),
    "300-character author name": (entry("name2020", author="N" * 300), "200 characters"),
}


@pytest.mark.parametrize(("text", "reason"), BAD_ENTRIES.values(), ids=BAD_ENTRIES.keys())
def test_a_bad_entry_is_refused_on_the_confirm_page_with_its_reason(author_client, text, reason):
    text = entry("fine2020", title="A Fine Paper") + text

    response = confirm(author_client, text, 2)

    assert response.status_code == 400
    assert reason in response.content.decode()
    # Refused whole: the good entry beside it is not created either.
    assert not Paper.objects.exists()


def test_the_listing_of_a_paste_marks_an_entry_that_cannot_be_added(author_client):
    text = entry("fine2020", title="A Fine Paper") + BAD_ENTRIES["javascript url"][0]

    response = author_client.post(IMPORT, {"text": text})

    assert response.status_code == 200
    content = response.content.decode()
    assert 'value="0"' in content
    assert 'value="1"' not in content  # The bad one cannot be chosen...
    assert "http" in content  # ... and says why.


def test_good_entries_are_still_created(author_client):
    text = entry("one2020", title="First", keywords="cs.LG, vision") + entry(
        "two2021", title="Second", url="https://example.org/paper"
    )

    response = confirm(author_client, text, 2)

    assert response.status_code == 302
    assert sorted(Paper.objects.values_list("title", flat=True)) == ["First", "Second"]
    assert Paper.objects.get(title="Second").url == "https://example.org/paper"
