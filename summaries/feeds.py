from django.contrib.syndication.views import Feed
from django.urls import reverse_lazy
from django.utils.feedgenerator import Atom1Feed

from .models import Summary

FEED_SIZE = 30


class LatestSummariesFeed(Feed):
    feed_type = Atom1Feed
    title = "ShortScience: latest summaries"
    link = reverse_lazy("home")
    subtitle = "New summaries of research papers on ShortScience."

    def items(self):
        return (
            Summary.objects.visible()
            .select_related("paper", "author__profile")
            .order_by("-created_at")[:FEED_SIZE]
        )

    def item_title(self, summary):
        return f"Summary of “{summary.paper.title}”"

    def item_description(self, summary):
        return summary.body_html

    def item_author_name(self, summary):
        return "Anonymous" if summary.is_anonymous else summary.author.display_name

    def item_pubdate(self, summary):
        return summary.created_at

    def item_updateddate(self, summary):
        return summary.updated_at
