import secrets

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import Count, Prefetch, Q
from django.urls import reverse
from django.utils import timezone

from accounts.permissions import can_moderate
from papers.models import Authorship, Paper
from shortscience.rendering import stored_html


class ModeratedText(models.Model):
    """What members write (a summary, a comment): Markdown in ``body``, its HTML in
    ``body_html``, and soft removal: moderators hide, authors delete, the row stays."""

    hidden_at = models.DateTimeField(null=True, blank=True, editable=False)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    hidden_reason = models.CharField(max_length=500, blank=True, editable=False)
    deleted_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        abstract = True

    @property
    def body_rendered(self):
        return stored_html(self.body_html)

    @property
    def is_hidden(self) -> bool:
        return self.hidden_at is not None

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None


def paper_header_lookups() -> tuple:
    """What a summary's paper header shows beyond the paper and its venue, to prefetch."""
    return (
        Prefetch(
            "paper__authorships",
            queryset=Authorship.objects.select_related("author").order_by("position"),
        ),
        "paper__tags",
    )


class SummaryQuerySet(models.QuerySet):
    def visible(self):
        """What everyone may see: not hidden, not deleted, not private."""
        return self.filter(Summary.visible_q())

    def visible_to(self, user):
        """What this viewer may see in listings: the public ones, their own (hidden or
        private included) and, for moderators, hidden ones. Deleted ones never."""
        if not user.is_authenticated:
            return self.visible()
        condition = Summary.visible_q() | Q(author=user, deleted_at__isnull=True)
        if can_moderate(user):
            condition |= Q(deleted_at__isnull=True, is_private=False)
        return self.filter(condition)

    def by(self, user):
        return self.filter(author=user)

    def for_listing(self):
        """With each summary's author and its paper's header (venue, authors, keywords)."""
        return self.for_cards().prefetch_related(*paper_header_lookups())

    def for_cards(self):
        """With each summary's author and paper, but not the rest of the paper's header,
        which a listing prefetches for the summaries on its page (pages.views.home)."""
        return self.select_related("author__profile", "paper__venue")

    def with_revision_count(self):
        return self.annotate(revision_count=Count("revisions"))


# What everyone may see (Summary.visible_q(), spelled out for the indexes' conditions).
PUBLIC = Q(hidden_at__isnull=True, deleted_at__isnull=True, is_private=False)


class Summary(ModeratedText):
    paper = models.ForeignKey(Paper, on_delete=models.CASCADE, related_name="summaries")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="summaries"
    )
    body = models.TextField()
    body_html = models.TextField(editable=False)
    score = models.IntegerField(default=0, help_text="Sum of votes, kept in step with them.")
    comment_count = models.PositiveIntegerField(
        default=0, editable=False, help_text="Comments shown under it (not deleted or hidden)."
    )
    is_anonymous = models.BooleanField(
        "Publish anonymously",
        default=False,
        help_text="Others see “Anonymous”; you and the moderators see your name.",
    )
    is_private = models.BooleanField(
        "Private",
        default=False,
        help_text="Only you, and whoever you give the share link, can read it.",
    )
    share_token = models.CharField(
        max_length=43, null=True, blank=True, unique=True, editable=False
    )
    # Bumped on every edit; an editor sends back the version it started from.
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now_add=True)

    objects = SummaryQuerySet.as_manager()

    class Meta:
        verbose_name_plural = "summaries"
        permissions = [("hide_summary", "Can hide and restore summaries")]
        # The public listings' orders, each ending in the pk as the listings do, over
        # public summaries only: a page of ten reads ten index entries, not the table.
        indexes = [
            models.Index(fields=["paper", "-score", "created_at"]),
            models.Index(
                fields=["-created_at", "-id"],
                condition=PUBLIC,
                name="summary_public_newest",
            ),
            models.Index(
                fields=["-updated_at", "-id"],
                condition=PUBLIC,
                name="summary_public_recent",
            ),
            models.Index(
                fields=["-score", "-created_at", "-id"],
                condition=PUBLIC,
                name="summary_public_best",
            ),
        ]
        constraints = [
            # One summary per member per paper; a deleted one does not count.
            models.UniqueConstraint(
                fields=["paper", "author"],
                condition=Q(deleted_at__isnull=True),
                name="summaries_summary_one_per_author",
            ),
        ]

    def __str__(self):
        return f"Summary of {self.paper} by {self.author}"

    def get_absolute_url(self):
        return reverse("summaries:detail", args=[self.pk])

    @staticmethod
    def visible_q(prefix: str = "") -> Q:
        return Q(
            **{
                f"{prefix}hidden_at__isnull": True,
                f"{prefix}deleted_at__isnull": True,
                f"{prefix}is_private": False,
            }
        )

    @property
    def is_public(self) -> bool:
        return not (self.is_hidden or self.is_deleted or self.is_private)

    @property
    def was_edited(self) -> bool:
        return self.version > 1

    def share_url(self) -> str:
        return reverse("summaries:shared", args=[self.share_token]) if self.share_token else ""

    @staticmethod
    def new_share_token() -> str:
        return secrets.token_urlsafe(32)


