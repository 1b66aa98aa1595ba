import pytest
import requests
from urllib3 import HTTPResponse

from papers.sources import NotFound, Unavailable, fetch_crossref, http

pytestmark = [pytest.mark.integration]

URL = "https://api.crossref.org/works/10.1038/nature14539"
WORK = (
    '{"status": "ok", "message-type": "work", "message": {"title": ["Deep learning"], '
    '"author": [{"given": "Yann", "family": "LeCun"}], "issued": {"date-parts": [[2015]]}}}'
)


@pytest.fixture(autouse=True)
def _no_waiting(monkeypatch):
    """Retries wait nothing here (responses does not sleep, but a real adapter would)."""
    monkeypatch.setattr(http, "BACKOFF_FACTOR", 0)
    monkeypatch.setattr(http, "MAX_RETRY_AFTER", 0)


def test_session_says_who_we_are_and_how_to_reach_us(mocked):
    mocked.get(URL, body=WORK, content_type="application/json")

    fetch_crossref("10.1038/nature14539")

    user_agent = mocked.calls[0].request.headers["User-Agent"]
    assert user_agent == http.USER_AGENT
    assert user_agent.startswith("ShortScience/0.1 (+https://")
    assert "mailto:" in user_agent


def test_server_error_is_retried_until_it_succeeds(mocked):
    mocked.get(URL, status=500)
    mocked.get(URL, status=502)
    mocked.get(URL, body=WORK, content_type="application/json")

    record = fetch_crossref("10.1038/nature14539")

    assert record.title == "Deep learning"
    assert len(mocked.calls) == 3


def test_server_error_after_every_retry_is_unavailable(mocked):
    mocked.get(URL, status=503, headers={"Retry-After": "1"})

    with pytest.raises(Unavailable) as error:
        fetch_crossref("10.1038/nature14539")

    assert str(error.value) == "Crossref is failing (HTTP 503); try again later."
    assert len(mocked.calls) == 1 + http.RETRIES


def test_too_many_requests_after_every_retry_asks_to_slow_down(mocked):
    mocked.get(URL, status=429, headers={"Retry-After": "2"})

    with pytest.raises(Unavailable, match=r"^Crossref asks us to slow down \(HTTP 429\)"):
        fetch_crossref("10.1038/nature14539")

    assert len(mocked.calls) == 1 + http.RETRIES


def test_retry_after_is_honoured_up_to_the_cap(monkeypatch):
    monkeypatch.setattr(http, "MAX_RETRY_AFTER", 30)
    retry = http.make_session().get_adapter(URL).max_retries

    waits = [
        retry.get_retry_after(HTTPResponse(status=503, headers={"Retry-After": seconds}))
        for seconds in ("2", "3600")
    ]

    assert waits == [2, 30]
    assert retry.respect_retry_after_header is True
    assert set(retry.status_forcelist) == {429, 500, 502, 503, 504}
    assert retry.total == 3


def test_read_timeout_is_unavailable_with_the_wait(mocked):
    mocked.get(URL, body=requests.exceptions.ReadTimeout())

    with pytest.raises(Unavailable) as error:
        fetch_crossref("10.1038/nature14539")

    assert str(error.value) == "Crossref did not answer within 20 seconds; try again later."


def test_connect_timeout_is_unavailable(mocked):
    mocked.get(URL, body=requests.exceptions.ConnectTimeout())

    with pytest.raises(Unavailable, match=r"^Crossref could not be reached within 5 seconds"):
        fetch_crossref("10.1038/nature14539")


def test_connection_error_is_unavailable(mocked):
    mocked.get(URL, body=requests.exceptions.ConnectionError("Name or service not known"))

    with pytest.raises(Unavailable, match=r"^Could not connect to Crossref; try again later\.$"):
        fetch_crossref("10.1038/nature14539")


def test_requests_carry_connect_and_read_timeouts(mocked):
    mocked.get(URL, body=WORK, content_type="application/json")

    fetch_crossref("10.1038/nature14539")

    assert mocked.calls[0].request.req_kwargs["timeout"] == (5, 20)


def test_not_found_is_not_retried(mocked):
    mocked.get(URL, status=404)

    with pytest.raises(NotFound):
        fetch_crossref("10.1038/nature14539")

    assert len(mocked.calls) == 1
