import copy
import functools

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_POST

from accounts.gate import allowed_while_suspended, refuses_in_view
from accounts.ratelimits import refused_status, write_refused
from papers.access import find_by_any_key
from papers.identifiers import classify
from papers.models import Paper, ViewCount
from papers.popularity import count_cached_read, record_view
from shortscience.errors import wants_json
from shortscience.pagecache import cache_for_anonymous, tag
from shortscience.rendering import RenderTooSlow, render_markdown

from ..access import get_shared_summary, get_summary_for_edit, get_summary_for_view
from ..diffing import diff_lines, revision_diff
from ..figures import MAX_BYTES, MAX_REQUEST_BYTES, TOO_LARGE, FigureError
from ..forms import FigureForm, PreviewForm, SummaryForm
from ..listing import mark_for_viewer
from ..models import Summary
from ..services import (
    AlreadySummarized,
    EditConflict,
    delete_summary,
    publish_summary,
    revoke_share_link,
    share_summary,
    store_figure,
    update_summary,
)
from ..threads import comment_section

WRITE_START_MATCHES = 10


@cache_for_anonymous(
    depends_on=lambda request, pk: [tag("summary", pk)],
    on_cached_read=count_cached_read(ViewCount.Kind.SUMMARY),
)
def detail(request, pk):
    summary = get_summary_for_view(request, pk)
    record_view(ViewCount.Kind.SUMMARY, summary.pk)
    return render_detail(request, summary)


@never_cache
def shared(request, token):
    summary = get_shared_summary(request, token)
    return render_detail(request, summary, is_shared_view=True)


def render_detail(request, summary, *, status=200, is_shared_view=False, **forms):
    """The permalink page: paper header, the summary and, unless read through a share
    link, a page of its comments with the forms (threads.comment_section; ``forms``
    are a refused post's). ``summary`` comes from the access functions, with its
    paper's header loaded."""
    mark_for_viewer([summary], request.user)
    context = {"summary": summary, "paper": summary.paper, "is_shared_view": is_shared_view}
    if not is_shared_view:
        context |= comment_section(request, summary, **forms)
    return render(request, "summaries/detail.html", context, status=status)


@login_required
def write_start(request):
    """'Write a summary': find the paper by identifier or title, or add it."""
    query = request.GET.get("q", "").strip()[:500]
    matches, add_url = [], reverse("papers:add")
    if query:
        if paper := find_by_any_key(query):
            return redirect("summaries:write", paper.pk)
        identifier = classify(query)
        if identifier is None:
            matches = list(Paper.objects.filter(title__icontains=query)[:WRITE_START_MATCHES])
            add_url += "?" + urlencode({"title": query})
        else:
            add_url += "?" + urlencode({identifier.field: identifier.value})
    return render(
        request,
        "summaries/write_start.html",
        {"query": query, "matches": matches, "add_url": add_url},
    )


@login_required
@refuses_in_view
def write(request, paper_pk):
    paper = get_object_or_404(Paper.objects.with_header(), pk=paper_pk)
    existing = Summary.objects.filter(paper=paper, author=request.user, deleted_at=None).first()
    if existing:
        messages.info(request, "You have a summary of this paper already; here it is to edit.")
        return redirect("summaries:edit", existing.pk)
    form = SummaryForm(request.POST or None, user=request.user)
    if request.method == "POST":
        if refused := write_refused(request, "summary_write", form=form):
            return refused
        if form.is_valid():
            data = form.cleaned_data
            try:
                summary = publish_summary(
                    request.user,
                    paper,
                    body=data["body"],
                    is_anonymous=data["is_anonymous"],
                    is_private=data["is_private"],
                )
            except AlreadySummarized as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, "Your summary is published.")
                return redirect(summary)
    return render(
        request,
        "summaries/edit.html",
        {"form": form, "paper": paper},
        status=refused_status(form),
    )


@login_required
@refuses_in_view
def edit(request, pk):
    summary = get_summary_for_edit(request, pk)
    paper = summary.paper
    # The form gets a copy: validating writes the posted values onto its instance, and
    # the page shows the stored summary (flags, share link) until a save succeeds.
    form = SummaryForm(request.POST or None, instance=copy.copy(summary), user=request.user)
    conflict = None
    if request.method == "POST":
        if refused := write_refused(request, "summary_write", form=form):
            return refused
        if form.is_valid():
            data = form.cleaned_data
            try:
                saved = update_summary(
                    summary,
                    request.user,
                    body=data["body"],
                    is_anonymous=data["is_anonymous"],
                    is_private=data["is_private"],
                    base_version=data["base_version"] or 0,
                )
            except EditConflict as error:
                conflict = error.current
                # Keep the author's text in the form; saving again now applies it on top
                # of the newer version they have been shown.
                resubmit = request.POST.copy()
                resubmit["base_version"] = conflict.version
                form = SummaryForm(resubmit, instance=copy.copy(conflict), user=request.user)
                form.is_valid()
                form.add_error(
                    None,
                    "This summary was changed after you opened it. The newer text is shown "
                    "below; your text is still in the editor. Save again to replace it.",
                )
            else:
                messages.success(request, "Your summary is saved.")
                return redirect(saved)
    context = {"form": form, "paper": paper, "summary": summary, "conflict": conflict}
    if conflict is not None:
        context["conflict_diff"] = diff_lines(conflict.body, form.data.get("body", ""))
    return render(request, "summaries/edit.html", context, status=refused_status(form))


