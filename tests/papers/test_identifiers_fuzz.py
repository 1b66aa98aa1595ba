"""Fuzzing papers.identifiers: whatever is pasted into the search box, the parsers
answer an Identifier, None or ValueError (nothing else), in time linear in its length,
and what they answer is something the database can store and look up."""

import time
import unicodedata

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from papers.identifiers import (
    ARXIV_NEW,
    ARXIV_OLD,
    BIBTEX_KEY,
    DOI,
    Identifier,
    arxiv_id_from_dblp_key,
    classify,
    normalize_arxiv_id,
    normalize_bibtex_key,
    normalize_doi,
)

pytestmark = [pytest.mark.fuzz]

NORMALIZERS = [normalize_arxiv_id, normalize_doi, normalize_bibtex_key]

# Pieces of identifiers and of the links they come in, to be shuffled with junk.
PIECES = st.sampled_from(
    [
        "https://", "http://", "www.", "export.", "arxiv.org/", "arXiv:", "abs/", "pdf/",
        "html/", ".pdf", "/", "v", "v12", "1706.03762", "0704.0001", "12345", "hep-th",
        "math.GT", "9901001", "doi:", "DOI:", "10.", "1038", "10.1038/", "nature14539",
        "https://doi.org/", "https://dx.doi.org/", "%", "%2F", "%00", "%C3%A9", "%ED%A0%80",
        "%zz", "journals/corr/", "abs-", "conf/nips/", "VaswaniSPUJGKP17", "-", ".", ":",
        "_", "+", " ", "\t", "\n", "\u0301", "\u200f", "\U0001f600", "\uff11", "\u212a",
        "\u0130", "\ufffd",
    ]
)  # fmt: skip
PASTED = st.one_of(
    st.lists(st.one_of(PIECES, st.text(max_size=5)), max_size=12).map("".join),
    st.text(max_size=600),
)


def has_control_characters(value: str) -> bool:
    return any(unicodedata.category(c) == "Cc" for c in value)


@given(PASTED)
@example("https://doi.org/10.1234/a%00b")
@example("https://doi.org/10.1234/%01%7f%C2%85")
@example("doi:10.1234/\x85")
def test_classify_answers_an_identifier_the_database_can_look_up_or_none(text):
    identifier = classify(text)

    assert identifier is None or isinstance(identifier, Identifier)
    if identifier is None:
        return
    assert not has_control_characters(identifier.value)
    if identifier.kind == "arxiv":
        assert ARXIV_NEW.match(identifier.value) or ARXIV_OLD.match(identifier.value)
    elif identifier.kind == "doi":
        assert DOI.match(identifier.value)
        assert identifier.value == identifier.value.lower()
    else:
        assert BIBTEX_KEY.match(identifier.value)


@pytest.mark.parametrize("normalize", NORMALIZERS)
@given(text=PASTED)
def test_normalizers_answer_a_stable_form_or_a_value_error(normalize, text):
    try:
        value = normalize(text)
    except ValueError as error:
        message = str(error)
    else:
        message = ""
        assert normalize(value) == value
        assert not has_control_characters(value)

    # Every refusal names what was given and what is wanted.
    assert not message or " is not a" in message


@given(PASTED)
def test_a_dblp_key_names_an_arxiv_id_or_none(text):
    arxiv_id = arxiv_id_from_dblp_key(text)

    assert arxiv_id is None or ARXIV_NEW.match(arxiv_id)


@pytest.mark.parametrize(
    "value",
    ["https://doi.org/10.1234/a%00b", "doi:10.1234/a\x00b", "10.1234/\x01", "10.1234/a\x85b"],
)
def test_a_doi_with_a_control_character_is_no_doi(value):
    with pytest.raises(ValueError, match="is not a DOI"):
        normalize_doi(value)


# Inputs that would make a backtracking regex take quadratic (or worse) time: long runs
# of what an optional or lazy part could take, ending so the whole match fails.
def adversarial(size: int) -> list[str]:
    return [
        "https://arxiv.org/abs/" + "a" * size + " ",
        "arxiv.org/pdf/" + ".pdf" * (size // 4) + "/ ",
        "https://arxiv.org/abs/" + "/" * size + "\n",
        "arXiv:" + "hep-th" * (size // 6) + "/",
        "-" * size + ".AB/1234567v",
        "10.1234/" + "a" * size + " x",
        "https://doi.org/" + "%2" * (size // 2),
        "journals/corr/abs-" + "1" * size + "-",
        "a/" + "+" * size + "!",
        "1" * size + ".12345v",
    ]


@pytest.mark.parametrize("size", [500, 10_000, 100_000])
def test_classify_takes_time_linear_in_the_length(size):
    for text in adversarial(size):
        started = time.monotonic()
        classify(text)
        for normalize in NORMALIZERS:
            with pytest.raises(ValueError, match=" is not a"):
                normalize(text)
        elapsed = time.monotonic() - started

        # Linear: 100,000 characters take some 10-50 ms (the worst, a DOI of "%2"s, is
        # decoded as it is checked), more on a busy machine; quadratic, minutes.
        assert elapsed < 0.25, (text[:40], size, elapsed)
