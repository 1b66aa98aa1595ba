"""Suspending a member and lifting the suspension, /moderation/users/<username>/suspend/
and /lift/ (moderation.views.suspend and lift)."""

import datetime

import pytest

from accounts.gate import active_suspension
from accounts.models import Suspension
from moderation import services as moderation
from moderation.models import ModerationLog
from tests.moderation.helpers import WEEK, messages_of, text_of

pytestmark = [pytest.mark.django_db, pytest.mark.integration]


def test_suspend_page_asks_for_a_reason_and_a_length(mod_client, other_user):
    response = mod_client.get("/moderation/users/bob/suspend/")

    assert response.status_code == 200
    assert response.context["member"] == other_user
    assert response.context["suspension"] is None
    assert [key for key, _ in response.context["form"].fields["length"].choices] == [
        "1d",
        "7d",
        "30d",
        "365d",
        "lifted",
    ]


@pytest.mark.parametrize(
    ("length", "lasts"),
    [
        pytest.param("1d", datetime.timedelta(days=1), id="a-day"),
        pytest.param("365d", datetime.timedelta(days=365), id="a-year"),
        pytest.param("lifted", None, id="until-lifted"),
    ],
)
def test_suspend_suspends_logs_and_goes_to_the_profile(
    mod_client, moderator, other_user, length, lasts
):
    response = mod_client.post(
        "/moderation/users/bob/suspend/", {"reason": "Spam", "length": length}
    )

    assert response.status_code == 302
    assert response["Location"] == "/users/bob/"
    assert messages_of(response) == ["bob is suspended."]
    suspension = Suspension.objects.get()
    assert (suspension.user, suspension.moderator, suspension.reason) == (
        other_user,
        moderator,
        "Spam",
    )
    assert (suspension.ends_at - suspension.starts_at if lasts else suspension.ends_at) == lasts
    assert list(ModerationLog.objects.values_list("action", "target_label")) == [
        ("suspend", "member bob")
    ]


@pytest.mark.parametrize(
    ("data", "errors"),
    [
        pytest.param({"length": "7d"}, {"reason": ["This field is required."]}, id="no-reason"),
        pytest.param(
            {"reason": "Spam", "length": "2d"},
            {"length": ["Select a valid choice. 2d is not one of the available choices."]},
            id="unknown-length",
        ),
    ],
)
def test_an_invalid_suspension_is_400(mod_client, other_user, data, errors):
    response = mod_client.post("/moderation/users/bob/suspend/", data)

    assert response.status_code == 400
    assert response.context["form"].errors == errors
    assert not Suspension.objects.exists()


def test_a_moderator_cannot_suspend_themselves(mod_client, moderator):
    response = mod_client.post(
        "/moderation/users/mod/suspend/", {"reason": "Test", "length": "1d"}
    )

    assert response.status_code == 400
    assert response.context["form"].non_field_errors() == ["You cannot suspend yourself."]
    assert not Suspension.objects.exists()


def test_suspend_page_of_an_unknown_member_is_404(mod_client):
    response = mod_client.get("/moderation/users/nobody/suspend/")

    assert response.status_code == 404


def test_suspend_page_shows_the_suspension_in_force_and_how_to_lift_it(
    mod_client, other_user, moderator
):
    suspension = moderation.suspend(other_user, moderator, "Spam", length=None)

    response = mod_client.get("/moderation/users/bob/suspend/")

    assert response.context["suspension"] == suspension
    assert "bob is suspended until lifted: “Spam”." in text_of(response)
    assert 'action="/moderation/users/bob/lift/"' in text_of(response)


def test_lift_ends_the_suspension_and_goes_back(mod_client, other_user, moderator):
    suspension = moderation.suspend(other_user, moderator, "Spam", length=WEEK)

    response = mod_client.post("/moderation/users/bob/lift/", {"reason": "Apologised"})

    assert response.status_code == 302
    assert response["Location"] == "/moderation/users/bob/suspend/"
    assert messages_of(response) == ["bob's suspension is lifted."]
    suspension.refresh_from_db()
    assert (suspension.lifted_by, active_suspension(other_user)) == (moderator, None)
    assert list(ModerationLog.objects.values_list("action", "reason")) == [
        ("suspend", "Spam"),
        ("lift", "Apologised"),
    ]


def test_lift_without_a_reason_keeps_the_suspension(mod_client, other_user, moderator):
    suspension = moderation.suspend(other_user, moderator, "Spam", length=WEEK)

    response = mod_client.post("/moderation/users/bob/lift/", {"reason": ""})

    assert response.status_code == 302
    assert messages_of(response) == ["Give a reason for lifting the suspension."]
    assert active_suspension(other_user) == suspension


def test_lifting_when_there_is_nothing_to_lift_says_so(mod_client, other_user):
    response = mod_client.post("/moderation/users/bob/lift/", {"reason": "Why"})

    assert response.status_code == 302
    assert messages_of(response) == ["bob is not suspended."]
    assert not ModerationLog.objects.exists()
