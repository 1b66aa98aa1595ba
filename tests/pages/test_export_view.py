import json

import pytest

from summaries.models import Revision
from summaries.services import add_comment
from tests.factories import SummaryFactory

pytestmark = [pytest.mark.django_db, pytest.mark.integration]

URL = "/users/ada/export.json"


# Permission matrix ------------------------------------------------------------------------


def test_export_anonymous_is_sent_to_sign_in(client, author):
    response = client.get(URL)

    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={URL}"


@pytest.mark.parametrize("viewer", ["other_user", "moderator"])
def test_export_of_someone_else_is_forbidden(client, request, summary, viewer):
    client.force_login(request.getfixturevalue(viewer))

    response = client.get(URL)

    assert response.status_code == 403
    assert "Only the member can do this with their account." in response.content.decode()
    assert "version" not in response.content.decode()


def test_export_of_nobody_is_not_found(author_client):
    response = author_client.get("/users/nobody/export.json")

    assert response.status_code == 404


def test_export_of_a_deleted_member_is_not_found(author_client, other_user):
    other_user.is_active = False
    other_user.save()

    response = author_client.get("/users/bob/export.json")

    assert response.status_code == 404


# The download ------------------------------------------------------------------------------


def test_export_is_a_json_attachment_never_cached(author_client):
    response = author_client.get(URL)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response["Content-Disposition"] == 'attachment; filename="shortscience-ada.json"'
    assert "no-cache" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]


def test_export_holds_the_members_writing(author_client, summary, other_user):
    Revision.objects.create(summary=summary, number=2, body="A *careful*, second reading.")
    add_comment(other_user, summary, body="Which dataset?")
    add_comment(summary.author, summary, body="Ünïcode stays readable.")

    data = json.loads(response_text := author_client.get(URL).content.decode())

    assert data["account"]["username"] == "ada"
    assert [(r["number"], r["body"]) for r in data["summaries"][0]["revisions"]] == [
        (1, "First *version* with $a_1$."),
        (2, "A *careful*, second reading."),
    ]
    assert [c["body"] for c in data["comments"]] == ["Ünïcode stays readable."]
    assert "Ünïcode" in response_text


@pytest.mark.parametrize("n", [1, 3])
def test_export_query_count(django_assert_num_queries, author_client, author, n):
    for _ in range(n):
        SummaryFactory(author=author)

    # The session, the signed-in member, the member named in the address (with the
    # profile the permission reads), then the export's twelve.
    with django_assert_num_queries(15):
        response = author_client.get(URL)

    assert len(json.loads(response.content)["summaries"]) == n
