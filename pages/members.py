"""Members' pages: the member list, a profile with a member's summaries and comments,
their summarized papers as BibTeX, and a member's own data (export, deleting the account).
They show what several apps hold, so they sit in the top layer."""

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache

from accounts.access import get_own_account, get_user_for_view
from accounts.forms import DeleteAccountForm
from accounts.gate import allowed_while_suspended
from accounts.permissions import can_edit_profile, sees_all_work
from papers.bibtex import bibtex_download
from papers.models import Paper
from shortscience.pagecache import PAPERS, SUMMARIES, cache_for_anonymous, tag, tags
from summaries.contributions import (
    DEFAULT_SORT,
    SUMMARY_ORDER,
    named_public_q,
    ranked_members,
    recent_comments,
    standing,
    summaries_on_profile,
)
from summaries.models import Summary

from . import deletion

USERS_PER_PAGE = 50
SUMMARIES_PER_PAGE = 20


@cache_for_anonymous(depends_on=tags(SUMMARIES))
def user_list(request):
    page = Paginator(ranked_members(), USERS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "members/user_list.html", {"page": page})


@cache_for_anonymous(depends_on=lambda request, username: [tag("member", username)])
def profile(request, username):
    member = get_user_for_view(username)
    if member.username != username:
        return redirect(member, permanent=True)
    is_own = sees_all_work(request.user, member)
    sort = request.GET.get("sort")
    if sort not in SUMMARY_ORDER:
        sort = DEFAULT_SORT
    summaries = summaries_on_profile(member, include_unlisted=is_own, sort=sort)
    page = Paginator(summaries, SUMMARIES_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "members/profile.html",
        {
            "member": member,
            "can_edit": can_edit_profile(request.user, member.profile),
            "is_own": is_own,
            "standing": standing(member, include_anonymous=is_own),
            "sort": sort,
            "page": page,
            "comments": recent_comments(member, include_own_anonymous=is_own),
        },
    )


@cache_for_anonymous(depends_on=lambda request, username: [tag("member", username), PAPERS])
def summarized_papers_bibtex(request, username):
    """The papers a member has summarized, as one .bib file. Others get the papers of
    their named public summaries only, like the profile's list."""
    member = get_user_for_view(username)
    summaries = Summary.objects.filter(author=member)
    if sees_all_work(request.user, member):
        summaries = summaries.filter(deleted_at=None)
    else:
        summaries = summaries.filter(named_public_q())
    papers = Paper.objects.filter(pk__in=summaries.values("paper")).with_header()
    return bibtex_download(
        papers.order_by("-year", "title", "pk"), f"{member.username}-papers.bib"
    )


# Your data: export and deletion -----------------------------------------------------------


@never_cache
@login_required
def export_data(request, username):
    """Everything the member made or said, as a JSON file to keep (the format is
    described in accounts/deletion.py)."""
    member = get_own_account(request, username)
    response = JsonResponse(
        deletion.export_member_data(member), json_dumps_params={"indent": 2, "ensure_ascii": False}
    )
    response["Content-Disposition"] = f'attachment; filename="shortscience-{member.username}.json"'
    return response


@never_cache
@login_required
@allowed_while_suspended
def delete_account(request, username):
    """Delete one's own account, after choosing what becomes of one's summaries and
    typing one's username. No suspension check: a suspended member may leave too."""
    member = get_own_account(request, username)
    form = DeleteAccountForm(request.POST or None, member=member)
    if request.method == "POST" and form.is_valid():
        keep = form.keeps_summaries
        deletion.delete_account(member, keep_summaries=keep)
        logout(request)
        messages.success(
            request,
            "Your account is deleted"
            + (": your summaries stay, as Anonymous." if keep else ", with your writing."),
        )
        return redirect("home")
    return render(
        request,
        "members/delete_account.html",
        {"form": form, "member": member},
        status=400 if form.errors else 200,
    )
