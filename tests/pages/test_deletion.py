import datetime
import io
import json

import pytest
from allauth.account.models import EmailAddress
from allauth.socialaccount.models import SocialAccount
from django.contrib.auth.models import Group
from PIL import Image

from accounts.models import DELETED_MEMBER_NAME, Notification, Profile, Suspension, User
from moderation import services as moderation
from moderation.models import Flag, ModerationLog
from pages.deletion import EXPORT_FORMAT, EXPORT_VERSION, delete_account, export_member_data
from papers.models import Follow
from papers.services import follow_paper
from summaries.models import Comment, Figure, Revision, Summary, Vote
from summaries.services import (
    add_comment,
    cast_vote,
    store_figure,
    update_summary,
    vote_comment,
)
from tests.factories import (
    CommentFactory,
    CommentVoteFactory,
    PaperFactory,
    SummaryFactory,
    VoteFactory,
)

pytestmark = [pytest.mark.django_db, pytest.mark.integration]

SITE = "http://testserver.example"


@pytest.fixture(autouse=True)
def _site_and_media(settings, tmp_path):
    settings.SITE_URL = SITE
    settings.MEDIA_ROOT = tmp_path


def png_bytes() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 20), "navy").save(out, "PNG")
    return out.getvalue()


# Export ------------------------------------------------------------------------------------


def test_export_says_what_it_is_and_when(author):
    data = export_member_data(author)

    assert (data["format"], data["version"], data["site"]) == (
        EXPORT_FORMAT,
        EXPORT_VERSION,
        SITE,
    )
    exported_at = datetime.datetime.fromisoformat(data["exported_at"])
    assert abs(exported_at - datetime.datetime.now(datetime.UTC)) < datetime.timedelta(minutes=1)


def test_export_has_the_account_and_the_whole_profile(author):
    EmailAddress.objects.create(user=author, email="ada@old.example", verified=False)
    Profile.objects.filter(user=author).update(
        display_name="Ada L.",
        affiliation="Analytical Engines",
        website="https://ada.example",
        orcid="0000-0002-1694-233X",
        bio="I write *notes*.",
        bio_html="<p>I write <em>notes</em>.</p>",
    )

    data = export_member_data(author)

    assert data["account"] == {
        "username": "ada",
        "emails": [
            {"email": "ada@example.org", "verified": True, "primary": True},
            {"email": "ada@old.example", "verified": False, "primary": False},
        ],
        "date_joined": author.date_joined.isoformat(),
        "last_login": None,
    }
    assert data["profile"] == {
        "display_name": "Ada L.",
        "affiliation": "Analytical Engines",
        "website": "https://ada.example",
        "orcid": "0000-0002-1694-233X",
        "bio": "I write *notes*.",
        "email_on_comment": True,
        "email_on_reply": True,
        "email_on_followed_paper": False,
    }


def test_export_has_every_summary_with_all_its_revisions(author, summary, paper, moderator):
    update_summary(
        summary,
        author,
        body="A *more careful* reading.",
        is_anonymous=True,
        is_private=False,
        base_version=1,
    )
    moderation.hide(summary, moderator, "Off topic")
    summary.refresh_from_db()

    [exported] = export_member_data(author)["summaries"]

    assert exported == {
        "id": summary.pk,
        "url": f"{SITE}/summaries/{summary.pk}/",
        "paper": {
            "id": paper.pk,
            "title": "Attention Is All You Need",
            "arxiv_id": paper.arxiv_id,
            "doi": "",
            "url": f"{SITE}/papers/{paper.pk}/attention-is-all-you-need/",
        },
        "body": "A *more careful* reading.",
        "is_anonymous": True,
        "is_private": False,
        "score": 0,
        "created_at": summary.created_at.isoformat(),
        "updated_at": summary.updated_at.isoformat(),
        "hidden_at": summary.hidden_at.isoformat(),
        "hidden_reason": "Off topic",
        "deleted_at": None,
        "revisions": [
            {
                "number": 1,
                "body": "First *version* with $a_1$.",
                "created_at": Revision.objects.get(number=1).created_at.isoformat(),
            },
            {
                "number": 2,
                "body": "A *more careful* reading.",
                "created_at": Revision.objects.get(number=2).created_at.isoformat(),
            },
        ],
    }


