from django import forms
from django.core.exceptions import ValidationError

from . import importing, sources
from .identifiers import IDENTIFIER_FIELDS
from .models import Paper
from .services import find_duplicate
from .validation import CLEANERS, clean_paper_data


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

    def clean_authors(self):
        return self.cleaned_data["authors"].splitlines()

    def clean_tags(self):
        return self.cleaned_data["tags"].split(",")

    def clean(self):
        data = super().clean()
        # The checks every way of adding or changing a paper shares (papers.validation),
        # on the fields whose own checks passed.
        given = {name: data[name] for name in CLEANERS if name in data}
        try:
            data.update(clean_paper_data(given, partial=True))
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                self.add_error(field if field in self.fields else None, messages)
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


class ImportConfirmForm(forms.Form):
    """The papers chosen from a BibTeX paste: the text comes back (parsed again, so no
    request goes out) with the numbers of the entries chosen.

    Valid when every chosen entry can be stored; ``new`` then holds the records to
    create (the chosen ones not already here) and ``candidates`` all of them, for the
    page shown again. One bad entry refuses the whole confirmation: the page names it
    with its reasons and nothing is created.
    """

    text = forms.CharField(max_length=IMPORT_MAX_LENGTH, widget=forms.HiddenInput)
    chosen = forms.TypedMultipleChoiceField(coerce=int, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.candidates: list = []
        self.new: list = []

    def clean_text(self):
        text = self.cleaned_data["text"]
        try:
            records = sources.parse_bibtex(text)
        except sources.SourceError as error:
            raise forms.ValidationError(str(error)) from None
        self.candidates = importing.candidates(records)
        self.fields["chosen"].choices = [(i, i) for i in range(len(self.candidates))]
        return text

    def clean(self):
        data = super().clean()
        chosen = [self.candidates[i] for i in data.get("chosen", [])]
        chosen = [candidate for candidate in chosen if candidate.existing is None]
        if bad := [candidate for candidate in chosen if candidate.problems]:
            for candidate in bad:
                title = candidate.record.title[:80] or candidate.record.bibtex_key[:80]
                self.add_error(None, f"“{title}” cannot be added: {' '.join(candidate.problems)}")
            return data
        self.new = [candidate.record for candidate in chosen]
        return data
