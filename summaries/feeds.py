"""Atom feeds of public summaries: the whole site, and one per member, paper, venue and
keyword. Each is one query for its object (none for the site) and one for its entries."""

from django.contrib.syndication.views import Feed
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse, reverse_lazy
from django.utils.feedgenerator import Atom1Feed
from taggit.models import Tag

from accounts.access import get_user_for_view
from papers.models import Paper, Venue

from .models import Summary

FEED_SIZE = 30


class SummaryFeed(Feed):
    """Entries shared by every summaries feed: the paper's title, the rendered summary
    and its author's name, or "Anonymous"."""

    feed_type = Atom1Feed

    def summaries(self, obj):
        raise NotImplementedError

    def items(self, obj=None):
        return (
            self.summaries(obj)
            .visible()
            .select_related("paper", "author__profile")
            .order_by("-created_at", "-pk")[:FEED_SIZE]
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


class LatestSummariesFeed(SummaryFeed):
    title = "ShortScience: latest summaries"
    link = reverse_lazy("home")
    subtitle = "New summaries of research papers on ShortScience."

    def summaries(self, obj):
        return Summary.objects.all()


class UserSummariesFeed(SummaryFeed):
    """A member's summaries under their name; their anonymous ones stay out of it."""

    def get_object(self, request, username):
        return get_user_for_view(username)

    def title(self, user):
        return f"ShortScience: summaries by {user.display_name}"

    def link(self, user):
        return user.get_absolute_url()

    def summaries(self, user):
        return Summary.objects.filter(author=user, is_anonymous=False)


class PaperSummariesFeed(SummaryFeed):
    def get_object(self, request, pk):
        return get_object_or_404(Paper, pk=pk)

    def title(self, paper):
        return f"ShortScience: summaries of “{paper.title}”"

    def link(self, paper):
        return paper.get_absolute_url()

    def summaries(self, paper):
        return Summary.objects.filter(paper=paper)


class VenueSummariesFeed(SummaryFeed):
    def get_object(self, request, slug):
        return get_object_or_404(Venue, slug=slug)

    def title(self, venue):
        return f"ShortScience: summaries of {venue.short_name} papers"

    def link(self, venue):
        return reverse("papers:venue", args=[venue.slug])

    def summaries(self, venue):
        return Summary.objects.filter(paper__venue=venue)


class TagSummariesFeed(SummaryFeed):
    def get_object(self, request, name):
        tag = Tag.objects.filter(name__iexact=name).first()
        if tag is None:
            raise Http404("No such keyword.")
        return tag

    def title(self, tag):
        return f"ShortScience: summaries of papers with the keyword “{tag.name}”"

    def link(self, tag):
        return reverse("papers:tag", args=[tag.name])

    def summaries(self, tag):
        # A subquery rather than paper__tags=tag, as in papers.views.tag_detail: taggit
        # builds that join with an API Django 6.1 deprecates.
        tagged = Paper.tags.through.objects.filter(tag=tag).values("object_id")
        return Summary.objects.filter(paper__in=tagged)
