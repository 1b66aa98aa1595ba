import pytest

from accounts.models import Notification
from papers.services import follow_paper
from summaries.services import add_comment, publish_summary
from tests.factories import PaperFactory, SummaryFactory

pytestmark = [pytest.mark.django_db, pytest.mark.integration]

URL = "/users/notifications/"
MARK_READ = "/users/notifications/read/"


@pytest.fixture
def comment(summary, other_user):
    """Bob's comment on Ada's summary: Ada is notified."""
    return add_comment(other_user, summary, body="Which dataset?")


@pytest.fixture
def reply(author, summary, comment):
    """Ada's answer to Bob's comment: Bob is notified."""
    return add_comment(author, summary, body="ImageNet.", parent=comment)


# Permission matrix ------------------------------------------------------------------------


def test_notifications_anonymous_is_sent_to_sign_in(client):
    response = client.get(URL)

    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={URL}"


@pytest.mark.parametrize(("viewer", "kind"), [("author", "comment"), ("other_user", "reply")])
def test_notifications_member_sees_only_their_own(client, request, reply, viewer, kind):
    member = request.getfixturevalue(viewer)
    client.force_login(member)

    response = client.get(URL)

    assert [(n.recipient, n.kind) for n in response.context["page"].object_list] == [
        (member, kind)
    ]


def test_notifications_page_is_never_cached(author_client):
    response = author_client.get(URL)

    assert "no-cache" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]


def test_mark_all_read_anonymous_is_sent_to_sign_in(client, comment):
    response = client.post(MARK_READ)

    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={MARK_READ}"
    assert Notification.objects.unread().count() == 1


def test_mark_all_read_refuses_get(author_client, comment):
    response = author_client.get(MARK_READ)

    assert response.status_code == 405
    assert Notification.objects.unread().count() == 1


# The page ------------------------------------------------------------------------------------


def test_notifications_read_as_sentences_linking_to_the_comment(author_client, summary, comment):
    response = author_client.get(URL)

    assert (
        '<span class="notification__text">bob commented on your summary: '
        f'<a href="/summaries/comments/{comment.pk}/">Attention Is All You Need</a>'
        "</span>"
    ) in response.content.decode()


def test_notifications_are_listed_newest_first(author_client, author, summary, other_user):
    first = add_comment(other_user, summary, body="One.")
    second = add_comment(other_user, summary, body="Two.")

    response = author_client.get(URL)

    assert [n.comment for n in response.context["page"].object_list] == [second, first]


def test_notifications_mark_the_unread_ones(author_client, author, summary, other_user):
    add_comment(other_user, summary, body="Old.")
    Notification.objects.update(read_at="2026-01-01T00:00:00Z")
    add_comment(other_user, summary, body="New.")

    response = author_client.get(URL)

    html = response.content.decode()
    assert html.count('class="notification notification--unread"') == 1
    assert html.count('class="notification"') == 1
    assert '<strong class="notification__new">New</strong>' in html


def test_notification_of_an_anonymous_summary_names_someone(client, other_user, paper, author):
    follow_paper(other_user, paper)
    summary = publish_summary(author, paper, body="Unsigned.", is_anonymous=True)
    client.force_login(other_user)

    response = client.get(URL)

    html = response.content.decode()
    assert (
        '<span class="notification__text">Someone summarized a paper you follow: '
        f'<a href="/summaries/{summary.pk}/">Attention Is All You Need</a></span>'
    ) in html
    assert response.context["page"].object_list[0].actor is None


def test_reply_by_an_anonymous_summarys_author_does_not_name_them(client, author, other_user):
    unsigned = SummaryFactory(author=author, is_anonymous=True, paper__title="Unsigned Paper")
    question = add_comment(other_user, unsigned, body="Why?")
    add_comment(author, unsigned, body="Because.", parent=question)
    client.force_login(other_user)

    response = client.get(URL)

    html = response.content.decode()
    # Neither the stored row nor the page names Ada.
    assert response.context["page"].object_list[0].actor is None
    assert '<span class="notification__text">Anonymous (author) replied to your comment: ' in html
    assert "ada replied" not in html


def test_notifications_page_without_any_says_so(author_client):
    response = author_client.get(URL)

    html = response.content.decode()
    assert list(response.context["page"].object_list) == []
    assert "No notifications yet." in html
    assert f'action="{MARK_READ}"' not in html


def test_notifications_page_offers_mark_all_read_as_a_form(author_client, comment):
    response = author_client.get(URL)

    assert f'<form method="post" action="{MARK_READ}"' in response.content.decode()


@pytest.mark.parametrize("count", [1, 3])
def test_notifications_query_count_is_fixed(
    author_client, author, other_user, django_assert_num_queries, count
):
    for _ in range(count):
        add_comment(other_user, SummaryFactory(author=author), body="Hm.")
        followed = PaperFactory()
        follow_paper(author, followed)
        publish_summary(other_user, followed, body="New.")

    with django_assert_num_queries(5):
        response = author_client.get(URL)

    assert len(response.context["page"].object_list) == count * 2


# Mark all as read ----------------------------------------------------------------------------


def test_mark_all_read_marks_only_the_members_notifications(author_client, author, reply):
    response = author_client.post(MARK_READ)

    assert response.status_code == 302
    assert response["Location"] == URL
    assert list(Notification.objects.unread().values_list("recipient__username", flat=True)) == [
        "bob"
    ]


def test_mark_all_read_says_how_many(author_client, comment, summary, other_user):
    add_comment(other_user, summary, body="And another thing.")

    response = author_client.post(MARK_READ, follow=True)

    html = response.content.decode()
    assert "Marked 2 notifications as read." in html
    assert 'class="notification notification--unread"' not in html
