"""POST /summaries/<pk>/vote/: up, down or take back, with and without JavaScript."""

import threading

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages import get_messages
from django.db import connection
from django.utils import timezone

from moderation import services as moderation
from summaries.listing import mark_for_viewer
from summaries.models import Summary, Vote
from summaries.services import cast_vote
from tests.factories import PaperFactory, SummaryFactory, UserFactory, VoteFactory

pytestmark = [pytest.mark.django_db, pytest.mark.integration]

JSON = {"HTTP_ACCEPT": "application/json"}


def url(summary):
    return f"/summaries/{summary.pk}/vote/"


def score(summary):
    return Summary.objects.values_list("score", flat=True).get(pk=summary.pk)


def messages_of(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


# Permission matrix ----------------------------------------------------------------------


def test_vote_sends_visitors_to_sign_in(client, summary):
    response = client.post(url(summary), {"value": "1"})

    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={url(summary)}"
    assert score(summary) == 0


def test_vote_is_post_only(client, other_user, summary):
    client.force_login(other_user)

    response = client.get(url(summary), {"value": "1"})

    assert response.status_code == 405
    assert Vote.objects.count() == 0


def test_vote_needs_the_csrf_token(client, other_user, summary):
    client.handler.enforce_csrf_checks = True
    client.force_login(other_user)

    response = client.post(url(summary), {"value": "1"})

    assert response.status_code == 403
    assert score(summary) == 0


def test_other_member_votes_up_and_goes_back_to_the_summary(client, other_user, summary):
    client.force_login(other_user)

    response = client.post(url(summary), {"value": "1"})

    assert response.status_code == 302
    assert response["Location"] == f"/summaries/{summary.pk}/"
    assert messages_of(response) == ["You voted this summary up."]
    assert score(summary) == 1
    assert list(Vote.objects.values_list("user", "summary", "value")) == [
        (other_user.pk, summary.pk, 1)
    ]


def test_author_cannot_vote_on_their_own_summary(author_client, summary):
    response = author_client.post(url(summary), {"value": "1"})

    assert response.status_code == 403
    assert "You cannot vote on your own summary." in response.content.decode()
    assert score(summary) == 0
    assert Vote.objects.count() == 0


def test_author_cannot_vote_on_their_own_summary_with_json(author_client, summary):
    response = author_client.post(url(summary), {"value": "-1"}, **JSON)

    assert response.status_code == 403
    assert response.json() == {"error": "You cannot vote on your own summary."}
    assert score(summary) == 0


def test_moderator_votes_like_any_member(client, moderator, summary):
    client.force_login(moderator)

    response = client.post(url(summary), {"value": "-1"}, **JSON)

    assert response.status_code == 200
    assert response.json() == {"score": -1, "vote": -1}
    assert score(summary) == -1


@pytest.mark.parametrize("viewer", ["other_user", "moderator", "author"])
@pytest.mark.parametrize("state", ["hidden", "private", "deleted"])
def test_summary_that_is_not_public_takes_no_votes(client, request, summary, viewer, state):
    """404 for everyone, whoever can see it: a moderator sees a hidden summary and its
    author sees it private or hidden, yet none of them can vote on it."""
    changes = {
        "hidden": {"hidden_at": timezone.now()},
        "private": {"is_private": True},
        "deleted": {"deleted_at": timezone.now()},
    }[state]
    Summary.objects.filter(pk=summary.pk).update(**changes)
    client.force_login(request.getfixturevalue(viewer))

    response = client.post(url(summary), {"value": "1"})

    assert response.status_code == 404
    assert score(summary) == 0
    assert Vote.objects.count() == 0


def test_vote_on_an_unknown_summary_is_404(client, other_user, summary):
    client.force_login(other_user)

    response = client.post(f"/summaries/{summary.pk + 1000}/vote/", {"value": "1"})

    assert response.status_code == 404


# Values and the score -------------------------------------------------------------------

# cast_vote's table: old vote (None = none yet), new value, the summary's score after.
# A third member's standing +1 makes the score more than this voter's own vote.
TRANSITIONS = [
    (None, 1, 2),
    (None, -1, 0),
    (None, 0, 1),
    (1, 1, 2),
    (1, -1, 0),
    (1, 0, 1),
    (-1, 1, 2),
    (-1, -1, 0),
    (-1, 0, 1),
]


@pytest.mark.parametrize(("old", "new", "expected"), TRANSITIONS)
def test_every_vote_transition_keeps_the_score_the_sum(
    client, other_user, summary, old, new, expected
):
    cast_vote(UserFactory(), summary, 1)
    client.force_login(other_user)
    if old is not None:
        client.post(url(summary), {"value": str(old)}, **JSON)

    response = client.post(url(summary), {"value": str(new)}, **JSON)

    assert response.json() == {"score": expected, "vote": new}
    assert score(summary) == expected == sum(Vote.objects.values_list("value", flat=True))
    mine = list(Vote.objects.filter(user=other_user).values_list("value", flat=True))
    assert mine == ([new] if new else [])


def test_taking_a_vote_back_without_javascript_says_so(client, other_user, summary):
    client.force_login(other_user)
    client.post(url(summary), {"value": "-1"})

    response = client.post(url(summary), {"value": "0"})

    assert response.status_code == 302
    assert messages_of(response) == [
        "You voted this summary down.",
        "Your vote on this summary is taken back.",
    ]
    assert score(summary) == 0


@pytest.mark.parametrize("value", ["2", "-2", "up", "", "1.0"])
def test_a_value_other_than_1_minus_1_or_0_is_400(client, other_user, summary, value):
    client.force_login(other_user)

    as_json = client.post(url(summary), {"value": value}, **JSON)
    as_form = client.post(url(summary), {"value": value})

    assert (as_json.status_code, as_form.status_code) == (400, 400)
    assert as_json.json() == {"error": "A vote is 1, -1 or 0."}
    assert score(summary) == 0


# Where the form goes back to ------------------------------------------------------------


def test_vote_goes_back_to_a_page_of_this_site(client, other_user, summary, paper):
    client.force_login(other_user)
    back = f"{paper.get_absolute_url()}?sort=new#summary-{summary.pk}"

    response = client.post(url(summary), {"value": "1", "next": back})

    assert response.status_code == 302
    assert response["Location"] == back


@pytest.mark.parametrize(
    "next_url",
    ["https://evil.example/", "//evil.example/path", "javascript:alert(1)", "http:///evil"],
)
def test_vote_never_goes_back_to_another_site(client, other_user, summary, next_url):
    client.force_login(other_user)

    response = client.post(url(summary), {"value": "1", "next": next_url})

    assert response.status_code == 302
    assert response["Location"] == f"/summaries/{summary.pk}/"


# Rate limit -----------------------------------------------------------------------------


def test_vote_is_rate_limited(client, other_user, summary, settings):
    settings.ACCOUNT_RATE_LIMITS = {"vote": "2/m/user"}
    client.force_login(other_user)
    client.post(url(summary), {"value": "1"}, **JSON)
    client.post(url(summary), {"value": "0"}, **JSON)

    response = client.post(url(summary), {"value": "-1"}, **JSON)

    assert response.status_code == 429
    assert score(summary) == 0
    assert Vote.objects.count() == 0


# Concurrency ----------------------------------------------------------------------------


def _at_once(function, arguments):
    """Run ``function`` once per item of ``arguments``, all threads released together."""
    barrier = threading.Barrier(len(arguments))
    errors = []

    def run(argument):
        barrier.wait()
        try:
            function(argument)
        except Exception as error:  # Kept for the test's assertion, not lost in a thread.
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(argument,)) for argument in arguments]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors


