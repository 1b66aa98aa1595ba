import pytest


@pytest.fixture
def paper_lookups(monkeypatch):
    """Citation lookups without the database; every call is recorded."""
    calls: list[set[str]] = []
    known = {
        "conf/nips/VaswaniSPUJGKP17": ("/papers/17/", "Attention Is All You Need"),
        "journals/corr/abs-1706-03762": ("/papers/17/", "Attention Is All You Need"),
        "he2016deep": ("/papers/5/", "Deep Residual Learning"),
    }

    def lookup_citations(keys):
        calls.append(set(keys))
        return {key: known[key] for key in keys if key in known}

    monkeypatch.setattr("shortscience.rendering._lookup_citations", lookup_citations)
    return calls
