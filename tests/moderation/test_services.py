"""moderation/services.py: members flag, moderators decide, every action is logged."""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import DatabaseError, transaction
from django.utils import timezone

from accounts.gate import active_suspension
from accounts.models import Suspension, User
from moderation import services as moderation
from moderation.models import Case, Flag, FlagReason, ModerationLog
from papers.forms import PaperForm
from papers.models import Paper, PaperRedirect
from summaries.models import Comment, Summary
from summaries.services import add_comment, delete_comment
from tests.factories import PaperFactory, SummaryFactory, UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.integration]

Decision = Case.Decision
WEEK = datetime.timedelta(days=7)


@pytest.fixture
def comment(summary, other_user):
    """Bob's comment under Ada's summary, counted on it (comment_count is 1)."""
    return add_comment(other_user, summary, body="Buy cheap watches at example.org.")


@pytest.fixture
def third_user(db):
    return UserFactory(username="cy")


@pytest.fixture
def item(request, summary, comment, paper, author):
    """The item of each kind, as the ``kind`` parameter names it; the paper was added by
    the author, so every kind has a member responsible for it."""
    Paper.objects.filter(pk=paper.pk).update(added_by=author)
    paper.refresh_from_db()
    return {"summary": summary, "comment": comment, "paper": paper, "user": author}[request.param]


def case_of(item) -> Case:
    return moderation.open_case(item)


def log_rows() -> list[tuple]:
    return list(
        ModerationLog.objects.order_by("pk").values_list(
            "moderator__username", "action", "target_kind", "target_id", "target_label", "reason"
        )
    )


def comment_count(summary) -> int:
    return Summary.objects.values_list("comment_count", flat=True).get(pk=summary.pk)


def paper_data(paper, **changes) -> dict:
    """The paper's details as PaperForm cleans them, with ``changes`` to the raw fields."""
    fields = {
        "title": paper.title,
        "abstract": paper.abstract,
        "authors": "\n".join(a.name for a in paper.authors.order_by("authorships__position")),
        "year": paper.year,
        "tags": ", ".join(sorted(tag.name for tag in paper.tags.all())),
        "arxiv_id": paper.arxiv_id,
        **changes,
    }
    form = PaperForm(fields, instance=paper)
    assert form.is_valid(), form.errors
    return form.cleaned_data


# Flags ---------------------------------------------------------------------------------


@pytest.mark.parametrize("item", ["summary", "comment", "paper", "user"], indirect=True)
def test_flag_opens_one_case_for_the_item_and_later_flags_join_it(item, other_user, third_user):
    first = moderation.flag(other_user, item, reason=FlagReason.SPAM)
    second = moderation.flag(third_user, item, reason=FlagReason.ABUSE)

    case = Case.objects.get()
    assert (case.kind, case.target, case.is_open) == (moderation.kind_of(item), item, True)
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
    old = case_of(summary)
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

    moderation.resolve(case_of(summary), moderator, Decision.DISMISS, "Fine")

    assert while_open == [True, False]
    assert not moderation.has_open_flag(other_user, summary)


# Deciding a case: each decision for each kind --------------------------------------------


def test_resolve_hide_hides_the_summary_keeps_the_row_and_logs_once(
    summary, other_user, moderator
):
    moderation.flag(other_user, summary, reason=FlagReason.SPAM)
    case = case_of(summary)

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


def test_resolve_hide_hides_the_comment_and_uncounts_it(summary, comment, third_user, moderator):
    moderation.flag(third_user, comment, reason=FlagReason.SPAM)
    counted_before = comment_count(summary)

    moderation.resolve(case_of(comment), moderator, Decision.HIDE, "Spam link")

    comment.refresh_from_db()
    assert (counted_before, comment_count(summary)) == (1, 0)
    assert (comment.is_hidden, comment.hidden_reason, comment.is_deleted) == (
        True,
        "Spam link",
        False,
    )
    assert list(Comment.objects.visible()) == []
    assert Comment.objects.filter(pk=comment.pk).exists()
    assert log_rows() == [
        (
            "mod",
            "hide",
            "comment",
            comment.pk,
            f"comment #{comment.pk} on summary #{summary.pk}",
            "Spam link",
        )
    ]


def test_hiding_a_deleted_comment_leaves_the_count_alone(summary, comment, moderator):
    delete_comment(comment)
    comment.refresh_from_db()

    moderation.hide(comment, moderator, "Spam link")

    assert comment_count(summary) == 0


