"""Fill the site with demo content of our own making. Safe to run again.

The named demo members are always there, with verified e-mail addresses and the
password DEMO_PASSWORD, and so are the demo venues, papers and summaries (with math and
figures) of pages/demo_content.py. `--users N` adds generated members up to N in
all, in batches, for performance work.
"""

import datetime
import io
import math

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from accounts.models import Profile, User
from accounts.services import update_profile
from moderation import services as moderation
from moderation.models import Case, Flag
from pages import bulk_demo, demo_content
from papers.models import Paper, Venue
from papers.services import create_paper, follow_paper
from shortscience.pagecache import content_changed
from summaries.models import Comment, Summary, Vote
from summaries.services import (
    add_comment,
    cast_vote,
    publish_summary,
    store_figure,
    update_summary,
)

DEMO_PASSWORD = "shortscience-demo"  # noqa: S105 - published demo credential, documented
BATCH_SIZE = 1000

# Our own invented members. 0000-0002-1825-0097 is ORCID's fictional test identity.
DEMO_MEMBERS = [
    ("ada_k", "Ada Kowalski", "University of Warsaw", "https://example.org/ada",
     "0000-0002-1825-0097",
     "I work on **optimization for deep networks**, mostly on why $\\beta_2$ in Adam matters "
     "more than people think. I summarize papers I would have liked someone to explain to me."),
    ("tomasz", "Tomasz Nowak", "ETH Zürich", "", "",
     "PhD student in probabilistic modelling. Variational inference, normalizing flows, "
     "and the occasional detour into Gaussian processes."),
    ("lin_wei", "Lin Wei", "Tsinghua University", "", "",
     "Computer vision: self-supervised pretraining and what it learns. Short summaries, "
     "long footnotes."),
    ("mara-o", "Mara Okafor", "University of Lagos", "https://example.org/mara", "",
     "Speech and low-resource languages. I care about evaluation that reflects real users."),
    ("jbrandt", "Jonas Brandt", "Max Planck Institute for Intelligent Systems", "", "",
     "Reinforcement learning theory, regret bounds, and exploration."),
    ("priya", "Priya Raman", "IIT Madras", "", "",
     "Graph neural networks and their expressive power (Weisfeiler-Leman and beyond)."),
    ("sofia_m", "Sofía Martínez", "Universidad de Buenos Aires", "", "",
     "NLP, retrieval-augmented models, and the honesty of benchmarks."),
    ("haruto", "Haruto Sato", "University of Tokyo", "", "",
     "Generative models: diffusion, score matching, and sampling speed."),
    ("elena_v", "Elena Volkova", "EPFL", "", "",
     "Learning theory: generalization, PAC-Bayes, and implicit regularization."),
    ("dkim", "Daniel Kim", "KAIST", "", "",
     "Efficient transformers and hardware-aware training."),
    ("amelie", "Amélie Laurent", "Inria Paris", "", "",
     "Causal inference meets representation learning."),
    ("omar_h", "Omar Haddad", "Independent researcher", "", "",
     "Reading group organizer. I write summaries for people outside the subfield."),
]  # fmt: skip

# The named members and the demo's spammer (demo_content.SPAMMER).
DEMO_ACCOUNTS = len(DEMO_MEMBERS) + 1