@login_required
@allowed_while_suspended
def delete(request, pk):
    summary = get_summary_for_edit(request, pk)
    if request.method == "POST":
        delete_summary(summary)
        messages.success(request, "Your summary is deleted.")
        return redirect(summary.paper)
    return render(request, "summaries/delete.html", {"summary": summary})


@cache_for_anonymous(depends_on=lambda request, pk: [tag("summary", pk)])
def history(request, pk):
    summary = get_summary_for_view(request, pk)
    mark_for_viewer([summary], request.user)
    revisions = list(summary.revisions.select_related("editor").order_by("-number"))
    by_number = {revision.number: revision for revision in revisions}
    newest = revisions[0].number
    try:
        new = int(request.GET.get("to", newest))
        old = int(request.GET.get("from", max(1, new - 1)))
    except ValueError:
        raise Http404("No such revision.") from None
    if old not in by_number or new not in by_number:
        raise Http404("No such revision.")
    return render(
        request,
        "summaries/history.html",
        {
            "summary": summary,
            "revisions": revisions,
            "old": by_number[old],
            "new": by_number[new],
            "diff": revision_diff(by_number[old], by_number[new]),
        },
    )


@login_required
@require_POST
@allowed_while_suspended
def share(request, pk):
    summary = get_summary_for_edit(request, pk)
    share_summary(summary)
    messages.success(request, "A new share link is made; any earlier link no longer works.")
    return redirect("summaries:edit", summary.pk)


@login_required
@require_POST
@allowed_while_suspended
def unshare(request, pk):
    summary = get_summary_for_edit(request, pk)
    revoke_share_link(summary)
    messages.success(request, "The share link no longer works.")
    return redirect("summaries:edit", summary.pk)


@login_required
@require_POST
@refuses_in_view
def preview(request):
    """The live preview: the same renderer as saving, as JSON for the editor's script."""
    if refused := write_refused(request, "summary_preview"):
        return refused
    form = PreviewForm(request.POST)
    if not form.is_valid():
        return JsonResponse({"error": "The text is too long to preview."}, status=400)
    try:
        html = render_markdown(form.cleaned_data["body"])
    except RenderTooSlow as error:
        return JsonResponse({"error": str(error)}, status=400)
    return JsonResponse({"html": str(html)})


def _refuse_oversized_figure_bodies(view):
    """Answer 413 to an upload whose Content-Length is over what a figure may send,
    before anything reads the body. The CSRF check would read it first (the token is a
    form field), so the view is exempt from the middleware's check and makes its own
    once the size is known to be fine."""
    protected = csrf_protect(view)

    @csrf_exempt
    @functools.wraps(view)
    def checked(request, *args, **kwargs):
        if request.method == "POST" and _content_length(request) > MAX_REQUEST_BYTES:
            if wants_json(request):
                return JsonResponse({"error": TOO_LARGE}, status=413)
            form = FigureForm({}, {})  # bound but empty, to show the reason on the field
            form.errors["image"] = form.error_class([TOO_LARGE])
            return render(request, "summaries/figure_upload.html", {"form": form}, status=413)
        return protected(request, *args, **kwargs)

    return checked


def _content_length(request) -> int:
    # As Django reads it: a missing or malformed length is a body of nothing.
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


@login_required
@refuses_in_view
@_refuse_oversized_figure_bodies
def upload_figure(request):
    """Upload an image for a summary. The editor's script posts here and inserts the URL;
    without JavaScript this page shows the URL to paste."""
    as_json = wants_json(request)
    form = FigureForm(request.POST or None, request.FILES or None)
    figure = None
    if request.method == "POST":
        if refused := write_refused(request, "figure_upload", form=form):
            return refused
        if form.is_valid():
            try:
                figure = store_figure(request.user, form.cleaned_data["image"].read(MAX_BYTES + 1))
            except FigureError as error:
                form.add_error("image", str(error))
        if as_json:
            if figure is None:
                return JsonResponse({"error": " ".join(form.errors.get("image", []))}, status=400)
            return JsonResponse({"url": figure.image.url})
    return render(
        request,
        "summaries/figure_upload.html",
        {"form": form, "figure": figure},
        status=refused_status(form),
    )
