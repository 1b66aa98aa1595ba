"""What members write: links and images wait for a verified e-mail address, and the
comment form's honeypot catches robots (summaries/forms.py)."""

import pytest

from accounts.guards import links_in
from summaries.models import Comment, Summary
from tests.factories import CommentFactory, SummaryFactory

pytestmark = [pytest.mark.django_db, pytest.mark.integration]

LINKS_ERROR = (
    "Links can be posted once your e-mail address is verified. "
    '<a href="/accounts/email/">Verify it on your e-mail page</a>, or take the links and '
    "images out of your text to post it now."
)
HONEYPOT_ERROR = (
    "This was sent as if by a robot: a field that people never see was filled in. "
    "If you are a person, please send it again."
)


# What counts as a link ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "links"),
    [
        ("See [the code](https://example.org/code).", {"https://example.org/code"}),
        ("Bare: https://example.org/x.", {"https://example.org/x"}),
        ("<https://example.org>", {"https://example.org"}),
        ("Mail <ada@example.org>", {"mailto:ada@example.org"}),
        ("![plot](https://example.org/plot.png)", {"https://example.org/plot.png"}),
        ("/media/figures/ab/plot.png", {"/media/figures/ab/plot.png"}),
        ("https://youtu.be/dQw4w9WgXcQ", {"https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"}),
        ("Only text about example.org and www.example.org.", set()),
        ("A note.[^1]\n\n[^1]: The footnote.", set()),
        ("`https://example.org` in code", set()),
        ("[relative](/papers/1) and [script](javascript:alert(1))", set()),
    ],
    ids=[
        "markdown",
        "bare",
        "autolink",
        "mailto",
        "image",
        "figure",
        "video",
        "lookalike",
        "footnote",
        "code",
        "dropped",
    ],
)
def test_links_in_finds_what_the_renderer_links(text, links):
    assert links_in(text) == links


# Summaries ---------------------------------------------------------------------------------


