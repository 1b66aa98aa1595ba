import datetime

from django import forms

from .identifiers import IDENTIFIER_FIELDS, normalize_arxiv_id, normalize_bibtex_key, normalize_doi
from .models import Paper, normalize_name
from .services import find_duplicate

MAX_AUTHORS = 500


class PaperForm(forms.ModelForm):
    """A paper entered by hand. Import from arXiv, DOI or BibTeX fills the same form."""

    authors = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="One author per line, in the paper's order.",
    )
    # Where the details came from: an import fills it in, a member typing leaves it empty.
    source = forms.ChoiceField(
        choices=Paper.Source.choices, required=False, widget=forms.HiddenInput
    )
    tags = forms.CharField(
        label="Keywords",
        required=False,
        help_text="Comma-separated, e.g. cs.LG, optimization.",
    )

    class Meta:
        model = Paper
        fields = [
            "title", "authors", "abstract", "year", "published_on", "venue", "venue_year",
            "tags", "arxiv_id", "doi", "bibtex_key", "url", "pdf_url", "source",
        ]  # fmt: skip
        widgets = {
            "title": forms.TextInput(),
            "abstract": forms.Textarea(attrs={"rows": 8}),
            "published_on": forms.DateInput(attrs={"type": "date"}),
        }
        labels = {"venue_year": "Venue year"}
        help_texts = {
            "arxiv_id": "Like 1706.03762 or hep-th/9901001; an arXiv address works too.",
            "doi": "Like 10.1038/nature14539; a doi.org address works too.",
            "bibtex_key": "dblp or Bibsonomy key, like conf/nips/VaswaniSPUJGKP17.",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.duplicate: Paper | None = None

    def clean_source(self):
        return self.cleaned_data["source"] or Paper.Source.MANUAL

    def clean_title(self):
        return " ".join(self.cleaned_data["title"].split())

    def clean_authors(self):
        # One author typed twice ("José García", "Jose Garcia") is one author: compare
        # the way Author records are matched.
        names, seen = [], set()
        for line in self.cleaned_data["authors"].splitlines():
            name = " ".join(line.split())
            if name and normalize_name(name) not in seen:
                seen.add(normalize_name(name))
                names.append(name)
        if not names:
            raise forms.ValidationError("Name at least one author.")
        if len(names) > MAX_AUTHORS:
            raise forms.ValidationError(f"At most {MAX_AUTHORS} authors.")
        return names

    def clean_tags(self):
        tags = [" ".join(tag.split()) for tag in self.cleaned_data["tags"].split(",")]
        tags = [tag for tag in tags if tag]
        if any(len(tag) > 100 or "/" in tag for tag in tags):
            raise forms.ValidationError("Keywords are up to 100 characters, without slashes.")
        return list(dict.fromkeys(tags))

    def clean_year(self):
        year = self.cleaned_data["year"]
        if not 1600 <= year <= datetime.date.today().year + 1:  # noqa: DTZ011 - a calendar year
            raise forms.ValidationError("Enter the year the paper was first published.")
        return year

    def _normalized(self, field, normalize):
        value = self.cleaned_data[field].strip()
        if not value:
            return ""
        try:
            return normalize(value)
        except ValueError as error:
            raise forms.ValidationError(str(error)) from None

    def clean_arxiv_id(self):
        return self._normalized("arxiv_id", normalize_arxiv_id)

    def clean_doi(self):
        return self._normalized("doi", normalize_doi)

    def clean_bibtex_key(self):
        return self._normalized("bibtex_key", normalize_bibtex_key)

    def clean(self):
        data = super().clean()
        published_on, year = data.get("published_on"), data.get("year")
        if published_on and year and published_on.year != year:
            self.add_error("published_on", "The date's year differs from the year above.")
        if bool(data.get("venue")) != bool(data.get("venue_year")):
            self.add_error("venue_year", "Give both the venue and its year, or neither.")
        identifiers = {field: data.get(field, "") for field in IDENTIFIER_FIELDS}
        if not any(self.has_error(field) for field in identifiers):
            self.duplicate = find_duplicate(**identifiers, exclude=self.instance.pk)
            if self.duplicate:
                raise forms.ValidationError(
                    "This paper is already on ShortScience.", code="duplicate"
                )
        return data

    def validate_constraints(self):
        # A duplicate is already reported above, with a link; the database constraint's
        # own message would only repeat it in technical words.
        if self.duplicate is None:
            super().validate_constraints()


IMPORT_MAX_LENGTH = 200_000


class ImportForm(forms.Form):
    text = forms.CharField(
        label="arXiv id, DOI, dblp key, Bibsonomy link or BibTeX",
        max_length=IMPORT_MAX_LENGTH,
        widget=forms.Textarea(
            attrs={"rows": 3, "placeholder": "1706.03762, 10.1038/nature14539 or @inproceedings{…"}
        ),
        help_text="Paste an identifier or a link to fill the details in from arXiv, "
        "Crossref, dblp or Bibsonomy; several BibTeX entries add several papers.",
        error_messages={"required": "Paste an identifier, a link or BibTeX."},
    )
