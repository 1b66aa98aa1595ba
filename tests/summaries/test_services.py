import threading

import pytest
from django.db import connection

from summaries.models import Summary
from summaries.services import (
    AlreadySummarized,
    EditConflict,
    publish_summary,
    update_summary,
)
from tests.factories import SummaryFactory

pytestmark = [pytest.mark.django_db, pytest.mark.integration]


def test_update_from_an_old_version_raises_a_conflict_with_the_newer_text(summary):
    update_summary(
        summary, summary.author, body="newer", is_anonymous=False, is_private=False, base_version=1
    )

    with pytest.raises(EditConflict) as raised:
        update_summary(
            summary,
            summary.author,
            body="older",
            is_anonymous=False,
            is_private=False,
            base_version=1,
        )

    assert raised.value.current.body == "newer"
    assert Summary.objects.get().body == "newer"


def test_publishing_twice_for_one_paper_raises_already_summarized(summary):
    with pytest.raises(AlreadySummarized) as raised:
        publish_summary(summary.author, summary.paper, body="again")

    assert raised.value.existing == summary


@pytest.mark.django_db(transaction=True)
def test_concurrent_saves_from_the_same_version_let_exactly_one_through(author, paper):
    summary = SummaryFactory(paper=paper, author=author, body="start")
    outcomes = []
    barrier = threading.Barrier(4)

    def save(text):
        barrier.wait()
        try:
            update_summary(
                summary, author, body=text, is_anonymous=False, is_private=False, base_version=1
            )
            outcomes.append("saved")
        except EditConflict:
            outcomes.append("conflict")
        finally:
            connection.close()

    threads = [threading.Thread(target=save, args=(f"edit {n}",)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == ["conflict", "conflict", "conflict", "saved"]
    assert Summary.objects.get().version == 2
    assert Summary.objects.get().revisions.count() == 2