def test_export_includes_deleted_and_private_summaries(author):
    deleted = SummaryFactory(author=author, deleted_at="2026-01-02T03:04:05Z")
    private = SummaryFactory(author=author, is_private=True)

    summaries = export_member_data(author)["summaries"]

    assert [(s["id"], s["is_private"], s["deleted_at"]) for s in summaries] == [
        (deleted.pk, False, "2026-01-02T03:04:05+00:00"),
        (private.pk, True, None),
    ]


def test_export_has_comments_with_their_summary_parent_and_state(
    author, other_user, others_summary
):
    question = add_comment(other_user, others_summary, body="Which dataset?")
    answer = add_comment(author, others_summary, body="ImageNet, *I think*.", parent=question)
    gone = CommentFactory(author=author, summary=others_summary, deleted_at="2026-01-02T00:00:00Z")

    comments = export_member_data(author)["comments"]

    summary_url = f"{SITE}/summaries/{others_summary.pk}/"
    assert comments == [
        {
            "id": answer.pk,
            "url": f"{SITE}/summaries/comments/{answer.pk}/",
            "summary": {
                "id": others_summary.pk,
                "url": summary_url,
                "paper_title": "Deep Residual Learning",
            },
            "parent_id": question.pk,
            "body": "ImageNet, *I think*.",
            "created_at": answer.created_at.isoformat(),
            "edited_at": None,
            "hidden_at": None,
            "hidden_reason": "",
            "deleted_at": None,
        },
        {
            "id": gone.pk,
            "url": f"{SITE}/summaries/comments/{gone.pk}/",
            "summary": {
                "id": others_summary.pk,
                "url": summary_url,
                "paper_title": "Deep Residual Learning",
            },
            "parent_id": None,
            "body": "A fair point about $\\beta_2$.",
            "created_at": gone.created_at.isoformat(),
            "edited_at": None,
            "hidden_at": None,
            "hidden_reason": "",
            "deleted_at": "2026-01-02T00:00:00+00:00",
        },
    ]


def test_export_has_votes_follows_papers_figures_flags_and_suspensions(
    author, other_user, moderator, others_summary
):
    cast_vote(author, others_summary, -1)
    bobs_comment = add_comment(other_user, others_summary, body="Thanks.")
    vote_comment(author, bobs_comment, up=True)
    followed = PaperFactory(title="Followed Paper")
    follow_paper(author, followed)
    added = PaperFactory(title="Added Paper", added_by=author)
    figure = store_figure(author, png_bytes())
    moderation.flag(author, bobs_comment, reason="spam", text="Link farm.")
    moderation.suspend(author, moderator, "Shouting", length=datetime.timedelta(days=1))

    data = export_member_data(author)

    summary_url = f"{SITE}/summaries/{others_summary.pk}/"
    vote = Vote.objects.get(user=author)
    assert data["summary_votes"] == [
        {
            "summary_id": others_summary.pk,
            "summary_url": summary_url,
            "paper_title": "Deep Residual Learning",
            "value": -1,
            "created_at": vote.created_at.isoformat(),
            "updated_at": vote.updated_at.isoformat(),
        }
    ]
    assert [(v["comment_id"], v["comment_url"]) for v in data["comment_votes"]] == [
        (bobs_comment.pk, f"{SITE}/summaries/comments/{bobs_comment.pk}/")
    ]
    assert [(f["paper"]["title"], f["paper"]["id"]) for f in data["follows"]] == [
        ("Followed Paper", followed.pk)
    ]
    assert [(p["paper"]["title"], p["created_at"]) for p in data["papers_added"]] == [
        ("Added Paper", added.created_at.isoformat())
    ]
    assert data["figures"] == [
        {
            "url": f"{SITE}{figure.image.url}",
            "width": 40,
            "height": 20,
            "created_at": figure.created_at.isoformat(),
        }
    ]
    flag = Flag.objects.get()
    assert data["flags"] == [
        {
            "kind": "comment",
            "target_id": bobs_comment.pk,
            "reason": "spam",
            "text": "Link farm.",
            "created_at": flag.created_at.isoformat(),
        }
    ]
    suspension = Suspension.objects.get()
    assert data["suspensions"] == [
        {
            "reason": "Shouting",
            "starts_at": suspension.starts_at.isoformat(),
            "ends_at": suspension.ends_at.isoformat(),
            "lifted_at": None,
        }
    ]


