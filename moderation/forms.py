"""The forms of moderation: a member's flag, and a moderator's reason and decision."""

import re

from django import forms

from papers.access import find_by_any_key
from papers.models import Paper

from .models import Case, FlagReason
from .services import SUSPENSION_LENGTHS

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
