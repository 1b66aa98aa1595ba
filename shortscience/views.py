import datetime

from django.conf import settings
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone
from django.views.static import serve

from papers.popularity import with_recent_views
from summaries.listing import mark_for_viewer
from summaries.models import Summary

SUMMARIES_PER_PAGE = 10
TABS = ("recent", "best", "popular")
# ?period= on the "best" tab: how far back a summary's creation may lie, in days.
PERIODS = {"week": 7, "month": 30, "year": 365, "all": None}
PERIOD_LABELS = {
    "week": "Past week",
    "month": "Past month",
    "year": "Past year",
    "all": "All time",
}


def home(request):
    """The welcome text and public summaries under their paper's header, on three tabs:
    recently written or edited, best scored (over a period), most read this week."""
    tab = request.GET.get("tab", "recent")
    if tab not in TABS:
        tab = "recent"
    period = request.GET.get("period", "all")
    if period not in PERIODS:
        period = "all"
    public = Summary.objects.visible()
    summaries = public.for_listing()
    is_every_public_summary = True
    if tab == "recent":
        summaries = summaries.order_by("-updated_at", "-pk")
    elif tab == "best":
        if days := PERIODS[period]:
            since = timezone.now() - datetime.timedelta(days=days)
            summaries = summaries.filter(created_at__gte=since)
            is_every_public_summary = False
        summaries = summaries.order_by("-score", "-created_at", "-pk")
    else:
        summaries = with_recent_views(summaries).order_by(
            "-recent_views", "-score", "-created_at", "-pk"
        )
    page = Paginator(summaries, SUMMARIES_PER_PAGE).get_page(request.GET.get("page"))
    page.object_list = mark_for_viewer(page.object_list, request.user)
    # The paginator has counted the listed summaries already; unless a period narrows
    # them, they are the public summaries the welcome text counts.
    summary_count = page.paginator.count if is_every_public_summary else public.count()
    return render(
        request,
        "home.html",
        {
            "summary_count": summary_count,
            "page": page,
            "tab": tab,
            "period": period,
            "periods": PERIOD_LABELS.items(),
        },
    )


def about(request):
    return render(request, "about.html")


def media(request, path):
    """Uploaded files (when SERVE_MEDIA is on), from MEDIA_ROOT as it is now."""
    return serve(request, path, document_root=settings.MEDIA_ROOT)
