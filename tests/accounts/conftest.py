import re

import pytest

LINK = re.compile(r"http://testserver(/accounts/[\w/:-]+/)")


@pytest.fixture
def link_in_mail():
    """The first site link in a sent message, as a path."""

    def find(message) -> str:
        match = LINK.search(message.body)
        assert match, message.body
        return match.group(1)

    return find
