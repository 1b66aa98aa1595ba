from django import forms

from accounts.guards import HONEYPOT, HoneypotField, HoneypotMixin, refuse_new_links
from shortscience.rendering import RenderTooSlow, render_markdown

from .figures import MAX_BYTES
from .models import Summary

BODY_MAX_LENGTH = 50_000


class SummaryForm(forms.ModelForm):
    """Writing or editing a summary. ``base_version`` carries the version the editor
    started from, so a save over someone else's newer edit is refused, not applied.
    ``user`` is the member writing: links they add wait for a verified e-mail."""

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

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        if self.instance.pk and not self.is_bound:
            self.initial["base_version"] = self.instance.version

    def clean_body(self):
        body = self.cleaned_data["body"].replace("\r\n", "\n")
        if not body.strip():
            raise forms.ValidationError("The summary is empty.")
        try:
            render_markdown(body)
        except RenderTooSlow as error:
            raise forms.ValidationError(str(error), code="too_complex") from error
        # The instance still holds the stored text: the form copies onto it after cleaning.
        refuse_new_links(self.user, body, before=self.instance.body)
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


class CommentForm(HoneypotMixin, forms.Form):
    """A new comment or reply, or (with ``comment``) an edit of that comment. ``user`` is
    the member writing: links they add wait for a verified e-mail."""

    body = forms.CharField(
        label="Comment",
        max_length=COMMENT_MAX_LENGTH,
        strip=False,
        error_messages={"required": "The comment is empty."},
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Markdown and math, as in summaries.",
    )
    parent = forms.IntegerField(required=False, widget=forms.HiddenInput)
    website = HoneypotField()

    def __init__(self, *args, user, comment=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.comment = comment
        if comment is not None:
            # The member's own edit page: nothing for a robot to find there.
            del self.fields[HONEYPOT]

    def clean_body(self):
        body = self.cleaned_data["body"].replace("\r\n", "\n")
        if not body.strip():
            raise forms.ValidationError("The comment is empty.")
        try:
            render_markdown(body)
        except RenderTooSlow as error:
            raise forms.ValidationError(str(error), code="too_complex") from error
        refuse_new_links(self.user, body, before=self.comment.body if self.comment else "")
        return body


class VoteForm(forms.Form):
    value = forms.TypedChoiceField(
        choices=[("1", "up"), ("-1", "down"), ("0", "none")], coerce=int
    )
    # Where the form was, to go back to without JavaScript; checked before use.
    next = forms.CharField(required=False, max_length=2000)


class CommentVoteForm(VoteForm):
    value = forms.TypedChoiceField(choices=[("1", "up"), ("0", "none")], coerce=int)
