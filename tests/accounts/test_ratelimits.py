"""The gate on every write path (accounts/ratelimits.py): rate limits per member and
per address, stricter for new members, said in words with the text kept; suspensions."""

import datetime
import subprocess

import pytest
from django.utils import timezone

from accounts.models import Profile, Suspension
from papers.models import Paper
from papers.sources import NotFound
from summaries.models import Comment, Summary, Vote
from tests.factories import CommentFactory, PaperFactory, SummaryFactory
from tests.processes import PRODUCTION_ENV

pytestmark = [pytest.mark.django_db, pytest.mark.integration]

JSON = {"HTTP_ACCEPT": "application/json"}
ANOTHER_ADDRESS = {"REMOTE_ADDR": "192.0.2.7"}


def write_url(paper):
    return f"/summaries/new/{paper.pk}/"


def comment_url(summary):
    return f"/summaries/{summary.pk}/comments/"


def make_established(member):
    """An accepted contribution: a public summary someone voted up."""
    SummaryFactory(author=member, score=1)


# Per member ------------------------------------------------------------------------------


def test_a_summary_over_the_limit_shows_the_form_again_with_the_text(author_client, settings):
    settings.ACCOUNT_RATE_LIMITS = {"summary_write": "1/m/user"}
    first, second = PaperFactory(), PaperFactory()
    author_client.post(write_url(first), {"body": "One"})

    response = author_client.post(write_url(second), {"body": "My long *second* summary."})

    assert response.status_code == 429
    assert response.context["form"].non_field_errors() == [
        "You have reached the limit of 1 summary or edit per minute. Please try again in a minute."
    ]
    assert response.context["form"]["body"].value() == "My long *second* summary."
    assert "My long *second* summary.</textarea>" in response.content.decode()
    assert list(Summary.objects.values_list("body", flat=True)) == ["One"]


def test_an_edit_over_the_limit_keeps_the_edit_in_the_form(author_client, summary, settings):
    settings.ACCOUNT_RATE_LIMITS = {"summary_write": "2/h/user"}
    edit_url = f"/summaries/{summary.pk}/edit/"
    author_client.post(edit_url, {"body": "Edit one", "base_version": 1})
    author_client.post(edit_url, {"body": "Edit two", "base_version": 2})

    response = author_client.post(edit_url, {"body": "Edit three", "base_version": 3})

    summary.refresh_from_db()
    assert response.status_code == 429
    assert response.context["form"].non_field_errors() == [
        "You have reached the limit of 2 summaries or edits per hour. "
        "Please try again in about 60 minutes."
    ]
    assert "Edit three</textarea>" in response.content.decode()
    assert (summary.body, summary.version) == ("Edit two", 3)


def test_a_comment_over_the_limit_stays_in_the_comment_form(other_client, summary, settings):
    settings.ACCOUNT_RATE_LIMITS = {"comment": "1/m/user"}
    other_client.post(comment_url(summary), {"body": "First"})

    response = other_client.post(comment_url(summary), {"body": "Second thoughts"})

    html = response.content.decode()
    assert response.status_code == 429
    assert (
        "You have reached the limit of 1 comment or edit per minute. "
        "Please try again in a minute." in html
    )
    assert "Second thoughts</textarea>" in html
    assert list(Comment.objects.values_list("body", flat=True)) == ["First"]


def test_a_comment_edit_over_the_limit_keeps_the_edit(other_client, other_user, settings):
    settings.ACCOUNT_RATE_LIMITS = {"comment": "1/m/user"}
    comment = CommentFactory(author=other_user, body="As posted")
    other_client.post(f"/summaries/{comment.summary_id}/comments/", {"body": "Another"})

    response = other_client.post(
        f"/summaries/comments/{comment.pk}/edit/", {"body": "As corrected"}
    )

    comment.refresh_from_db()
    assert response.status_code == 429
    assert response.context["form"].non_field_errors() == [
        "You have reached the limit of 1 comment or edit per minute. Please try again in a minute."
    ]
    assert "As corrected</textarea>" in response.content.decode()
    assert comment.body == "As posted"


def test_a_profile_save_over_the_limit_keeps_what_was_typed(author_client, author, settings):
    settings.ACCOUNT_RATE_LIMITS = {"profile_edit": "1/d/user"}
    author_client.post("/users/ada/edit/", {"display_name": "Ada"})

    response = author_client.post("/users/ada/edit/", {"display_name": "Ada Lovelace"})

    assert response.status_code == 429
    assert response.context["form"].non_field_errors() == [
        "You have reached the limit of 1 profile save per day. Please try again in about 24 hours."
    ]
    assert 'value="Ada Lovelace"' in response.content.decode()
    assert Profile.objects.get(user=author).display_name == "Ada"


