import pytest

from summaries.models import Revision, Summary
from tests.factories import SummaryFactory

pytestmark = [pytest.mark.django_db, pytest.mark.integration]


def url(paper):
    return f"/summaries/new/{paper.pk}/"


def test_anonymous_is_sent_to_sign_in(client, paper):
    response = client.get(url(paper))

    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={url(paper)}"


def test_member_sees_the_editor_with_preview_and_upload_hooks(author_client, paper):
    response = author_client.get(url(paper))

    html = response.content.decode()
    assert response.status_code == 200
    assert f'<h1>Write a summary of <a href="{paper.get_absolute_url()}">' in html
    assert 'data-preview-url="/summaries/preview/"' in html
    assert 'data-upload-url="/summaries/figures/"' in html
    assert '<script src="/static/js/editor.js" defer></script>' in html


def test_publishing_stores_body_html_and_the_first_revision(author_client, author, paper):
    response = author_client.post(url(paper), {"body": "Loss $L = \\sum_i x_i$ is *small*."})

    summary = Summary.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/summaries/{summary.pk}/"
    assert (summary.author, summary.paper, summary.version) == (author, paper, 1)
    assert summary.body_html == (
        '<p>Loss <span class="arithmatex">\\(L = \\sum_i x_i\\)</span> is <em>small</em>.</p>'
    )
    assert list(Revision.objects.values_list("number", "body", "editor")) == [
        (1, "Loss $L = \\sum_i x_i$ is *small*.", author.pk)
    ]


def test_publishing_anonymously_and_privately_keeps_the_choices(author_client, paper):
    author_client.post(url(paper), {"body": "Text", "is_anonymous": "on", "is_private": "on"})

    summary = Summary.objects.get()
    assert (summary.is_anonymous, summary.is_private) == (True, True)


def test_an_empty_summary_is_refused_with_the_form_shown_again(author_client, paper):
    response = author_client.post(url(paper), {"body": "   \n  ", "is_anonymous": "on"})

    assert response.status_code == 200
    assert response.context["form"].errors["body"] == ["The summary is empty."]
    assert not Summary.objects.exists()


def test_a_too_long_summary_is_refused_and_the_text_kept(author_client, paper):
    body = "word " * 10_001

    response = author_client.post(url(paper), {"body": body})

    assert response.status_code == 200
    assert "at most 50000 characters" in response.context["form"].errors["body"][0]
    assert body.strip() in response.content.decode()


def test_a_second_summary_of_the_same_paper_goes_to_editing_the_first(author_client, summary):
    response = author_client.get(url(summary.paper))

    assert response.status_code == 302
    assert response["Location"] == f"/summaries/{summary.pk}/edit/"


def test_after_deleting_the_author_can_write_again(author_client, summary):
    author_client.post(f"/summaries/{summary.pk}/delete/")

    response = author_client.post(url(summary.paper), {"body": "A fresh start"})

    assert response.status_code == 302
    assert Summary.objects.filter(paper=summary.paper, author=summary.author).count() == 2


def test_writing_is_rate_limited(author_client, settings, paper):
    settings.ACCOUNT_RATE_LIMITS = {"summary_write": "1/m/user"}
    other_paper = SummaryFactory().paper
    author_client.post(url(paper), {"body": "One"})

    response = author_client.post(url(other_paper), {"body": "Two"})

    assert response.status_code == 429
    assert Summary.objects.filter(body="Two").count() == 0


def test_write_start_jumps_to_a_known_paper_by_arxiv_url(author_client, paper):
    response = author_client.get(
        "/summaries/write/", {"q": f"https://arxiv.org/abs/{paper.arxiv_id}v3"}
    )

    assert response.status_code == 302
    assert response["Location"] == url(paper)


def test_write_start_lists_title_matches_and_offers_to_add(author_client, paper):
    response = author_client.get("/summaries/write/", {"q": "attention"})

    html = response.content.decode()
    assert response.context["matches"] == [paper]
    assert f'href="{url(paper)}"' in html
    assert 'href="/papers/new/?title=attention"' in html


def test_write_start_offers_to_add_an_unknown_arxiv_paper_prefilled(author_client):
    response = author_client.get("/summaries/write/", {"q": "arXiv:2101.00001v2"})

    assert response.context["add_url"] == "/papers/new/?arxiv_id=2101.00001"


def test_add_paper_form_is_prefilled_from_the_address(author_client):
    response = author_client.get("/papers/new/", {"arxiv_id": "2101.00001", "bogus": "x"})

    assert response.context["form"].initial == {"arxiv_id": "2101.00001"}
