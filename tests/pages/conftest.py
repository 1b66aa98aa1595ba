import pytest

from tests.factories import SummaryFactory


@pytest.fixture
def others_summary(other_user):
    """Bob's public summary, which Ada comments on and votes for."""
    return SummaryFactory(author=other_user, paper__title="Deep Residual Learning")


@pytest.fixture
def _no_page_cache(settings):
    """Every search is answered afresh, not from a page cached by an earlier example."""
    settings.PAGE_CACHE_SECONDS = 0
