"""Flags, cases and the public log: what members report and what moderators decide.

A case may be about a summary, a comment, a paper or a member. The tables were made by
the summaries app and moved here (migration 0001); their constraints and indexes keep
the names they had there.
"""

from django.conf import settings
from django.db import models
from django.db.models import Count, Prefetch, Q
from django.urls import reverse
from django.utils import timezone

from papers.models import Paper
from summaries.models import Comment, Summary


class FlagReason(models.TextChoices):
    SPAM = "spam", "Spam or advertising"
    ABUSE = "abuse", "Abusive, harassing or offensive"
    WRONG_PAPER = "wrong_paper", "Wrong paper, wrong metadata or a duplicate"
    PLAGIARISM = "plagiarism", "Plagiarism"
    OTHER = "other", "Something else"


class TargetKind(models.TextChoices):
    SUMMARY = "summary", "summary"
    COMMENT = "comment", "comment"
    PAPER = "paper", "paper"
    USER = "user", "member"


def _one_open_case_per(field: str) -> models.UniqueConstraint:
    return models.UniqueConstraint(
        fields=[field], condition=Q(closed_at=None), name=f"summaries_case_one_open_{field}"
    )


class CaseQuerySet(models.QuerySet):
    def open(self):
        return self.filter(closed_at=None)

    def for_queue(self):
        """Open cases, the most flagged first, then the longest waiting, with their
        targets and flags loaded for the queue page."""
        return (
            self.open()
            .annotate(flag_count=Count("flags"))
            .select_related(
                "summary__paper",
                "summary__author__profile",
                "comment__summary__paper",
                "comment__author__profile",
                "paper",
                "paper__added_by",
                "user__profile",
            )
            .prefetch_related(
                Prefetch("flags", queryset=Flag.objects.select_related("reporter").order_by("pk"))
            )
            .order_by("-flag_count", "opened_at", "pk")
        )


class Case(models.Model):
    """One item under review. Flags on an item gather in its one open case; a moderator's
    decision closes the case, and a later flag opens a new one."""

    class Decision(models.TextChoices):
        HIDE = "hide", "Hide it"
        EDIT = "edit", "Edit the paper's details"
        MERGE = "merge", "Merge the paper into another"
        SUSPEND = "suspend", "Suspend the member"
        DISMISS = "dismiss", "Dismiss the flags"

    kind = models.CharField(max_length=10, choices=TargetKind.choices)
    summary = models.ForeignKey(
        Summary, null=True, blank=True, on_delete=models.CASCADE, related_name="cases"
    )
    comment = models.ForeignKey(
        Comment, null=True, blank=True, on_delete=models.CASCADE, related_name="cases"
    )
    paper = models.ForeignKey(
        Paper, null=True, blank=True, on_delete=models.CASCADE, related_name="cases"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="cases",
    )
    opened_at = models.DateTimeField(default=timezone.now)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decision = models.CharField(max_length=10, choices=Decision.choices, blank=True)
    decision_reason = models.CharField(max_length=500, blank=True)

    objects = CaseQuerySet.as_manager()

    class Meta:
        indexes = [
            models.Index(fields=["opened_at"], condition=Q(closed_at=None), name="case_open")
        ]
        constraints = [
            # The target named by ``kind`` is set, and no other.
            models.CheckConstraint(
                condition=(
                    Q(kind="summary", summary__isnull=False, comment=None, paper=None, user=None)
                    | Q(kind="comment", comment__isnull=False, summary=None, paper=None, user=None)
                    | Q(kind="paper", paper__isnull=False, summary=None, comment=None, user=None)
                    | Q(kind="user", user__isnull=False, summary=None, comment=None, paper=None)
                ),
                name="summaries_case_one_target",
            ),
            _one_open_case_per("summary"),
            _one_open_case_per("comment"),
            _one_open_case_per("paper"),
            _one_open_case_per("user"),
        ]

    def __str__(self):
        return f"Case {self.pk}: {self.kind} {self.target_id}"

    def get_absolute_url(self):
        return reverse("moderation:case", args=[self.pk])

    @property
    def target(self):
        return getattr(self, self.kind)

    @property
    def target_id(self) -> int:
        return getattr(self, f"{self.kind}_id")

    @property
    def is_open(self) -> bool:
        return self.closed_at is None


class Flag(models.Model):
    """A member's report of an item, with a reason; one per member per case."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="flags")
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="flags"
    )
    reason = models.CharField(max_length=20, choices=FlagReason.choices)
    text = models.CharField("Details", max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["case", "reporter"], name="summaries_flag_once"),
        ]

    def __str__(self):
        return f"{self.reporter} flagged case {self.case_id} as {self.reason}"


class ModerationLogQuerySet(models.QuerySet):
    def for_listing(self):
        return self.select_related("moderator").order_by("-created_at", "-pk")


class ModerationLog(models.Model):
    """What a moderator did, to what, when and why: appended by the moderation services
    in the same transaction as the action, shown publicly, never changed or deleted.

    The target is kept as a kind, an id and a label written at the time (the label never
    names the author of an anonymous summary), so an entry reads the same after its
    target changes or is merged away."""

    class Action(models.TextChoices):
        HIDE = "hide", "hid"
        RESTORE = "restore", "restored"
        EDIT = "edit", "edited"
        MERGE = "merge", "merged"
        DISMISS = "dismiss", "dismissed the flags on"
        SUSPEND = "suspend", "suspended"
        LIFT = "lift", "lifted the suspension of"

    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    moderator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="moderation_log"
    )
    action = models.CharField(max_length=10, choices=Action.choices)
    target_kind = models.CharField(max_length=10, choices=TargetKind.choices)
    target_id = models.PositiveBigIntegerField()
    target_label = models.CharField(max_length=300)
    reason = models.CharField(max_length=500)
    case = models.ForeignKey(
        Case, null=True, blank=True, on_delete=models.SET_NULL, related_name="log_entries"
    )

    objects = ModerationLogQuerySet.as_manager()

    class Meta:
        verbose_name = "moderation log entry"
        verbose_name_plural = "moderation log"
        indexes = [models.Index(fields=["target_kind", "target_id"], name="modlog_target")]

    def __str__(self):
        return f"{self.moderator} {self.get_action_display()} {self.target_label}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ValueError("Moderation log entries are never changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("Moderation log entries are never deleted.")
