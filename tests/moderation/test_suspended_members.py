"""A suspension on the rest of the site: the member reads every page with the reason and
the end, and every write of theirs is refused, the text they wrote kept."""

import pytest
from django.template.defaultfilters import date as date_filter

from moderation import services as moderation
from moderation.models import Flag
from papers.models import Paper
from summaries.models import Comment, Summary, Vote
from summaries.services import add_comment
from tests.factories import PaperFactory, SummaryFactory
from tests.moderation.helpers import WEEK, text_of

pytestmark = [pytest.mark.django_db, pytest.mark.integration]

JSON = {"HTTP_ACCEPT": "application/json"}


@pytest.fixture
def suspension(author, moderator):
    return moderation.suspend(author, moderator, "Posting advertisements", length=WEEK)


@pytest.fixture
def bobs_summary(other_user, paper):
    return SummaryFactory(author=other_user, paper=paper)


@pytest.mark.parametrize(
    "url",
    [
        pytest.param("/", id="home"),
        pytest.param("/about/", id="about"),
        pytest.param("/summaries/{summary}/", id="a-summary"),
        pytest.param("/papers/", id="papers"),
        pytest.param("/users/ada/", id="own-profile"),
        pytest.param("/moderation/log/", id="the-log"),
    ],
)
def test_a_suspended_member_reads_with_the_reason_and_end_on_every_page(
    author_client, suspension, bobs_summary, url
):
    response = author_client.get(url.format(summary=bobs_summary.pk))

    assert response.status_code == 200
    page = text_of(response)
    assert "A moderator suspended your account until" in page
    assert date_filter(suspension.ends_at, "j F Y, H:i") in page
    assert "The reason given: “Posting advertisements”." in page


def test_others_see_no_banner(other_client, suspension, bobs_summary):
    response = other_client.get(f"/summaries/{bobs_summary.pk}/")

    assert response.status_code == 200
    assert "suspended" not in text_of(response)


def _write(paper, bobs_summary, comment):
    return f"/summaries/new/{PaperFactory().pk}/", {"body": "A new summary."}


def _comment(paper, bobs_summary, comment):
    return f"/summaries/{bobs_summary.pk}/comments/", {"body": "A comment."}


def _vote(paper, bobs_summary, comment):
    return f"/summaries/{bobs_summary.pk}/vote/", {"value": "1"}


def _comment_vote(paper, bobs_summary, comment):
    return f"/summaries/comments/{comment.pk}/vote/", {"value": "1"}


def _flag(paper, bobs_summary, comment):
    return f"/moderation/flag/summary/{bobs_summary.pk}/", {"reason": "spam"}


def _add_paper(paper, bobs_summary, comment):
    data = {"title": "A New Paper", "authors": "Grace Hopper", "year": "1952"}
    return "/papers/new/", data


WRITES = [
    pytest.param(_write, id="write-a-summary"),
    pytest.param(_comment, id="comment"),
    pytest.param(_vote, id="vote"),
    pytest.param(_comment_vote, id="vote-on-a-comment"),
    pytest.param(_flag, id="flag"),
    pytest.param(_add_paper, id="add-a-paper"),
]


@pytest.mark.parametrize("make", WRITES)
def test_a_suspended_member_gets_the_suspended_page_when_writing(
    author_client, suspension, paper, bobs_summary, make
):
    comment = add_comment(bobs_summary.author, bobs_summary, body="Bob's own note.")
    url, data = make(paper, bobs_summary, comment)
    counts = [m.objects.count() for m in (Summary, Comment, Vote, Flag, Paper)]

    response = author_client.post(url, data)

    assert response.status_code == 403
    assert "Your account is suspended" in text_of(response)
    assert "The reason given: “Posting advertisements”." in text_of(response)
    assert [m.objects.count() for m in (Summary, Comment, Vote, Flag, Paper)] == counts


def test_a_suspended_members_vote_by_script_gets_the_reason_as_json(
    author_client, suspension, bobs_summary
):
    response = author_client.post(f"/summaries/{bobs_summary.pk}/vote/", {"value": "1"}, **JSON)

    assert response.status_code == 403
    assert response.json() == {
        "error": "Your account is suspended until "
        f"{suspension.ends_at:%d %B %Y, %H:%M} UTC: Posting advertisements"
    }
    assert not Vote.objects.exists()


def test_after_the_suspension_is_lifted_the_member_writes_again(
    author_client, suspension, bobs_summary, moderator
):
    moderation.lift_suspension(suspension.user, moderator, "Served")

    response = author_client.post(f"/summaries/{bobs_summary.pk}/comments/", {"body": "Hi."})

    assert response.status_code == 302
    assert Comment.objects.get().body == "Hi."


def test_a_suspended_member_gets_their_comment_back_with_the_reason(
    author_client, suspension, bobs_summary
):
    response = author_client.post(
        f"/summaries/{bobs_summary.pk}/comments/", {"body": "My *careful* reply."}
    )

    assert response.status_code == 403
    assert response.context["comment_form"]["body"].value() == "My *careful* reply."
    assert "Your account is suspended" in text_of(response)
    assert Comment.objects.count() == 0


def test_a_suspended_members_flag_comes_back_with_their_words(
    author_client, suspension, bobs_summary
):
    response = author_client.post(
        f"/moderation/flag/summary/{bobs_summary.pk}/",
        {"reason": "plagiarism", "text": "Copied from a blog post."},
    )

    assert response.status_code == 403
    assert response.context["form"]["text"].value() == "Copied from a blog post."
    assert "Your account is suspended until" in text_of(response)
    assert Flag.objects.count() == 0
