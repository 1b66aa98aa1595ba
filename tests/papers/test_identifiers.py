import pytest

from papers.identifiers import (
    Identifier,
    arxiv_id_from_dblp_key,
    classify,
    normalize_arxiv_id,
    normalize_doi,
)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("1706.03762", "1706.03762"),
        ("2101.00001", "2101.00001"),
        ("0704.0001", "0704.0001"),
        ("1706.03762v5", "1706.03762"),
        ("  1706.03762v12 ", "1706.03762"),
        ("arXiv:1706.03762v5", "1706.03762"),
        ("ARXIV:1706.03762", "1706.03762"),
        ("hep-th/9901001", "hep-th/9901001"),
        ("hep-th/9901001v2", "hep-th/9901001"),
        ("math.GT/0309136", "math.GT/0309136"),
        ("arXiv:hep-th/9901001", "hep-th/9901001"),
        ("https://arxiv.org/abs/1706.03762", "1706.03762"),
        ("https://arxiv.org/abs/1706.03762v5", "1706.03762"),
        ("http://www.arxiv.org/abs/1706.03762/", "1706.03762"),
        ("https://export.arxiv.org/abs/hep-th/9901001v1", "hep-th/9901001"),
        ("https://arxiv.org/pdf/1706.03762", "1706.03762"),
        ("https://arxiv.org/pdf/1706.03762v5.pdf", "1706.03762"),
        ("https://arxiv.org/html/1706.03762v7", "1706.03762"),
        ("arxiv.org/abs/1706.03762", "1706.03762"),
    ],
)
def test_normalize_arxiv_id_gives_the_bare_unversioned_id(value, expected):
    result = normalize_arxiv_id(value)

    assert result == expected


@pytest.mark.parametrize(
    "value",
    [
        "",
        "1706",
        "17060.3762",
        "1706.037",
        "attention is all you need",
        "https://example.org/abs/1706.03762",
    ],
)
def test_normalize_arxiv_id_refuses_other_text(value):
    with pytest.raises(ValueError, match="is not an arXiv identifier") as error:
        normalize_arxiv_id(value)

    assert str(error.value) == (
        f"{value!r} is not an arXiv identifier (like 1706.03762 or hep-th/9901001)."
    )


def test_normalize_arxiv_id_message_quotes_the_stripped_input():
    with pytest.raises(ValueError, match="is not an arXiv identifier") as error:
        normalize_arxiv_id("  nonsense  ")

    assert str(error.value).startswith("'nonsense' is not")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("10.1038/nature14539", "10.1038/nature14539"),
        ("10.1038/NATURE14539", "10.1038/nature14539"),
        (" 10.1038/nature14539 ", "10.1038/nature14539"),
        ("doi:10.1038/nature14539", "10.1038/nature14539"),
        ("DOI: 10.1038/Nature14539", "10.1038/nature14539"),
        ("https://doi.org/10.1038/NATURE14539", "10.1038/nature14539"),
        ("http://doi.org/10.1038/nature14539", "10.1038/nature14539"),
        ("https://dx.doi.org/10.1038/nature14539", "10.1038/nature14539"),
        ("HTTPS://DOI.ORG/10.1038/nature14539", "10.1038/nature14539"),
        ("https://doi.org/10.1002/%28SICI%291097", "10.1002/(sici)1097"),
    ],
)
def test_normalize_doi_gives_the_lowercased_bare_doi(value, expected):
    result = normalize_doi(value)

    assert result == expected


@pytest.mark.parametrize("value", ["", "10.1/x", "nature14539", "11.1038/nature14539", "10.1038/"])
def test_normalize_doi_refuses_other_text(value):
    with pytest.raises(ValueError, match="is not a DOI") as error:
        normalize_doi(value)

    assert str(error.value) == f"{value!r} is not a DOI (like 10.1038/nature14539)."


@pytest.mark.parametrize(
    ("key", "expected"),
    [
        ("journals/corr/abs-1706-03762", "1706.03762"),
        ("journals/corr/1706.03762", "1706.03762"),
        ("journals/corr/abs-1706-03762v2", "1706.03762"),
        ("JOURNALS/CORR/ABS-1706-03762", "1706.03762"),
        ("journals/corr/abs-2101-00001", "2101.00001"),
        ("journals/corr/VaswaniSPUJGKP17", None),
        ("conf/nips/VaswaniSPUJGKP17", None),
        ("1706.03762", None),
    ],
)
def test_arxiv_id_from_dblp_key_reads_corr_keys_only(key, expected):
    result = arxiv_id_from_dblp_key(key)

    assert result == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1706.03762v5", Identifier("arxiv", "1706.03762")),
        ("arXiv:hep-th/9901001", Identifier("arxiv", "hep-th/9901001")),
        ("https://arxiv.org/pdf/1706.03762.pdf", Identifier("arxiv", "1706.03762")),
        ("10.1038/NATURE14539", Identifier("doi", "10.1038/nature14539")),
        ("https://doi.org/10.1038/nature14539", Identifier("doi", "10.1038/nature14539")),
        ("journals/corr/abs-1706-03762", Identifier("arxiv", "1706.03762")),
        ("conf/nips/VaswaniSPUJGKP17", Identifier("bibtex", "conf/nips/VaswaniSPUJGKP17")),
        (" journals/tnn/BengioSF94 ", Identifier("bibtex", "journals/tnn/BengioSF94")),
    ],
)
def test_classify_tells_the_kind_and_normalizes(text, expected):
    result = classify(text)

    assert result == expected


@pytest.mark.parametrize(
    "text", ["Attention Is All You Need", "vaswani2017attention", "", "a/b c"]
)
def test_classify_is_none_for_a_title_or_a_plain_key(text):
    result = classify(text)

    assert result is None
