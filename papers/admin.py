from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError

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


@admin.register(VenueAlias)
class VenueAliasAdmin(admin.ModelAdmin):
    list_display = ("name", "venue")
    list_select_related = ("venue",)
    list_filter = ("venue",)
    search_fields = ("name", "venue__short_name", "venue__full_name")
    autocomplete_fields = ("venue",)