class SummarySearch(models.Model):
    """A public summary's full-text document, written by database triggers (migration
    0004), never by Python: its paper's title (weight A) and the words of its text
    (weight D; the stored HTML, whose tags and entities the parser skips).

    Only public summaries have one: hiding, deleting or making a summary private removes
    it, so a search never finds what a visitor may not read.
    """

    summary = models.OneToOneField(
        Summary, on_delete=models.CASCADE, primary_key=True, related_name="search"
    )
    document = SearchVectorField()

    class Meta:
        verbose_name_plural = "summary searches"
        indexes = [GinIndex(fields=["document"], name="summaries_search_document")]

    def __str__(self):
        return f"Search document of summary {self.summary_id}"


class Revision(models.Model):
    """One saved version of a summary's text: every save adds one, none is overwritten."""

    summary = models.ForeignKey(Summary, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField()
    body = models.TextField()
    editor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["summary", "number"]
        constraints = [
            models.UniqueConstraint(fields=["summary", "number"], name="summaries_revision_number")
        ]

    def __str__(self):
        return f"Revision {self.number} of summary {self.summary_id}"


class Figure(models.Model):
    """An image a member uploaded for their summaries, stored through Django's storage API."""

    uploader = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="figures"
    )
    image = models.ImageField(upload_to="figures/")
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return self.image.name


class Vote(models.Model):
    """A member's +1 or -1 on a summary; Summary.score is the sum, kept in step."""

    UP, DOWN = 1, -1

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="votes"
    )
    summary = models.ForeignKey(Summary, on_delete=models.CASCADE, related_name="votes")
    value = models.SmallIntegerField(choices=[(UP, "up"), (DOWN, "down")])
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "summary"], name="summaries_vote_once"),
            models.CheckConstraint(condition=Q(value__in=[1, -1]), name="summaries_vote_value"),
        ]

    def __str__(self):
        return f"{self.user} {self.value:+d} on summary {self.summary_id}"


class CommentQuerySet(models.QuerySet):
    def visible(self):
        return self.filter(deleted_at__isnull=True, hidden_at__isnull=True)


class Comment(ModeratedText):
    """A comment on a summary. Replies hang under a top-level comment: one level of
    threading, with a reply to a reply attached to the same top-level comment."""

    summary = models.ForeignKey(Summary, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="comments"
    )
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="replies"
    )
    # The member a reply answers, when it answers a reply rather than the top comment.
    reply_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    body = models.TextField()
    body_html = models.TextField(editable=False)
    score = models.IntegerField(default=0, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    edited_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = CommentQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [
            models.Index(fields=["summary", "created_at"]),
            models.Index(fields=["author", "-created_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(parent=models.F("pk")), name="summaries_comment_not_own_parent"
            )
        ]

    def __str__(self):
        return f"Comment {self.pk} on summary {self.summary_id}"

    def get_absolute_url(self):
        # Answered with a redirect to the page of the thread that holds the comment,
        # which takes a query to find, and lists of comments link to each.
        return reverse("summaries:comment_permalink", args=[self.pk])


class CommentVote(models.Model):
    """An upvote on a comment (comments are only voted up)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="comment_votes"
    )
    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="votes")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "comment"], name="summaries_commentvote_once"),
        ]

    def __str__(self):
        return f"{self.user} +1 on comment {self.comment_id}"
