from django import forms

from .models import ORCID_TAKEN, Profile
from .services import EMAIL_PREFERENCE, PROFILE_FIELDS
from .validators import normalize_orcid


class ProfileForm(forms.ModelForm):
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
