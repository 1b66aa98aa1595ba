import pytest
from django.conf import settings

from accounts.models import Notification, Profile
from accounts.services import update_profile
from papers.services import follow_paper
from summaries.models import Summary
from summaries.services import add_comment, publish_summary
from tests.factories import UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.integration]

COMMENT, REPLY, FOLLOWED = (
    Notification.Kind.COMMENT,
    Notification.Kind.REPLY,
    Notification.Kind.FOLLOWED_PAPER,
)


def notified(user) -> list[tuple]:
    return list(user.notifications.values_list("kind", "actor__username"))


def switch(user, **switches):
    Profile.objects.filter(user=user).update(**switches)
    user.profile.refresh_from_db()


# Comments and replies -------------------------------------------------------------------------


def test_comment_on_my_summary_notifies_me(author, summary, other_user):
    comment = add_comment(other_user, summary, body="Which dataset?")

    assert notified(author) == [(COMMENT, "bob")]
    assert author.notifications.get().comment == comment
    assert notified(other_user) == []


def test_comment_on_my_summary_emails_me_when_i_asked(
    author, summary, other_user, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        comment = add_comment(other_user, summary, body="Which dataset?")

    [mail] = mailoutbox
    assert mail.to == ["ada@example.org"]
    assert mail.subject == "[ShortScience] bob commented on your summary"
    assert f"{settings.SITE_URL}/summaries/comments/{comment.pk}/" in mail.body
    assert "Which dataset?" in mail.body


def test_comment_on_my_summary_sends_no_mail_when_switched_off(
    author, summary, other_user, mailoutbox, django_capture_on_commit_callbacks
):
    switch(author, email_on_comment=False)

    with django_capture_on_commit_callbacks(execute=True):
        add_comment(other_user, summary, body="Which dataset?")

    assert mailoutbox == []
    assert notified(author) == [(COMMENT, "bob")]


def test_comment_mail_waits_for_the_commit(
    author, summary, other_user, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        add_comment(other_user, summary, body="Which dataset?")

    assert len(callbacks) == 1
    assert mailoutbox == []


def test_reply_notifies_the_parent_comments_author(author, summary, other_user):
    question = add_comment(other_user, summary, body="Which dataset?")
    carol = UserFactory(username="carol")

    add_comment(carol, summary, body="ImageNet, I think.", parent=question)

    assert notified(other_user) == [(REPLY, "carol")]
    assert notified(author) == [(COMMENT, "carol"), (COMMENT, "bob")]


def test_reply_emails_the_parent_comments_author_per_their_switch(
    author, summary, other_user, mailoutbox, django_capture_on_commit_callbacks
):
    question = add_comment(other_user, summary, body="Which dataset?")
    switch(author, email_on_comment=False)

    with django_capture_on_commit_callbacks(execute=True):
        add_comment(author, summary, body="ImageNet.", parent=question)

    assert [(mail.to, mail.subject) for mail in mailoutbox] == [
        (["bob@example.org"], "[ShortScience] ada replied to your comment")
    ]


def test_reply_sends_no_mail_when_switched_off(
    author, summary, other_user, mailoutbox, django_capture_on_commit_callbacks
):
    question = add_comment(other_user, summary, body="Which dataset?")
    switch(other_user, email_on_reply=False)

    with django_capture_on_commit_callbacks(execute=True):
        add_comment(author, summary, body="ImageNet.", parent=question)

    assert mailoutbox == []
    assert notified(other_user) == [(REPLY, "ada")]


def test_my_own_comment_on_my_summary_notifies_nobody(
    author, summary, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        add_comment(author, summary, body="An erratum.")

    assert Notification.objects.count() == 0
    assert mailoutbox == []


def test_reply_mail_from_an_anonymous_summarys_author_does_not_name_them(
    author, paper, other_user, mailoutbox, django_capture_on_commit_callbacks
):
    unsigned = publish_summary(author, paper, body="Unsigned.", is_anonymous=True)
    question = add_comment(other_user, unsigned, body="Why?")

    with django_capture_on_commit_callbacks(execute=True):
        add_comment(author, unsigned, body="Because.", parent=question)

    [mail] = mailoutbox
    assert mail.subject == "[ShortScience] Anonymous (author) replied to your comment"
    assert mail.body.startswith("Anonymous (author) replied to your comment.\n")
    assert "ada" not in mail.body


# Followed papers ------------------------------------------------------------------------------


def test_public_summary_of_a_followed_paper_notifies_followers(author, paper, other_user):
    follow_paper(other_user, paper)

    summary = publish_summary(author, paper, body="New.")

    assert notified(other_user) == [(FOLLOWED, "ada")]
    assert other_user.notifications.get().summary == summary


def test_private_summary_of_a_followed_paper_notifies_nobody(author, paper, other_user):
    follow_paper(other_user, paper)

    publish_summary(author, paper, body="Notes to self.", is_private=True)

    assert Notification.objects.count() == 0


def test_anonymous_summary_of_a_followed_paper_notifies_without_an_actor(
    author, paper, other_user
):
    follow_paper(other_user, paper)

    publish_summary(author, paper, body="Unsigned.", is_anonymous=True)

    assert notified(other_user) == [(FOLLOWED, None)]
    assert other_user.notifications.get().actor_name == "Someone"


def test_followed_paper_mail_is_off_by_default(
    author, paper, other_user, mailoutbox, django_capture_on_commit_callbacks
):
    follow_paper(other_user, paper)

    with django_capture_on_commit_callbacks(execute=True):
        publish_summary(author, paper, body="New.")

    assert mailoutbox == []


def test_followed_paper_mail_comes_when_switched_on(
    author, paper, other_user, mailoutbox, django_capture_on_commit_callbacks
):
    follow_paper(other_user, paper)
    switch(other_user, email_on_followed_paper=True)

    with django_capture_on_commit_callbacks(execute=True):
        summary = publish_summary(author, paper, body="New.", is_anonymous=True)

    [mail] = mailoutbox
    assert mail.subject == "[ShortScience] Someone summarized a paper you follow"
    assert f"{settings.SITE_URL}/summaries/{summary.pk}/" in mail.body
    assert "Paper: Attention Is All You Need" in mail.body


# Notification names --------------------------------------------------------------------------


def test_notification_names_someone_once_the_summary_turns_anonymous(author, paper, other_user):
    follow_paper(other_user, paper)
    summary = publish_summary(author, paper, body="New.")
    Summary.objects.filter(pk=summary.pk).update(is_anonymous=True)

    notification = other_user.notifications.select_related("summary").get()

    assert notification.actor == author
    assert notification.actor_name == "Someone"


# Profile ------------------------------------------------------------------------------------


def test_update_profile_stores_the_email_switches(author):
    update_profile(
        author.profile,
        {"email_on_comment": False, "email_on_reply": False, "email_on_followed_paper": True},
    )

    profile = Profile.objects.get(user=author)
    assert (profile.email_on_comment, profile.email_on_reply, profile.email_on_followed_paper) == (
        False,
        False,
        True,
    )
