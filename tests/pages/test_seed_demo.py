import pytest
from allauth.account.models import EmailAddress
from django.core.management import CommandError, call_command
from django.db.models import Count, Sum

from accounts.models import Notification, User
from moderation.models import Case, ModerationLog
from pages import demo_content
from pages.management.commands.seed_demo import (
    DEMO_ACCOUNTS,
    DEMO_MEMBERS,
    DEMO_PASSWORD,
)
from papers.models import Follow, Paper, Venue
from summaries.models import Comment, Revision, Summary, Vote

pytestmark = [pytest.mark.django_db, pytest.mark.integration]


def test_seed_demo_creates_members_with_profiles_and_verified_addresses():
    call_command("seed_demo", stdout=None)

    # The named members and one spammer, for the moderation queue.
    assert User.objects.count() == len(DEMO_MEMBERS) + 1
    ada = User.objects.get(username="ada_k")
    assert ada.profile.display_name == "Ada Kowalski"
    assert ada.profile.orcid == "0000-0002-1825-0097"
    assert '<span class="arithmatex">\\(\\beta_2\\)</span>' in ada.profile.bio_html
    assert EmailAddress.objects.filter(verified=True, primary=True).count() == len(DEMO_MEMBERS)


def test_seed_demo_run_twice_creates_nothing_more(capsys):
    call_command("seed_demo", "--users", "15")

    call_command("seed_demo", "--users", "15")

    assert User.objects.count() == 15
    assert capsys.readouterr().out.splitlines()[-3:] == [
        f"Demo members: 0 created, 15 in all. Demo password: {DEMO_PASSWORD}",
        f"Demo papers: 0 created, {len(demo_content.PAPERS)} in all; "
        f"summaries: 0 created, {len(demo_content.SUMMARIES)} in all.",
        f"Demo comments: 0 created, "
        f"{len(demo_content.COMMENTS) + len(demo_content.SPAM_COMMENTS)} in all; "
        f"votes: {len(demo_content.VOTES)}.",
    ]


def test_seed_demo_generates_members_in_batches_with_progress(capsys):
    call_command("seed_demo", "--users", str(DEMO_ACCOUNTS + 5))

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
    with pytest.raises(CommandError, match="Sizes must be zero or more"):
        call_command("seed_demo", "--users", "-1")


def test_seed_demo_fills_papers_venues_tags_and_summaries_with_math_and_figures(
    settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path

    call_command("seed_demo")

    assert Venue.objects.count() == len(demo_content.VENUES)
    attention = Paper.objects.get(arxiv_id="1706.03762")
    assert [a.name for a in attention.ordered_authors][:2] == ["Ashish Vaswani", "Noam Shazeer"]
    assert (attention.venue.short_name, attention.venue_year) == ("NeurIPS", 2017)
    assert sorted(attention.tags.names()) == ["cs.CL", "cs.LG", "transformers"]
    assert Summary.objects.count() == len(demo_content.SUMMARIES)
    adam = Summary.objects.get(paper__arxiv_id="1412.6980", author__username="ada_k")
    assert '<div class="arithmatex">' in adam.body_html
    assert "<img" in adam.body_html
    assert len(list((tmp_path / "figures").iterdir())) == 2
    assert Revision.objects.filter(summary__author__username="lin_wei", number=2).exists()


def test_seed_demo_adds_comments_votes_and_follows_with_exact_counters(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path

    call_command("seed_demo")

    attention = Summary.objects.get(paper__arxiv_id="1706.03762", author__username="lin_wei")
    # The spam comment under it is hidden, so not counted.
    assert (attention.score, attention.comment_count) == (3, 3)
    adam_by_tomasz = Summary.objects.get(paper__arxiv_id="1412.6980", author__username="tomasz")
    assert adam_by_tomasz.score == 0
    assert Follow.objects.count() == len(demo_content.FOLLOWS)
    # Three from members, one from the demo's spammer.
    assert Notification.objects.filter(recipient__username="lin_wei", kind="comment").count() == 4
    assert Notification.objects.filter(recipient__username="tomasz", kind="reply").count() == 2


def test_seed_demo_generates_large_sets_in_bulk_with_exact_counters(settings, tmp_path, capsys):
    settings.MEDIA_ROOT = tmp_path
    sizes = ["--users", "30", "--papers", "40", "--summaries", "60", "--votes", "150"]

    call_command("seed_demo", *sizes, "--comments", "50")
    call_command("seed_demo", *sizes, "--comments", "50")

    generated = Summary.objects.filter(paper__bibtex_key__startswith="demo/gen")
    assert Paper.objects.filter(bibtex_key__startswith="demo/gen").count() == 40
    assert generated.count() == 60
    assert Vote.objects.filter(summary__in=generated).count() == 150
    assert Comment.objects.filter(summary__in=generated).count() == 50
    assert Revision.objects.filter(summary__in=generated, number=1).count() == 60
    scores = dict(generated.annotate(total=Sum("votes__value")).values_list("pk", "total"))
    counts = dict(generated.annotate(n=Count("comments")).values_list("pk", "n"))
    assert {s.pk: (s.score, s.comment_count) for s in generated} == {
        pk: (scores[pk] or 0, counts[pk]) for pk in scores
    }
    assert "generated papers: 40/40" in capsys.readouterr().out


def test_seed_demo_refuses_summaries_without_generated_papers():
    with pytest.raises(CommandError, match="need generated papers"):
        call_command("seed_demo", "--summaries", "5")


def test_seed_demo_fills_the_moderation_queue_and_log_once():
    call_command("seed_demo")
    call_command("seed_demo")

    open_cases = Case.objects.open()
    assert [case.flags.count() for case in open_cases] == [2]
    entry = ModerationLog.objects.get()
    assert (entry.moderator.username, entry.action) == (demo_content.MODERATOR, "hide")
    assert User.objects.get(username=demo_content.MODERATOR).has_perm("summaries.hide_summary")
