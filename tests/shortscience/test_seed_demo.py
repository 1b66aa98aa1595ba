import pytest
from allauth.account.models import EmailAddress
from django.core.management import CommandError, call_command

from accounts.models import User
from shortscience.management.commands.seed_demo import DEMO_MEMBERS, DEMO_PASSWORD

pytestmark = [pytest.mark.django_db, pytest.mark.integration]


def test_seed_demo_creates_members_with_profiles_and_verified_addresses():
    call_command("seed_demo", stdout=None)

    assert User.objects.count() == len(DEMO_MEMBERS)
    ada = User.objects.get(username="ada_k")
    assert ada.profile.display_name == "Ada Kowalski"
    assert ada.profile.orcid == "0000-0002-1825-0097"
    assert '<span class="arithmatex">\\(\\beta_2\\)</span>' in ada.profile.bio_html
    assert EmailAddress.objects.filter(verified=True, primary=True).count() == len(DEMO_MEMBERS)


def test_seed_demo_run_twice_creates_nothing_more(capsys):
    call_command("seed_demo", "--users", "15")

    call_command("seed_demo", "--users", "15")

    assert User.objects.count() == 15
    assert (
        capsys.readouterr().out.splitlines()[-1].startswith("Demo members: 0 created, 15 in all")
    )


def test_seed_demo_generates_members_in_batches_with_progress(capsys):
    call_command("seed_demo", "--users", str(len(DEMO_MEMBERS) + 5))

    out = capsys.readouterr().out
    assert "generated members: 5/5" in out
    generated = User.objects.get(username="demo000005")
    assert generated.profile.pk == generated.pk
    assert generated.emailaddress_set.get().verified is True


def test_seed_demo_members_can_sign_in_with_the_demo_password(client):
    call_command("seed_demo")

    response = client.post("/accounts/login/", {"login": "tomasz", "password": DEMO_PASSWORD})

    assert response.status_code == 302
    assert response.wsgi_request.user.username == "tomasz"


def test_seed_demo_refuses_a_negative_size():
    with pytest.raises(CommandError, match="--users must be zero or more"):
        call_command("seed_demo", "--users", "-1")