def test_export_is_valid_json_and_names_no_other_member(author, other_user, others_summary):
    Profile.objects.filter(user=other_user).update(display_name="Robert Secret")
    question = add_comment(other_user, others_summary, body="Which dataset?")
    add_comment(author, others_summary, body="ImageNet.", parent=question)
    cast_vote(author, others_summary, 1)

    text = json.dumps(export_member_data(author))

    assert json.loads(text)["account"]["username"] == "ada"
    assert "bob" not in text
    assert "Robert Secret" not in text


def make_one_of_each(author, other_user, n: int) -> None:
    """``n`` things of every kind the export lists, for the query count."""
    for i in range(n):
        mine = SummaryFactory(author=author)
        Revision.objects.create(summary=mine, number=2, body=f"Edit {i}", editor=author)
        theirs = SummaryFactory(author=other_user)
        CommentFactory(author=author, summary=theirs)
        VoteFactory(user=author, summary=theirs)
        CommentVoteFactory(user=author, comment=CommentFactory(author=other_user, summary=theirs))
        Follow.objects.create(user=author, paper=theirs.paper)
        PaperFactory(added_by=author)
        Figure.objects.create(uploader=author, image=f"figures/{i}.png", width=1, height=1)
        moderation.flag(author, theirs, reason="spam")
        Suspension.objects.create(user=author, reason=f"Reason {i}")
        EmailAddress.objects.create(user=author, email=f"ada{i}@elsewhere.example")


@pytest.mark.parametrize("n", [1, 3])
def test_export_takes_one_query_per_kind(django_assert_num_queries, author, other_user, n):
    make_one_of_each(author, other_user, n)

    # Profile, revisions, e-mails, summaries, comments, summary votes, comment votes,
    # follows, papers added, figures, flags, suspensions.
    with django_assert_num_queries(12):
        data = export_member_data(author)

    assert [len(data[kind]) for kind in ("summaries", "comments", "figures", "flags")] == [n] * 4
    assert [len(s["revisions"]) for s in data["summaries"]] == [2] * n


# Deletion, either way ----------------------------------------------------------------------


@pytest.mark.parametrize("keep_summaries", [True, False])
def test_delete_empties_the_account_and_profile(author, keep_summaries):
    Profile.objects.filter(user=author).update(
        display_name="Ada L.",
        affiliation="Analytical Engines",
        website="https://ada.example",
        orcid="0000-0002-1694-233X",
        bio="I write *notes*.",
        bio_html="<p>I write <em>notes</em>.</p>",
    )
    author.refresh_from_db()
    SocialAccount.objects.create(user=author, provider="github", uid="1815")

    delete_account(author, keep_summaries=keep_summaries)

    user = User.objects.select_related("profile").get(pk=author.pk)
    assert (user.username, user.email, user.is_active, user.has_usable_password()) == (
        f"deleted.{author.pk}",
        "",
        False,
        False,
    )
    assert user.is_deleted
    assert user.display_name == DELETED_MEMBER_NAME
    profile = user.profile
    assert [
        profile.display_name,
        profile.affiliation,
        profile.website,
        profile.orcid,
        profile.bio,
        profile.bio_html,
    ] == [""] * 6
    assert not EmailAddress.objects.filter(user=author).exists()
    assert not SocialAccount.objects.exists()
    # The caller's instance says so too.
    assert (author.username, author.profile.display_name) == (f"deleted.{author.pk}", "")


