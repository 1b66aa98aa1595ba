from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.template.response import TemplateResponse

from .models import Author, Authorship, Paper, Venue, VenueAlias
from .validation import CLEANERS, MAX_AUTHORS, clean_author_name, clean_paper_data


@admin.register(Venue)
class VenueAdmin(admin.ModelAdmin):
    list_display = ("short_name", "full_name", "dblp_key")
    search_fields = ("short_name", "full_name", "dblp_key")
    prepopulated_fields = {"slug": ("short_name",)}


class AuthorAdminForm(forms.ModelForm):
    class Meta:
        model = Author
        fields = ["name"]

    def clean_name(self):
        return clean_author_name(self.cleaned_data["name"])


@admin.register(Author)
class AuthorAdmin(admin.ModelAdmin):
    form = AuthorAdminForm
    list_display = ("name", "normalized_name")
    search_fields = ("name", "normalized_name")
    readonly_fields = ("normalized_name",)


class AuthorshipFormSet(forms.BaseInlineFormSet):
    def clean(self):
        super().clean()
        kept = [
            form
            for form in self.forms
            if form.cleaned_data.get("author") and not form.cleaned_data.get("DELETE")
        ]
        if len(kept) > MAX_AUTHORS:
            raise ValidationError(f"At most {MAX_AUTHORS} authors; these are {len(kept):,}.")


class AuthorshipInline(admin.TabularInline):
    model = Authorship
    formset = AuthorshipFormSet
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
            try:
                moderation.merge(duplicate, keep, request.user, form.cleaned_data["reason"])
            except moderation.ModerationError as error:
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


class PaperAdminForm(forms.ModelForm):
    """The admin's paper form, checked as every other way of changing a paper is
    (papers.validation); authors are checked in their inline."""

    class Meta:
        model = Paper
        fields = "__all__"  # noqa: DJ007 - the admin lists its fields itself

    def clean(self):
        data = super().clean()
        given = {name: data[name] for name in CLEANERS if name in data and name != "authors"}
        try:
            data.update(clean_paper_data(given, partial=True))
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                self.add_error(field if field in self.fields else None, errors)
        return data


@admin.register(Paper)
class PaperAdmin(admin.ModelAdmin):
    form = PaperAdminForm
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