def test_a_paper_over_the_limit_keeps_the_form(author_client, settings):
    settings.ACCOUNT_RATE_LIMITS = {"paper_add": "1/m/user"}
    author_client.post(
        "/papers/new/", {"title": "First Paper", "authors": "A. B.", "year": "2020"}
    )

    response = author_client.post(
        "/papers/new/", {"title": "Second Paper", "authors": "A. B.", "year": "2020"}
    )

    assert response.status_code == 429
    assert response.context["form"].non_field_errors() == [
        "You have reached the limit of 1 paper added per minute. Please try again in a minute."
    ]
    assert 'value="Second Paper"' in response.content.decode()
    assert list(Paper.objects.values_list("title", flat=True)) == ["First Paper"]


def not_found(text):
    raise NotFound("No such paper.")


def test_an_import_over_the_limit_keeps_the_pasted_text(author_client, settings, monkeypatch):
    settings.ACCOUNT_RATE_LIMITS = {"paper_import": "1/m/user"}
    monkeypatch.setattr("papers.sources.lookup", not_found)
    author_client.post("/papers/import/", {"text": "1706.03762"})

    response = author_client.post("/papers/import/", {"text": "1810.04805"})

    assert response.status_code == 429
    assert response.context["import_form"].non_field_errors() == [
        "You have reached the limit of 1 import per minute. Please try again in a minute."
    ]
    assert "1810.04805</textarea>" in response.content.decode()


def test_a_vote_over_the_limit_answers_json_with_the_message(other_client, summary, settings):
    settings.ACCOUNT_RATE_LIMITS = {"vote": "1/m/user"}
    other_client.post(f"/summaries/{summary.pk}/vote/", {"value": "1"}, **JSON)

    response = other_client.post(f"/summaries/{summary.pk}/vote/", {"value": "0"}, **JSON)

    assert response.status_code == 429
    assert response.json() == {
        "error": "You have reached the limit of 1 vote per minute. Please try again in a minute."
    }
    assert response["Retry-After"] == "60"
    assert Vote.objects.get().value == 1


def test_a_vote_over_the_limit_without_javascript_gets_the_page_with_the_message(
    other_client, summary, settings
):
    settings.ACCOUNT_RATE_LIMITS = {"vote": "1/m/user"}
    other_client.post(f"/summaries/{summary.pk}/vote/", {"value": "1"})

    response = other_client.post(f"/summaries/{summary.pk}/vote/", {"value": "0"})

    html = response.content.decode()
    assert response.status_code == 429
    assert "<h1>Too many requests</h1>" in html
    assert "You have reached the limit of 1 vote per minute. Please try again in a minute." in html


def test_an_upload_over_the_limit_answers_json_with_the_message(author_client, settings):
    settings.ACCOUNT_RATE_LIMITS = {"figure_upload": "1/m/user"}
    author_client.post("/summaries/figures/", {}, **JSON)

    response = author_client.post("/summaries/figures/", {}, **JSON)

    assert response.status_code == 429
    assert response.json() == {
        "error": "You have reached the limit of 1 image upload per minute. "
        "Please try again in a minute."
    }


# Per address -----------------------------------------------------------------------------


def test_members_on_one_address_share_its_limit(author_client, other_client, summary, settings):
    settings.ACCOUNT_RATE_LIMITS = {"comment": "10/m/user,2/h/ip"}
    author_client.post(comment_url(summary), {"body": "One"})
    author_client.post(comment_url(summary), {"body": "Two"})

    response = other_client.post(comment_url(summary), {"body": "Three"})
    elsewhere = other_client.post(comment_url(summary), {"body": "Four"}, **ANOTHER_ADDRESS)

    assert response.status_code == 429
    assert response.context["comment_form"].non_field_errors() == [
        "The limit of 2 comments or edits per hour from one network address is reached; "
        "others on your network may share it. Please try again in about 60 minutes."
    ]
    assert elsewhere.status_code == 302
    assert sorted(Comment.objects.values_list("body", flat=True)) == ["Four", "One", "Two"]


