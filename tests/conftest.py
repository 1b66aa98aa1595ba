import json
import os

import pytest
from django.test import Client
from hypothesis import HealthCheck, Phase
from hypothesis import settings as hypothesis_settings

from accounts.models import Suspension
from papers import popularity
from tests.factories import (
    EmailAddressFactory,
    PaperFactory,
    SummaryFactory,
    UserFactory,
    VenueFactory,
    moderators_group,
)
from tests.processes import PRODUCTION_ENV, run_manage, run_python

# Fuzz tests (marked `fuzz`): `make test` runs a small, fixed set of examples (the same on
# every run, so a failure can be replayed); `make fuzz` runs many random ones. Each test
# keeps its own time budget per example, so Hypothesis's deadline is off, and so is its
# explain phase: the coverage tracer it runs makes the code under test three to five
# times slower, which would fail a time budget for the tracer's sake.
_FUZZ_COMMON = {
    "deadline": None,
    "phases": [phase for phase in Phase if phase is not Phase.explain],
    "database": None,
    "suppress_health_check": [HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
}
hypothesis_settings.register_profile("ci", max_examples=30, derandomize=True, **_FUZZ_COMMON)
hypothesis_settings.register_profile("fuzz", max_examples=1500, **_FUZZ_COMMON)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _no_waiting_views():
    """Paper and summary pages count reads in process memory and write them in batches:
    each test starts and ends with none waiting, so no batch is written in the middle of
    a query count and no test inherits another's."""
    popularity.discard()
    yield
    popularity.discard()


@pytest.fixture
def author(db):
    """The member whose things a test acts on."""
    return UserFactory(username="ada")


@pytest.fixture
def other_user(db):
    return UserFactory(username="bob")


@pytest.fixture
def moderator(db):
    """A member of the Moderators group, which a data migration creates (and
    moderators_group() makes again in the live server's transactional database)."""
    user = UserFactory(username="mod", is_staff=True)
    user.groups.add(moderators_group())
    return user


@pytest.fixture
def suspended(author, moderator):
    """The author's suspension, until a moderator lifts it."""
    return Suspension.objects.create(
        user=author, moderator=moderator, reason="Posting advertisements", ends_at=None
    )


@pytest.fixture
def author_client(client, author):
    client.force_login(author)
    return client


@pytest.fixture
def other_client(other_user):
    """Signed in as the other member, beside ``client`` (which may be someone else)."""
    client = Client()
    client.force_login(other_user)
    return client


@pytest.fixture
def unverified(db):
    """A member whose e-mail address is not verified (a social sign-in, say)."""
    member = UserFactory(username="newbie", verified_email=None)
    EmailAddressFactory(user=member, email=member.email, verified=False)
    return member


@pytest.fixture
def unverified_client(unverified):
    client = Client()
    client.force_login(unverified)
    return client


@pytest.fixture
def media(settings, tmp_path):
    """Uploaded figures go to a folder of this test's (served by the live server too)."""
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def page_cache(settings):
    """A real cache in this process's memory, and the page cache on."""
    from django.core.cache import caches

    locmem = "django.core.cache.backends.locmem.LocMemCache"
    settings.CACHES = {
        "default": {"BACKEND": locmem, "LOCATION": "default"},
        "pages": {"BACKEND": locmem, "LOCATION": "pages"},
    }
    settings.PAGE_CACHE_SECONDS = 60
    for alias in settings.CACHES:
        caches[alias].clear()
    yield
    for alias in settings.CACHES:
        caches[alias].clear()


@pytest.fixture
def read_settings():
    """Import the settings under the given environment; return the named values as JSON."""

    def read(env: dict[str, str], *names: str):
        code = (
            "import json; from django.conf import settings; "
            f"print(json.dumps({{n: getattr(settings, n, None) for n in {list(names)!r}}}, "
            "default=str))"
        )
        result = run_python(code, env)
        if result.returncode:
            return result
        return json.loads(result.stdout.strip().splitlines()[-1])

    return read


@pytest.fixture(scope="session")
def static_root(tmp_path_factory):
    """collectstatic once, for the production servers of tests/abuse and tests/reliability:
    DEBUG=0 pages name hashed files from its manifest."""
    folder = tmp_path_factory.mktemp("static")
    collected = run_manage(
        PRODUCTION_ENV | {"STATIC_ROOT": str(folder)}, "collectstatic", "--no-input", "-v0"
    )
    assert collected.returncode == 0, collected.stderr
    return folder


@pytest.fixture
def venue(db):
    """NeurIPS, as dblp and the venue pages know it."""
    return VenueFactory(
        short_name="NeurIPS",
        full_name="Advances in Neural Information Processing Systems",
        slug="neurips",
        dblp_key="conf/nips",
    )


@pytest.fixture
def paper(db):
    """A paper with one author, whose name the case page of a paper shows to correct."""
    return PaperFactory(title="Attention Is All You Need", authors=["Ashish Vaswani"])


@pytest.fixture
def summary(author, paper):
    """The author's public, named summary of the paper."""
    return SummaryFactory(paper=paper, author=author, body="First *version* with $a_1$.")


@pytest.fixture
def pair(db):
    """One paper twice: its arXiv preprint and its published version, to merge."""
    preprint = PaperFactory(title="Attention Is All You Need", arxiv_id="1706.03762", doi="")
    published = PaperFactory(
        title="Attention is All you Need", arxiv_id="", doi="10.5555/3295222.3295349"
    )
    return preprint, published
