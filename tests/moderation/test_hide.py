"""Hiding and restoring a summary or a comment, /moderation/<kind>/<pk>/hide/ and
/restore/ (moderation.views.hide and restore)."""

import pytest
from django.utils import timezone

from moderation import services as moderation
from moderation.models import ModerationLog
from summaries.models import Summary
from summaries.services import delete_comment
from tests.factories import SummaryFactory
from tests.moderation.helpers import messages_of, templates_of, text_of

pytestmark = [pytest.mark.django_db, pytest.mark.integration]


@pytest.mark.parametrize("item", ["summary", "comment"], indirect=True)
def test_hide_page_asks_for_a_reason(mod_client, item):
    kind = moderation.kind_of(item)

    response = mod_client.get(f"/moderation/{kind}/{item.pk}/hide/")

    assert response.status_code == 200
    assert "moderation/hide.html" in templates_of(response)
    assert response.context["item"] == item
    assert list(response.context["form"].fields) == ["reason"]
    assert f'action="/moderation/{kind}/{item.pk}/hide/"' in text_of(response)


@pytest.mark.parametrize("item", ["summary", "comment"], indirect=True)
def test_hide_hides_logs_and_goes_back_to_the_item(mod_client, moderator, item):
    kind = moderation.kind_of(item)

    response = mod_client.post(f"/moderation/{kind}/{item.pk}/hide/", {"reason": " Spam  link "})

    assert response.status_code == 302
    assert response["Location"] == item.get_absolute_url()
    assert messages_of(response) == [f"The {kind} is hidden."]
    item.refresh_from_db()
    assert (item.is_hidden, item.hidden_by, item.hidden_reason) == (True, moderator, "Spam link")
    assert list(ModerationLog.objects.values_list("action", "target_kind", "target_id")) == [
        ("hide", kind, item.pk)
    ]


def test_hide_without_a_reason_is_400(mod_client, summary):
    response = mod_client.post(f"/moderation/summary/{summary.pk}/hide/", {"reason": "   "})

    assert response.status_code == 400
    assert response.context["form"].errors == {"reason": ["This field is required."]}
    summary.refresh_from_db()
    assert not summary.is_hidden


def test_hiding_what_is_hidden_says_so(mod_client, summary, moderator):
    moderation.hide(summary, moderator, "Spam")

    response = mod_client.post(f"/moderation/summary/{summary.pk}/hide/", {"reason": "Again"})

    assert response.status_code == 302
    assert messages_of(response) == ["This summary is hidden already."]
    assert ModerationLog.objects.count() == 1


@pytest.mark.parametrize("item", ["summary", "comment"], indirect=True)
def test_restore_shows_the_item_again(mod_client, moderator, item):
    moderation.hide(item, moderator, "Spam")
    kind = moderation.kind_of(item)
    url = f"/moderation/{kind}/{item.pk}/restore/"

    page = mod_client.get(url)
    response = mod_client.post(url, {"reason": "A fair comment after all"})

    assert page.status_code == 200
    assert "“Spam”. Restoring shows it to everyone again." in text_of(page)
    assert response.status_code == 302
    assert response["Location"] == item.get_absolute_url()
    assert messages_of(response) == [f"The {kind} is restored."]
    item.refresh_from_db()
    assert not item.is_hidden
    assert list(ModerationLog.objects.values_list("action", flat=True)) == ["hide", "restore"]


def test_restoring_what_is_shown_says_so(mod_client, summary):
    response = mod_client.post(f"/moderation/summary/{summary.pk}/restore/", {"reason": "Why"})

    assert response.status_code == 302
    assert messages_of(response) == ["This summary is not hidden."]
    assert not ModerationLog.objects.exists()


@pytest.mark.parametrize(
    "url",
    [
        pytest.param("/moderation/paper/{paper}/hide/", id="a-paper"),
        pytest.param("/moderation/user/{user}/hide/", id="a-member"),
        pytest.param("/moderation/summary/{private}/hide/", id="a-private-summary"),
        pytest.param("/moderation/summary/{deleted}/hide/", id="a-deleted-summary"),
        pytest.param("/moderation/comment/{deleted_comment}/hide/", id="a-deleted-comment"),
        pytest.param("/moderation/summary/999999/restore/", id="no-such-summary"),
    ],
)
def test_only_visible_summaries_and_comments_are_hidden(
    mod_client, paper, author, other_user, comment, url
):
    private = SummaryFactory(author=other_user, is_private=True)
    deleted = SummaryFactory(author=other_user, deleted_at=timezone.now())
    delete_comment(comment)
    url = url.format(
        paper=paper.pk,
        user=author.pk,
        private=private.pk,
        deleted=deleted.pk,
        deleted_comment=comment.pk,
    )

    response = mod_client.post(url, {"reason": "Spam"})

    assert response.status_code == 404
    assert not ModerationLog.objects.exists()


def test_a_comment_under_a_private_summary_is_404_to_moderators(mod_client, summary, comment):
    Summary.objects.filter(pk=summary.pk).update(is_private=True)

    response = mod_client.get(f"/moderation/comment/{comment.pk}/hide/")

    assert mod_client.get(comment.get_absolute_url()).status_code == 404
    assert response.status_code == 404
