"""accounts/gate.py: which of a member's suspensions is in force."""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from accounts.gate import active_suspension
from accounts.models import Suspension

pytestmark = [pytest.mark.django_db, pytest.mark.integration]

WEEK = datetime.timedelta(days=7)


def test_active_suspension_ignores_ended_lifted_and_future_ones(other_user, moderator):
    now = timezone.now()
    Suspension.objects.create(
        user=other_user, reason="Ended", starts_at=now - WEEK, ends_at=now - datetime.timedelta(1)
    )
    Suspension.objects.create(
        user=other_user, reason="Lifted", starts_at=now - WEEK, lifted_at=now, lifted_by=moderator
    )
    Suspension.objects.create(user=other_user, reason="Not begun", starts_at=now + WEEK)

    assert active_suspension(other_user) is None


def test_active_suspension_is_the_open_ended_one_first(other_user, moderator):
    now = timezone.now()
    Suspension.objects.create(user=other_user, reason="A week", starts_at=now, ends_at=now + WEEK)
    until_lifted = Suspension.objects.create(user=other_user, reason="Until lifted")

    assert active_suspension(other_user) == until_lifted


def test_visitors_have_no_suspension():
    assert active_suspension(AnonymousUser()) is None
