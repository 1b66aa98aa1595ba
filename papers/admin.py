from django.contrib import admin, messages
from django.template.response import TemplateResponse

from .models import Author, Authorship, Paper, Venue, VenueAlias


@admin.register(Venue)
class VenueAdmin(admin.ModelAdmin):
    list_display = ("short_name", "full_name", "dblp_key")
    search_fields = ("short_name", "full_name", "dblp_key")
    prepopulated_fields = {"slug": ("short_name",)}


@admin.register(Author)
class AuthorAdmin(admin.ModelAdmin):
    list_display = ("name", "normalized_name")
    search_fields = ("name", "normalized_name")
    readonly_fields = ("normalized_name",)


class AuthorshipInline(admin.TabularInline):
    model = Authorship
    autocomplete_fields = ("author",)
    extra = 0
    ordering = ("position",)


@admin.action(
    description="Merge the selected papers into the oldest of them", permissions=["change"]
)
def merge_into_oldest(modeladmin, request, queryset):
    """An arXiv preprint and its venue record are one paper: the oldest record stays,
    the others' summaries, follows, keywords and missing identifiers move onto it, and
    their addresses redirect to it. A page asks for the reason the moderation log shows."""
    from summaries import moderation  # Imported here: summaries imports papers.
    from summaries.forms import ModeratorReasonForm

    papers = list(queryset.order_by("created_at", "pk"))
    if len(papers) < 2:
        modeladmin.message_user(request, "Select two or more papers to merge.", messages.WARNING)
        return None
    keep, *duplicates = papers
    form = ModeratorReasonForm(request.POST if "reason" in request.POST else None)
    if form.is_valid():
        for duplicate in duplicates:
            moderation.merge(duplicate, keep, request.user, form.cleaned_data["reason"])
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


@admin.register(Paper)
class PaperAdmin(admin.ModelAdmin):
    list_display = (
        "title",
        "year",
        "venue",
        "venue_year",
        "arxiv_id",
        "doi",
        "source",
        "created_at",
    )
    list_filter = ("source", "venue", "year")
    list_select_related = ("venue",)
    search_fields = ("title", "arxiv_id", "doi", "bibtex_key", "authors__name")
    autocomplete_fields = ("venue", "added_by")
    readonly_fields = ("slug", "created_at", "updated_at")
    inlines = [AuthorshipInline]
    date_hierarchy = "created_at"
    actions = [merge_into_oldest]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change and form.changed_data:
            from summaries import moderation  # Imported here: summaries imports papers.

            # The public log shows corrections made here too; the admin has no reason
            # field, so the entry names the fields that changed.
            moderation.log_admin_edit(obj, request.user, form.changed_data)


@admin.register(VenueAlias)
class VenueAliasAdmin(admin.ModelAdmin):
    list_display = ("name", "venue")
    list_select_related = ("venue",)
    list_filter = ("venue",)
    search_fields = ("name", "venue__short_name", "venue__full_name")
    autocomplete_fields = ("venue",)
