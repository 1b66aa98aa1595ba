import pytest
from django.core.management import call_command

from accounts.models import Profile
from shortscience.rendering import RenderTooSlow
from summaries.management.commands import rerender_markdown
from summaries.models import Comment, Summary
from tests.factories import CommentFactory, SummaryFactory

pytestmark = [pytest.mark.django_db, pytest.mark.integration]


def test_rerender_rebuilds_stale_html_and_reports_counts(capsys, author):
    fresh = SummaryFactory(body="*fresh*")
    stale = SummaryFactory(body="*stale*")
    Summary.objects.filter(pk=stale.pk).update(body_html="<p>old renderer output</p>")
    Profile.objects.filter(user=author).update(bio="**bio**", bio_html="")
    comment = CommentFactory(summary=fresh, body="`code`")
    Comment.objects.filter(pk=comment.pk).update(body_html="<p>old renderer output</p>")

    call_command("rerender_markdown")

    assert Summary.objects.get(pk=stale.pk).body_html == "<p><em>stale</em></p>"
    assert Summary.objects.get(pk=fresh.pk).body_html == "<p><em>fresh</em></p>"
    assert Comment.objects.get(pk=comment.pk).body_html == "<p><code>code</code></p>"
    assert Profile.objects.get(user=author).bio_html == "<p><strong>bio</strong></p>"
    assert capsys.readouterr().out.splitlines() == [
        "Summaries: 2 rendered, 1 changed.",
        "Comments: 1 rendered, 1 changed.",
        f"Profiles: {Profile.objects.count()} rendered, 1 changed.",
    ]


def test_rerender_skips_a_text_too_slow_to_render_and_goes_on(capsys, monkeypatch):
    slow = SummaryFactory(body="too slow")
    stale = SummaryFactory(body="*stale*")
    Summary.objects.filter(pk__in=[slow.pk, stale.pk]).update(body_html="<p>old</p>")
    real_render = rerender_markdown.render_markdown

    def render(text):
        if text == "too slow":
            raise RenderTooSlow
        return real_render(text)

    monkeypatch.setattr(rerender_markdown, "render_markdown", render)

    call_command("rerender_markdown")

    assert Summary.objects.get(pk=slow.pk).body_html == "<p>old</p>"
    assert Summary.objects.get(pk=stale.pk).body_html == "<p><em>stale</em></p>"
    out, err = capsys.readouterr()
    assert err.splitlines() == [f"  summary {slow.pk}: too slow to render, skipped."]
    assert out.splitlines()[0] == "Summaries: 1 rendered, 1 changed, 1 skipped."
