"""Moderation: members flag items; moderators work the queue of cases, hide and restore,
edit or merge papers, suspend and lift; everyone can read the log.

Every view under the ``moderation:`` namespace but ``flag`` and ``log`` starts with
``moderator_required``, before any lookup, so a non-moderator learns nothing about
the item (tests/test_authorization.py walks the resolver to check it).
"""

import functools

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from accounts.access import get_user_for_view
from accounts.gate import active_suspension, refuses_in_view
from accounts.models import User
from accounts.permissions import can_moderate
from accounts.ratelimits import refused_status, write_refused
from papers.forms import PaperForm
from papers.models import Paper
from shortscience.pagecache import cache_for_anonymous, tags
from summaries.access import get_comment_for_view, get_summary_for_view
from summaries.models import Comment, Summary

from . import services
from .forms import FlagForm, ModeratorReasonForm, ResolveForm, SuspendForm
from .models import Case, ModerationLog, TargetKind

CASES_PER_PAGE = 20
LOG_PER_PAGE = 50
LOG_TABS = [
    (TargetKind.SUMMARY, "Summaries"),
    (TargetKind.COMMENT, "Comments"),
    (TargetKind.PAPER, "Papers"),
    (TargetKind.USER, "Members"),
]


def moderator_required(view):
    """Sign-in first, then 403 for anyone who is not a moderator."""

    @login_required
    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if not can_moderate(request.user):
            raise PermissionDenied("Only moderators can do this.")
        return view(request, *args, **kwargs)

    wrapper.requires_moderator = True
    return wrapper


def _item_for_flag(request, kind: str, pk: int):
    """What a member may flag: what they can see, and not their own."""
    match kind:
        case TargetKind.SUMMARY:
            item = get_summary_for_view(request, pk)
            if item.is_private:
                raise Http404("No such summary.")
        case TargetKind.COMMENT:
            item = get_comment_for_view(request, pk)
        case TargetKind.PAPER:
            item = get_object_or_404(Paper, pk=pk)
        case TargetKind.USER:
            item = get_object_or_404(User, pk=pk, is_active=True)
        case _:
            raise Http404("That cannot be flagged.")
    if services.responsible_member(item) == request.user and kind != TargetKind.PAPER:
        raise PermissionDenied("You cannot flag what you wrote yourself.")
    return item


@login_required
@refuses_in_view
def flag(request, kind, pk):
    item = _item_for_flag(request, kind, pk)
    if services.has_open_flag(request.user, item):
        messages.info(request, "You have flagged this already; a moderator will look at it.")
        return redirect(item.get_absolute_url())
    form = FlagForm(request.POST or None)
    if request.method == "POST":
        if refused := write_refused(request, "flag", form=form):
            return refused
        if form.is_valid():
            try:
                services.flag(request.user, item, **form.cleaned_data)
            except services.ModerationError as error:
                messages.info(request, str(error))
            else:
                messages.success(request, "Thank you. A moderator will look at it.")
            return redirect(item.get_absolute_url())
    context = {"form": form, "item": item, "kind": TargetKind(kind)}
    status = refused_status(form, 400 if form.is_bound else 200)
    return render(request, "moderation/flag.html", context, status=status)


@never_cache
@moderator_required
def queue(request):
    cases = Paginator(Case.objects.for_queue(), CASES_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "moderation/queue.html", {"page": cases})


