import pytest

from tests.factories import PaperFactory

pytestmark = [pytest.mark.django_db, pytest.mark.integration]


@pytest.mark.parametrize(
    "path",
    [
        "/arxiv/1706.03762",
        "/arxiv/1706.03762v5",
        "/arxiv/arXiv:1706.03762v2",
        "/doi/10.5555/3295222.3295349",
        "/doi/doi:10.5555/3295222.3295349",
        "/bibtex/conf/nips/VaswaniSPUJGKP17",
        "/bibtex/journals/corr/abs-1706-03762",
        "/bibtex/1706.03762",
    ],
)
def test_resolver_sends_an_identifier_to_its_paper(client, described_paper, path):
    response = client.get(path)

    assert response.status_code == 302
    assert response["Location"] == described_paper.get_absolute_url()


def test_resolver_finds_an_old_style_arxiv_id(client):
    paper = PaperFactory(arxiv_id="hep-th/9901001")

    response = client.get("/arxiv/hep-th/9901001v2")

    assert response.status_code == 302
    assert response["Location"] == paper.get_absolute_url()


@pytest.mark.parametrize(
    "typed", ["10.1038/NATURE14539", "10.1038/Nature14539", "10.1038/nature14539"]
)
def test_resolver_finds_a_doi_in_any_case(client, typed):
    paper = PaperFactory(doi="10.1038/nature14539")

    response = client.get(f"/doi/{typed}")

    assert response.status_code == 302
    assert response["Location"] == paper.get_absolute_url()


def test_resolver_finds_a_plain_bibtex_key(client):
    paper = PaperFactory(bibtex_key="vaswani2017attention")

    response = client.get("/bibtex/vaswani2017attention")

    assert response.status_code == 302
    assert response["Location"] == paper.get_absolute_url()


@pytest.mark.parametrize(
    "path",
    [
        "/arxiv/2101.00001",
        "/arxiv/hep-th/9901002",
        "/doi/10.1038/nature14539",
        "/bibtex/conf/icml/Nobody20",
        "/bibtex/journals/corr/abs-2101-00001",
    ],
)
def test_resolver_of_an_unknown_paper_is_404(client, described_paper, path):
    response = client.get(path)

    assert response.status_code == 404


@pytest.mark.parametrize("path", ["/arxiv/not-an-id", "/arxiv/1706", "/doi/nature14539"])
def test_resolver_of_a_malformed_identifier_is_404(client, described_paper, path):
    response = client.get(path)

    assert response.status_code == 404


def test_resolver_of_a_key_with_a_nul_character_is_a_clear_400(client):
    client.raise_request_exception = False

    response = client.get("/bibtex/conf/nips/X%00")

    assert response.status_code == 400
    assert "<h1>Bad request</h1>" in response.content.decode()
