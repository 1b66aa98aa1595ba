import pytest
from django.contrib import admin
from django.forms import model_to_dict

from papers.merging import merge_papers
from papers.models import Follow, Paper, PaperRedirect
from papers.services import follow_paper
from summaries.models import ModerationLog, Summary
from tests.factories import PaperFactory, SummaryFactory, UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.integration]


@pytest.fixture
def pair(db):
    preprint = PaperFactory(title="Attention Is All You Need", arxiv_id="1706.03762", doi="")
    published = PaperFactory(
        title="Attention is All you Need", arxiv_id="", doi="10.5555/3295222.3295349"
    )
    return preprint, published


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


def test_moderator_merges_from_the_admin_after_giving_a_reason(client, moderator, pair):
    keep, duplicate = pair
    client.force_login(moderator)
    action = {"action": "merge_into_oldest", "_selected_action": [keep.pk, duplicate.pk]}

    asked = client.post("/admin/papers/paper/", action)
    response = client.post("/admin/papers/paper/", {**action, "reason": "Same paper twice"})

    assert "Same paper twice" not in asked.content.decode()
    assert 'name="reason"' in asked.content.decode()
    assert response.status_code == 302
    assert list(Paper.objects.values_list("pk", flat=True)) == [keep.pk]
    entry = ModerationLog.objects.get()
    assert (entry.moderator, entry.action, entry.target_id, entry.reason) == (
        moderator,
        "merge",
        duplicate.pk,
        f"Same paper twice (into paper #{keep.pk})",
    )


def test_merging_one_paper_is_refused_with_a_message(client, moderator, pair):
    client.force_login(moderator)

    response = client.post(
        "/admin/papers/paper/",
        {"action": "merge_into_oldest", "_selected_action": [pair[0].pk]},
        follow=True,
    )

    assert "Select two or more papers to merge." in response.content.decode()
    assert Paper.objects.count() == 2


def test_a_moderators_correction_in_the_admin_is_logged_with_the_changed_fields(
    rf, moderator, pair
):
    paper = pair[0]
    paper_admin = admin.site._registry[Paper]
    request = rf.post("/admin/papers/paper/")
    request.user = moderator
    form_class = paper_admin.get_form(request, paper, change=True)
    data = {**model_to_dict(paper, exclude=["authors"]), "title": "Attention Is All You Need!"}
    data = {key: "" if value is None else value for key, value in data.items()}
    form = form_class(data, instance=paper)
    assert form.is_valid(), form.errors

    paper_admin.save_model(request, form.save(commit=False), form, change=True)

    entry = ModerationLog.objects.get()
    assert (entry.moderator, entry.action, entry.target_id) == (moderator, "edit", paper.pk)
    assert entry.reason == "Corrected in the admin: title"
