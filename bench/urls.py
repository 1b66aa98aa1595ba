"""The site's URLs and the ceiling: a bare view returning a fixed page (bench/load.py)."""

import os
from pathlib import Path

from django.http import HttpResponse
from django.urls import include, path

_page: bytes | None = None


def ceiling(request):
    """The same server and middleware with nothing behind them: what Django itself serves.

    The page is a copy of one of the benchmarked pages, so the bytes are the same size;
    load.py names its file in BENCH_CEILING_PAGE before it starts the server.
    """
    global _page
    if _page is None:
        _page = Path(os.environ["BENCH_CEILING_PAGE"]).read_bytes()
    return HttpResponse(_page)


urlpatterns = [
    path("bench/ceiling/", ceiling),
    path("", include("shortscience.urls")),
]