def test_a_post_refused_by_one_rate_uses_up_none_of_the_others(
    author_client, other_client, summary, settings
):
    settings.ACCOUNT_RATE_LIMITS = {"comment": "1/m/user,2/m/ip"}
    author_client.post(comment_url(summary), {"body": "One"})
    refused = author_client.post(comment_url(summary), {"body": "Two"})

    response = other_client.post(comment_url(summary), {"body": "Three"})

    assert refused.status_code == 429
    assert response.status_code == 302
    assert sorted(Comment.objects.values_list("body", flat=True)) == ["One", "Three"]


# New members -----------------------------------------------------------------------------

NEW_MEMBER_LIMITS = {"comment": "5/m/user", "comment_new": "1/m/user"}


def test_a_new_member_has_the_stricter_limit(other_client, summary, settings):
    settings.ACCOUNT_RATE_LIMITS = NEW_MEMBER_LIMITS
    other_client.post(comment_url(summary), {"body": "One"})

    response = other_client.post(comment_url(summary), {"body": "Two"})

    assert response.status_code == 429
    assert response.context["comment_form"].non_field_errors() == [
        "New members have a limit of 1 comment or edit per minute, and you have reached it. "
        "It rises once one of your summaries or comments has been voted up, or has stood "
        "for three days. Please try again in a minute."
    ]
    assert list(Comment.objects.values_list("body", flat=True)) == ["One"]


def test_an_established_member_has_the_ordinary_limit(other_client, other_user, summary, settings):
    settings.ACCOUNT_RATE_LIMITS = NEW_MEMBER_LIMITS
    make_established(other_user)
    for body in ["One", "Two", "Three", "Four", "Five"]:
        other_client.post(comment_url(summary), {"body": body})

    response = other_client.post(comment_url(summary), {"body": "Six"})

    assert response.status_code == 429
    assert response.context["comment_form"].non_field_errors() == [
        "You have reached the limit of 5 comments or edits per minute. "
        "Please try again in a minute."
    ]
    assert Comment.objects.count() == 5


def test_the_new_member_limit_counts_on_top_of_the_ordinary_one(other_client, summary, settings):
    settings.ACCOUNT_RATE_LIMITS = {"comment": "1/m/user", "comment_new": "5/m/user"}
    other_client.post(comment_url(summary), {"body": "One"})

    response = other_client.post(comment_url(summary), {"body": "Two"})

    assert response.status_code == 429
    assert response.context["comment_form"].non_field_errors() == [
        "You have reached the limit of 1 comment or edit per minute. Please try again in a minute."
    ]


# Sign-up ---------------------------------------------------------------------------------


def test_sign_ups_over_the_address_limit_get_a_page_that_says_so(client, settings):
    settings.ACCOUNT_RATE_LIMITS = {"signup": "1/h/ip"}
    form = {"email": "g@example.org", "username": "g", "password1": "a-long-pass-42"}
    client.post("/accounts/signup/", form | {"password2": form["password1"]})
    client.logout()

    response = client.post("/accounts/signup/", form | {"email": "h@example.org"})

    html = response.content.decode()
    assert response.status_code == 429
    assert (
        "Too many accounts were made from your network address recently; others on your "
        "network may share it. Please try again in an hour or so." in html
    )


@pytest.mark.slow
def test_a_malformed_rate_stops_the_server_at_start(read_settings):
    result = read_settings(PRODUCTION_ENV | {"RATE_COMMENT": "30 per hour"}, "DEBUG")

    assert isinstance(result, subprocess.CompletedProcess)
    assert "RATE_COMMENT must be rates like 30/h/user,60/h/ip" in result.stderr


@pytest.mark.slow
def test_rates_come_from_the_environment(read_settings):
    values = read_settings(
        {"RATE_VOTE": "10/m/user,50/h/ip", "RATE_SIGNUP": "3/d/ip"}, "ACCOUNT_RATE_LIMITS"
    )

    assert values["ACCOUNT_RATE_LIMITS"]["vote"] == "10/m/user,50/h/ip"
    assert values["ACCOUNT_RATE_LIMITS"]["signup"] == "3/d/ip"
    assert values["ACCOUNT_RATE_LIMITS"]["vote_new"] == "30/h/user"


# Suspension ------------------------------------------------------------------------------


