"""moderation/services.py: members flag, moderators decide a case, and each decision
for each kind of item does what it says and is logged."""

import pytest

from accounts.gate import active_suspension
from accounts.models import Suspension, User
from moderation import services as moderation
from moderation.models import Case, Flag, FlagReason, ModerationLog
from papers.models import Paper, PaperRedirect
from summaries.models import Comment, Summary
from summaries.services import add_comment, delete_comment
from tests.factories import PaperFactory, SummaryFactory, UserFactory
from tests.moderation.helpers import WEEK, log_rows, open_case, paper_data

pytestmark = [pytest.mark.django_db, pytest.mark.integration]

Decision = Case.Decision


@pytest.fixture
def bobs_comment(summary, other_user):
    """Bob's comment under Ada's summary, counted on it (comment_count is 1)."""
    return add_comment(other_user, summary, body="Buy cheap watches at example.org.")


@pytest.fixture
def owned_item(request, summary, bobs_comment, paper, author):
    """The item of each kind, as the ``kind`` parameter names it, each with a member
    responsible for it: Ada's summary, Bob's comment on it, the paper Ada added, Ada."""
    Paper.objects.filter(pk=paper.pk).update(added_by=author)
    paper.refresh_from_db()
    return {"summary": summary, "comment": bobs_comment, "paper": paper, "user": author}[
        request.param
    ]


def comment_count(summary) -> int:
    return Summary.objects.values_list("comment_count", flat=True).get(pk=summary.pk)


# Flags ---------------------------------------------------------------------------------


@pytest.mark.parametrize("owned_item", ["summary", "comment", "paper", "user"], indirect=True)
def test_flag_opens_one_case_for_the_item_and_later_flags_join_it(
    owned_item, other_user, third_user
):
    first = moderation.flag(other_user, owned_item, reason=FlagReason.SPAM)
    second = moderation.flag(third_user, owned_item, reason=FlagReason.ABUSE)

    case = Case.objects.get()
    assert (case.kind, case.target, case.is_open) == (
        moderation.kind_of(owned_item),
        owned_item,
        True,
    )
    assert list(case.flags.order_by("pk")) == [first, second]
    assert [(flag.reporter, flag.reason) for flag in case.flags.order_by("pk")] == [
        (other_user, "spam"),
        (third_user, "abuse"),
    ]


def test_a_member_flags_an_item_once_while_its_case_is_open(summary, other_user):
    moderation.flag(other_user, summary, reason=FlagReason.SPAM)

    with pytest.raises(moderation.AlreadyFlagged):
        moderation.flag(other_user, summary, reason=FlagReason.OTHER, text="Really spam.")

    assert list(Flag.objects.values_list("reporter", "reason")) == [(other_user.pk, "spam")]
    assert moderation.has_open_flag(other_user, summary)


def test_a_flag_after_the_case_is_decided_opens_a_new_case(summary, other_user, moderator):
    moderation.flag(other_user, summary, reason=FlagReason.SPAM)
    old = open_case(summary)
    moderation.resolve(old, moderator, Decision.DISMISS, "Not spam")

    again = moderation.flag(other_user, summary, reason=FlagReason.SPAM)

    old.refresh_from_db()
    assert not old.is_open
    assert again.case != old
    assert list(Case.objects.open()) == [again.case]
    assert moderation.has_open_flag(other_user, summary)


def test_a_member_cannot_flag_themselves(other_user):
    with pytest.raises(moderation.ModerationError, match=r"You cannot flag yourself\."):
        moderation.flag(other_user, other_user, reason=FlagReason.ABUSE)

    assert not Case.objects.exists()


def test_has_open_flag_is_about_the_members_own_flag_on_an_open_case(
    summary, other_user, third_user, moderator
):
    moderation.flag(other_user, summary, reason=FlagReason.SPAM)
    while_open = [moderation.has_open_flag(u, summary) for u in (other_user, third_user)]

    moderation.resolve(open_case(summary), moderator, Decision.DISMISS, "Fine")

    assert while_open == [True, False]
    assert not moderation.has_open_flag(other_user, summary)


# Deciding a case: each decision for each kind --------------------------------------------


def test_resolve_hide_hides_the_summary_keeps_the_row_and_logs_once(
    summary, other_user, moderator
):
    moderation.flag(other_user, summary, reason=FlagReason.SPAM)
    case = open_case(summary)

    moderation.resolve(case, moderator, Decision.HIDE, "Advertising")

    case.refresh_from_db()
    summary.refresh_from_db()
    assert (case.is_open, case.decision, case.decision_reason, case.closed_by) == (
        False,
        "hide",
        "Advertising",
        moderator,
    )
    assert (summary.is_hidden, summary.hidden_by, summary.hidden_reason) == (
        True,
        moderator,
        "Advertising",
    )
    assert summary.deleted_at is None
    assert list(Summary.objects.visible()) == []
    assert log_rows() == [
        (
            "mod",
            "hide",
            "summary",
            summary.pk,
            f"summary #{summary.pk} of “Attention Is All You Need”",
            "Advertising",
        )
    ]
    assert ModerationLog.objects.get().case == case


