from django.contrib.auth.models import AbstractUser
from django.core.validators import URLValidator
from django.db import models, transaction
from django.db.models import Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone

from accounts.validators import USERNAME_MAX_LENGTH, validate_orcid, validate_username
from shortscience.rendering import stored_html

ORCID_TAKEN = "Another member has already linked this ORCID iD."


class User(AbstractUser):
    """A member. The username is public, URL-safe and unique regardless of case."""

    username = models.CharField(
        max_length=USERNAME_MAX_LENGTH,
        unique=True,
        validators=[validate_username],
        help_text="2 to 30 letters, digits, hyphens or underscores.",
        error_messages={"unique": "That username is taken."},
    )
    # Set when the member deleted their account: the row stays, emptied of personal data,
    # so what they chose to leave (anonymous summaries, comments) keeps its place.
    deleted_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                Lower("username"),
                name="accounts_user_username_ci_unique",
                violation_error_message="That username is taken.",
            ),
        ]

    def __str__(self):
        return self.username

    def save(self, *args, **kwargs):
        # Every user has a profile: sign-up, createsuperuser and the admin all save here.
        is_new = self._state.adding
        with transaction.atomic():
            super().save(*args, **kwargs)
            if is_new:
                Profile.objects.get_or_create(user=self)

    def get_absolute_url(self):
        return reverse("members:profile", args=[self.username])

    @property
    def display_name(self) -> str:
        if self.deleted_at is not None:
            return DELETED_MEMBER_NAME
        return self.profile.display_name or self.username

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None


DELETED_MEMBER_NAME = "Former member"


class SuspensionQuerySet(models.QuerySet):
    def active(self, at=None):
        """Suspensions in force now (or at ``at``): begun, not lifted, not yet over."""
        at = at or timezone.now()
        return self.filter(
            Q(ends_at__isnull=True) | Q(ends_at__gt=at), starts_at__lte=at, lifted_at=None
        )

    def in_force(self):
        """Active suspensions, the one that ends last first (an open-ended one first)."""
        return self.active().order_by(models.F("ends_at").desc(nulls_first=True))


class Suspension(models.Model):
    """A moderator's decision that a member may read but not write until ``ends_at``
    (never, when it is empty, until a moderator lifts it). Rows are kept as history."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="suspensions")
    moderator = models.ForeignKey(
        User, null=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    reason = models.CharField(max_length=500)
    starts_at = models.DateTimeField(default=timezone.now)
    ends_at = models.DateTimeField(null=True, blank=True, help_text="Empty: until lifted.")
    lifted_at = models.DateTimeField(null=True, blank=True, editable=False)
    lifted_by = models.ForeignKey(
        User,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )

    objects = SuspensionQuerySet.as_manager()

    class Meta:
        indexes = [models.Index(fields=["user", "-starts_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__isnull=True) | Q(ends_at__gt=models.F("starts_at")),
                name="accounts_suspension_ends_after_start",
            )
        ]

    def __str__(self):
        return f"Suspension of {self.user} from {self.starts_at:%Y-%m-%d}"


class Profile(models.Model):
    user = models.OneToOneField(
        User, on_delete=models.CASCADE, primary_key=True, related_name="profile"
    )
    display_name = models.CharField(max_length=100, blank=True)
    affiliation = models.CharField(max_length=200, blank=True)
    website = models.URLField(blank=True, validators=[URLValidator(schemes=["http", "https"])])
    orcid = models.CharField("ORCID iD", max_length=19, blank=True, validators=[validate_orcid])
    bio = models.TextField(blank=True, max_length=2000, help_text="Markdown; math with $...$.")
    bio_html = models.TextField(blank=True, editable=False)
    # Which notifications also arrive by e-mail (all of them always show on the site).
    email_on_comment = models.BooleanField(
        "E-mail me when someone comments on my summary", default=True
    )
    email_on_reply = models.BooleanField(
        "E-mail me when someone replies to my comment", default=True
    )
    email_on_followed_paper = models.BooleanField(
        "E-mail me when a paper I follow gets a new summary", default=False
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["orcid"],
                condition=~models.Q(orcid=""),
                name="accounts_profile_orcid_unique",
                violation_error_message=ORCID_TAKEN,
            ),
        ]

    def __str__(self):
        return f"Profile of {self.user}"

    @property
    def bio_rendered(self):
        return stored_html(self.bio_html)

    @property
    def orcid_url(self) -> str:
        return f"https://orcid.org/{self.orcid}" if self.orcid else ""


class NotificationQuerySet(models.QuerySet):
    def unread(self):
        return self.filter(read_at__isnull=True)

    def for_listing(self):
        """With what each sentence names: the actor, and the comment's or summary's paper."""
        return self.select_related(
            "actor__profile", "comment__summary__paper", "summary__paper"
        ).order_by("-created_at", "-pk")


class Notification(models.Model):
    class Kind(models.TextChoices):
        COMMENT = "comment", "commented on your summary"
        REPLY = "reply", "replied to your comment"
        FOLLOWED_PAPER = "followed_paper", "summarized a paper you follow"

    recipient = models.ForeignKey(User, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    actor = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    # What happened, by kind: the comment (COMMENT, REPLY) or the summary (FOLLOWED_PAPER).
    comment = models.ForeignKey(
        "summaries.Comment", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    summary = models.ForeignKey(
        "summaries.Summary", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["recipient", "read_at", "-created_at"])]

    def __str__(self):
        return f"{self.actor} {self.get_kind_display()} (to {self.recipient})"

    def get_absolute_url(self):
        """The comment, or for a followed paper the new summary."""
        return self.target.get_absolute_url()

    @property
    def is_unread(self) -> bool:
        return self.read_at is None

    @property
    def target(self):
        """What happened: the comment (COMMENT, REPLY) or the summary (FOLLOWED_PAPER)."""
        return self.comment if self.comment_id else self.summary

    @property
    def target_summary(self):
        return self.comment.summary if self.comment_id else self.summary

    @property
    def actor_name(self) -> str:
        """Whom the sentence names. "Someone" when there is no actor (an anonymous summary,
        or a deleted account) or when the summary is anonymous now, even if it was not
        when this was recorded; "Anonymous (author)" for a comment by an anonymous
        summary's author, as the comment thread shows it."""
        summary = self.target_summary
        if (
            summary.is_anonymous
            and self.comment_id
            and self.comment.author_id == summary.author_id
        ):
            return "Anonymous (author)"
        if self.actor_id is None or (summary.is_anonymous and self.comment_id is None):
            return "Someone"
        return self.actor.display_name