def gated_posts(summary, comment, other_summary):
    """Every write path, as (address, data) posted by the summary's author."""
    return [
        (write_url(PaperFactory()), {"body": "New"}),
        (f"/summaries/{summary.pk}/edit/", {"body": "Changed", "base_version": 1}),
        (comment_url(other_summary), {"body": "A comment"}),
        (f"/summaries/comments/{comment.pk}/edit/", {"body": "Changed"}),
        (f"/summaries/{other_summary.pk}/vote/", {"value": "1"}),
        (f"/summaries/comments/{CommentFactory(summary=other_summary).pk}/vote/", {"value": "1"}),
        ("/summaries/figures/", {}),
        ("/summaries/preview/", {"body": "x"}),
        ("/papers/new/", {"title": "A Paper", "authors": "A. B.", "year": "2020"}),
        ("/papers/import/", {"text": "1706.03762"}),
        ("/papers/import/bibtex/", {"text": "@article{a, title={A}}", "chosen": "0"}),
        ("/users/ada/edit/", {"display_name": "Spammer"}),
    ]


def test_a_suspended_member_is_refused_on_every_write_path(
    author_client, author, suspended, monkeypatch
):
    monkeypatch.setattr("papers.sources.lookup", not_found)
    summary = SummaryFactory(author=author, body="Mine")
    comment = CommentFactory(author=author, summary=summary, body="My comment")
    other_summary = SummaryFactory()
    posts = gated_posts(summary, comment, other_summary)
    papers_before = Paper.objects.count()

    responses = {url: author_client.post(url, data) for url, data in posts}

    refusals = {
        url: (response.status_code, "Your account is suspended" in response.text)
        for url, response in responses.items()
    }
    assert len(refusals) == 12
    assert set(refusals.values()) == {(403, True)}
    summary.refresh_from_db()
    comment.refresh_from_db()
    assert (summary.body, comment.body) == ("Mine", "My comment")
    assert Summary.objects.filter(author=author).count() == 1
    assert Comment.objects.filter(author=author).count() == 1
    assert Vote.objects.count() == 0
    assert Paper.objects.count() == papers_before
    assert Profile.objects.get(user=author).display_name == ""


def test_a_suspended_member_sees_why_and_scripts_get_json(author_client, summary, suspended):
    other = SummaryFactory()

    page = author_client.post(comment_url(other), {"body": "Hi"})
    script = author_client.post(f"/summaries/{other.pk}/vote/", {"value": "1"}, **JSON)

    assert page.status_code == 403
    assert (
        "Your account is suspended until a moderator lifts it: Posting advertisements"
        in page.content.decode()
    )
    assert page.context["comment_form"]["body"].value() == "Hi"
    assert script.status_code == 403
    assert script.json() == {
        "error": "Your account is suspended until a moderator lifts it: Posting advertisements"
    }


def test_a_suspended_member_still_reads_and_deletes_their_own(author_client, summary, suspended):
    comment = CommentFactory(author=summary.author, summary=SummaryFactory())

    page = author_client.get(summary.get_absolute_url())
    paper_page = author_client.get(summary.paper.get_absolute_url())
    deleted_comment = author_client.post(f"/summaries/comments/{comment.pk}/delete/")
    deleted = author_client.post(f"/summaries/{summary.pk}/delete/")

    assert page.status_code == 200
    assert summary.body_html in page.content.decode()
    assert paper_page.status_code == 200
    assert (deleted_comment.status_code, deleted.status_code) == (302, 302)
    summary.refresh_from_db()
    comment.refresh_from_db()
    assert (summary.is_deleted, comment.is_deleted) == (True, True)


def test_an_ended_suspension_no_longer_refuses(author_client, author, moderator, summary):
    now = timezone.now()
    Suspension.objects.create(
        user=author,
        moderator=moderator,
        reason="spam",
        starts_at=now - datetime.timedelta(days=8),
        ends_at=now - datetime.timedelta(days=1),
    )

    response = author_client.post(comment_url(summary), {"body": "Back again"})

    assert response.status_code == 302
    assert list(Comment.objects.values_list("body", flat=True)) == ["Back again"]


def test_a_lifted_suspension_no_longer_refuses(author_client, summary, suspended, moderator):
    Suspension.objects.filter(pk=suspended.pk).update(
        lifted_at=timezone.now(), lifted_by=moderator
    )

    response = author_client.post(comment_url(summary), {"body": "Back again"})

    assert response.status_code == 302
    assert list(Comment.objects.values_list("body", flat=True)) == ["Back again"]


def test_another_members_suspension_refuses_only_them(other_client, summary, suspended):
    response = other_client.post(comment_url(summary), {"body": "Unaffected"})

    assert response.status_code == 302
    assert list(Comment.objects.values_list("body", flat=True)) == ["Unaffected"]