def test_resolve_hide_hides_the_comment_and_uncounts_it(
    summary, bobs_comment, third_user, moderator
):
    moderation.flag(third_user, bobs_comment, reason=FlagReason.SPAM)
    counted_before = comment_count(summary)

    moderation.resolve(open_case(bobs_comment), moderator, Decision.HIDE, "Spam link")

    bobs_comment.refresh_from_db()
    assert (counted_before, comment_count(summary)) == (1, 0)
    assert (bobs_comment.is_hidden, bobs_comment.hidden_reason, bobs_comment.is_deleted) == (
        True,
        "Spam link",
        False,
    )
    assert list(Comment.objects.visible()) == []
    assert Comment.objects.filter(pk=bobs_comment.pk).exists()
    assert log_rows() == [
        (
            "mod",
            "hide",
            "comment",
            bobs_comment.pk,
            f"comment #{bobs_comment.pk} on summary #{summary.pk}",
            "Spam link",
        )
    ]


def test_hiding_a_deleted_comment_leaves_the_count_alone(summary, bobs_comment, moderator):
    delete_comment(bobs_comment)
    bobs_comment.refresh_from_db()

    moderation.hide(bobs_comment, moderator, "Spam link")

    assert comment_count(summary) == 0


def test_restoring_a_hidden_comment_counts_it_again(summary, bobs_comment, moderator):
    moderation.hide(bobs_comment, moderator, "Spam link")

    moderation.restore(bobs_comment, moderator, "It was a fair link")

    bobs_comment.refresh_from_db()
    assert comment_count(summary) == 1
    assert (bobs_comment.hidden_at, bobs_comment.hidden_by, bobs_comment.hidden_reason) == (
        None,
        None,
        "",
    )
    assert [row[1:3] + row[5:] for row in log_rows()] == [
        ("hide", "comment", "Spam link"),
        ("restore", "comment", "It was a fair link"),
    ]


def test_resolve_edit_corrects_the_paper_and_the_log_lists_what_changed(
    paper, other_user, moderator
):
    paper.tags.add("cs.LG")
    moderation.flag(other_user, paper, reason=FlagReason.WRONG_PAPER, text="Wrong authors")
    data = paper_data(
        paper,
        title="Attention Is All You Need (NeurIPS)",
        authors="Ashish Vaswani\nNoam Shazeer",
        tags="cs.CL, cs.LG",
    )

    moderation.resolve(open_case(paper), moderator, Decision.EDIT, "Fixed", paper_data=data)

    paper.refresh_from_db()
    assert paper.title == "Attention Is All You Need (NeurIPS)"
    assert [a.name for a in paper.authors.order_by("authorships__position")] == [
        "Ashish Vaswani",
        "Noam Shazeer",
    ]
    assert sorted(tag.name for tag in paper.tags.all()) == ["cs.CL", "cs.LG"]
    assert log_rows() == [
        (
            "mod",
            "edit",
            "paper",
            paper.pk,
            f"paper #{paper.pk} “Attention Is All You Need (NeurIPS)”",
            "Fixed (changed: title, authors, tags)",
        )
    ]
    assert Case.objects.get().decision == "edit"


def test_edit_paper_without_changes_logs_the_bare_reason(paper, moderator):
    changed = moderation.edit_paper(paper, moderator, "Checked", paper_data(paper))

    assert changed == []
    assert [row[5] for row in log_rows()] == ["Checked"]


def test_resolve_merge_removes_the_duplicate_leaves_a_redirect_and_moves_its_cases(
    paper, other_user, third_user, moderator
):
    duplicate = PaperFactory(title="Attention is all you need", arxiv_id="")
    summary = SummaryFactory(paper=duplicate, author=third_user)
    moderation.flag(other_user, duplicate, reason=FlagReason.WRONG_PAPER)
    moderation.resolve(open_case(duplicate), moderator, Decision.DISMISS, "Not yet sure")
    moderation.flag(third_user, duplicate, reason=FlagReason.WRONG_PAPER)
    case = open_case(duplicate)
    duplicate_pk = duplicate.pk

    moderation.resolve(case, moderator, Decision.MERGE, "Same paper", merge_into=paper)

    case.refresh_from_db()
    assert not Paper.objects.filter(pk=duplicate_pk).exists()
    assert PaperRedirect.objects.get(old_id=duplicate_pk).paper == paper
    assert Summary.objects.get(pk=summary.pk).paper == paper
    assert list(Case.objects.values_list("paper", flat=True).distinct()) == [paper.pk]
    assert (case.is_open, case.decision, case.decision_reason) == (False, "merge", "Same paper")
    assert log_rows()[-1] == (
        "mod",
        "merge",
        "paper",
        duplicate_pk,
        f"paper #{duplicate_pk} “Attention is all you need”",
        f"Same paper (into paper #{paper.pk})",
    )
    assert ModerationLog.objects.filter(action="merge").get().case == case