@pytest.mark.django_db(transaction=True)
def test_twenty_members_voting_at_once_all_count(author, paper):
    summary = SummaryFactory(paper=paper, author=author)
    voters = UserFactory.create_batch(20)

    errors = _at_once(lambda voter: cast_vote(voter, summary, 1), voters)

    assert errors == []
    assert score(summary) == 20
    assert Vote.objects.filter(summary=summary, value=1).count() == 20


@pytest.mark.django_db(transaction=True)
def test_one_member_voting_from_five_threads_at_once_counts_once(author, other_user, paper):
    summary = SummaryFactory(paper=paper, author=author)

    errors = _at_once(lambda _: cast_vote(other_user, summary, 1), range(5))

    assert errors == []
    assert score(summary) == 1
    assert list(Vote.objects.values_list("user", "value")) == [(other_user.pk, 1)]


# The widget and the viewer's votes ------------------------------------------------------


def test_widget_shows_the_members_vote_pressed(client, other_user, summary):
    VoteFactory(user=other_user, summary=summary, value=1)
    Summary.objects.filter(pk=summary.pk).update(score=1)
    client.force_login(other_user)

    response = client.get(f"/summaries/{summary.pk}/")

    html = response.content.decode()
    assert response.status_code == 200
    assert html.count(f'action="/summaries/{summary.pk}/vote/"') == 2
    # Pressing the pressed ▲ again takes the vote back; ▼ casts -1.
    assert '<input type="hidden" name="value" value="0">' in html
    assert '<input type="hidden" name="value" value="-1">' in html
    assert 'aria-label="Vote up" aria-pressed="true"' in html
    assert 'aria-label="Vote down" aria-pressed="false"' in html
    assert '<span class="js-vote-score">1</span>' in html
    assert "sign in to vote" not in html


