import unicodedata

from django import forms

from papers.models import Venue
from papers.search import Filters

QUERY_MAX_LENGTH = 500


class SearchForm(forms.Form):
    """The search page's address: ?q=...&in=summaries&venue=...&from=...&to=..., so a
    search can be bookmarked and shared. Every field is optional."""

    q = forms.CharField(
        label="Search",
        required=False,
        max_length=QUERY_MAX_LENGTH,
        strip=True,
        widget=forms.SearchInput(
            attrs={"placeholder": 'Words, "a phrase", -not, OR; an arXiv id or a DOI'}
        ),
        error_messages={
            "max_length": f"A search can be at most {QUERY_MAX_LENGTH} characters long; "
            "try its most telling words."
        },
    )
    venue = forms.ModelChoiceField(
        queryset=Venue.objects.all(),
        to_field_name="slug",
        required=False,
        empty_label="Any venue",
        error_messages={"invalid_choice": "There is no such venue; choose one from the list."},
    )
    year_from = forms.IntegerField(
        label="From year", required=False, min_value=1000, max_value=9999
    )
    year_to = forms.IntegerField(label="To year", required=False, min_value=1000, max_value=9999)
    tag = forms.CharField(label="Keyword", required=False, max_length=100)
    author = forms.CharField(label="Author", required=False, max_length=200)
    has_summaries = forms.BooleanField(label="Only papers with summaries", required=False)

    def clean_q(self):
        """Compatibility forms folded (full-width letters are letters), invisible format
        characters (zero-width spaces, direction marks) dropped and control characters
        made spaces: text search parsers disagree on them between PostgreSQL versions."""
        text = unicodedata.normalize("NFKC", self.cleaned_data["q"])
        kept = (
            " " if unicodedata.category(c) == "Cc" else c
            for c in text
            if unicodedata.category(c) != "Cf"
        )
        folded = " ".join("".join(kept).split())
        # Folding can make a text longer (one ligature character becomes up to 18), so
        # the limit is checked again on what is searched for.
        if len(folded) > QUERY_MAX_LENGTH:
            raise forms.ValidationError(self.fields["q"].error_messages["max_length"])
        return folded

    def clean(self):
        data = super().clean()
        start, end = data.get("year_from"), data.get("year_to")
        if start and end and start > end:
            self.add_error("year_to", "The range ends before it starts.")
        return data

    def filters(self) -> Filters:
        data = self.cleaned_data
        return Filters(
            venue=data.get("venue"),
            year_from=data.get("year_from"),
            year_to=data.get("year_to"),
            tag=data.get("tag") or "",
            author=data.get("author") or "",
            has_summaries=bool(data.get("has_summaries")),
        )
