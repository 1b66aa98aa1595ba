"""Moderation in the admin: cases with their flags and the log, read-only (decisions are
taken on the site's pages, which ask for a reason); and the papers' admin with what
moderators do there, merging and correcting papers, logged."""

from django.contrib import admin, messages
from django.db.models import Count, F
from django.template.response import TemplateResponse
from django.utils.html import format_html

from papers.admin import PaperAdmin
from papers.models import Paper
from shortscience.admin import ReadOnlyAdmin

from . import services
from .forms import ModeratorReasonForm
from .models import Case, Flag, ModerationLog


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


@admin.action(
    description="Merge the selected papers into the oldest of them", permissions=["change"]
)
def merge_into_oldest(modeladmin, request, queryset):
    """An arXiv preprint and its venue record are one paper: the oldest record stays,
    the others' summaries, follows, keywords and missing identifiers move onto it, and
    their addresses redirect to it. A page asks for the reason the moderation log shows."""
    papers = list(queryset.order_by("created_at", "pk"))
    if len(papers) < 2:
        modeladmin.message_user(request, "Select two or more papers to merge.", messages.WARNING)
        return None
    keep, *duplicates = papers
    form = ModeratorReasonForm(request.POST if "reason" in request.POST else None)
    if form.is_valid():
        for duplicate in duplicates:
            try:
                services.merge(duplicate, keep, request.user, form.cleaned_data["reason"])
            except services.ModerationError as error:
                modeladmin.message_user(request, str(error), messages.ERROR)
                return None
        modeladmin.message_user(
            request, f"Merged {len(duplicates)} paper(s) into “{keep.title}”.", messages.SUCCESS
        )
        return None
    context = {
        **modeladmin.admin_site.each_context(request),
        "title": "Merge papers",
        "keep": keep,
        "duplicates": duplicates,
        "form": form,
        "selected": [paper.pk for paper in papers],
        "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        "opts": modeladmin.model._meta,
    }
    return TemplateResponse(request, "admin/papers/merge_confirm.html", context)


class ModeratedPaperAdmin(PaperAdmin):
    """The papers' admin (papers.admin), with merging, and every correction logged."""

    actions = [*PaperAdmin.actions, merge_into_oldest]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change and form.changed_data:
            # The public log shows corrections made here too; the admin has no reason
            # field, so the entry names the fields that changed.
            services.log_admin_edit(obj, request.user, form.changed_data)


# papers.admin, imported above, has registered PaperAdmin: this one takes its place.
admin.site.unregister(Paper)
admin.site.register(Paper, ModeratedPaperAdmin)