@pytest.mark.parametrize("keep_summaries", [True, False])
def test_delete_drops_notifications_and_follows_but_keeps_votes(
    author, other_user, summary, others_summary, keep_summaries
):
    add_comment(other_user, summary, body="Nice.")  # Notifies Ada.
    follow_paper(author, others_summary.paper)
    cast_vote(author, others_summary, 1)
    bobs_comment = add_comment(other_user, others_summary, body="Thanks.")
    vote_comment(author, bobs_comment, up=True)
    cast_vote(other_user, summary, -1)

    delete_account(author, keep_summaries=keep_summaries)

    assert not Notification.objects.filter(recipient=author).exists()
    assert not Follow.objects.exists()
    assert list(Vote.objects.filter(user=author).values_list("summary", "value")) == [
        (others_summary.pk, 1)
    ]
    assert Summary.objects.get(pk=others_summary.pk).score == 1
    assert Comment.objects.get(pk=bobs_comment.pk).score == 1
    assert Summary.objects.get(pk=summary.pk).score == -1


def test_delete_keeps_flags_suspensions_and_what_the_moderators_wrote(
    author, other_user, moderator, others_summary
):
    moderation.flag(author, others_summary, reason="spam")
    moderation.suspend(author, moderator, "Shouting", length=None)

    delete_account(author, keep_summaries=False)

    assert Flag.objects.get().reporter_id == author.pk
    assert Suspension.objects.get().user_id == author.pk
    assert ModerationLog.objects.get().target_label == "member ada"


def test_a_moderator_deletes_their_account_and_their_log_stays(
    moderator, other_user, others_summary
):
    moderation.hide(others_summary, moderator, "Spam")

    delete_account(moderator, keep_summaries=True)

    entry = ModerationLog.objects.get()
    assert entry.moderator_id == moderator.pk
    moderator.refresh_from_db()
    assert (moderator.is_staff, list(moderator.groups.all())) == (False, [])
    assert Group.objects.get(name="Moderators").user_set.count() == 0


def test_deleting_twice_changes_nothing_the_second_time(author, summary):
    delete_account(author, keep_summaries=True)
    deleted_at = User.objects.get(pk=author.pk).deleted_at

    delete_account(User.objects.get(pk=author.pk), keep_summaries=False)

    assert User.objects.get(pk=author.pk).deleted_at == deleted_at
    assert Summary.objects.get(pk=summary.pk).deleted_at is None


# Keeping the summaries ---------------------------------------------------------------------


def test_keep_makes_every_summary_anonymous_and_keeps_text_and_history(author, summary):
    private = SummaryFactory(author=author, is_private=True)
    update_summary(
        summary, author, body="Second.", is_anonymous=False, is_private=False, base_version=1
    )

    delete_account(author, keep_summaries=True)

    kept = Summary.objects.order_by("pk")
    assert [(s.pk, s.is_anonymous, s.deleted_at, s.body) for s in kept] == [
        (summary.pk, True, None, "Second."),
        (private.pk, True, None, private.body),
    ]
    assert list(Revision.objects.filter(summary=summary).values_list("number", "body")) == [
        (1, "First *version* with $a_1$."),
        (2, "Second."),
    ]


def test_keep_leaves_comments_and_figures(author, other_user, others_summary):
    comment = add_comment(author, others_summary, body="Good point.")
    figure = store_figure(author, png_bytes())

    delete_account(author, keep_summaries=True)

    comment.refresh_from_db()
    assert (comment.body, comment.deleted_at) == ("Good point.", None)
    assert comment.author.display_name == DELETED_MEMBER_NAME
    assert Summary.objects.get(pk=others_summary.pk).comment_count == 1
    assert Figure.objects.get() == figure
    assert figure.image.storage.exists(figure.image.name)


