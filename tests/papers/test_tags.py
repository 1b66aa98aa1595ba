import pytest
from taggit.models import Tag

from papers.views import cloud_size
from tests.factories import PaperFactory, SummaryFactory

pytestmark = [pytest.mark.django_db, pytest.mark.integration]


def tag_papers(name, count):
    for _ in range(count):
        PaperFactory().tags.add(name)


def test_tag_list_shows_keywords_by_paper_count_then_name(client):
    tag_papers("stat.ML", 1)
    tag_papers("cs.LG", 3)
    tag_papers("cs.AI", 1)
    Tag.objects.create(name="unused", slug="unused")

    response = client.get("/tags/")

    assert response.status_code == 200
    assert [(t["tag__name"], t["paper_count"]) for t in response.context["tags"]] == [
        ("cs.LG", 3),
        ("cs.AI", 1),
        ("stat.ML", 1),
    ]


def test_tag_list_sizes_keywords_for_a_cloud_with_classes(client):
    tag_papers("cs.LG", 4)
    tag_papers("reinforcement learning", 1)

    response = client.get("/tags/")

    html = response.content.decode()
    assert [t["size"] for t in response.context["tags"]] == [5, 1]
    assert (
        '<li class="tag-cloud__tag tag-cloud__tag--size-5"><a href="/tags/cs.LG/">cs.LG</a> '
        '<span class="muted">(4)</span></li>'
    ) in html
    assert (
        '<li class="tag-cloud__tag tag-cloud__tag--size-1">'
        '<a href="/tags/reinforcement%20learning/">reinforcement learning</a> '
        '<span class="muted">(1)</span></li>'
    ) in html
    assert "style=" not in html


def test_tag_list_counts_a_paper_once_per_keyword(client):
    paper = PaperFactory()
    paper.tags.add("cs.LG")
    paper.tags.add("CS.LG")

    response = client.get("/tags/")

    assert [(t["tag__name"], t["paper_count"]) for t in response.context["tags"]] == [("cs.LG", 1)]


def test_tag_list_when_empty_says_so(client):
    response = client.get("/tags/")

    assert response.status_code == 200
    assert '<p class="muted">No keywords yet.</p>' in response.content.decode()


@pytest.mark.parametrize(
    ("count", "largest", "size"),
    [(1, 1, 1), (1, 1000, 1), (1000, 1000, 5), (31, 1000, 3), (2, 2, 5), (5, 10, 4)],
)
def test_cloud_size_grows_with_the_log_of_the_count(count, largest, size):
    assert cloud_size(count, largest) == size


@pytest.mark.parametrize(
    ("name", "path"),
    [
        ("cs.LG", "/tags/cs.LG/"),
        ("deep_learning", "/tags/deep_learning/"),
        ("reinforcement learning", "/tags/reinforcement%20learning/"),
    ],
)
def test_tag_page_works_for_dotted_underscored_and_spaced_names(client, name, path):
    paper = PaperFactory()
    paper.tags.add(name)
    PaperFactory().tags.add("other")

    response = client.get(path)

    assert response.status_code == 200
    assert response.context["tag"].name == name
    assert list(response.context["page"].object_list) == [paper]


def test_tag_page_links_the_keywords_feed(client):
    SummaryFactory(paper=PaperFactory()).paper.tags.add("reinforcement learning")

    response = client.get("/tags/reinforcement%20learning/")

    assert (
        '<link rel="alternate" type="application/atom+xml" title="ShortScience: summaries of '
        'papers with the keyword “reinforcement learning”" '
        'href="/feeds/tags/reinforcement%20learning.atom">'
    ) in response.content.decode()


@pytest.mark.parametrize("count", [1, 3])
def test_tag_list_query_count_is_fixed(client, django_assert_num_queries, count):
    for n in range(count):
        tag_papers(f"keyword {n}", n + 1)

    with django_assert_num_queries(1):
        response = client.get("/tags/")

    assert len(response.context["tags"]) == count