def test_merging_closes_the_duplicates_open_case_beside_the_kept_papers_own(
    paper, other_user, moderator
):
    duplicate = PaperFactory(title="Attention is all you need", arxiv_id="")
    moderation.flag(other_user, paper, reason=FlagReason.WRONG_PAPER)
    moderation.flag(other_user, duplicate, reason=FlagReason.WRONG_PAPER)

    moderation.merge(duplicate, paper, moderator, "Same paper")

    assert list(Case.objects.open()) == [open_case(paper)]
    closed = Case.objects.get(closed_at__isnull=False)
    assert (closed.paper, closed.decision) == (paper, "merge")


def test_a_paper_cannot_be_merged_into_itself(paper, moderator):
    with pytest.raises(moderation.ModerationError, match="cannot be merged into itself"):
        moderation.merge(paper, paper, moderator, "Oops")

    assert log_rows() == []


@pytest.mark.parametrize(
    ("owned_item", "responsible_name"),
    [
        pytest.param("summary", "ada", id="summary-its-author"),
        pytest.param("comment", "bob", id="comment-its-author"),
        pytest.param("paper", "ada", id="paper-who-added-it"),
        pytest.param("user", "ada", id="member-themselves"),
    ],
    indirect=["owned_item"],
)
def test_resolve_suspend_suspends_the_member_responsible_for_the_item(
    owned_item, responsible_name, third_user, moderator
):
    responsible = User.objects.get(username=responsible_name)
    moderation.flag(third_user, owned_item, reason=FlagReason.ABUSE)
    case = open_case(owned_item)

    moderation.resolve(case, moderator, Decision.SUSPEND, "Repeated abuse", length=WEEK)

    suspension = Suspension.objects.get()
    assert (suspension.user, suspension.moderator, suspension.reason) == (
        responsible,
        moderator,
        "Repeated abuse",
    )
    assert suspension.ends_at - suspension.starts_at == WEEK
    assert active_suspension(responsible) == suspension
    assert log_rows() == [
        (
            "mod",
            "suspend",
            "user",
            responsible.pk,
            f"member {responsible.username}",
            "Repeated abuse",
        )
    ]
    case.refresh_from_db()
    assert (case.is_open, case.decision) == (False, "suspend")


def test_suspending_over_a_paper_nobody_added_is_refused(paper, other_user, moderator):
    moderation.flag(other_user, paper, reason=FlagReason.SPAM)
    case = open_case(paper)

    with pytest.raises(moderation.ModerationError, match="Nobody is on record"):
        moderation.resolve(case, moderator, Decision.SUSPEND, "Spam", length=None)

    case.refresh_from_db()
    assert case.is_open
    assert (Suspension.objects.count(), log_rows()) == (0, [])


@pytest.mark.parametrize("owned_item", ["summary", "comment", "paper", "user"], indirect=True)
def test_resolve_dismiss_changes_nothing_but_the_case_and_logs_once(
    owned_item, third_user, moderator
):
    moderation.flag(third_user, owned_item, reason=FlagReason.OTHER, text="Looks odd")
    case = open_case(owned_item)

    moderation.resolve(case, moderator, Decision.DISMISS, "Nothing wrong")

    case.refresh_from_db()
    assert (case.is_open, case.decision, case.closed_by) == (False, "dismiss", moderator)
    assert log_rows() == [
        (
            "mod",
            "dismiss",
            case.kind,
            owned_item.pk,
            moderation.label(owned_item),
            "Nothing wrong",
        )
    ]
    assert not Suspension.objects.exists()
    assert Summary.objects.filter(hidden_at__isnull=False).count() == 0
    assert Comment.objects.filter(hidden_at__isnull=False).count() == 0


@pytest.mark.parametrize(
    ("owned_item", "decision"),
    [
        pytest.param("summary", Decision.EDIT, id="edit-a-summary"),
        pytest.param("comment", Decision.MERGE, id="merge-a-comment"),
        pytest.param("paper", Decision.HIDE, id="hide-a-paper"),
        pytest.param("user", Decision.HIDE, id="hide-a-member"),
    ],
    indirect=["owned_item"],
)
def test_a_decision_that_does_not_fit_the_kind_is_refused(
    owned_item, decision, third_user, moderator
):
    moderation.flag(third_user, owned_item, reason=FlagReason.SPAM)

    with pytest.raises(moderation.ModerationError, match="cannot be decided that way"):
        moderation.resolve(open_case(owned_item), moderator, decision, "Because")

    assert open_case(owned_item).is_open
    assert log_rows() == []


def test_a_decided_case_cannot_be_decided_again(summary, other_user, moderator):
    moderation.flag(other_user, summary, reason=FlagReason.SPAM)
    case = open_case(summary)
    moderation.resolve(case, moderator, Decision.DISMISS, "Fine")
    second_moderator = UserFactory(username="mo2", is_superuser=True)

    with pytest.raises(moderation.ModerationError, match="decided this case already"):
        moderation.resolve(case, second_moderator, Decision.HIDE, "Spam after all")

    summary.refresh_from_db()
    assert not summary.is_hidden
    assert [row[:2] for row in log_rows()] == [("mod", "dismiss")]
    case.refresh_from_db()
    assert (case.decision, case.closed_by) == ("dismiss", moderator)
