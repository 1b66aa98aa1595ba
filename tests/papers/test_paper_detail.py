import datetime

import pytest
from django.utils import timezone

from tests.factories import PaperFactory, SummaryFactory, UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.integration]


def get(client, paper):
    return client.get(paper.get_absolute_url())


def test_paper_page_shows_the_header(client, described_paper):
    response = get(client, described_paper)

    html = response.content.decode()
    assert response.status_code == 200
    assert response.context["paper"] == described_paper
    assert '<h1 class="paper-header__title">Attention Is All You Need</h1>' in html
    assert '<a href="/venues/neurips/2017/">NeurIPS 2017</a>' in html
    assert (
        'Keywords:\n        <a href="/tags/cs.CL/">cs.CL</a>, <a href="/tags/cs.LG/">cs.LG</a>'
        in html
    )


def test_paper_page_links_the_papers_feed(client, described_paper):
    response = get(client, described_paper)

    assert (
        '<link rel="alternate" type="application/atom+xml" title="ShortScience: summaries of '
        f'“Attention Is All You Need”" href="/feeds/papers/{described_paper.pk}.atom">'
    ) in response.content.decode()


def test_paper_page_links_each_author_in_order(client, described_paper):
    vaswani, shazeer, parmar = described_paper.ordered_authors

    response = get(client, described_paper)

    assert (
        f'<a href="{vaswani.get_absolute_url()}">Ashish Vaswani</a>, '
        f'<a href="{shazeer.get_absolute_url()}">Noam Shazeer</a> and '
        f'<a href="{parmar.get_absolute_url()}">Niki Parmar</a>'
    ) in response.content.decode()


def test_paper_page_shows_the_first_publication_date_and_its_age(client):
    today = datetime.date.today()  # noqa: DTZ011 - publication dates are calendar dates
    published = datetime.date(today.year - 8, today.month, 1)
    paper = PaperFactory(year=published.year, published_on=published)

    response = get(client, paper)

    assert (
        "<strong>First published:</strong>\n    "
        f'<time datetime="{published:%Y-%m-%d}">{published:%Y/%m/%d}</time> (8\xa0years ago)'
    ) in response.content.decode()


def test_paper_page_without_a_full_date_shows_the_year(client):
    paper = PaperFactory(year=1998, published_on=None, arxiv_id="")

    response = get(client, paper)

    html = response.content.decode()
    assert "<strong>First published:</strong>\n    1998\n  </p>" in html
    assert '<p class="paper-header__venue">\n    1998\n  </p>' in html


def test_paper_page_abstract_folds_without_javascript(client, described_paper):
    response = get(client, described_paper)

    html = response.content.decode()
    assert (
        '<input type="checkbox" class="abstract__toggle" id="abstract-paper" '
        'aria-label="Show the whole abstract">'
    ) in html
    assert (
        '<p class="abstract__text"><strong>Abstract:</strong> The dominant sequence '
        "transduction models are based on recurrent networks.</p>"
    ) in html
    assert (
        '<label class="abstract__more" for="abstract-paper"><span class="abstract__label-more">'
        'more</span><span class="abstract__label-less">less</span></label>'
    ) in html


def test_paper_page_without_an_abstract_has_no_toggle(client):
    paper = PaperFactory(abstract="")

    response = get(client, paper)

    assert 'class="abstract__toggle"' not in response.content.decode()


def test_paper_page_links_to_arxiv_and_the_doi(client, described_paper):
    response = get(client, described_paper)

    html = response.content.decode()
    assert '<a href="https://arxiv.org/abs/1706.03762" rel="noopener">arXiv abstract</a>' in html
    assert '<a href="https://arxiv.org/pdf/1706.03762" rel="noopener">PDF</a>' in html
    assert (
        '<a href="https://doi.org/10.5555/3295222.3295349" rel="noopener">'
        "DOI 10.5555/3295222.3295349</a>"
    ) in html


def test_paper_page_offers_the_bibtex_entry(client, described_paper):
    response = get(client, described_paper)

    html = response.content.decode()
    assert response.context["bibtex"].startswith("@inproceedings{conf/nips/VaswaniSPUJGKP17,\n")
    assert (
        '<pre class="bibtex__entry" id="bibtex-entry">@inproceedings{conf/nips/VaswaniSPUJGKP17,'
        in html
    )


def test_paper_page_lists_summaries_best_first(client, described_paper):
    low = SummaryFactory(paper=described_paper, score=1)
    high = SummaryFactory(paper=described_paper, score=9)
    middle = SummaryFactory(paper=described_paper, score=4)

    response = get(client, described_paper)

    assert response.context["summaries"] == [high, middle, low]
    assert '<h2 id="summaries-heading">3 summaries</h2>' in response.content.decode()


def test_paper_page_hides_a_hidden_summary_from_others(
    client, described_paper, author, other_user
):
    SummaryFactory(
        paper=described_paper, author=author, hidden_at=timezone.now(), body="Hidden words"
    )
    client.force_login(other_user)

    response = get(client, described_paper)

    assert response.context["summaries"] == []
    assert "Hidden words" not in response.content.decode()


