import pytest

from summaries.models import Revision, Summary

pytestmark = [pytest.mark.django_db, pytest.mark.integration]


def url(summary):
    return f"/summaries/{summary.pk}/edit/"


def form(body, version, **extra):
    return {"body": body, "base_version": version, **extra}


def test_anonymous_is_sent_to_sign_in(client, summary):
    response = client.get(url(summary))

    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={url(summary)}"


def test_other_user_is_forbidden(client, other_user, summary):
    client.force_login(other_user)

    response = client.post(url(summary), form("Vandalism", 1))

    assert response.status_code == 403
    assert Summary.objects.get().body == "First *version* with $a_1$."


def test_moderator_cannot_edit_either(client, moderator, summary):
    client.force_login(moderator)

    response = client.get(url(summary))

    assert response.status_code == 403


def test_author_sees_their_text_and_version(author_client, summary):
    response = author_client.get(url(summary))

    html = response.content.decode()
    assert response.status_code == 200
    assert "First *version* with $a_1$.</textarea>" in html
    assert 'name="base_version" value="1"' in html


def test_saving_an_edit_keeps_every_version(author_client, author, summary):
    response = author_client.post(url(summary), form("Second version", 1))

    summary.refresh_from_db()
    assert response.status_code == 302
    assert (summary.body, summary.body_html, summary.version) == (
        "Second version",
        "<p>Second version</p>",
        2,
    )
    assert list(Revision.objects.order_by("number").values_list("number", "body")) == [
        (1, "First *version* with $a_1$."),
        (2, "Second version"),
    ]


def test_a_stale_edit_is_refused_and_both_texts_are_shown(author_client, summary):
    author_client.post(url(summary), form("Saved from another tab", 1))

    response = author_client.post(url(summary), form("My stale edit", 1))

    html = response.content.decode()
    assert response.status_code == 200
    assert "This summary was changed after you opened it." in html
    assert '<pre class="conflict__text">Saved from another tab</pre>' in html
    assert "My stale edit</textarea>" in html
    assert 'name="base_version" value="2"' in html
    assert Summary.objects.get().body == "Saved from another tab"


def test_saving_again_after_a_conflict_applies_the_authors_text(author_client, summary):
    author_client.post(url(summary), form("Saved from another tab", 1))
    author_client.post(url(summary), form("My stale edit", 1))

    response = author_client.post(url(summary), form("My stale edit", 2))

    assert response.status_code == 302
    assert Summary.objects.get().body == "My stale edit"
    assert Revision.objects.count() == 3


def test_an_unchanged_save_adds_no_revision(author_client, summary):
    author_client.post(url(summary), form(summary.body, 1))

    assert Revision.objects.count() == 1
    assert Summary.objects.get().version == 1


def test_a_deleted_summary_cannot_be_edited(author_client, summary):
    author_client.post(f"/summaries/{summary.pk}/delete/")

    response = author_client.get(url(summary))

    assert response.status_code == 404
