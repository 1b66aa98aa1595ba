"""moderation/admin.py: cases and the log read-only, and the papers' admin with merging
and logged corrections."""

import pytest
from django.contrib import admin
from django.forms import model_to_dict

from moderation.models import ModerationLog
from papers.models import Paper

pytestmark = [pytest.mark.django_db, pytest.mark.integration]


def test_moderation_records_are_read_only_in_the_admin(client, moderator):
    client.force_login(moderator)

    pages = [
        client.get(url)
        for url in (
            "/admin/moderation/case/",
            "/admin/moderation/moderationlog/",
            "/admin/accounts/suspension/",
        )
    ]
    adds = [
        client.get(f"/admin/{model}/add/").status_code
        for model in ("moderation/case", "moderation/moderationlog", "accounts/suspension")
    ]

    assert [page.status_code for page in pages] == [200, 200, 200]
    assert adds == [403, 403, 403]


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
