import pytest

from summaries.services import update_summary
from tests.factories import SummaryFactory

pytestmark = [pytest.mark.django_db, pytest.mark.integration]


def edit(summary, body):
    return update_summary(
        summary,
        summary.author,
        body=body,
        is_anonymous=summary.is_anonymous,
        is_private=summary.is_private,
        base_version=summary.version,
    )


@pytest.fixture
def edited(paper, author):
    summary = SummaryFactory(paper=paper, author=author, body="line one\nline two\n")
    summary = edit(summary, "line one\nline 2\n")
    return edit(summary, "line one\nline 2\nline three\n")


def test_history_lists_versions_and_diffs_the_last_two(client, edited):
    response = client.get(f"/summaries/{edited.pk}/history/")

    html = response.content.decode()
    assert response.status_code == 200
    assert [r.number for r in response.context["revisions"]] == [3, 2, 1]
    assert [(line.kind, line.text) for line in response.context["diff"]] == [
        ("same", "line one"),
        ("same", "line 2"),
        ("added", "line three"),
    ]
    assert "Changes from version 2 to version 3" in html


def test_history_diffs_any_two_versions(client, edited):
    response = client.get(f"/summaries/{edited.pk}/history/", {"from": 1, "to": 3})

    assert [(line.kind, line.text) for line in response.context["diff"]] == [
        ("same", "line one"),
        ("removed", "line two"),
        ("added", "line 2"),
        ("added", "line three"),
    ]


@pytest.mark.parametrize("query", [{"from": 9}, {"to": "x"}, {"from": 0, "to": 1}])
def test_history_with_an_unknown_version_is_404(client, edited, query):
    response = client.get(f"/summaries/{edited.pk}/history/", query)

    assert response.status_code == 404


def test_history_of_an_anonymous_summary_names_nobody_to_others(client, paper, author):
    summary = SummaryFactory(paper=paper, author=author, is_anonymous=True, body="a")
    edit(summary, "b")

    response = client.get(f"/summaries/{summary.pk}/history/")

    assert f"by {author.username}" not in response.content.decode()


def test_history_of_a_private_summary_is_404_for_others(client, paper):
    summary = SummaryFactory(paper=paper, is_private=True)

    response = client.get(f"/summaries/{summary.pk}/history/")

    assert response.status_code == 404


def test_edit_page_shows_edited_marker_on_the_permalink(client, edited):
    response = client.get(f"/summaries/{edited.pk}/")

    html = response.content.decode()
    assert '<span class="muted">edited</span>' in html
    assert f'href="/summaries/{edited.pk}/history/"' in html
