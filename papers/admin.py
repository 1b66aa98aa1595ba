from django.contrib import admin

from .models import Author, Authorship, Paper, Venue


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
