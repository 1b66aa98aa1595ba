from allauth.account.forms import SignupForm as AllauthSignupForm
from django import forms

from shortscience.rendering import RenderTooSlow, render_markdown

from .guards import HoneypotField, HoneypotMixin, refuse_new_links, unverified_links_error
from .models import ORCID_TAKEN, Profile
from .permissions import can_post_links
from .services import EMAIL_PREFERENCE, PROFILE_FIELDS
from .validators import normalize_orcid


class SignupForm(HoneypotMixin, AllauthSignupForm):
    """allauth's sign-up (settings.ACCOUNT_FORMS) with a honeypot for robots."""

    website = HoneypotField()


class ProfileForm(forms.ModelForm):
    """The member's profile. ``user`` is the member editing: a website, and links they
    add to their bio, wait for a verified e-mail."""

    # Longer than the stored form, so a pasted https://orcid.org/... address fits.
    orcid = forms.CharField(label="ORCID iD", max_length=60, required=False)

    class Meta:
        model = Profile
        fields = PROFILE_FIELDS
        widgets = {
            "bio": forms.Textarea(attrs={"rows": 8}),
            "website": forms.URLInput(attrs={"placeholder": "https://"}),
        }
        help_texts = {
            "orcid": "Your iD or its orcid.org address; we check its check digit.",
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def details(self):
        """The public profile's fields, for the first part of the edit page."""
        return [field for field in self if field.name not in EMAIL_PREFERENCE.values()]

    def email_switches(self):
        """Which notifications also arrive by e-mail, for their own part of the page."""
        return [self[name] for name in EMAIL_PREFERENCE.values()]

    def clean_orcid(self):
        value = self.cleaned_data["orcid"].strip()
        if not value:
            return ""
        orcid = normalize_orcid(value)
        # The database constraint would catch this too, but only as a form-wide error.
        if Profile.objects.filter(orcid=orcid).exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(ORCID_TAKEN, code="orcid_taken")
        return orcid

    def clean_bio(self):
        bio = self.cleaned_data["bio"]
        try:
            render_markdown(bio)
        except RenderTooSlow as error:
            raise forms.ValidationError(str(error), code="too_complex") from error
        # The instance still holds the stored bio: the form copies onto it after cleaning.
        refuse_new_links(self.user, bio, before=self.instance.bio)
        return bio

    def clean_website(self):
        website = self.cleaned_data["website"]
        if website and website != self.instance.website and not can_post_links(self.user):
            raise unverified_links_error()
        return website


class DeleteAccountForm(forms.Form):
    """What becomes of the member's writing, and their username typed as confirmation
    (members who sign in with GitHub, Google or ORCID may have no password to ask for)."""

    KEEP, REMOVE = "keep", "remove"

    summaries = forms.ChoiceField(
        label="Your summaries and comments",
        choices=[
            (KEEP, "Keep my summaries, shown as Anonymous; my comments stay as “Former member”"),
            (REMOVE, "Remove my summaries and comments"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what becomes of your summaries and comments."},
    )
    confirmation = forms.CharField(
        max_length=100,
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "none", "spellcheck": "false"}
        ),
    )

    def __init__(self, *args, member, **kwargs):
        super().__init__(*args, **kwargs)
        self.member = member
        self.fields["confirmation"].label = f"Type your username, {member.username}, to confirm"

    def clean_confirmation(self):
        typed = self.cleaned_data["confirmation"].strip()
        if typed.casefold() != self.member.username.casefold():
            raise forms.ValidationError(
                f"That is not your username: type {self.member.username} to confirm.",
                code="mismatch",
            )
        return typed

    @property
    def keeps_summaries(self) -> bool:
        return self.cleaned_data["summaries"] == self.KEEP
