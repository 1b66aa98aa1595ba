"""The public moderation log, /moderation/log/ (moderation.views.log)."""

import pytest

from moderation import services as moderation
from moderation.models import ModerationLog
from tests.factories import UserFactory
from tests.moderation.helpers import WEEK, text_of

pytestmark = [pytest.mark.django_db, pytest.mark.integration]


@pytest.fixture
def logged_actions(summary, comment, other_user, moderator):
    """A hidden summary (by mod), a hidden comment and a suspension (by a second moderator)."""
    second = UserFactory(username="mo2", is_superuser=True)
    moderation.hide(summary, moderator, "Off-topic")
    moderation.hide(comment, second, "Rude")
    moderation.suspend(other_user, second, "Repeated rudeness", length=WEEK)
    return list(ModerationLog.objects.order_by("pk"))


def test_visitors_read_the_log_newest_first(client, logged_actions):
    response = client.get("/moderation/log/")

    assert response.status_code == 200
    assert list(response.context["page"].object_list) == logged_actions[::-1]
    page = text_of(response)
    for shown in (
        '<a href="/users/mod/">mod</a> hid summary #',
        '<a href="/users/mo2/">mo2</a> hid comment #',
        '<a href="/users/mo2/">mo2</a> suspended member bob',
        "“Off-topic”",
        "“Rude”",
        "“Repeated rudeness”",
    ):
        assert shown in page, shown


@pytest.mark.parametrize(
    ("kind", "actions"),
    [
        pytest.param("summary", [("hide", "Off-topic")], id="summaries"),
        pytest.param("comment", [("hide", "Rude")], id="comments"),
        pytest.param("user", [("suspend", "Repeated rudeness")], id="members"),
        pytest.param("paper", [], id="papers"),
    ],
)
def test_log_filters_by_kind(client, logged_actions, kind, actions):
    response = client.get("/moderation/log/", {"kind": kind})

    assert response.status_code == 200
    assert [(e.action, e.reason) for e in response.context["page"].object_list] == actions
    assert response.context["kind"] == kind


def test_log_of_an_unknown_kind_is_404(client, logged_actions):
    response = client.get("/moderation/log/", {"kind": "vote"})

    assert response.status_code == 404


def test_empty_log_says_so(client):
    response = client.get("/moderation/log/")

    assert response.status_code == 200
    assert "No moderation yet." in text_of(response)


@pytest.mark.parametrize("count", [1, 3])
def test_log_query_count_does_not_grow_with_entries(
    client, moderator, django_assert_num_queries, count
):
    for index in range(count):
        moderation.suspend(
            UserFactory(), UserFactory(is_superuser=True), f"Spam {index}", length=WEEK
        )

    # The page's count, and its entries with their moderators.
    with django_assert_num_queries(2):
        response = client.get("/moderation/log/")

    assert len(response.context["page"].object_list) == count
