"""POST /summaries/comments/<pk>/vote/: upvote a comment or take the upvote back."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages import get_messages
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.utils import timezone

from summaries.listing import mark_comments_for_viewer
from summaries.models import Comment, CommentVote, Summary
from tests.factories import CommentFactory, CommentVoteFactory, SummaryFactory, UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.integration]

JSON = {"HTTP_ACCEPT": "application/json"}


@pytest.fixture
def comment(author, paper):
    """The author's comment on someone else's public summary."""
    return CommentFactory(summary=SummaryFactory(paper=paper), author=author)


def url(comment):
    return f"/summaries/comments/{comment.pk}/vote/"


def score(comment):
    return Comment.objects.values_list("score", flat=True).get(pk=comment.pk)


# Permission matrix ----------------------------------------------------------------------


def test_comment_vote_sends_visitors_to_sign_in(client, comment):
    response = client.post(url(comment), {"value": "1"})

    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={url(comment)}"
    assert score(comment) == 0


def test_comment_vote_is_post_only(client, other_user, comment):
    client.force_login(other_user)

    response = client.get(url(comment), {"value": "1"})

    assert response.status_code == 405
    assert CommentVote.objects.count() == 0


def test_other_member_upvotes_and_goes_back_to_the_comment(client, other_user, comment):
    client.force_login(other_user)

    response = client.post(url(comment), {"value": "1"})

    assert response.status_code == 302
    assert response["Location"] == f"/summaries/comments/{comment.pk}/"
    assert [str(m) for m in get_messages(response.wsgi_request)] == ["You voted this comment up."]
    assert score(comment) == 1
    assert list(CommentVote.objects.values_list("user", "comment")) == [
        (other_user.pk, comment.pk)
    ]


def test_author_cannot_vote_on_their_own_comment(author_client, comment):
    as_form = author_client.post(url(comment), {"value": "1"})
    as_json = author_client.post(url(comment), {"value": "1"}, **JSON)

    assert as_form.status_code == 403
    assert "You cannot vote on your own comment." in as_form.content.decode()
    assert as_json.status_code == 403
    assert as_json.json() == {"error": "You cannot vote on your own comment."}
    assert score(comment) == 0


def test_summary_author_may_upvote_a_comment_on_their_summary(client, comment):
    client.force_login(comment.summary.author)

    response = client.post(url(comment), {"value": "1"}, **JSON)

    assert response.json() == {"score": 1, "vote": 1}


def test_moderator_upvotes_like_any_member(client, moderator, comment):
    client.force_login(moderator)

    response = client.post(url(comment), {"value": "1"}, **JSON)

    assert response.status_code == 200
    assert response.json() == {"score": 1, "vote": 1}
    assert score(comment) == 1


@pytest.mark.parametrize("viewer", ["other_user", "moderator"])
@pytest.mark.parametrize("state", ["deleted", "hidden"])
def test_comment_that_is_not_shown_takes_no_votes(client, request, comment, viewer, state):
    Comment.objects.filter(pk=comment.pk).update(**{f"{state}_at": timezone.now()})
    client.force_login(request.getfixturevalue(viewer))

    response = client.post(url(comment), {"value": "1"})

    assert response.status_code == 404
    assert CommentVote.objects.count() == 0


@pytest.mark.parametrize("viewer", ["other_user", "moderator"])
@pytest.mark.parametrize("state", ["hidden", "private", "deleted"])
def test_comment_under_a_summary_that_is_not_public_takes_no_votes(
    client, request, comment, viewer, state
):
    changes = {
        "hidden": {"hidden_at": timezone.now()},
        "private": {"is_private": True},
        "deleted": {"deleted_at": timezone.now()},
    }[state]
    Summary.objects.filter(pk=comment.summary_id).update(**changes)
    client.force_login(request.getfixturevalue(viewer))

    response = client.post(url(comment), {"value": "1"}, **JSON)

    assert response.status_code == 404
    assert score(comment) == 0


# Values and the score -------------------------------------------------------------------


def test_upvote_then_take_it_back(client, other_user, comment):
    client.force_login(other_user)
    CommentVoteFactory(comment=comment)
    Comment.objects.filter(pk=comment.pk).update(score=1)

    up = client.post(url(comment), {"value": "1"}, **JSON).json()
    again = client.post(url(comment), {"value": "1"}, **JSON).json()
    back = client.post(url(comment), {"value": "0"}, **JSON).json()
    back_again = client.post(url(comment), {"value": "0"}, **JSON).json()

    assert [up, again, back, back_again] == [
        {"score": 2, "vote": 1},
        {"score": 2, "vote": 1},
        {"score": 1, "vote": 0},
        {"score": 1, "vote": 0},
    ]
    assert score(comment) == 1 == CommentVote.objects.count()


def test_taking_an_upvote_back_without_javascript_says_so(client, other_user, comment):
    client.force_login(other_user)
    client.post(url(comment), {"value": "1"})

    response = client.post(url(comment), {"value": "0"})

    assert response.status_code == 302
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "You voted this comment up.",
        "Your vote on this comment is taken back.",
    ]
    assert score(comment) == 0


@pytest.mark.parametrize("value", ["-1", "2", "up", ""])
def test_comment_vote_other_than_1_or_0_is_400(client, other_user, comment, value):
    client.force_login(other_user)

    as_json = client.post(url(comment), {"value": value}, **JSON)
    as_form = client.post(url(comment), {"value": value})

    assert (as_json.status_code, as_form.status_code) == (400, 400)
    assert as_json.json() == {"error": "A comment vote is 1 or 0."}
    assert score(comment) == 0


def test_comment_vote_goes_back_to_a_page_of_this_site_only(client, other_user, comment):
    client.force_login(other_user)
    back = f"/summaries/{comment.summary_id}/?x=1#comment-{comment.pk}"

    ours = client.post(url(comment), {"value": "1", "next": back})
    theirs = client.post(url(comment), {"value": "0", "next": "https://evil.example/"})

    assert ours["Location"] == back
    assert theirs["Location"] == f"/summaries/comments/{comment.pk}/"


def test_comment_votes_share_the_vote_rate_limit(client, other_user, comment, settings):
    settings.ACCOUNT_RATE_LIMITS = {"vote": "2/m/user"}
    client.force_login(other_user)
    client.post(f"/summaries/{comment.summary_id}/vote/", {"value": "1"}, **JSON)
    client.post(url(comment), {"value": "1"}, **JSON)

    response = client.post(url(comment), {"value": "0"}, **JSON)

    assert response.status_code == 429
    assert score(comment) == 1


# The viewer's upvotes and the widget ----------------------------------------------------


def test_mark_comments_for_viewer_reads_upvotes_in_one_query(
    other_user, comment, django_assert_num_queries
):
    voted, not_voted = CommentFactory.create_batch(2, summary=comment.summary)
    CommentVoteFactory(user=other_user, comment=voted)
    CommentVoteFactory(comment=not_voted)
    mine = CommentFactory(summary=comment.summary, author=other_user)
    gone = CommentFactory(summary=comment.summary, deleted_at=timezone.now())
    comments = list(Comment.objects.filter(summary=comment.summary).order_by("pk"))

    with django_assert_num_queries(1):
        marked = mark_comments_for_viewer(comments, other_user)

    assert [(c.pk, c.my_vote, c.can_vote) for c in marked] == [
        (comment.pk, False, True),
        (voted.pk, True, True),
        (not_voted.pk, False, True),
        (mine.pk, False, False),
        (gone.pk, False, False),
    ]


def test_mark_comments_for_viewer_asks_nothing_for_visitors(comment, django_assert_num_queries):
    with django_assert_num_queries(0):
        marked = mark_comments_for_viewer([comment], AnonymousUser())

    assert [(c.my_vote, c.can_vote) for c in marked] == [(False, False)]


def render_widget(comment, user):
    request = RequestFactory().get(f"/summaries/{comment.summary_id}/")
    request.user = user
    [marked] = mark_comments_for_viewer([comment], user)
    return render_to_string(
        "summaries/_comment_vote.html",
        {"comment": marked, "summary": comment.summary},
        request=request,
    )


def test_comment_widget_shows_the_members_upvote_pressed(other_user, comment):
    CommentVoteFactory(user=other_user, comment=comment)
    Comment.objects.filter(pk=comment.pk).update(score=1)
    comment.refresh_from_db()

    html = render_widget(comment, other_user)

    assert f'action="/summaries/comments/{comment.pk}/vote/"' in html
    assert '<input type="hidden" name="value" value="0">' in html
    assert 'aria-label="Vote up" aria-pressed="true"' in html
    assert '<span class="js-vote-score">1</span>' in html


@pytest.mark.parametrize("viewer", ["author", "anonymous", "under_hidden_summary"])
def test_comment_widget_shows_points_only_to_who_cannot_vote(request, comment, viewer):
    user = AnonymousUser() if viewer == "anonymous" else request.getfixturevalue("author")
    if viewer == "under_hidden_summary":
        user = UserFactory()
        comment.summary.hidden_at = timezone.now()

    html = render_widget(comment, user)

    assert "<form" not in html
    assert '<span class="vote__score muted">0 points</span>' in html
