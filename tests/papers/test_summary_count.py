"""Paper.summary_count, kept by PostgreSQL: public summaries only, whatever writes them."""

import pytest
from django.utils import timezone

from papers.models import Paper
from summaries.models import Summary
from tests.factories import PaperFactory, SummaryFactory

pytestmark = [pytest.mark.django_db, pytest.mark.integration]


def count(paper) -> int:
    return Paper.objects.values_list("summary_count", flat=True).get(pk=paper.pk)


def test_summary_count_follows_what_everyone_may_see():
    paper = PaperFactory()
    first, second = SummaryFactory(paper=paper), SummaryFactory(paper=paper)
    seen = [count(paper)]

    for change in (
        {"hidden_at": timezone.now()},
        {"hidden_at": None},
        {"is_private": True},
        {"deleted_at": timezone.now()},
    ):
        Summary.objects.filter(pk=first.pk).update(**change)
        seen.append(count(paper))
    second.delete()
    seen.append(count(paper))

    assert seen == [2, 1, 2, 1, 1, 0]


def test_summary_count_moves_with_a_summary_to_another_paper():
    old, new = PaperFactory(), PaperFactory()
    summary = SummaryFactory(paper=old)

    Summary.objects.filter(pk=summary.pk).update(paper=new)

    assert (count(old), count(new)) == (0, 1)


def test_summary_count_ignores_edits_and_votes():
    summary = SummaryFactory()

    Summary.objects.filter(pk=summary.pk).update(score=5, body="Edited.")

    assert count(summary.paper) == 1


def test_summary_count_survives_a_save_of_a_stale_paper():
    paper = PaperFactory()
    stale = Paper.objects.get(pk=paper.pk)
    SummaryFactory(paper=paper)

    stale.title = "Corrected title"
    stale.save()

    assert (count(paper), Paper.objects.get(pk=paper.pk).title) == (1, "Corrected title")


def test_summary_count_of_a_new_paper_starts_at_zero_whatever_it_says():
    paper = PaperFactory.build(summary_count=7)

    paper.save()

    assert count(paper) == 0
