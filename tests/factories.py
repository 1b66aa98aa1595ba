"""One factory per model; every field a plain, unsurprising default."""

import factory
from allauth.account.models import EmailAddress
from factory.django import DjangoModelFactory

from accounts.models import User
from papers.models import Author, Authorship, Paper, Venue
from papers.services import author_for
from shortscience.rendering import render_markdown
from summaries.models import Comment, Revision, Summary

PASSWORD = "correct horse battery staple"


class EmailAddressFactory(DjangoModelFactory):
    class Meta:
        model = EmailAddress

    user = factory.SubFactory("tests.factories.UserFactory", verified_email=None)
    email = factory.LazyAttribute(lambda address: address.user.email)
    verified = True
    primary = True


class UserFactory(DjangoModelFactory):
    """A member with a verified primary e-mail address (pass verified_email=None for none)."""

    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"member{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.org")
    password = factory.django.Password(PASSWORD)
    verified_email = factory.RelatedFactory(
        EmailAddressFactory, factory_related_name="user", email=factory.SelfAttribute("..email")
    )


class VenueFactory(DjangoModelFactory):
    class Meta:
        model = Venue
        django_get_or_create = ("short_name",)

    short_name = factory.Sequence(lambda n: f"Conf{n}")
    full_name = factory.LazyAttribute(lambda venue: f"Conference {venue.short_name}")
    slug = factory.LazyAttribute(lambda venue: venue.short_name.lower())


class AuthorFactory(DjangoModelFactory):
    class Meta:
        model = Author

    name = factory.Sequence(lambda n: f"Author Number{n}")


class PaperFactory(DjangoModelFactory):
    """A paper with one author (pass authors=[...] of names for others) and no venue."""

    class Meta:
        model = Paper
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"A Study of Things, Part {n}")
    abstract = "We study things and find that they are interesting."
    year = 2020
    arxiv_id = factory.Sequence(lambda n: f"2001.{n:05d}")

    @factory.post_generation
    def authors(paper, create, extracted, **kwargs):
        if not create:
            return
        for position, name in enumerate(extracted or ["Ada Lovelace"], start=1):
            Authorship.objects.create(paper=paper, author=author_for(name), position=position)


class AuthorshipFactory(DjangoModelFactory):
    class Meta:
        model = Authorship

    paper = factory.SubFactory(PaperFactory, authors=[])
    author = factory.SubFactory(AuthorFactory)
    position = factory.Sequence(lambda n: n + 1)


class SummaryFactory(DjangoModelFactory):
    """A public summary; its HTML is rendered by the real renderer, its first revision made."""

    class Meta:
        model = Summary
        skip_postgeneration_save = True

    paper = factory.SubFactory(PaperFactory)
    author = factory.SubFactory(UserFactory)
    body = "This paper shows that $x_1 = y_2$ under *mild* conditions."
    body_html = factory.LazyAttribute(lambda summary: str(render_markdown(summary.body)))

    @factory.post_generation
    def first_revision(summary, create, extracted, **kwargs):
        if create:
            Revision.objects.create(
                summary=summary, number=1, body=summary.body, editor=summary.author
            )


class RevisionFactory(DjangoModelFactory):
    class Meta:
        model = Revision

    summary = factory.SubFactory(SummaryFactory)
    number = factory.Sequence(lambda n: n + 2)
    body = "An edited text."
    editor = factory.SelfAttribute("summary.author")


class CommentFactory(DjangoModelFactory):
    """A top-level comment (pass parent=... for a reply). Counts on its summary are not
    touched: tests of counters go through summaries.services.add_comment."""

    class Meta:
        model = Comment

    summary = factory.SubFactory(SummaryFactory)
    author = factory.SubFactory(UserFactory)
    body = "A fair point about $\\beta_2$."
    body_html = factory.LazyAttribute(lambda comment: str(render_markdown(comment.body)))


class VoteFactory(DjangoModelFactory):
    """An up vote. Summary.score is not touched: tests of the score go through
    summaries.services.cast_vote."""

    class Meta:
        model = "summaries.Vote"

    user = factory.SubFactory(UserFactory)
    summary = factory.SubFactory(SummaryFactory)
    value = 1


class CommentVoteFactory(DjangoModelFactory):
    """An upvote on a comment; Comment.score is not touched (see vote_comment)."""

    class Meta:
        model = "summaries.CommentVote"

    user = factory.SubFactory(UserFactory)
    comment = factory.SubFactory(CommentFactory)


def moderators_group():
    """The Moderators group as its data migration makes it, for transactional tests (the
    live server's), which empty every table, the migration's rows too."""
    from django.contrib.auth.models import Group, Permission

    group, _ = Group.objects.get_or_create(name="Moderators")
    group.permissions.add(Permission.objects.get(codename="hide_summary"))
    return group
