"""The flag page, /moderation/flag/<kind>/<pk>/ (moderation.views.flag): a member reports
a summary, a comment, a paper or a member, with a reason from the list and once; what
they cannot see is 404."""

import pytest
from django.utils import timezone

from moderation import services as moderation
from moderation.models import Case, Flag, FlagReason
from papers.models import Paper
from summaries.models import Summary
from summaries.services import add_comment, delete_comment
from tests.factories import SummaryFactory
from tests.moderation.helpers import messages_of, signed_in, templates_of, text_of

pytestmark = [pytest.mark.django_db, pytest.mark.integration]

REASONS = ["spam", "abuse", "wrong_paper", "plagiarism", "other"]
KINDS = ["summary", "comment", "paper", "user"]


def flag_url(item) -> str:
    return f"/moderation/flag/{moderation.kind_of(item)}/{item.pk}/"


@pytest.mark.parametrize("item", KINDS, indirect=True)
def test_flag_page_shows_the_item_and_the_reasons(other_client, item):
    response = other_client.get(flag_url(item))

    assert response.status_code == 200
    assert "moderation/flag.html" in templates_of(response)
    assert response.context["item"] == item
    assert response.context["kind"] == moderation.kind_of(item)
    form = response.context["form"]
    assert [value for value, _ in form.fields["reason"].choices] == REASONS
    assert not form.is_bound
    assert 'name="reason" value="plagiarism"' in text_of(response)


@pytest.mark.parametrize("item", KINDS, indirect=True)
def test_flag_is_recorded_thanked_and_goes_back_to_the_item(other_client, other_user, item):
    response = other_client.post(flag_url(item), {"reason": "spam", "text": "Advertising"})

    assert response.status_code == 302
    assert response["Location"] == item.get_absolute_url()
    assert messages_of(response) == ["Thank you. A moderator will look at it."]
    flag = Flag.objects.select_related("case").get()
    assert (flag.reporter, flag.reason, flag.text) == (other_user, "spam", "Advertising")
    assert (flag.case.kind, flag.case.target, flag.case.is_open) == (
        moderation.kind_of(item),
        item,
        True,
    )


def test_flag_for_something_else_needs_words(other_client, summary):
    response = other_client.post(flag_url(summary), {"reason": "other", "text": "  "})

    assert response.status_code == 400
    assert response.context["form"].errors == {"text": ["Say what is wrong."]}
    assert not Flag.objects.exists()


def test_flag_needs_a_reason_from_the_list(other_client, summary):
    response = other_client.post(flag_url(summary), {"reason": "boring"})

    assert response.status_code == 400
    assert list(response.context["form"].errors) == ["reason"]
    assert not Case.objects.exists()


@pytest.mark.parametrize("method", ["get", "post"])
def test_flagging_again_says_so_and_goes_back(other_client, other_user, summary, method):
    moderation.flag(other_user, summary, reason=FlagReason.SPAM)

    response = getattr(other_client, method)(flag_url(summary), {"reason": "abuse"})

    assert response.status_code == 302
    assert response["Location"] == summary.get_absolute_url()
    assert messages_of(response) == ["You have flagged this already; a moderator will look at it."]
    assert list(Flag.objects.values_list("reason", flat=True)) == ["spam"]


def test_flag_sends_visitors_to_sign_in(client, summary):
    response = client.post(flag_url(summary), {"reason": "spam"})

    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={flag_url(summary)}"
    assert not Flag.objects.exists()


@pytest.mark.parametrize("item", ["summary", "user"], indirect=True)
def test_members_cannot_flag_what_they_wrote_or_themselves(author_client, item):
    response = author_client.post(flag_url(item), {"reason": "spam"})

    assert response.status_code == 403
    assert not Flag.objects.exists()


def test_members_cannot_flag_their_own_comment(third_user, comment):
    response = signed_in(third_user).post(flag_url(comment), {"reason": "spam"})

    assert response.status_code == 403
    assert not Flag.objects.exists()