def test_widget_asks_visitors_to_sign_in(client, summary):
    response = client.get(f"/summaries/{summary.pk}/")

    html = response.content.decode()
    assert f'action="/summaries/{summary.pk}/vote/"' not in html
    assert (
        f'<a href="/accounts/login/?next=/summaries/{summary.pk}/%23summary-{summary.pk}">'
        "sign in to vote</a>"
    ) in html


def test_widget_shows_the_author_the_score_only(author_client, summary):
    response = author_client.get(f"/summaries/{summary.pk}/")

    html = response.content.decode()
    assert f'action="/summaries/{summary.pk}/vote/"' not in html
    assert "sign in to vote" not in html
    assert 'score <span class="js-vote-score">0</span>' in html


def test_widget_sends_the_page_back_as_next(client, other_user, summary, paper):
    client.force_login(other_user)

    response = client.get(paper.get_absolute_url())

    back = f"{paper.get_absolute_url()}#summary-{summary.pk}"
    assert f'<input type="hidden" name="next" value="{back}">' in response.content.decode()


def test_mark_for_viewer_reads_a_members_votes_in_one_query(
    other_user, paper, django_assert_num_queries
):
    up, down, none = SummaryFactory.create_batch(3, paper=paper)
    VoteFactory(user=other_user, summary=up, value=1)
    VoteFactory(user=other_user, summary=down, value=-1)
    VoteFactory(summary=none, value=1)
    summaries = list(Summary.objects.filter(pk__in=[up.pk, down.pk, none.pk]).order_by("pk"))

    with django_assert_num_queries(1):
        marked = mark_for_viewer(summaries, other_user)

    assert [s.my_vote for s in marked] == [1, -1, 0]
    assert [s.can_vote for s in marked] == [True, True, True]


def test_mark_for_viewer_asks_nothing_for_visitors(paper, django_assert_num_queries):
    summaries = list(SummaryFactory.create_batch(2, paper=paper))

    with django_assert_num_queries(0):
        marked = mark_for_viewer(summaries, AnonymousUser())

    assert [(s.my_vote, s.can_vote) for s in marked] == [(0, False), (0, False)]


def test_mark_for_viewer_lets_nobody_vote_on_their_own_or_a_hidden_summary(
    author, other_user, moderator, paper
):
    own = SummaryFactory(paper=paper, author=author)
    hidden = SummaryFactory(author=other_user)
    moderation.hide(hidden, moderator, "Spam")
    hidden.refresh_from_db()

    marked = mark_for_viewer([own, hidden], author)

    assert [s.can_vote for s in marked] == [False, False]


# Query counts ---------------------------------------------------------------------------


@pytest.fixture
def voted_on(other_user):
    """Make ``count`` public summaries of one paper, each voted on by other_user."""

    def make(count):
        paper = PaperFactory(authors=["A One", "B Two"])
        paper.tags.add("cs.LG", "optimization")
        for value in [1, -1, 1][:count]:
            cast_vote(other_user, SummaryFactory(paper=paper), value)
        return paper

    return make


@pytest.mark.parametrize("count", [1, 3])
def test_paper_page_query_count_with_votes_is_fixed(
    client, django_assert_num_queries, other_user, voted_on, count
):
    paper = voted_on(count)
    client.force_login(other_user)

    with django_assert_num_queries(10):
        response = client.get(paper.get_absolute_url())

    assert sorted(s.my_vote for s in response.context["summaries"]) == sorted([1, -1, 1][:count])


@pytest.mark.parametrize("count", [1, 3])
def test_home_query_count_with_votes_is_fixed(
    client, django_assert_num_queries, other_user, voted_on, count
):
    voted_on(count)
    client.force_login(other_user)

    with django_assert_num_queries(8):
        response = client.get("/")

    marked = response.context["page"].object_list
    assert sorted(s.my_vote for s in marked) == sorted([1, -1, 1][:count])
