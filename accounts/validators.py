"""Validators for usernames and ORCID iDs."""

import re

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator

USERNAME_MAX_LENGTH = 30

validate_username = RegexValidator(
    r"^[A-Za-z0-9_-]{2,30}\Z",
    "Use 2 to 30 letters, digits, hyphens or underscores: the username is part of your "
    "profile's address.",
)

ORCID_PATTERN = re.compile(r"^(\d{4})-?(\d{4})-?(\d{4})-?(\d{3}[\dX])$")
ORCID_URL_PREFIXES = ("https://orcid.org/", "http://orcid.org/", "orcid.org/")


def orcid_check_digit(base_digits: str) -> str:
    """ISO 7064 MOD 11-2 check character for the first 15 digits of an ORCID iD."""
    total = 0
    for digit in base_digits:
        total = (total + int(digit)) * 2
    result = (12 - total % 11) % 11
    return "X" if result == 10 else str(result)


def normalize_orcid(value: str) -> str:
    """Return an ORCID iD as 0000-0002-1825-0097, accepting its URL and dash-less forms.

    Raises ValidationError for a malformed iD or a wrong check digit.
    """
    value = value.strip().upper()
    for prefix in ORCID_URL_PREFIXES:
        if value.lower().startswith(prefix):
            value = value[len(prefix) :]
            break
    match = ORCID_PATTERN.match(value)
    if not match:
        raise ValidationError(
            "An ORCID iD has 16 characters in four groups, like 0000-0002-1825-0097.",
            code="orcid_format",
        )
    digits = "".join(match.groups())
    if orcid_check_digit(digits[:15]) != digits[15]:
        raise ValidationError(
            "This ORCID iD's check digit is wrong; please copy it again from orcid.org.",
            code="orcid_checksum",
        )
    return "-".join(match.groups())


def validate_orcid(value: str) -> None:
    if normalize_orcid(value) != value:
        raise ValidationError("Write the ORCID iD as 0000-0002-1825-0097.", code="orcid_form")
