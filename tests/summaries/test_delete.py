import pytest

from summaries.models import Revision, Summary

pytestmark = [pytest.mark.django_db, pytest.mark.integration]


def url(summary):
    return f"/summaries/{summary.pk}/delete/"


def test_anonymous_is_sent_to_sign_in(client, summary):
    response = client.post(url(summary))

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert Summary.objects.get().deleted_at is None


def test_other_user_and_moderator_are_forbidden(client, other_user, moderator, summary):
    statuses = []
    for user in (other_user, moderator):
        client.force_login(user)
        statuses.append(client.post(url(summary)).status_code)

    assert statuses == [403, 403]
    assert Summary.objects.get().deleted_at is None


def test_get_asks_for_confirmation_and_deletes_nothing(author_client, summary):
    response = author_client.get(url(summary))

    assert response.status_code == 200
    assert "Delete the summary</button>" in response.content.decode()
    assert Summary.objects.get().deleted_at is None


def test_post_soft_deletes_keeping_the_row_and_its_revisions(author_client, summary):
    response = author_client.post(url(summary))

    assert response.status_code == 302
    assert response["Location"] == summary.paper.get_absolute_url()
    assert Summary.objects.get().deleted_at is not None
    assert Revision.objects.filter(summary=summary).count() == 1
    assert author_client.get(summary.paper.get_absolute_url()).context["summaries"] == []
