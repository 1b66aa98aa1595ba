from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html

from .models import Figure, Revision, Summary


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
