"""The data the abuse suite's server holds, made in a process set up like the server's
(tests/abuse/conftest.py runs prepare() there and reads its plan as JSON)."""

import datetime


def session_for(user) -> str:
    """A session as django.contrib.auth.login() would make it; its key."""
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

    session = import_module(settings.SESSION_ENGINE).SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return session.session_key


def alternating_lines(count: int, first: str, second: str) -> str:
    return "\n".join(first if number % 2 == 0 else second for number in range(count))


def prepare() -> dict:
    """An established attacker with a verified address, a suspended member, a moderator,
    papers with summaries for readers to read, and a summary whose two revisions are the
    quadratic diff's worst case: 25,000 alternating lines, then the same shifted."""
    from allauth.account.models import EmailAddress
    from django.contrib.auth.models import Group
    from django.db import transaction
    from django.utils import timezone

    from accounts.models import User
    from moderation import services as moderation
    from papers.services import create_paper
    from summaries.services import publish_summary, update_summary

    year_ago = timezone.now() - datetime.timedelta(days=365)
    with transaction.atomic():
        members = {}
        for name in ("attacker", "suspended", "moderator", "writer"):
            user = User.objects.create_user(
                username=name, email=f"{name}@example.org", date_joined=year_ago
            )
            EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
            members[name] = user
        members["moderator"].groups.add(Group.objects.get(name="Moderators"))
        moderation.suspend(members["suspended"], members["moderator"], "Spam", length=None)
        papers = [
            create_paper(
                members["writer"],
                authors=["Ada Lovelace", "Alan Turing"],
                tags=["cs.LG"],
                title=f"Robust Reading {number}",
                abstract="We study what a reader sees while others send hostile input.",
                year=2024,
            )
            for number in range(3)
        ]
        summaries = [
            publish_summary(
                members["writer"],
                paper,
                body=f"Summary {number}: the loss $L(\\theta)$ falls as $n^{{-1/2}}$.",
            )
            for number, paper in enumerate(papers)
        ]
        worst = publish_summary(
            members["attacker"], papers[0], body=alternating_lines(25_000, "a", "b")
        )
        update_summary(
            worst,
            members["attacker"],
            body=alternating_lines(25_000, "b", "a"),
            is_anonymous=False,
            is_private=False,
            base_version=1,
        )
    return {
        "sessions": {name: session_for(user) for name, user in members.items()},
        "papers": [paper.get_absolute_url() for paper in papers],
        "paper_ids": [paper.pk for paper in papers],
        "summaries": [summary.get_absolute_url() for summary in summaries],
        "worst_summary": worst.pk,
    }


def cache_versions() -> dict:
    from shortscience import pagecache
    from summaries.models import Summary

    summaries = Summary.objects.values_list("pk", flat=True)
    listings = [pagecache.SITE, pagecache.SUMMARIES, pagecache.PAPERS]
    return pagecache.versions([*listings, *(pagecache.tag("summary", pk) for pk in summaries)])