@pytest.mark.parametrize("viewer", ["author", "moderator"])
def test_paper_page_shows_a_hidden_summary_to_its_author_and_moderators(
    client, request, described_paper, author, viewer
):
    hidden = SummaryFactory(
        paper=described_paper, author=author, hidden_at=timezone.now(), body="Hidden words"
    )
    client.force_login(request.getfixturevalue(viewer))

    response = get(client, described_paper)

    html = response.content.decode()
    assert response.context["summaries"] == [hidden]
    assert "<p>Hidden words</p>" in html
    assert "Hidden by a moderator. Only you and the moderators see it." in html


def test_paper_page_never_shows_private_or_deleted_summaries_to_others(
    client, described_paper, moderator
):
    SummaryFactory(paper=described_paper, is_private=True)
    SummaryFactory(paper=described_paper, deleted_at=timezone.now())
    client.force_login(moderator)

    response = get(client, described_paper)

    assert response.context["summaries"] == []


def test_paper_page_shows_an_anonymous_summary_as_anonymous_to_others(
    client, described_paper, author, other_user
):
    SummaryFactory(paper=described_paper, author=author, is_anonymous=True)
    client.force_login(other_user)

    response = get(client, described_paper)

    html = response.content.decode()
    assert '<span class="byline__author">\n    Anonymous\n  </span>' in html
    assert "/users/ada/" not in html


@pytest.mark.parametrize("viewer", ["author", "moderator"])
def test_paper_page_names_an_anonymous_summarys_author_to_them_and_moderators(
    client, request, described_paper, author, viewer
):
    SummaryFactory(paper=described_paper, author=author, is_anonymous=True)
    client.force_login(request.getfixturevalue(viewer))

    response = get(client, described_paper)

    assert (
        '<a href="/users/ada/">ada</a> <span class="muted">(shown to others as Anonymous)</span>'
    ) in response.content.decode()


def test_paper_page_invites_a_summary(author_client, described_paper):
    SummaryFactory(paper=described_paper)

    response = author_client.get(described_paper.get_absolute_url())

    html = response.content.decode()
    assert response.context["my_summary"] is None
    assert (
        f'<a class="button" href="/summaries/new/{described_paper.pk}/">Write a summary</a>'
        in html
    )
    assert ">Edit your summary</a>" not in html


def test_paper_page_offers_to_edit_your_summary(author_client, author, described_paper):
    SummaryFactory(paper=described_paper)
    mine = SummaryFactory(paper=described_paper, author=author)

    response = author_client.get(described_paper.get_absolute_url())

    html = response.content.decode()
    assert response.context["my_summary"] == mine
    assert f'<a class="button" href="/summaries/{mine.pk}/edit/">Edit your summary</a>' in html
    assert f'href="/summaries/new/{described_paper.pk}/"' not in html


def test_paper_page_invites_visitors_too(client, described_paper):
    response = get(client, described_paper)

    assert (
        f'<a class="button" href="/summaries/new/{described_paper.pk}/">Write a summary</a>'
        in (response.content.decode())
    )
    assert "Nobody has summarized this paper yet. Be the first." in response.content.decode()


def test_paper_page_at_an_old_slug_moves_to_the_current_one(client, described_paper):
    response = client.get(f"/papers/{described_paper.pk}/attention-is-all-we-need/")

    assert response.status_code == 301
    assert response["Location"] == f"/papers/{described_paper.pk}/attention-is-all-you-need/"


def test_paper_page_by_number_moves_to_the_full_address(client, described_paper):
    response = client.get(f"/papers/{described_paper.pk}/")

    assert response.status_code == 301
    assert response["Location"] == described_paper.get_absolute_url()


@pytest.mark.parametrize("path", ["/papers/{pk}/", "/papers/{pk}/some-title/"])
def test_paper_page_of_an_unknown_paper_is_404(client, described_paper, path):
    response = client.get(path.format(pk=described_paper.pk + 1000))

    assert response.status_code == 404


@pytest.mark.parametrize("count", [1, 3])
def test_paper_page_query_count_for_visitors_is_fixed(
    client, django_assert_num_queries, described_paper, count
):
    SummaryFactory.create_batch(count, paper=described_paper)

    with django_assert_num_queries(4):
        response = get(client, described_paper)

    assert len(response.context["summaries"]) == count


@pytest.mark.parametrize("count", [1, 3])
def test_paper_page_query_count_for_members_is_fixed(
    client, django_assert_num_queries, described_paper, author, count
):
    SummaryFactory(paper=described_paper, author=author, is_anonymous=True)
    for _ in range(count - 1):
        SummaryFactory(paper=described_paper, author=UserFactory(), is_anonymous=True)
    client.force_login(author)

    with django_assert_num_queries(10):
        response = get(client, described_paper)

    assert len(response.context["summaries"]) == count


@pytest.mark.parametrize("count", [1, 3])
def test_paper_page_query_count_for_moderators_is_fixed(
    client, django_assert_num_queries, described_paper, moderator, count
):
    SummaryFactory.create_batch(
        count, paper=described_paper, is_anonymous=True, hidden_at=timezone.now()
    )
    client.force_login(moderator)

    with django_assert_num_queries(10):
        response = get(client, described_paper)

    assert len(response.context["summaries"]) == count
