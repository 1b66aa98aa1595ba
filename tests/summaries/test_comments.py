import datetime

import pytest
from django.utils import timezone

from summaries.models import Comment, Summary
from summaries.services import add_comment
from tests.factories import SummaryFactory, UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.integration]


def post_url(summary):
    return f"/summaries/{summary.pk}/comments/"


def test_anonymous_is_sent_to_sign_in(client, summary):
    response = client.post(post_url(summary), {"body": "Hi"})

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert not Comment.objects.exists()


def test_posting_is_post_only(client, other_user, summary):
    client.force_login(other_user)

    response = client.get(post_url(summary))

    assert response.status_code == 405


def test_member_comments_with_markdown_and_math(client, other_user, summary):
    client.force_login(other_user)

    response = client.post(post_url(summary), {"body": "Why $\\beta_2 = 0.999$? *Curious*."})

    comment = Comment.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/summaries/{summary.pk}/#comment-{comment.pk}"
    assert comment.body_html == (
        '<p>Why <span class="arithmatex">\\(\\beta_2 = 0.999\\)</span>? <em>Curious</em>.</p>'
    )
    assert Summary.objects.get().comment_count == 1


def test_a_rejected_comment_is_shown_back_with_the_text(client, other_user, summary):
    client.force_login(other_user)

    response = client.post(post_url(summary), {"body": "x" * 10_001})

    assert response.status_code == 400
    assert "x" * 10_001 in response.content.decode()
    assert not Comment.objects.exists()


def test_private_summaries_take_no_comments(client, other_user, author, paper):
    summary = SummaryFactory(paper=paper, author=author, is_private=True)
    client.force_login(author)

    response = client.post(post_url(summary), {"body": "note to self"})

    assert response.status_code == 403


def test_a_reply_to_a_reply_hangs_under_the_top_comment(client, author, other_user, summary):
    third = UserFactory(username="carol")
    top = add_comment(other_user, summary, body="top")
    reply = add_comment(third, summary, body="reply", parent=top)
    client.force_login(author)

    client.post(post_url(summary), {"body": "reply to reply", "parent": reply.pk})

    newest = Comment.objects.latest("pk")
    assert (newest.parent, newest.reply_to) == (top, third)


def test_thread_shows_replies_and_marks_the_summary_author(client, author, other_user, summary):
    top = add_comment(other_user, summary, body="A question")
    add_comment(author, summary, body="An answer", parent=top)

    response = client.get(f"/summaries/{summary.pk}/")

    html = response.content.decode()
    assert [c.body for c in response.context["comments"]] == ["A question"]
    assert [r.body for r in response.context["comments"][0].thread_replies] == ["An answer"]
    assert '<span class="badge" title="Wrote the summary">author</span>' in html
    assert "2 Comments" in html


def test_anonymous_summary_authors_comment_does_not_unmask_them(client, other_user, paper):
    author = UserFactory(username="secretive")
    summary = SummaryFactory(paper=paper, author=author, is_anonymous=True)
    top = add_comment(other_user, summary, body="Who wrote this?")
    add_comment(author, summary, body="Not telling", parent=top)
    add_comment(other_user, summary, body="Fine", parent=top)
    client.force_login(other_user)

    response = client.get(f"/summaries/{summary.pk}/")

    html = response.content.decode()
    assert "secretive" not in html
    assert "Anonymous" in html


def test_deleted_comment_leaves_a_placeholder_when_it_has_replies(
    client, author, other_user, summary
):
    top = add_comment(other_user, summary, body="Regrettable words")
    add_comment(author, summary, body="A calm answer", parent=top)
    client.force_login(other_user)
    client.post(f"/summaries/comments/{top.pk}/delete/")

    response = client.get(f"/summaries/{summary.pk}/")

    html = response.content.decode()
    assert "Regrettable words" not in html
    assert "Comment deleted." in html
    assert "A calm answer" in html
    assert Summary.objects.get().comment_count == 1


def test_only_the_author_deletes_their_comment(client, author, other_user, moderator, summary):
    comment = add_comment(other_user, summary, body="mine")
    statuses = []
    for user in (author, moderator):
        client.force_login(user)
        statuses.append(client.post(f"/summaries/comments/{comment.pk}/delete/").status_code)

    assert statuses == [403, 403]
    assert Comment.objects.get().deleted_at is None


def test_author_edits_within_the_window_and_it_shows_edited(client, other_user, summary):
    comment = add_comment(other_user, summary, body="tpyo")
    client.force_login(other_user)

    response = client.post(f"/summaries/comments/{comment.pk}/edit/", {"body": "typo"})

    comment.refresh_from_db()
    assert response.status_code == 302
    assert (comment.body, comment.body_html) == ("typo", "<p>typo</p>")
    assert comment.edited_at is not None
    assert (
        '<span class="muted">edited</span>'
        in client.get(f"/summaries/{summary.pk}/").content.decode()
    )


def test_editing_after_the_window_is_refused(client, other_user, summary):
    comment = add_comment(other_user, summary, body="old words")
    Comment.objects.filter(pk=comment.pk).update(
        created_at=timezone.now() - datetime.timedelta(hours=2)
    )
    client.force_login(other_user)

    response = client.post(f"/summaries/comments/{comment.pk}/edit/", {"body": "new words"})

    assert response.status_code == 403
    assert Comment.objects.get().body == "old words"


def test_other_users_cannot_edit(client, author, other_user, summary):
    comment = add_comment(other_user, summary, body="mine")
    client.force_login(author)

    response = client.get(f"/summaries/comments/{comment.pk}/edit/")

    assert response.status_code == 403


def test_commenting_is_rate_limited(client, settings, other_user, summary):
    settings.ACCOUNT_RATE_LIMITS = {"comment": "1/m/user"}
    client.force_login(other_user)
    client.post(post_url(summary), {"body": "one"})

    response = client.post(post_url(summary), {"body": "two"})

    assert response.status_code == 429
    assert Comment.objects.count() == 1


def test_only_a_reply_to_a_reply_names_whom_it_answers(client, author, other_user, summary):
    carol = UserFactory(username="carol")
    top = add_comment(other_user, summary, body="top")
    direct = add_comment(carol, summary, body="direct reply", parent=top)
    add_comment(author, summary, body="answer to carol", parent=direct)

    response = client.get(f"/summaries/{summary.pk}/")

    replies = response.context["comments"][0].thread_replies
    assert [(r.body, r.show_reply_to) for r in replies] == [
        ("direct reply", False),
        ("answer to carol", True),
    ]
    assert "replying to @carol" in response.content.decode()
