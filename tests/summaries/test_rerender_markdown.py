import pytest
from django.core.management import call_command

from accounts.models import Profile
from summaries.models import Summary
from tests.factories import SummaryFactory

pytestmark = [pytest.mark.django_db, pytest.mark.integration]


def test_rerender_rebuilds_stale_html_and_reports_counts(capsys, author):
    fresh = SummaryFactory(body="*fresh*")
    stale = SummaryFactory(body="*stale*")
    Summary.objects.filter(pk=stale.pk).update(body_html="<p>old renderer output</p>")
    Profile.objects.filter(user=author).update(bio="**bio**", bio_html="")

    call_command("rerender_markdown")

    assert Summary.objects.get(pk=stale.pk).body_html == "<p><em>stale</em></p>"
    assert Summary.objects.get(pk=fresh.pk).body_html == "<p><em>fresh</em></p>"
    assert Profile.objects.get(user=author).bio_html == "<p><strong>bio</strong></p>"
    assert capsys.readouterr().out.splitlines() == [
        "Summaries: 2 rendered, 1 changed.",
        f"Profiles: {Profile.objects.count()} rendered, 1 changed.",
    ]