@never_cache
@moderator_required
def case(request, pk):
    """One case: the item, its flags, and the decision form (with the paper's details,
    editable, for a paper)."""
    case = get_object_or_404(Case, pk=pk)
    decisions = services.DECISIONS[case.kind]
    form = ResolveForm(request.POST or None, decisions=decisions, prefix="decide")
    paper_form = None
    if case.kind == TargetKind.PAPER:
        paper_form = _paper_form(case.paper, request.POST or None)
    if request.method == "POST" and not case.is_open:
        messages.info(request, "This case is decided already; nothing was changed.")
        return redirect(case)
    is_edit = form.is_valid() and form.cleaned_data["decision"] == Case.Decision.EDIT
    # The paper's details are checked, and their errors shown, only for an edit.
    if request.method == "POST" and form.is_valid() and (not is_edit or paper_form.is_valid()):
        data = form.cleaned_data
        try:
            services.resolve(
                case,
                request.user,
                data["decision"],
                data["reason"],
                length=data.get("length"),
                paper_data=paper_form.cleaned_data if is_edit else None,
                merge_into=data.get("merge_into"),
            )
        except services.ModerationError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "The case is decided and logged.")
            return redirect("moderation:queue")
    context = {
        "case": case,
        "flags": case.flags.select_related("reporter").order_by("pk"),
        "form": form,
        "paper_form": paper_form,
        "history": ModerationLog.objects.for_listing().filter(
            target_kind=case.kind, target_id=case.target_id
        ),
    }
    has_errors = form.errors or (is_edit and paper_form.errors)
    return render(request, "moderation/case.html", context, status=400 if has_errors else 200)


def _paper_form(paper: Paper, data) -> PaperForm:
    """The add-a-paper form, filled with the paper's details, to correct them."""
    authors = "\n".join(paper.author_names())
    tags = ", ".join(sorted(tag.name for tag in paper.tags.all()))
    return PaperForm(
        data, instance=paper, initial={"authors": authors, "tags": tags}, prefix="paper"
    )


def _hideable(kind: str, pk: int):
    """A summary or comment a moderator can see: not private, not deleted."""
    model = {TargetKind.SUMMARY: Summary, TargetKind.COMMENT: Comment}.get(kind)
    if model is None:
        raise Http404("Only summaries and comments are hidden.")
    items = model.objects.filter(deleted_at=None)
    if model is Summary:
        items = items.filter(is_private=False).select_related("paper")
    else:
        # A comment is moderated where moderators can read it: under a summary they see.
        items = items.filter(summary__deleted_at=None, summary__is_private=False)
    return get_object_or_404(items, pk=pk)


@moderator_required
def hide(request, kind, pk):
    return _hide_or_restore(request, _hideable(kind, pk), services.hide, "hidden")


@moderator_required
def restore(request, kind, pk):
    return _hide_or_restore(request, _hideable(kind, pk), services.restore, "restored")


def _hide_or_restore(request, item, action, done: str):
    form = ModeratorReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            action(item, request.user, form.cleaned_data["reason"])
        except services.ModerationError as error:
            messages.info(request, str(error))
        else:
            messages.success(request, f"The {services.kind_of(item).label} is {done}.")
        return redirect(item.get_absolute_url())
    context = {"form": form, "item": item, "kind": services.kind_of(item), "action": action}
    return render(request, "moderation/hide.html", context, status=400 if form.is_bound else 200)


@moderator_required
def suspend(request, username):
    member = get_user_for_view(username)
    form = SuspendForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.suspend(
                member,
                request.user,
                form.cleaned_data["reason"],
                length=form.cleaned_data["length"],
            )
        except services.ModerationError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"{member.username} is suspended.")
            return redirect(member)
    context = {
        "form": form,
        "member": member,
        "suspension": active_suspension(member),
    }
    return render(request, "moderation/suspend.html", context, status=400 if form.errors else 200)


@moderator_required
@require_POST
def lift(request, username):
    member = get_user_for_view(username)
    form = ModeratorReasonForm(request.POST)
    if form.is_valid():
        try:
            services.lift_suspension(member, request.user, form.cleaned_data["reason"])
        except services.ModerationError as error:
            messages.info(request, str(error))
        else:
            messages.success(request, f"{member.username}'s suspension is lifted.")
    else:
        messages.error(request, "Give a reason for lifting the suspension.")
    return redirect("moderation:suspend", member.username)


@cache_for_anonymous(depends_on=tags(services.LOG))
def log(request):
    """The public log: every moderator action, newest first."""
    entries = ModerationLog.objects.for_listing()
    if kind := request.GET.get("kind"):
        if kind not in TargetKind.values:
            raise Http404("No such kind of item.")
        entries = entries.filter(target_kind=kind)
    page = Paginator(entries, LOG_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "moderation/log.html", {"page": page, "kind": kind, "kinds": LOG_TABS})