def test_keep_still_erases_what_they_had_deleted_themselves(author, others_summary):
    deleted = SummaryFactory(author=author, deleted_at="2026-01-02T00:00:00Z")
    gone = CommentFactory(author=author, summary=others_summary, deleted_at="2026-01-02T00:00:00Z")

    delete_account(author, keep_summaries=True)

    deleted.refresh_from_db()
    gone.refresh_from_db()
    assert (deleted.body, deleted.body_html, deleted.is_anonymous) == ("", "", False)
    assert not Revision.objects.filter(summary=deleted).exists()
    assert (gone.body, gone.body_html) == ("", "")


# Removing the summaries --------------------------------------------------------------------


def test_remove_deletes_summaries_and_erases_their_text_and_history(author, summary):
    summary.share_token = Summary.new_share_token()
    summary.save()
    update_summary(
        summary, author, body="Second.", is_anonymous=False, is_private=False, base_version=1
    )

    delete_account(author, keep_summaries=False)

    summary.refresh_from_db()
    assert summary.deleted_at is not None
    assert (summary.body, summary.body_html, summary.share_token) == ("", "", None)
    assert not Revision.objects.exists()
    assert Summary.objects.visible().count() == 0


def test_remove_keeps_other_members_comments_under_the_summary_out_of_sight(
    author, other_user, summary
):
    bobs = add_comment(other_user, summary, body="Which dataset?")

    delete_account(author, keep_summaries=False)

    bobs.refresh_from_db()
    assert (bobs.body, bobs.deleted_at) == ("Which dataset?", None)
    assert Summary.objects.visible().filter(pk=summary.pk).count() == 0


def test_remove_deletes_comments_like_the_site_does_and_keeps_counts_right(
    author, other_user, moderator, others_summary
):
    mine = add_comment(author, others_summary, body="I disagree.")
    reply = add_comment(other_user, others_summary, body="Why?", parent=mine)
    hidden = add_comment(author, others_summary, body="Rude words.")
    moderation.hide(hidden, moderator, "Rude")
    assert Summary.objects.get(pk=others_summary.pk).comment_count == 2

    delete_account(author, keep_summaries=False)

    mine.refresh_from_db()
    hidden.refresh_from_db()
    reply.refresh_from_db()
    assert (mine.body, mine.body_html, mine.deleted_at is not None) == ("", "", True)
    assert (hidden.body, hidden.deleted_at is not None) == ("", True)
    assert (reply.body, reply.deleted_at, reply.parent_id) == ("Why?", None, mine.pk)
    # Bob's reply is the one comment left showing.
    assert Summary.objects.get(pk=others_summary.pk).comment_count == 1


def test_remove_deletes_figures_and_their_files_once_committed(
    author, django_capture_on_commit_callbacks
):
    figure = store_figure(author, png_bytes())
    storage, name = figure.image.storage, figure.image.name

    with django_capture_on_commit_callbacks(execute=True):
        delete_account(author, keep_summaries=False)

    assert not Figure.objects.exists()
    assert not storage.exists(name)


def test_remove_leaves_other_members_things_alone(author, other_user, summary, others_summary):
    bobs_figure = store_figure(other_user, png_bytes())
    bobs_comment = CommentFactory(author=other_user, summary=others_summary)

    delete_account(author, keep_summaries=False)

    others_summary.refresh_from_db()
    bobs_comment.refresh_from_db()
    assert others_summary.deleted_at is None
    assert others_summary.body.startswith("This paper shows")
    assert Revision.objects.filter(summary=others_summary).count() == 1
    assert bobs_comment.deleted_at is None
    assert Figure.objects.get() == bobs_figure
    assert User.objects.get(pk=other_user.pk).username == "bob"
