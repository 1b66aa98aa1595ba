"""Fill the site with demo content of our own making. Safe to run again.

The named demo members are always there, with verified e-mail addresses and the
password DEMO_PASSWORD; `--users N` adds generated members up to N in all, in
batches, for performance work. Later issues add papers, summaries, comments and votes.
"""

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from accounts.models import Profile, User
from accounts.services import update_profile

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


class Command(BaseCommand):
    help = "Create demo members (and, later, papers and summaries). Idempotent."

    def add_arguments(self, parser):
        parser.add_argument(
            "--users",
            type=int,
            default=len(DEMO_MEMBERS),
            help="Members to have in all; extras are generated (default: %(default)s).",
        )

    def handle(self, *args, users, **options):
        if users < 0:
            raise CommandError("--users must be zero or more.")
        created = self.seed_named_members()
        extra = max(0, users - len(DEMO_MEMBERS))
        generated = self.seed_generated_members(extra) if extra else 0
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo members: {created + generated} created, "
                f"{User.objects.count()} in all. Demo password: {DEMO_PASSWORD}"
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