def test_restoring_a_hidden_comment_counts_it_again(summary, comment, moderator):
    moderation.hide(comment, moderator, "Spam link")

    moderation.restore(comment, moderator, "It was a fair link")

    comment.refresh_from_db()
    assert comment_count(summary) == 1
    assert (comment.hidden_at, comment.hidden_by, comment.hidden_reason) == (None, None, "")
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

    moderation.resolve(case_of(paper), moderator, Decision.EDIT, "Fixed", paper_data=data)

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
    moderation.resolve(case_of(duplicate), moderator, Decision.DISMISS, "Not yet sure")
    moderation.flag(third_user, duplicate, reason=FlagReason.WRONG_PAPER)
    case = case_of(duplicate)
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

    assert list(Case.objects.open()) == [case_of(paper)]
    closed = Case.objects.get(closed_at__isnull=False)
    assert (closed.paper, closed.decision) == (paper, "merge")


def test_a_paper_cannot_be_merged_into_itself(paper, moderator):
    with pytest.raises(moderation.ModerationError, match="cannot be merged into itself"):
        moderation.merge(paper, paper, moderator, "Oops")

    assert log_rows() == []


@pytest.mark.parametrize(
    ("item", "responsible_name"),
    [
        pytest.param("summary", "ada", id="summary-its-author"),
        pytest.param("comment", "bob", id="comment-its-author"),
        pytest.param("paper", "ada", id="paper-who-added-it"),
        pytest.param("user", "ada", id="member-themselves"),
    ],
    indirect=["item"],
)
def test_resolve_suspend_suspends_the_member_responsible_for_the_item(
    item, responsible_name, third_user, moderator
):
    responsible = User.objects.get(username=responsible_name)
    moderation.flag(third_user, item, reason=FlagReason.ABUSE)
    case = case_of(item)

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
    case = case_of(paper)

    with pytest.raises(moderation.ModerationError, match="Nobody is on record"):
        moderation.resolve(case, moderator, Decision.SUSPEND, "Spam", length=None)

    case.refresh_from_db()
    assert case.is_open
    assert (Suspension.objects.count(), log_rows()) == (0, [])


@pytest.mark.parametrize("item", ["summary", "comment", "paper", "user"], indirect=True)
def test_resolve_dismiss_changes_nothing_but_the_case_and_logs_once(item, third_user, moderator):
    moderation.flag(third_user, item, reason=FlagReason.OTHER, text="Looks odd")
    case = case_of(item)

    moderation.resolve(case, moderator, Decision.DISMISS, "Nothing wrong")

    case.refresh_from_db()
    assert (case.is_open, case.decision, case.closed_by) == (False, "dismiss", moderator)
    assert log_rows() == [
        (
            "mod",
            "dismiss",
            case.kind,
            item.pk,
            moderation.label(item),
            "Nothing wrong",
        )
    ]
    assert not Suspension.objects.exists()
    assert Summary.objects.filter(hidden_at__isnull=False).count() == 0
    assert Comment.objects.filter(hidden_at__isnull=False).count() == 0


@pytest.mark.parametrize(
    ("item", "decision"),
    [
        pytest.param("summary", Decision.EDIT, id="edit-a-summary"),
        pytest.param("comment", Decision.MERGE, id="merge-a-comment"),
        pytest.param("paper", Decision.HIDE, id="hide-a-paper"),
        pytest.param("user", Decision.HIDE, id="hide-a-member"),
    ],
    indirect=["item"],
)
def test_a_decision_that_does_not_fit_the_kind_is_refused(item, decision, third_user, moderator):
    moderation.flag(third_user, item, reason=FlagReason.SPAM)

    with pytest.raises(moderation.ModerationError, match="cannot be decided that way"):
        moderation.resolve(case_of(item), moderator, decision, "Because")

    assert case_of(item).is_open
    assert log_rows() == []


def test_a_decided_case_cannot_be_decided_again(summary, other_user, moderator):
    moderation.flag(other_user, summary, reason=FlagReason.SPAM)
    case = case_of(summary)
    moderation.resolve(case, moderator, Decision.DISMISS, "Fine")
    second_moderator = UserFactory(username="mo2", is_superuser=True)

    with pytest.raises(moderation.ModerationError, match="decided this case already"):
        moderation.resolve(case, second_moderator, Decision.HIDE, "Spam after all")

    summary.refresh_from_db()
    assert not summary.is_hidden
    assert [row[:2] for row in log_rows()] == [("mod", "dismiss")]
    case.refresh_from_db()
    assert (case.decision, case.closed_by) == ("dismiss", moderator)


