"""The site's URLs and the ceiling: a bare view returning a fixed page (bench/load.py)."""

import os
from pathlib import Path

from django.http import HttpResponse
from django.urls import include, path

_pages: dict[int, bytes] = {}


def ceiling(request, number):
    """The same server and middleware with nothing behind them: what Django itself serves.

    Page ``number`` is a copy of the benchmarked page of that number, so the bytes are the
    same; load.py writes them as NUMBER.html in BENCH_CEILING_DIR before it starts the
    server.
    """
    if number not in _pages:
        _pages[number] = (Path(os.environ["BENCH_CEILING_DIR"]) / f"{number}.html").read_bytes()
    return HttpResponse(_pages[number])


urlpatterns = [
    path("bench/ceiling/<int:number>/", ceiling),
    path("", include("pages.urls")),
]
