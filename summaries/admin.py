from django.contrib import admin
from django.db.models import Count, F
from django.urls import reverse
from django.utils.html import format_html

from shortscience.admin import ReadOnlyAdmin

from .models import Case, Figure, Flag, ModerationLog, Revision, Summary


class RevisionInline(admin.TabularInline):
    model = Revision
    fields = ("number", "editor", "created_at", "body")
    readonly_fields = fields
    extra = 0
    can_delete = False
    ordering = ("-number",)

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Summary)
class SummaryAdmin(admin.ModelAdmin):
    list_display = (
        "paper", "author", "score", "created_at", "is_anonymous", "is_private",
        "hidden_at", "deleted_at", "moderate",
    )  # fmt: skip
    list_filter = (
        "is_anonymous",
        "is_private",
        ("hidden_at", admin.EmptyFieldListFilter),
        ("deleted_at", admin.EmptyFieldListFilter),
    )
    list_select_related = ("paper", "author")
    search_fields = ("paper__title", "author__username", "body")
    autocomplete_fields = ("paper", "author")
    readonly_fields = (
        "body_html", "version", "score", "created_at", "updated_at", "hidden_at", "hidden_by",
        "hidden_reason", "deleted_at", "share_token",
    )  # fmt: skip
    inlines = [RevisionInline]
    date_hierarchy = "created_at"

    def has_delete_permission(self, request, obj=None):
        return False  # Moderators hide; nothing here deletes a summary.

    @admin.display(description="Hide or restore")
    def moderate(self, summary):
        # Through the site's page, which asks for the reason the moderation log shows.
        url = reverse("moderation:hide", args=["summary", summary.pk])
        return format_html('<a href="{}">{}</a>', url, "Restore" if summary.is_hidden else "Hide")


@admin.register(Figure)
class FigureAdmin(admin.ModelAdmin):
    list_display = ("image", "uploader", "width", "height", "created_at")
    list_select_related = ("uploader",)
    search_fields = ("uploader__username", "image")
    readonly_fields = ("width", "height", "created_at")


class FlagInline(admin.TabularInline):
    model = Flag
    fields = ("reporter", "reason", "text", "created_at")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Case)
class CaseAdmin(ReadOnlyAdmin):
    """The queue in the admin: open cases, the most flagged first. Decisions are taken
    on the site's case page, which asks for the reason and logs it."""

    list_display = (
        "__str__",
        "kind",
        "flag_count",
        "opened_at",
        "closed_at",
        "decision",
        "decide",
    )
    list_filter = ("kind", ("closed_at", admin.EmptyFieldListFilter), "decision")
    list_select_related = ("closed_by",)
    inlines = [FlagInline]

    def get_queryset(self, request):
        # Annotated before ordering, which names the count.
        cases = Case.objects.annotate(flag_count=Count("flags"))
        return cases.order_by(F("closed_at").desc(nulls_first=True), "-flag_count", "opened_at")

    @admin.display(description="Flags", ordering="flag_count")
    def flag_count(self, case):
        return case.flag_count

    @admin.display(description="")
    def decide(self, case):
        label = "Decide" if case.is_open else "View"
        return format_html('<a href="{}">{}</a>', case.get_absolute_url(), label)


@admin.register(ModerationLog)
class ModerationLogAdmin(ReadOnlyAdmin):
    """Read-only: entries are appended by the moderation services and never changed."""

    list_display = ("created_at", "moderator", "action", "target_label", "reason")
    list_filter = ("action", "target_kind")
    list_select_related = ("moderator",)
    search_fields = ("target_label", "reason", "moderator__username")
    date_hierarchy = "created_at"
