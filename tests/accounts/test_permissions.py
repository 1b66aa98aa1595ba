import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from accounts.permissions import can_post_links, is_established
from summaries.models import Comment, Summary
from tests.factories import CommentFactory, EmailAddressFactory, SummaryFactory, UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.integration]


def days_ago(days: int):
    return timezone.now() - datetime.timedelta(days=days)


def aged(item, days: int):
    """``item`` as if written ``days`` ago (created_at is set on insert)."""
    type(item).objects.filter(pk=item.pk).update(created_at=days_ago(days))
    return item


# is_established ----------------------------------------------------------------------------


def test_a_member_with_nothing_written_is_not_established(author):
    assert is_established(author) is False


def test_a_summary_voted_up_by_someone_establishes_its_author(author):
    SummaryFactory(author=author, score=1)

    assert is_established(author) is True


def test_a_summary_that_stood_three_days_establishes_its_author(author):
    aged(SummaryFactory(author=author), days=3)

    assert is_established(author) is True


def test_a_new_summary_without_votes_does_not_establish_yet(author):
    aged(SummaryFactory(author=author), days=2)

    assert is_established(author) is False


def test_an_old_summary_voted_below_zero_does_not_establish(author):
    aged(SummaryFactory(author=author, score=-1), days=30)

    assert is_established(author) is False


@pytest.mark.parametrize(
    "state",
    [
        {"is_private": True},
        {"hidden_at": datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC)},
        {"deleted_at": datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC)},
    ],
    ids=["private", "hidden", "deleted"],
)
def test_a_summary_others_cannot_read_does_not_establish(author, state):
    summary = aged(SummaryFactory(author=author, score=5), days=30)
    Summary.objects.filter(pk=summary.pk).update(**state)

    assert is_established(author) is False


def test_a_comment_that_stood_three_days_establishes_its_author(author):
    aged(CommentFactory(author=author), days=4)

    assert is_established(author) is True


def test_a_comment_voted_up_establishes_its_author(author):
    CommentFactory(author=author, score=1)

    assert is_established(author) is True


def test_a_hidden_comment_does_not_establish(author):
    comment = aged(CommentFactory(author=author, score=2), days=30)
    Comment.objects.filter(pk=comment.pk).update(hidden_at=days_ago(1))

    assert is_established(author) is False


def test_a_comment_under_a_private_summary_does_not_establish(author):
    aged(CommentFactory(author=author, summary=SummaryFactory(is_private=True)), days=30)

    assert is_established(author) is False


def test_anothers_accepted_work_does_not_establish_a_member(author, other_user):
    SummaryFactory(author=other_user, score=3)
    CommentFactory(author=other_user, summary=SummaryFactory(author=author), score=3)

    assert (is_established(author), is_established(other_user)) == (False, True)


def test_moderators_are_established(moderator):
    assert is_established(moderator) is True


def test_a_visitor_is_not_established():
    assert is_established(AnonymousUser()) is False


# can_post_links --------------------------------------------------------------------------


def test_a_member_with_a_verified_address_may_post_links(author):
    assert can_post_links(author) is True


def test_a_member_whose_address_is_unverified_may_not():
    member = UserFactory(verified_email=None)
    EmailAddressFactory(user=member, email=member.email, verified=False)

    assert can_post_links(member) is False


def test_a_member_without_any_address_may_not():
    assert can_post_links(UserFactory(verified_email=None)) is False
