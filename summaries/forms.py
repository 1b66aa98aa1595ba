from django import forms

from .figures import MAX_BYTES
from .models import Summary

BODY_MAX_LENGTH = 50_000


class SummaryForm(forms.ModelForm):
    """Writing or editing a summary. ``base_version`` carries the version the editor
    started from, so a save over someone else's newer edit is refused, not applied."""

    body = forms.CharField(
        label="Summary",
        max_length=BODY_MAX_LENGTH,
        strip=False,
        error_messages={"required": "The summary is empty."},
        widget=forms.Textarea(attrs={"rows": 22, "spellcheck": "true"}),
        help_text="Markdown, with math between $...$ (inline) or $$...$$ (display).",
    )
    base_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Summary
        fields = ["body", "is_anonymous", "is_private"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["base_version"] = self.instance.version

    def clean_body(self):
        body = self.cleaned_data["body"].replace("\r\n", "\n")
        if not body.strip():
            raise forms.ValidationError("The summary is empty.")
        return body


class FigureForm(forms.Form):
    image = forms.FileField(
        label="Image",
        help_text=f"PNG, JPEG, GIF or WebP, up to {MAX_BYTES // (1024 * 1024)} MB.",
        widget=forms.ClearableFileInput(
            attrs={"accept": "image/png,image/jpeg,image/gif,image/webp"}
        ),
    )


class PreviewForm(forms.Form):
    body = forms.CharField(max_length=BODY_MAX_LENGTH, required=False, strip=False)


COMMENT_MAX_LENGTH = 10_000


class CommentForm(forms.Form):
    body = forms.CharField(
        label="Comment",
        max_length=COMMENT_MAX_LENGTH,
        strip=False,
        error_messages={"required": "The comment is empty."},
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Markdown and math, as in summaries.",
    )
    parent = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def clean_body(self):
        body = self.cleaned_data["body"].replace("\r\n", "\n")
        if not body.strip():
            raise forms.ValidationError("The comment is empty.")
        return body


class VoteForm(forms.Form):
    value = forms.TypedChoiceField(
        choices=[("1", "up"), ("-1", "down"), ("0", "none")], coerce=int
    )
    # Where the form was, to go back to without JavaScript; checked before use.
    next = forms.CharField(required=False, max_length=2000)


class CommentVoteForm(VoteForm):
    value = forms.TypedChoiceField(choices=[("1", "up"), ("0", "none")], coerce=int)
