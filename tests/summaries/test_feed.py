import pytest
from django.utils import timezone

from tests.factories import SummaryFactory

pytestmark = [pytest.mark.django_db, pytest.mark.integration]


def test_feed_lists_public_summaries_newest_first(client):
    older = SummaryFactory(paper__title="Older Paper")
    SummaryFactory(paper__title="Private Paper", is_private=True)
    SummaryFactory(paper__title="Hidden Paper", hidden_at=timezone.now())
    SummaryFactory(paper__title="Anonymous Paper", is_anonymous=True)

    response = client.get("/feeds/summaries.atom")

    xml = response.content.decode()
    assert response["Content-Type"] == "application/atom+xml; charset=utf-8"
    assert xml.index("Anonymous Paper") < xml.index("Older Paper")
    assert "Private Paper" not in xml
    assert "Hidden Paper" not in xml
    assert f"<name>{older.author.username}</name>" in xml
    assert "<name>Anonymous</name>" in xml


@pytest.mark.parametrize("count", [1, 3])
def test_feed_query_count_is_fixed(client, django_assert_num_queries, count):
    SummaryFactory.create_batch(count)

    with django_assert_num_queries(1):
        client.get("/feeds/summaries.atom")
