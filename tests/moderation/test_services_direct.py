"""moderation/services.py: what a moderator does straight from a page (hide, restore,
suspend, lift, and edit or merge a paper), each with exactly one row in the log."""

import pytest

from accounts.gate import active_suspension
from accounts.models import Suspension
from moderation import services as moderation
from moderation.models import Case, FlagReason, ModerationLog
from summaries.models import Summary
from tests.factories import PaperFactory, SummaryFactory
from tests.moderation.helpers import WEEK, log_rows, open_case, paper_data

pytestmark = [pytest.mark.django_db, pytest.mark.integration]

Decision = Case.Decision


# Every action logs exactly one row ------------------------------------------------------


def test_the_label_of_an_anonymous_summary_never_names_its_author(author, other_user, moderator):
    summary = SummaryFactory(
        author=author, is_anonymous=True, paper=PaperFactory(title="On the Analytical Engine")
    )
    moderation.flag(other_user, summary, reason=FlagReason.PLAGIARISM)

    moderation.resolve(open_case(summary), moderator, Decision.HIDE, "Copied")

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


def test_hiding_straight_from_the_page_links_the_entry_to_the_case_it_closes(
    moderator, other_user, summary
):
    moderation.flag(other_user, summary, reason="spam")
    case = moderation.open_case(summary)

    moderation.hide(summary, moderator, "Spam")

    case.refresh_from_db()
    assert (case.decision, case.closed_by) == ("hide", moderator)
    assert ModerationLog.objects.get().case == case
