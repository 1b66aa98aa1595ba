from django.conf import settings
from django.core.paginator import Paginator
from django.shortcuts import render
from django.views.static import serve

from summaries.listing import mark_for_viewer
from summaries.models import Summary

SUMMARIES_PER_PAGE = 10


def home(request):
    """The welcome text and the latest public summaries, each under its paper's header."""
    latest = Summary.objects.visible().for_listing().order_by("-created_at", "-pk")
    page = Paginator(latest, SUMMARIES_PER_PAGE).get_page(request.GET.get("page"))
    page.object_list = mark_for_viewer(page.object_list, request.user)
    # The paginator has counted the public summaries already: that is the welcome count.
    return render(request, "home.html", {"summary_count": page.paginator.count, "page": page})


def about(request):
    return render(request, "about.html")


def media(request, path):
    """Uploaded files (when SERVE_MEDIA is on), from MEDIA_ROOT as it is now."""
    return serve(request, path, document_root=settings.MEDIA_ROOT)
