import re
from html.parser import HTMLParser

from django import forms
from django.urls import reverse
from django.utils.html import format_html

from accounts.permissions import can_post_links
from papers.models import Paper
from shortscience.rendering import RenderTooSlow, render_markdown

from .figures import MAX_BYTES
from .models import Case, FlagReason, Summary
from .moderation import SUSPENSION_LENGTHS

BODY_MAX_LENGTH = 50_000

# What members write: links wait for a verified e-mail, robots fill the honeypot ---------

LINKS_NEED_VERIFIED_EMAIL = (
    "Links can be posted once your e-mail address is verified. "
    '<a href="{}">Verify it on your e-mail page</a>, or take the links and images out '
    "of your text to post it now."
)
# The honeypot's name: comment-spam robots fill in a "website" without fail.
HONEYPOT = "website"
HONEYPOT_FILLED = (
    "This was sent as if by a robot: a field that people never see was filled in. "
    "If you are a person, please send it again."
)


class _LinkFinder(HTMLParser):
    """The addresses rendered HTML links to or shows: links and images and video players,
    not the footnote anchors and citation links the renderer writes itself."""

    def __init__(self):
        super().__init__()
        self.found: set[str] = set()

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "a":
            href = attributes.get("href") or ""
            is_ours = href.startswith("#") or "cite" in (attributes.get("class") or "").split()
            if href and not is_ours:
                self.found.add(href)
        elif tag in {"img", "iframe"} and attributes.get("src"):
            self.found.add(attributes["src"])


def links_in(text: str) -> set[str]:
    """Where ``text`` links to once rendered: what render_markdown turns into links (bare
    URLs included), and nothing that only looks like an address ("example.org")."""
    finder = _LinkFinder()
    finder.feed(str(render_markdown(text)))
    finder.close()
    return finder.found


def refuse_new_links(user, text: str, before: str = "") -> None:
    """ValidationError if ``text`` links to anything ``before`` did not and ``user`` may
    not post links yet (accounts.permissions.can_post_links). Links already there stay,
    so a member can still edit what they wrote before."""
    # One query for most members; only those who may not post links pay for rendering.
    if can_post_links(user):
        return
    added = links_in(text)
    if added and before:
        added -= links_in(before)
    if added:
        raise unverified_links_error()


def unverified_links_error() -> forms.ValidationError:
    return forms.ValidationError(
        format_html(LINKS_NEED_VERIFIED_EMAIL, reverse("account_email")),
        code="links_unverified",
    )


class HoneypotInput(forms.TextInput):
    """Never shows a value, so a person whose browser filled it in gets it back empty."""

    def format_value(self, value):
        return None


class _HoneypotBoundField(forms.BoundField):
    def css_classes(self, extra_classes=None):
        # The class on the field's wrapper in a form rendered whole, as allauth renders
        # sign-up; static/css/site.css takes it off screen.
        return " ".join(filter(None, [super().css_classes(extra_classes), "honeypot"]))


class HoneypotField(forms.CharField):
    """A field people never see and robots that fill in every field do: off screen by a
    CSS class (the CSP allows no inline style), out of the tab order, not autofilled,
    and labelled for screen-reader users to leave empty. HoneypotMixin.clean() refuses
    a form with it filled in."""

    bound_field_class = _HoneypotBoundField

    def __init__(self, **kwargs):
        attrs = {"aria-hidden": "true", "tabindex": "-1", "autocomplete": "off"}
        kwargs.setdefault("label", "Leave this field empty: it is here to catch spam robots")
        super().__init__(
            required=False, strip=False, widget=HoneypotInput(attrs), label_suffix="", **kwargs
        )


class HoneypotMixin:
    """For a form with a HoneypotField named HONEYPOT: filled in, the form is invalid,
    so nothing is stored."""

    def clean(self):
        data = super().clean()
        if self.cleaned_data.get(HONEYPOT):
            raise forms.ValidationError(HONEYPOT_FILLED, code="honeypot")
        return data


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
    from papers.views import find_by_any_key  # Imported here: papers views import us.

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
