"""A hidden summary or comment on the rest of the site: only its author and the
moderators see it; a hidden comment with replies leaves a placeholder for others."""

import pytest

from moderation import services as moderation
from summaries.services import add_comment
from tests.moderation.helpers import text_of

pytestmark = [pytest.mark.django_db, pytest.mark.integration]


@pytest.fixture
def hidden_summary(summary, moderator):
    moderation.hide(summary, moderator, "Copied from the abstract")
    return summary


@pytest.mark.parametrize(
    ("viewer", "status"),
    [
        pytest.param("author", 200, id="its-author"),
        pytest.param("moderator", 200, id="a-moderator"),
        pytest.param("other_user", 404, id="another-member"),
        pytest.param(None, 404, id="a-visitor"),
    ],
)
def test_a_hidden_summary_shows_only_to_its_author_and_moderators(
    client, hidden_summary, request, viewer, status
):
    if viewer:
        client.force_login(request.getfixturevalue(viewer))

    response = client.get(f"/summaries/{hidden_summary.pk}/")

    assert response.status_code == status
    if status == 200:
        assert "Hidden by a moderator: Copied from the abstract." in text_of(response)
        assert hidden_summary.body_html in text_of(response)


@pytest.mark.parametrize(
    ("viewer", "sees_it"),
    [
        pytest.param("third_user", True, id="its-author"),
        pytest.param("moderator", True, id="a-moderator"),
        pytest.param("other_user", False, id="another-member"),
        pytest.param(None, False, id="a-visitor"),
    ],
)
def test_a_hidden_comment_without_replies_shows_only_to_its_author_and_moderators(
    client, summary, comment, moderator, request, viewer, sees_it
):
    moderation.hide(comment, moderator, "Rude")
    if viewer:
        client.force_login(request.getfixturevalue(viewer))

    response = client.get(f"/summaries/{summary.pk}/")

    page = text_of(response)
    assert response.status_code == 200
    assert (comment.body_html in page) is sees_it
    assert ("Hidden by a moderator: Rude." in page) is sees_it
    assert (f'id="comment-{comment.pk}"' in page) is sees_it
    assert "Comment hidden by a moderator." not in page
    assert "0 Comments" in page


def test_a_hidden_comment_with_replies_leaves_a_placeholder_for_others(
    other_client, summary, comment, author, moderator
):
    reply = add_comment(author, summary, body="I disagree, politely.", parent=comment)
    moderation.hide(comment, moderator, "Rude")

    response = other_client.get(f"/summaries/{summary.pk}/")

    page = text_of(response)
    assert "Comment hidden by a moderator." in page
    assert comment.body_html not in page
    assert "Rude" not in page
    assert reply.body_html in page
    assert "1 Comment" in page
