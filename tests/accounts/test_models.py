import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from accounts.models import Profile, User
from accounts.validators import normalize_orcid, orcid_check_digit
from tests.factories import UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.integration]


def test_every_new_user_gets_a_profile():
    user = User.objects.create_user("newcomer", "n@example.org", "pw")

    assert Profile.objects.get(user=user).display_name == ""


def test_usernames_are_unique_regardless_of_case():
    UserFactory(username="alice")

    with pytest.raises(IntegrityError):
        UserFactory(username="Alice")


def test_display_name_falls_back_to_the_username():
    user = UserFactory(username="quiet")

    assert user.display_name == "quiet"


def test_orcid_is_unique_among_profiles_that_have_one():
    first, second, third = UserFactory.create_batch(3)
    Profile.objects.filter(user=first).update(orcid="0000-0002-1825-0097")
    Profile.objects.filter(user=third).update(orcid="")

    with pytest.raises(IntegrityError):
        Profile.objects.filter(user=second).update(orcid="0000-0002-1825-0097")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("0000-0002-1825-0097", "0000-0002-1825-0097"),
        ("https://orcid.org/0000-0002-1694-233X", "0000-0002-1694-233X"),
        ("orcid.org/0000-0002-1694-233x", "0000-0002-1694-233X"),
        ("0000000218250097", "0000-0002-1825-0097"),
    ],
)
def test_normalize_orcid_accepts_ids_urls_and_bare_digits(raw, expected):
    assert normalize_orcid(raw) == expected


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("0000-0002-1825-0098", "check digit is wrong"),
        ("0000-0002-1825", "16 characters"),
        ("abcd-0002-1825-0097", "16 characters"),
    ],
)
def test_normalize_orcid_refuses_malformed_ids(raw, message):
    with pytest.raises(ValidationError, match=message):
        normalize_orcid(raw)


def test_orcid_check_digit_matches_orcids_documented_example():
    assert orcid_check_digit("000000021825009") == "7"