# Every action logs exactly one row ------------------------------------------------------


def test_the_label_of_an_anonymous_summary_never_names_its_author(author, other_user, moderator):
    summary = SummaryFactory(
        author=author, is_anonymous=True, paper=PaperFactory(title="On the Analytical Engine")
    )
    moderation.flag(other_user, summary, reason=FlagReason.PLAGIARISM)

    moderation.resolve(case_of(summary), moderator, Decision.HIDE, "Copied")

    entry = ModerationLog.objects.get()
    assert entry.target_label == f"summary #{summary.pk} of “On the Analytical Engine”"
    assert str(entry) == f"mod hid summary #{summary.pk} of “On the Analytical Engine”"
    assert "ada" not in str(entry).lower()


def test_labels_name_comments_by_their_summary_not_their_author(comment, moderator):
    assert moderation.label(comment) == f"comment #{comment.pk} on summary #{comment.summary_id}"


@pytest.mark.parametrize(
    ("action", "expected"),
    [
        pytest.param("hide", ("hide", "summary"), id="hide"),
        pytest.param("restore", ("restore", "summary"), id="restore"),
        pytest.param("suspend", ("suspend", "user"), id="suspend"),
        pytest.param("lift", ("lift", "user"), id="lift"),
        pytest.param("edit", ("edit", "paper"), id="edit"),
        pytest.param("merge", ("merge", "paper"), id="merge"),
    ],
)
def test_every_direct_action_appends_exactly_one_log_row(
    action, expected, summary, paper, other_user, moderator
):
    if action == "restore":
        moderation.hide(summary, moderator, "Before")
    if action == "lift":
        moderation.suspend(other_user, moderator, "Before", length=None)
    before = ModerationLog.objects.count()
    act = {
        "hide": lambda: moderation.hide(summary, moderator, "Why"),
        "restore": lambda: moderation.restore(summary, moderator, "Why"),
        "suspend": lambda: moderation.suspend(other_user, moderator, "Why", length=WEEK),
        "lift": lambda: moderation.lift_suspension(other_user, moderator, "Why"),
        "edit": lambda: moderation.edit_paper(paper, moderator, "Why", paper_data(paper)),
        "merge": lambda: moderation.merge(PaperFactory(), paper, moderator, "Why"),
    }[action]

    act()

    new = list(ModerationLog.objects.order_by("pk")[before:])
    assert [(e.moderator, e.action, e.target_kind) for e in new] == [(moderator, *expected)]
    assert new[0].reason.startswith("Why")
    assert new[0].target_label


# Hiding and restoring directly ----------------------------------------------------------


def test_hiding_directly_closes_the_items_open_case(summary, other_user, moderator):
    moderation.flag(other_user, summary, reason=FlagReason.SPAM)

    moderation.hide(summary, moderator, "Spam")

    case = Case.objects.get()
    assert (case.is_open, case.decision, case.decision_reason, case.closed_by) == (
        False,
        "hide",
        "Spam",
        moderator,
    )
    assert [row[1] for row in log_rows()] == ["hide"]


def test_hiding_twice_is_refused_and_logs_once(summary, moderator):
    moderation.hide(summary, moderator, "Spam")

    with pytest.raises(moderation.ModerationError, match="hidden already"):
        moderation.hide(summary, moderator, "Spam again")

    assert [row[5] for row in log_rows()] == ["Spam"]


def test_restore_shows_the_summary_again(summary, moderator):
    moderation.hide(summary, moderator, "Spam")

    moderation.restore(summary, moderator, "Not spam after all")

    summary.refresh_from_db()
    assert (summary.hidden_at, summary.hidden_by, summary.hidden_reason) == (None, None, "")
    assert list(Summary.objects.visible()) == [summary]
    assert [row[1] for row in log_rows()] == ["hide", "restore"]


def test_restoring_what_is_not_hidden_is_refused(summary, moderator):
    with pytest.raises(moderation.ModerationError, match="is not hidden"):
        moderation.restore(summary, moderator, "Why not")

    assert log_rows() == []


# Suspensions ---------------------------------------------------------------------------


