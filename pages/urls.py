from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from django.views.generic.base import RedirectView

from pages import views
from shortscience.pagecache import SUMMARIES, cache_for_anonymous, tag, tags
from summaries.feeds import (
    LatestSummariesFeed,
    PaperSummariesFeed,
    TagSummariesFeed,
    UserSummariesFeed,
    VenueSummariesFeed,
)


def _member(request, username):
    return [tag("member", username)]


def _paper(request, pk):
    return [tag("paper", pk)]


handler400 = "shortscience.errors.bad_request"
handler500 = "shortscience.errors.server_error"

urlpatterns = [
    path("", views.home, name="home"),
    path("about/", views.about, name="about"),
    path("search/", views.search, name="search"),
    # /accounts/: sign-up, sign-in, e-mail and password (django-allauth)
    path("accounts/", include("allauth.urls")),
    # /users/: notifications and editing one's profile, then members' pages
    path("users/", include("accounts.urls")),
    path("users/", include("pages.member_urls")),
    # /summaries/
    path("summaries/", include("summaries.urls")),
    # /moderation/: flags, the moderators' queue, the public log
    path("moderation/", include("moderation.urls")),
    # /feeds/
    path(
        "feeds/summaries.atom",
        cache_for_anonymous(LatestSummariesFeed(), depends_on=tags(SUMMARIES)),
        name="feed_summaries",
    ),
    path(
        "feeds/users/<str:username>.atom",
        cache_for_anonymous(UserSummariesFeed(), depends_on=_member),
        name="feed_user",
    ),
    path(
        "feeds/papers/<int:pk>.atom",
        cache_for_anonymous(PaperSummariesFeed(), depends_on=_paper),
        name="feed_paper",
    ),
    path(
        "feeds/venues/<slug:slug>.atom",
        cache_for_anonymous(VenueSummariesFeed(), depends_on=tags(SUMMARIES)),
        name="feed_venue",
    ),
    path(
        "feeds/tags/<str:name>.atom",
        cache_for_anonymous(TagSummariesFeed(), depends_on=tags(SUMMARIES)),
        name="feed_tag",
    ),
    path("rss.xml", RedirectView.as_view(pattern_name="feed_summaries", permanent=True)),
    # /papers/, /authors/, /venues/, /tags/, identifier resolvers, ShortScience.org links
    path("", include("papers.urls")),
    path("", include("summaries.paper_urls")),
    path("admin/", admin.site.urls),
]

if settings.SERVE_MEDIA:
    # Uploaded figures, served by Django in development and small deployments; a larger
    # one sets SERVE_MEDIA=0 and lets the web server or object storage serve MEDIA_URL.
    urlpatterns += [re_path(r"^media/(?P<path>.+)$", views.media)]
