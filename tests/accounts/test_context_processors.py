import pytest

from summaries.services import add_comment

pytestmark = [pytest.mark.django_db, pytest.mark.integration]


@pytest.fixture
def two_unread_one_read(summary, other_user):
    add_comment(other_user, summary, body="Read already.")
    summary.author.notifications.update(read_at="2026-01-01T00:00:00Z")
    add_comment(other_user, summary, body="One.")
    add_comment(other_user, summary, body="Two.")


def test_header_badge_shows_the_unread_count(author_client, two_unread_one_read):
    response = author_client.get("/about/")

    assert (
        '<a class="account-nav__notifications" href="/users/notifications/">Notifications '
        '<span class="account-nav__badge">2<span class="visually-hidden"> unread</span></span></a>'
    ) in response.content.decode()


def test_header_shows_no_badge_without_unread_notifications(author_client, author):
    response = author_client.get("/about/")

    html = response.content.decode()
    assert (
        '<a class="account-nav__notifications" href="/users/notifications/">Notifications</a>'
        in html
    )
    assert "account-nav__badge" not in html


def test_header_counts_only_the_members_own_notifications(client, other_user, two_unread_one_read):
    client.force_login(other_user)

    response = client.get("/about/")

    assert "account-nav__badge" not in response.content.decode()


def test_header_badge_costs_visitors_no_query(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/about/")

    assert "account-nav__notifications" not in response.content.decode()
    assert "unread_notification_count" not in response.context


def test_header_badge_and_suspension_cost_members_one_query(
    author_client, two_unread_one_read, django_assert_num_queries
):
    # The session and the user, then one query for the badge's count and any suspension.
    with django_assert_num_queries(3) as queries:
        response = author_client.get("/about/")

    last = queries.captured_queries[-1]["sql"]
    assert '"accounts_notification"' in last
    assert '"accounts_suspension"' in last
    assert response.context["unread_notification_count"] == 2
    assert not response.context["member_suspension"]
