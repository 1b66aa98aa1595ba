"""The site's URLs plus one view that fails, to see the 500 page."""

from django.urls import path

from pages.urls import urlpatterns as site_urlpatterns


def broken(request):
    raise RuntimeError("deliberate failure for the 500 page test")


urlpatterns = [*site_urlpatterns, path("broken/", broken)]