def test_suspend_for_a_length_and_lift(other_user, moderator):
    suspension = moderation.suspend(other_user, moderator, "Spam", length=WEEK)
    active_before = active_suspension(other_user)

    lifted = moderation.lift_suspension(other_user, moderator, "Promised to stop")

    suspension.refresh_from_db()
    assert (active_before, lifted) == (suspension, 1)
    assert suspension.lifted_by == moderator
    assert suspension.lifted_at is not None
    assert active_suspension(other_user) is None
    assert [row[1:4] + row[5:] for row in log_rows()] == [
        ("suspend", "user", other_user.pk, "Spam"),
        ("lift", "user", other_user.pk, "Promised to stop"),
    ]


def test_suspension_until_lifted_has_no_end(other_user, moderator):
    suspension = moderation.suspend(other_user, moderator, "Spam", length=None)

    assert suspension.ends_at is None
    assert active_suspension(other_user) == suspension


def test_suspending_directly_closes_the_members_open_case(other_user, third_user, moderator):
    moderation.flag(third_user, other_user, reason=FlagReason.ABUSE)

    moderation.suspend(other_user, moderator, "Abuse", length=WEEK)

    case = Case.objects.get()
    assert (case.is_open, case.decision, case.closed_by) == (False, "suspend", moderator)


def test_a_moderator_cannot_suspend_themselves(moderator):
    with pytest.raises(moderation.ModerationError, match="cannot suspend yourself"):
        moderation.suspend(moderator, moderator, "Testing", length=WEEK)

    assert (Suspension.objects.count(), log_rows()) == (0, [])


def test_lifting_when_not_suspended_is_refused(other_user, moderator):
    with pytest.raises(moderation.ModerationError, match="bob is not suspended"):
        moderation.lift_suspension(other_user, moderator, "Why")

    assert log_rows() == []


def test_active_suspension_ignores_ended_lifted_and_future_ones(other_user, moderator):
    now = timezone.now()
    Suspension.objects.create(
        user=other_user, reason="Ended", starts_at=now - WEEK, ends_at=now - datetime.timedelta(1)
    )
    Suspension.objects.create(
        user=other_user, reason="Lifted", starts_at=now - WEEK, lifted_at=now, lifted_by=moderator
    )
    Suspension.objects.create(user=other_user, reason="Not begun", starts_at=now + WEEK)

    assert active_suspension(other_user) is None


def test_active_suspension_is_the_open_ended_one_first(other_user, moderator):
    now = timezone.now()
    Suspension.objects.create(user=other_user, reason="A week", starts_at=now, ends_at=now + WEEK)
    until_lifted = Suspension.objects.create(user=other_user, reason="Until lifted")

    assert active_suspension(other_user) == until_lifted


def test_visitors_have_no_suspension():
    assert active_suspension(AnonymousUser()) is None


# The log is append-only -----------------------------------------------------------------


def test_a_log_row_cannot_be_changed(summary, moderator):
    moderation.hide(summary, moderator, "Spam")
    entry = ModerationLog.objects.get()
    entry.reason = "Something nicer"

    with pytest.raises(ValueError, match="never changed"):
        entry.save()

    assert ModerationLog.objects.get().reason == "Spam"


def test_a_log_row_cannot_be_deleted(summary, moderator):
    moderation.hide(summary, moderator, "Spam")
    entry = ModerationLog.objects.get()

    with pytest.raises(ValueError, match="never deleted"):
        entry.delete()

    assert ModerationLog.objects.count() == 1


def test_the_log_refuses_changes_and_deletes_in_the_database_too(moderator, summary):
    moderation.hide(summary, moderator, "Spam")
    entries = ModerationLog.objects.all()

    with pytest.raises(DatabaseError, match="never changed"), transaction.atomic():
        entries.update(reason="Nothing to see")
    with pytest.raises(DatabaseError, match="never deleted"), transaction.atomic():
        entries.delete()

    assert list(entries.values_list("reason", flat=True)) == ["Spam"]


def test_hiding_straight_from_the_page_links_the_entry_to_the_case_it_closes(
    moderator, other_user, summary
):
    moderation.flag(other_user, summary, reason="spam")
    case = moderation.open_case(summary)

    moderation.hide(summary, moderator, "Spam")

    case.refresh_from_db()
    assert (case.decision, case.closed_by) == ("hide", moderator)
    assert ModerationLog.objects.get().case == case
