from django.contrib import admin, messages

from .models import Figure, Revision, Summary
from .permissions import can_moderate
from .services import hide_summary, restore_summary


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
        "hidden_at", "deleted_at",
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
    actions = ["hide", "restore"]
    date_hierarchy = "created_at"

    def has_delete_permission(self, request, obj=None):
        return False  # Moderators hide; nothing here deletes a summary.

    @admin.action(description="Hide the selected summaries", permissions=["moderate"])
    def hide(self, request, queryset):
        for summary in queryset:
            hide_summary(summary, request.user, reason="Hidden from the admin")
        messages.success(request, f"{len(queryset)} hidden.")

    @admin.action(description="Restore the selected hidden summaries", permissions=["moderate"])
    def restore(self, request, queryset):
        for summary in queryset:
            restore_summary(summary)
        messages.success(request, f"{len(queryset)} restored.")

    def has_moderate_permission(self, request):
        return can_moderate(request.user)


@admin.register(Figure)
class FigureAdmin(admin.ModelAdmin):
    list_display = ("image", "uploader", "width", "height", "created_at")
    list_select_related = ("uploader",)
    search_fields = ("uploader__username", "image")
    readonly_fields = ("width", "height", "created_at")
