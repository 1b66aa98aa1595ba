import pytest

from summaries.services import add_comment
from tests.factories import UserFactory
from tests.moderation.helpers import signed_in


@pytest.fixture
def third_user(db):
    return UserFactory(username="cy")


@pytest.fixture
def mod_client(moderator):
    return signed_in(moderator)


@pytest.fixture
def comment(summary, third_user):
    """Cy's comment under Ada's summary, counted on it."""
    return add_comment(third_user, summary, body="Buy cheap watches, said nobody.")


@pytest.fixture
def item(request, summary, comment, paper, author):
    """What Bob flags, by the ``kind`` parameter: Ada's summary, Cy's comment on it,
    the paper, or Ada herself."""
    return {"summary": summary, "comment": comment, "paper": paper, "user": author}[request.param]