def test_a_member_may_report_a_problem_with_a_paper_they_added(other_client, other_user, paper):
    Paper.objects.filter(pk=paper.pk).update(added_by=other_user)

    response = other_client.post(flag_url(paper), {"reason": "wrong_paper", "text": "Typo"})

    assert response.status_code == 302
    assert Flag.objects.get().case.paper == paper


def _private(summary, comment, moderator, author):
    Summary.objects.filter(pk=summary.pk).update(is_private=True)
    return f"/moderation/flag/summary/{summary.pk}/"


def _hidden(summary, comment, moderator, author):
    moderation.hide(summary, moderator, "Spam")
    return f"/moderation/flag/summary/{summary.pk}/"


def _deleted(summary, comment, moderator, author):
    Summary.objects.filter(pk=summary.pk).update(deleted_at=timezone.now())
    return f"/moderation/flag/summary/{summary.pk}/"


def _hidden_comment(summary, comment, moderator, author):
    moderation.hide(comment, moderator, "Spam")
    return f"/moderation/flag/comment/{comment.pk}/"


def _deleted_comment(summary, comment, moderator, author):
    delete_comment(comment)
    return f"/moderation/flag/comment/{comment.pk}/"


def _comment_under_private_summary(summary, comment, moderator, author):
    Summary.objects.filter(pk=summary.pk).update(is_private=True)
    return f"/moderation/flag/comment/{comment.pk}/"


def _comment_under_hidden_summary(summary, comment, moderator, author):
    moderation.hide(summary, moderator, "Spam")
    return f"/moderation/flag/comment/{comment.pk}/"


def _inactive_member(summary, comment, moderator, author):
    author.is_active = False
    author.save()
    return f"/moderation/flag/user/{author.pk}/"


def _no_such_paper(summary, comment, moderator, author):
    return "/moderation/flag/paper/999999/"


def _no_such_kind(summary, comment, moderator, author):
    return f"/moderation/flag/vote/{summary.pk}/"


@pytest.mark.parametrize(
    "make_url",
    [
        pytest.param(_private, id="private-summary"),
        pytest.param(_hidden, id="hidden-summary"),
        pytest.param(_deleted, id="deleted-summary"),
        pytest.param(_hidden_comment, id="hidden-comment"),
        pytest.param(_deleted_comment, id="deleted-comment"),
        pytest.param(_comment_under_private_summary, id="comment-under-private-summary"),
        pytest.param(_comment_under_hidden_summary, id="comment-under-hidden-summary"),
        pytest.param(_inactive_member, id="inactive-member"),
        pytest.param(_no_such_paper, id="no-such-paper"),
        pytest.param(_no_such_kind, id="no-such-kind"),
    ],
)
@pytest.mark.parametrize("method", ["get", "post"])
def test_what_the_flagger_cannot_see_is_404(
    other_client, summary, comment, moderator, author, make_url, method
):
    url = make_url(summary, comment, moderator, author)

    response = getattr(other_client, method)(url, {"reason": "spam"})

    assert response.status_code == 404
    assert not Flag.objects.exists()


def test_flag_page_does_not_unmask_an_anonymous_author(other_client, author, paper):
    summary = SummaryFactory(author=author, paper=paper, is_anonymous=True)

    response = other_client.get(flag_url(summary))

    assert response.status_code == 200
    assert "/users/ada/" not in text_of(response)
    assert ">ada<" not in text_of(response)


def test_flag_page_does_not_unmask_the_anonymous_author_of_a_comment(other_client, author, paper):
    summary = SummaryFactory(author=author, paper=paper, is_anonymous=True)
    comment = add_comment(author, summary, body="Thanks for reading.")

    response = other_client.get(flag_url(comment))

    assert response.status_code == 200
    assert "/users/ada/" not in text_of(response)