def test_an_unverified_member_cannot_publish_a_link_and_keeps_the_text(unverified_client):
    paper = SummaryFactory().paper

    response = unverified_client.post(
        f"/summaries/new/{paper.pk}/", {"body": "Read https://spam.example now"}
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert response.context["form"].errors["body"] == [LINKS_ERROR]
    assert LINKS_ERROR in html
    assert "Read https://spam.example now</textarea>" in html
    assert Summary.objects.filter(author__username="newbie").exists() is False


def test_an_unverified_member_can_publish_without_links(unverified_client, unverified):
    paper = SummaryFactory().paper

    response = unverified_client.post(
        f"/summaries/new/{paper.pk}/", {"body": "The method, at example.org scale."}
    )

    assert response.status_code == 302
    assert Summary.objects.get(author=unverified).body == "The method, at example.org scale."


def test_a_verified_member_publishes_links_and_images(author_client, author):
    paper = SummaryFactory().paper
    body = "[Code](https://example.org/code)\n\n![plot](https://example.org/plot.png)"

    response = author_client.post(f"/summaries/new/{paper.pk}/", {"body": body})

    assert response.status_code == 302
    assert Summary.objects.get(author=author).body == body


def test_an_unverified_member_keeps_links_already_in_their_summary(unverified_client, unverified):
    summary = SummaryFactory(author=unverified, body="Code: https://example.org/code")

    response = unverified_client.post(
        f"/summaries/{summary.pk}/edit/",
        {"body": "Code: https://example.org/code (fixed a typo)", "base_version": 1},
    )

    summary.refresh_from_db()
    assert response.status_code == 302
    assert summary.body == "Code: https://example.org/code (fixed a typo)"


def test_an_unverified_member_cannot_add_a_link_in_an_edit(unverified_client, unverified):
    summary = SummaryFactory(author=unverified, body="Code: https://example.org/code")

    response = unverified_client.post(
        f"/summaries/{summary.pk}/edit/",
        {"body": "Code: https://example.org/code and https://spam.example", "base_version": 1},
    )

    summary.refresh_from_db()
    assert response.status_code == 200
    assert response.context["form"].errors["body"] == [LINKS_ERROR]
    assert summary.body == "Code: https://example.org/code"


# Comments ----------------------------------------------------------------------------------


def test_an_unverified_member_cannot_comment_a_link(unverified_client):
    summary = SummaryFactory()

    response = unverified_client.post(
        f"/summaries/{summary.pk}/comments/", {"body": "Cheap pills at https://spam.example"}
    )

    html = response.content.decode()
    assert response.status_code == 400
    assert response.context["comment_form"].errors["body"] == [LINKS_ERROR]
    assert LINKS_ERROR in html
    assert "Cheap pills at https://spam.example</textarea>" in html
    assert Comment.objects.exists() is False


def test_a_verified_member_comments_a_link(client, other_user):
    summary = SummaryFactory()
    client.force_login(other_user)

    response = client.post(
        f"/summaries/{summary.pk}/comments/", {"body": "See https://example.org/erratum"}
    )

    assert response.status_code == 302
    assert Comment.objects.get().body == "See https://example.org/erratum"


def test_an_unverified_member_cannot_add_a_link_when_editing_a_comment(
    unverified_client, unverified
):
    comment = CommentFactory(author=unverified, body="A fair point.")

    response = unverified_client.post(
        f"/summaries/comments/{comment.pk}/edit/", {"body": "A fair point: https://spam.example"}
    )

    comment.refresh_from_db()
    assert response.status_code == 200
    assert response.context["form"].errors["body"] == [LINKS_ERROR]
    assert comment.body == "A fair point."


# The honeypot ------------------------------------------------------------------------------


def test_the_comment_form_has_a_honeypot_people_never_see(client, other_user):
    summary = SummaryFactory()
    client.force_login(other_user)

    response = client.get(summary.get_absolute_url())

    html = response.content.decode()
    assert response.status_code == 200
    assert (
        '<div class="honeypot" aria-hidden="true">\n'
        '        <label for="id_website">Leave this field empty: it is here to catch spam '
        "robots</label>\n"
        '        <input type="text" name="website" aria-hidden="true" tabindex="-1" '
        'autocomplete="off" id="id_website">\n'
        "      </div>"
    ) in html


def test_a_filled_honeypot_refuses_the_comment(client, other_user):
    summary = SummaryFactory()
    client.force_login(other_user)

    response = client.post(
        f"/summaries/{summary.pk}/comments/",
        {"body": "Great post", "website": "https://spam.example"},
    )

    html = response.content.decode()
    assert response.status_code == 400
    assert response.context["comment_form"].non_field_errors() == [HONEYPOT_ERROR]
    assert (
        'name="website" aria-hidden="true" tabindex="-1" autocomplete="off" id="id_website">'
        in html
    )
    assert Comment.objects.exists() is False


def test_a_filled_honeypot_refuses_a_reply_too(client, other_user):
    parent = CommentFactory()
    client.force_login(other_user)

    response = client.post(
        f"/summaries/{parent.summary_id}/comments/",
        {"body": "Agreed", "parent": parent.pk, "website": "x"},
    )

    assert response.status_code == 400
    assert list(Comment.objects.all()) == [parent]


def test_an_empty_honeypot_lets_the_comment_through(client, other_user):
    summary = SummaryFactory()
    client.force_login(other_user)

    response = client.post(f"/summaries/{summary.pk}/comments/", {"body": "Hi", "website": ""})

    assert response.status_code == 302
    assert Comment.objects.get().body == "Hi"


def test_editing_a_comment_shows_no_honeypot(client, other_user):
    comment = CommentFactory(author=other_user)
    client.force_login(other_user)

    response = client.get(f"/summaries/comments/{comment.pk}/edit/")

    assert response.status_code == 200
    assert 'name="website"' not in response.content.decode()
