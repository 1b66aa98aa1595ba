"""Moderation: members flag, moderators decide, and every decision is logged.

Every action here that a moderator takes appends a ModerationLog entry in the same
transaction, and none deletes anything: hidden items can be restored, suspensions are
lifted or run out, a merged paper leaves a redirect.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts import standing
from accounts.models import Suspension, User
from papers.merging import merge_papers
from papers.models import Paper
from papers.services import update_paper
from papers.validation import problems
from shortscience.pagecache import SITE, changed
from summaries.models import Comment, Summary
from summaries.services import comment_changed, count_comments, summary_changed

from .models import Case, Flag, ModerationLog, TargetKind

# The tag of the public moderation log's pages (shortscience.pagecache).
LOG = "moderation-log"

Action = ModerationLog.Action
Decision = Case.Decision

# What a moderator may decide on each kind of item.
DECISIONS = {
    TargetKind.SUMMARY: [Decision.HIDE, Decision.SUSPEND, Decision.DISMISS],
    TargetKind.COMMENT: [Decision.HIDE, Decision.SUSPEND, Decision.DISMISS],
    TargetKind.PAPER: [Decision.EDIT, Decision.MERGE, Decision.SUSPEND, Decision.DISMISS],
    TargetKind.USER: [Decision.SUSPEND, Decision.DISMISS],
}
MODELS = {
    TargetKind.SUMMARY: Summary,
    TargetKind.COMMENT: Comment,
    TargetKind.PAPER: Paper,
    TargetKind.USER: User,
}


class ModerationError(Exception):
    """An action that cannot be taken; the message says why, for the moderator or member."""


def kind_of(item) -> TargetKind:
    for kind, model in MODELS.items():
        if isinstance(item, model):
            return kind
    raise TypeError(f"{type(item).__name__} cannot be flagged.")


def label(item) -> str:
    """How the log names an item. Never the author of a summary or comment: the log is
    public and a summary may be anonymous."""
    match kind_of(item):
        case TargetKind.SUMMARY:
            return f"summary #{item.pk} of “{item.paper.title[:150]}”"
        case TargetKind.COMMENT:
            return f"comment #{item.pk} on summary #{item.summary_id}"
        case TargetKind.PAPER:
            return f"paper #{item.pk} “{item.title[:150]}”"
        case TargetKind.USER:
            return f"member {item.username}"


def responsible_member(item) -> User | None:
    """Whom a suspension over this item would suspend."""
    match kind_of(item):
        case TargetKind.SUMMARY | TargetKind.COMMENT:
            return item.author
        case TargetKind.PAPER:
            return item.added_by
        case TargetKind.USER:
            return item


def _log(moderator, action, item, reason, case=None) -> ModerationLog:
    changed(LOG)
    return ModerationLog.objects.create(
        moderator=moderator,
        action=action,
        target_kind=kind_of(item),
        target_id=item.pk,
        target_label=label(item),
        reason=reason,
        case=case,
    )


def _log_answering(moderator, action, item, reason, case) -> None:
    """Log ``action`` (hide or suspend). Taken straight from the item's page (no
    ``case``), it answers the flags on the item too: its open case, if any, closes with
    the decision of the same name."""
    pending = open_case(item) if case is None else None
    _log(moderator, action, item, reason, case or pending)
    if pending:
        _close(pending, moderator, Decision(action), reason)


# Flags ---------------------------------------------------------------------------------


class AlreadyFlagged(ModerationError):
    def __init__(self):
        super().__init__("You have flagged this already; a moderator will look at it.")


def open_case(item) -> Case | None:
    kind = kind_of(item)
    return Case.objects.open().filter(kind=kind, **{kind: item}).first()


def flag(reporter, item, *, reason: str, text: str = "") -> Flag:
    """Record ``reporter``'s flag on ``item`` in the item's open case, opening one if
    there is none. AlreadyFlagged if they have an open flag on it already."""
    kind = kind_of(item)
    if kind == TargetKind.USER and item.pk == reporter.pk:
        raise ModerationError("You cannot flag yourself.")
    try:
        with transaction.atomic():
            # Two first flags racing: the partial unique index lets one case be created,
            # and the loser finds it on its second try.
            case, _ = Case.objects.get_or_create(kind=kind, closed_at=None, **{kind: item})
            return Flag.objects.create(case=case, reporter=reporter, reason=reason, text=text)
    except IntegrityError:
        if has_open_flag(reporter, item):
            raise AlreadyFlagged from None
        raise


def has_open_flag(user, item) -> bool:
    kind = kind_of(item)
    return Flag.objects.filter(
        reporter=user, case__closed_at=None, case__kind=kind, **{f"case__{kind}": item}
    ).exists()


# Hiding and restoring ------------------------------------------------------------------


def hide(item: Summary | Comment, moderator, reason: str, *, case=None) -> None:
    """Hide a summary or comment from everyone but its author and the moderators."""
    model = type(item)
    with transaction.atomic():
        hidden = model.objects.filter(pk=item.pk, hidden_at=None).update(
            hidden_at=timezone.now(), hidden_by=moderator, hidden_reason=reason
        )
        if not hidden:
            raise ModerationError(f"This {kind_of(item).label} is hidden already.")
        if model is Comment and item.deleted_at is None:
            count_comments(item.summary_id, -1)
        _item_changed(item)
        _log_answering(moderator, Action.HIDE, item, reason, case)


def restore(item: Summary | Comment, moderator, reason: str) -> None:
    model = type(item)
    with transaction.atomic():
        restored = model.objects.filter(pk=item.pk, hidden_at__isnull=False).update(
            hidden_at=None, hidden_by=None, hidden_reason=""
        )
        if not restored:
            raise ModerationError(f"This {kind_of(item).label} is not hidden.")
        if model is Comment and item.deleted_at is None:
            count_comments(item.summary_id, +1)
        _item_changed(item)
        _log(moderator, Action.RESTORE, item, reason)


def _item_changed(item: Summary | Comment) -> None:
    """Hiding or restoring changes the pages that show the item (summaries.services)."""
    if isinstance(item, Comment):
        comment_changed(item)
    else:
        summary_changed(item, listed=True)


# Suspensions ---------------------------------------------------------------------------

# The lengths a moderator picks from; None is "until lifted".
SUSPENSION_LENGTHS = {
    "1d": ("One day", datetime.timedelta(days=1)),
    "7d": ("One week", datetime.timedelta(days=7)),
    "30d": ("30 days", datetime.timedelta(days=30)),
    "365d": ("One year", datetime.timedelta(days=365)),
    "lifted": ("Until a moderator lifts it", None),
}


def suspend(
    member, moderator, reason: str, *, length: datetime.timedelta | None, case=None
) -> Suspension:
    if member.pk == moderator.pk:
        raise ModerationError("You cannot suspend yourself.")
    now = timezone.now()
    with transaction.atomic():
        suspension = Suspension.objects.create(
            user=member,
            moderator=moderator,
            reason=reason,
            starts_at=now,
            ends_at=now + length if length else None,
        )
        standing.forget(member)
        _log_answering(moderator, Action.SUSPEND, member, reason, case)
    return suspension


def lift_suspension(member, moderator, reason: str) -> int:
    """End every suspension of ``member`` in force; return how many."""
    with transaction.atomic():
        lifted = (
            Suspension.objects.active()
            .filter(user=member)
            .update(lifted_at=timezone.now(), lifted_by=moderator)
        )
        if not lifted:
            raise ModerationError(f"{member.username} is not suspended.")
        standing.forget(member)
        _log(moderator, Action.LIFT, member, reason)
    return lifted


# Papers --------------------------------------------------------------------------------


def edit_paper(paper: Paper, moderator, reason: str, data: dict, *, case=None) -> list[str]:
    """Correct a paper's details (``data`` as PaperForm cleans it); the log says which
    fields changed."""
    data = dict(data)
    with transaction.atomic():
        changed = update_paper(paper, authors=data.pop("authors"), tags=data.pop("tags"), **data)
        if changed:
            reason = f"{reason} (changed: {', '.join(changed)})"
        _log(moderator, Action.EDIT, paper, reason, case)
    return changed


def log_admin_edit(paper: Paper, moderator, changed: list[str]) -> ModerationLog:
    return _log(moderator, Action.EDIT, paper, f"Corrected in the admin: {', '.join(changed)}")


def merge(duplicate: Paper, keep: Paper, moderator, reason: str, *, case=None) -> ModerationLog:
    """Merge ``duplicate`` into ``keep`` (papers.merging); its cases move with it."""
    if duplicate.pk == keep.pk:
        raise ModerationError("A paper cannot be merged into itself.")
    with transaction.atomic():
        entry = _log(moderator, Action.MERGE, duplicate, f"{reason} (into paper #{keep.pk})", case)
        # Its open case (the one being decided, if any) closes as merged.
        for pending in Case.objects.open().filter(paper=duplicate):
            _close(pending, moderator, Decision.MERGE, reason)
        Case.objects.filter(paper=duplicate).update(paper=keep)
        try:
            merge_papers(keep, duplicate)
            # Summaries, follows and addresses move: rare enough to start every page anew.
            changed(SITE)
        except ValidationError as error:
            # The kept paper holds a value the checks refuse: it is corrected first.
            raise ModerationError(
                f"Correct paper #{keep.pk} first: {' '.join(problems(error))}"
            ) from None
    return entry


# Deciding a case -----------------------------------------------------------------------


def _close(case: Case, moderator, decision: str, reason: str) -> None:
    updated = Case.objects.filter(pk=case.pk, closed_at=None).update(
        closed_at=timezone.now(), closed_by=moderator, decision=decision, decision_reason=reason
    )
    if not updated:
        raise ModerationError("Another moderator has decided this case already.")
    case.refresh_from_db()


def resolve(
    case: Case,
    moderator,
    decision: str,
    reason: str,
    *,
    length: datetime.timedelta | None = None,
    paper_data: dict | None = None,
    merge_into: Paper | None = None,
) -> None:
    """Decide an open case: act on its item, close it with the decision and the reason,
    and log both in one transaction."""
    if decision not in DECISIONS[case.kind]:
        raise ModerationError(f"A {case.get_kind_display()} cannot be decided that way.")
    item = case.target
    with transaction.atomic():
        case = Case.objects.select_for_update().get(pk=case.pk)
        if not case.is_open:
            raise ModerationError("Another moderator has decided this case already.")
        match decision:
            case Decision.HIDE:
                hide(item, moderator, reason, case=case)
            case Decision.EDIT:
                edit_paper(item, moderator, reason, paper_data, case=case)
            case Decision.MERGE:
                merge(item, merge_into, moderator, reason, case=case)
                return  # merge() closed the case.
            case Decision.SUSPEND:
                member = responsible_member(item)
                if member is None:
                    raise ModerationError("Nobody is on record as having added this paper.")
                suspend(member, moderator, reason, length=length, case=case)
            case Decision.DISMISS:
                _log(moderator, Action.DISMISS, item, reason, case)
        _close(case, moderator, decision, reason)
