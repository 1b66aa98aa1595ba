"""Writes to accounts, called by views, commands and tests alike."""

from summaries.rendering import render_markdown

from .models import Profile

PROFILE_FIELDS = ("display_name", "affiliation", "website", "orcid", "bio")


def update_profile(profile: Profile, data: dict) -> Profile:
    """Store the profile fields in ``data`` and the bio's rendered HTML with them."""
    for field in PROFILE_FIELDS:
        if field in data:
            setattr(profile, field, data[field])
    profile.bio_html = render_markdown(profile.bio)
    profile.save()
    return profile
