"""Writes to accounts, called by views, commands and tests alike."""

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from shortscience.pagecache import SITE, changed, tag
from shortscience.rendering import render_markdown

from . import standing
from .models import Notification, Profile, User

# Which profile switch asks for e-mail about each kind of notification.
EMAIL_PREFERENCE = {
    Notification.Kind.COMMENT: "email_on_comment",
    Notification.Kind.REPLY: "email_on_reply",
    Notification.Kind.FOLLOWED_PAPER: "email_on_followed_paper",
}


# What a member may change on their profile's edit page.
PROFILE_FIELDS = (
    "display_name",
    "affiliation",
    "website",
    "orcid",
    "bio",
    *EMAIL_PREFERENCE.values(),
)


def update_profile(profile: Profile, data: dict) -> Profile:
    """Store the profile fields in ``data`` and the bio's rendered HTML with them."""
    name_before = profile.display_name
    for field in PROFILE_FIELDS:
        if field in data:
            setattr(profile, field, data[field])
    profile.bio_html = render_markdown(profile.bio)
    profile.save()
    # Their profile; and everything that names them, should their name have changed.
    renamed = profile.display_name != name_before
    changed(tag("member", profile.user.username), *((SITE,) if renamed else ()))
    return profile


def notify(recipient: User, kind: str, actor: User | None, *, comment=None, summary=None):
    """Record a notification, and e-mail it too if the recipient asked for that kind.

    The mail goes out after the transaction commits, so a rolled-back comment sends none;
    a mail server that fails then is logged, and the saved comment still answers as saved.
    """
    notification = Notification.objects.create(
        recipient=recipient, kind=kind, actor=actor, comment=comment, summary=summary
    )
    standing.forget(recipient)  # their unread count
    if recipient.email and getattr(recipient.profile, EMAIL_PREFERENCE[kind]):
        transaction.on_commit(lambda: _email(notification), robust=True)
    return notification


def _email(notification: Notification) -> None:
    context = {"notification": notification, "site_url": settings.SITE_URL}
    subject = render_to_string("accounts/email/notification_subject.txt", context).strip()
    send_mail(
        subject=f"[ShortScience] {subject}",
        message=render_to_string("accounts/email/notification.txt", context),
        from_email=None,
        recipient_list=[notification.recipient.email],
    )


def mark_read(user: User, notification_ids=None) -> int:
    """Mark the given notifications (or all) of this user as read; return how many."""
    unread = Notification.objects.filter(recipient=user, read_at=None)
    if notification_ids is not None:
        unread = unread.filter(pk__in=notification_ids)
    count = unread.update(read_at=timezone.now())
    if count:
        standing.forget(user)
    return count