class Command(BaseCommand):
    help = "Create demo members, papers, summaries, comments and votes. Idempotent."

    def add_arguments(self, parser):
        parser.add_argument(
            "--users",
            type=int,
            default=DEMO_ACCOUNTS,
            help="Members to have in all; extras are generated (default: %(default)s).",
        )
        for name, what in [
            ("papers", "generated papers"),
            ("summaries", "summaries of generated papers"),
            ("votes", "votes on those summaries"),
            ("comments", "comments on those summaries"),
        ]:
            parser.add_argument(
                f"--{name}", type=int, default=0, help=f"How many {what} to have (bulk)."
            )

    def handle(self, *args, users, papers, summaries, votes, comments, **options):
        if min(users, papers, summaries, votes, comments) < 0:
            raise CommandError("Sizes must be zero or more.")
        created = self.seed_named_members()
        extra = max(0, users - DEMO_ACCOUNTS)
        generated = self.seed_generated_members(extra) if extra else 0
        papers_created, summaries_created = self.seed_papers_and_summaries()
        comments_created = self.seed_community()
        self.seed_moderation()
        try:
            bulk_demo.generate(
                self.stdout, papers=papers, summaries=summaries, votes=votes, comments=comments
            )
        except ValueError as error:
            raise CommandError(str(error)) from None
        content_changed()
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo members: {created + generated} created, "
                f"{User.objects.count()} in all. Demo password: {DEMO_PASSWORD}\n"
                f"Demo papers: {papers_created} created, {Paper.objects.count()} in all; "
                f"summaries: {summaries_created} created, {Summary.objects.count()} in all.\n"
                f"Demo comments: {comments_created} created, {Comment.objects.count()} in all; "
                f"votes: {Vote.objects.count()}."
            )
        )

    @transaction.atomic
    def seed_named_members(self) -> int:
        created = 0
        password = make_password(DEMO_PASSWORD)
        for username, name, affiliation, website, orcid, bio in DEMO_MEMBERS:
            user, is_new = User.objects.get_or_create(
                username=username,
                defaults={"email": f"{username}@example.org", "password": password},
            )
            if is_new:
                created += 1
                EmailAddress.objects.create(
                    user=user, email=user.email, verified=True, primary=True
                )
                update_profile(
                    user.profile,
                    {
                        "display_name": name,
                        "affiliation": affiliation,
                        "website": website,
                        "orcid": orcid,
                        "bio": bio,
                    },
                )
                self.stdout.write(f"  member {username}")
        return created

    def seed_generated_members(self, count: int) -> int:
        """Bulk-create members demo0001..demoNNNN that do not exist yet, with progress."""
        password = make_password(DEMO_PASSWORD)
        wanted = [f"demo{i:06d}" for i in range(1, count + 1)]
        existing = set(User.objects.filter(username__in=wanted).values_list("username", flat=True))
        missing = [name for name in wanted if name not in existing]
        for start in range(0, len(missing), BATCH_SIZE):
            batch = missing[start : start + BATCH_SIZE]
            with transaction.atomic():
                # bulk_create skips User.save(), so profiles and addresses are made here.
                users = User.objects.bulk_create(
                    User(username=name, email=f"{name}@example.org", password=password)
                    for name in batch
                )
                Profile.objects.bulk_create(Profile(user=user) for user in users)
                EmailAddress.objects.bulk_create(
                    EmailAddress(user=user, email=user.email, verified=True, primary=True)
                    for user in users
                )
            done = start + len(batch)
            self.stdout.write(f"  generated members: {done}/{len(missing)}")
        return len(missing)

    @transaction.atomic
    def seed_papers_and_summaries(self) -> tuple[int, int]:
        venues = {}
        for short_name, full_name, dblp_key in demo_content.VENUES:
            venues[short_name], _ = Venue.objects.get_or_create(
                short_name=short_name,
                defaults={
                    "full_name": full_name,
                    "dblp_key": dblp_key,
                    "slug": short_name.lower(),
                },
            )
        adder = User.objects.get(username=DEMO_MEMBERS[0][0])
        papers_created = 0
        for record in demo_content.PAPERS:
            if Paper.objects.filter(title=record["title"]).exists():
                continue
            venue, venue_year = record.get("venue") or (None, None)
            published_on = record.get("published_on")
            create_paper(
                adder,
                authors=record["authors"],
                tags=record["tags"],
                title=record["title"],
                abstract=record["abstract"],
                year=record["year"],
                published_on=datetime.date.fromisoformat(published_on) if published_on else None,
                venue=venues[venue] if venue else None,
                venue_year=venue_year,
                arxiv_id=record.get("arxiv_id", ""),
                bibtex_key=record.get("bibtex_key", ""),
                source=Paper.Source.ARXIV if record.get("arxiv_id") else Paper.Source.MANUAL,
            )
            papers_created += 1
            self.stdout.write(f"  paper {record['title'][:60]}")
        summaries_created = 0
        for title, username, options, body in demo_content.SUMMARIES:
            paper = Paper.objects.get(title__startswith=title)
            author = User.objects.get(username=username)
            if Summary.objects.filter(paper=paper, author=author, deleted_at=None).exists():
                continue
            if "FIGURE" in body:
                body = body.replace("FIGURE", store_figure(author, draw_figure(title)).image.url)
            publish_summary(author, paper, body=body.strip() + "\n", **options)
            summaries_created += 1
            self.stdout.write(f"  summary of {paper.title[:50]} by {username}")
        for title, username, addition in demo_content.EDITS:
            summary = Summary.objects.get(
                paper__title__startswith=title, author__username=username, deleted_at=None
            )
            if summary.version == 1:
                update_summary(
                    summary,
                    summary.author,
                    body=summary.body + addition,
                    is_anonymous=summary.is_anonymous,
                    is_private=summary.is_private,
                    base_version=summary.version,
                )
        return papers_created, summaries_created

    @transaction.atomic
    def seed_community(self) -> int:
        """Comments, votes and follows among the demo members; returns comments created."""

        def summary_of(title, username):
            return Summary.objects.get(
                paper__title__startswith=title, author__username=username, deleted_at=None
            )

        created, posted = 0, []
        for title, summary_author, commenter, body, parent_index in demo_content.COMMENTS:
            summary = summary_of(title, summary_author)
            author = User.objects.get(username=commenter)
            comment = Comment.objects.filter(summary=summary, author=author, body=body).first()
            if comment is None:
                parent = posted[parent_index] if parent_index is not None else None
                comment = add_comment(author, summary, body=body, parent=parent)
                created += 1
            posted.append(comment)
        for voter, title, summary_author, value in demo_content.VOTES:
            cast_vote(User.objects.get(username=voter), summary_of(title, summary_author), value)
        for username, title in demo_content.FOLLOWS:
            follow_paper(
                User.objects.get(username=username), Paper.objects.get(title__startswith=title)
            )
        if created:
            self.stdout.write(f"  comments: {created}")
        return created

    @transaction.atomic
    def seed_moderation(self) -> None:
        """A moderator, spam comments flagged by members, and one decided case."""
        moderator = User.objects.get(username=demo_content.MODERATOR)
        moderator.groups.add(Group.objects.get(name="Moderators"))
        User.objects.filter(pk=moderator.pk).update(is_staff=True)
        username, name, bio = demo_content.SPAMMER
        spammer, is_new = User.objects.get_or_create(
            username=username,
            defaults={"email": f"{username}@example.org", "password": make_password(None)},
        )
        if is_new:
            update_profile(spammer.profile, {"display_name": name, "bio": bio})
        spam = []
        for title, summary_author, body in demo_content.SPAM_COMMENTS:
            summary = Summary.objects.get(
                paper__title__startswith=title, author__username=summary_author, deleted_at=None
            )
            comment = Comment.objects.filter(summary=summary, author=spammer, body=body).first()
            spam.append(comment or add_comment(spammer, summary, body=body))
        for index, reporter, reason, text in demo_content.SPAM_FLAGS:
            comment, reporter = spam[index], User.objects.get(username=reporter)
            if not Flag.objects.filter(case__comment=comment, reporter=reporter).exists():
                moderation.flag(reporter, comment, reason=reason, text=text)
        index, reason = demo_content.SPAM_DECISION
        if case := moderation.open_case(spam[index]):
            moderation.resolve(case, moderator, Case.Decision.HIDE, reason)
            self.stdout.write("  moderation: one case decided, one open")


def draw_figure(title: str) -> bytes:
    """A small line chart, drawn here so the demo needs no image from elsewhere."""
    from PIL import Image, ImageDraw  # Imported here: only seeding draws pictures.

    width, height, margin = 640, 360, 40
    image = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(image)
    draw.line([(margin, margin), (margin, height - margin), (width - margin, height - margin)],
              fill="black", width=2)  # fmt: skip
    curves = [("#1f5fbf", 1.0), ("#c0392b", 0.55)]
    for colour, rate in curves:
        points = []
        for step in range(0, 101):
            x = margin + step * (width - 2 * margin) / 100
            loss = math.exp(-rate * step / 20) + 0.05 * math.sin(step / 3) * math.exp(-step / 50)
            points.append((x, height - margin - loss * (height - 2 * margin) * 0.9))
        draw.line(points, fill=colour, width=3)
    draw.text((margin + 10, 10), title[:60], fill="black")
    draw.text((width - margin - 60, height - margin + 10), "steps", fill="black")
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()
