"""A member's standing (unread count, suspension, moderator) is kept in the cache and read
afresh after anything that changes it."""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

from accounts import standing
from accounts.models import Notification, Suspension
from accounts.permissions import can_moderate
from accounts.services import mark_read, notify
from moderation.services import lift_suspension, suspend
from shortscience.pagecache import content_changed
from tests.factories import UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("page_cache")]


def _fresh(user):
    """The member as the next request loads them (nothing kept on the object)."""
    return type(user).objects.get(pk=user.pk)


def test_a_members_second_page_asks_the_database_only_for_the_session_and_the_member(
    author_client, django_assert_num_queries
):
    author_client.get("/about/")

    with django_assert_num_queries(2):
        response = author_client.get("/about/")

    assert response.status_code == 200


def test_a_new_notification_shows_on_the_next_page(
    author, author_client, other_user, django_capture_on_commit_callbacks
):
    author_client.get("/about/")

    with django_capture_on_commit_callbacks(execute=True):
        notify(author, Notification.Kind.FOLLOWED_PAPER, other_user)

    assert standing.of(_fresh(author)).unread == 1
    assert author_client.get("/about/").context["unread_notification_count"] == 1


def test_reading_the_notifications_clears_the_count(
    author, other_user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        notify(author, Notification.Kind.FOLLOWED_PAPER, other_user)
    assert standing.of(_fresh(author)).unread == 1

    with django_capture_on_commit_callbacks(execute=True):
        mark_read(author)

    assert standing.of(_fresh(author)).unread == 0


def test_a_suspension_and_its_lifting_show_at_once(
    other_user, moderator, django_capture_on_commit_callbacks
):
    assert not standing.of(_fresh(other_user)).is_suspended()

    with django_capture_on_commit_callbacks(execute=True):
        suspend(other_user, moderator, "Spam", length=datetime.timedelta(days=1))
    suspended = standing.of(_fresh(other_user)).is_suspended()
    with django_capture_on_commit_callbacks(execute=True):
        lift_suspension(other_user, moderator, "Appeal granted")

    assert suspended
    assert not standing.of(_fresh(other_user)).is_suspended()


def test_a_suspension_that_has_run_out_is_over_without_a_write(other_user, moderator):
    Suspension.objects.create(
        user=other_user,
        moderator=moderator,
        reason="Spam",
        starts_at=timezone.now() - datetime.timedelta(days=2),
        ends_at=timezone.now() + datetime.timedelta(seconds=1),
    )
    kept = standing.of(_fresh(other_user))

    later = kept.suspension_ends + datetime.timedelta(seconds=1)

    assert kept.is_suspended()
    assert not kept.is_suspended(at=later)


def test_a_member_made_moderator_in_the_admin_moderates_on_their_next_page(
    django_capture_on_commit_callbacks,
):
    member = UserFactory()
    assert not can_moderate(_fresh(member))

    member.groups.add(Group.objects.get(name="Moderators"))
    still_kept = can_moderate(_fresh(member))
    with django_capture_on_commit_callbacks(execute=True):
        content_changed()  # what the admin's committed write does

    assert still_kept is False
    assert can_moderate(_fresh(member)) is True


def test_without_the_page_cache_the_standing_is_read_from_the_database(
    settings, author, other_user
):
    settings.PAGE_CACHE_SECONDS = 0
    standing.of(_fresh(author))

    notify(author, Notification.Kind.FOLLOWED_PAPER, other_user)  # no commit needed

    assert standing.of(_fresh(author)).unread == 1
