import re

from django import forms

from accounts.guards import HONEYPOT, HoneypotField, HoneypotMixin, refuse_new_links
from papers.access import find_by_any_key
from papers.models import Paper
from shortscience.rendering import RenderTooSlow, render_markdown

from .figures import MAX_BYTES
from .models import Case, FlagReason, Summary
from .moderation import SUSPENSION_LENGTHS

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


# Moderation ----------------------------------------------------------------------------

REASON_MAX_LENGTH = 500


class FlagForm(forms.Form):
    reason = forms.ChoiceField(
        label="What is wrong?", choices=FlagReason.choices, widget=forms.RadioSelect
    )
    text = forms.CharField(
        label="Details",
        max_length=REASON_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="What the moderators should know: which paper it is really about, "
        "where it was copied from. Required for “Something else”.",
    )

    def clean(self):
        data = super().clean()
        if data.get("reason") == FlagReason.OTHER and not data.get("text", "").strip():
            self.add_error("text", "Say what is wrong.")
        return data


class ModeratorReasonForm(forms.Form):
    """Every moderator action states a reason, which the public log shows."""

    reason = forms.CharField(
        label="Reason",
        max_length=REASON_MAX_LENGTH,
        help_text="Shown in the public moderation log and to the member concerned.",
    )

    def clean_reason(self):
        reason = " ".join(self.cleaned_data["reason"].split())
        if not reason:
            raise forms.ValidationError("Give a reason.")
        return reason


class SuspendForm(ModeratorReasonForm):
    length = forms.ChoiceField(
        label="For how long",
        choices=[(key, name) for key, (name, _) in SUSPENSION_LENGTHS.items()],
        initial="7d",
    )

    def clean_length(self):
        return SUSPENSION_LENGTHS[self.cleaned_data["length"]][1]


def _paper_named_by(text: str) -> Paper | None:
    """The paper a moderator names: its number, its address here, or any key that
    find_by_any_key knows (arXiv id or address, DOI, BibTeX key)."""
    text = text.strip()
    if match := re.fullmatch(r"(?:\S*/papers/)?(\d+)(?:/\S*)?", text):
        return Paper.objects.filter(pk=int(match[1])).first()
    return find_by_any_key(text) if text else None


class ResolveForm(SuspendForm):
    """A decision on a case. ``decisions`` are those open to the case's kind of item."""

    field_order = ["decision", "reason", "length", "merge_into"]

    decision = forms.ChoiceField(label="Decision", widget=forms.RadioSelect)
    length = SuspendForm.base_fields["length"]
    merge_into = forms.CharField(
        label="Merge into",
        required=False,
        max_length=500,
        help_text="For a merge: the paper to keep, by its address, arXiv id or DOI.",
    )

    def __init__(self, *args, decisions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["decision"].choices = [(d.value, d.label) for d in decisions]
        self.fields["length"].required = False
        self.fields["length"].help_text = "For a suspension."
        if Case.Decision.MERGE not in decisions:
            del self.fields["merge_into"]

    def clean_length(self):
        return SUSPENSION_LENGTHS.get(self.cleaned_data["length"], (None, None))[1]

    def clean(self):
        data = super().clean()
        decision = data.get("decision")
        if decision == Case.Decision.SUSPEND and not self.data.get(self.add_prefix("length")):
            self.add_error("length", "Choose how long the suspension lasts.")
        if decision == Case.Decision.MERGE:
            data["merge_into"] = _paper_named_by(data.get("merge_into", ""))
            if data["merge_into"] is None:
                self.add_error("merge_into", "No paper on ShortScience has that address or id.")
        return data
