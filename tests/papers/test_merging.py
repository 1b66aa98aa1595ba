import pytest

from papers.merging import merge_papers
from papers.models import Follow, Paper, PaperRedirect
from papers.services import follow_paper
from summaries.models import Summary
from tests.factories import SummaryFactory, UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.integration]


def test_merge_moves_summaries_follows_tags_and_identifiers(pair):
    keep, duplicate = pair
    summary = SummaryFactory(paper=duplicate)
    follower = UserFactory()
    follow_paper(follower, duplicate)
    duplicate.tags.add("cs.CL")

    merge_papers(keep, duplicate)

    keep.refresh_from_db()
    assert (keep.arxiv_id, keep.doi) == ("1706.03762", "10.5555/3295222.3295349")
    assert Summary.objects.get(pk=summary.pk).paper == keep
    assert list(Follow.objects.values_list("user", "paper")) == [(follower.pk, keep.pk)]
    assert list(keep.tags.names()) == ["cs.CL"]
    assert not Paper.objects.filter(pk=duplicate.pk).exists()


def test_merge_keeps_one_visible_summary_per_member(pair):
    keep, duplicate = pair
    member = UserFactory()
    kept = SummaryFactory(paper=keep, author=member)
    moved = SummaryFactory(paper=duplicate, author=member)

    merge_papers(keep, duplicate)

    assert Summary.objects.get(pk=kept.pk).deleted_at is None
    moved = Summary.objects.get(pk=moved.pk)
    assert (moved.paper, moved.deleted_at is not None) == (keep, True)


def test_the_merged_papers_address_redirects(client, pair):
    keep, duplicate = pair
    old_url = duplicate.get_absolute_url()

    merge_papers(keep, duplicate)

    response = client.get(old_url)
    assert response.status_code == 301
    assert response["Location"] == keep.get_absolute_url()
    assert client.get(f"/papers/{duplicate.pk}/")["Location"] == keep.get_absolute_url()
    assert PaperRedirect.objects.get(old_id=duplicate.pk).paper == keep


def test_a_paper_cannot_be_merged_into_itself(pair):
    with pytest.raises(ValueError, match="into itself"):
        merge_papers(pair[0], pair[0])
