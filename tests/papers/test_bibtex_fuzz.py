"""Fuzzing the BibTeX import path: pasted text -> papers.sources.parse_bibtex -> the
paper checks (papers.importing.record_problems, the same the confirm page uses).

Whatever is pasted, up to the import form's limit, the answer is records that either
pass the checks or name what they fail, or a Malformed with a message for the member;
never another exception, and never time that grows faster than the text.
"""

import time

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from papers import importing
from papers.forms import IMPORT_MAX_LENGTH
from papers.sources import Malformed, parse_bibtex
from papers.validation import clean_paper_data

pytestmark = pytest.mark.fuzz

# Seconds per example: a fixed part plus a part per character, generous for a shared
# machine (the whole 200,000 characters parse in about 3 s); quadratic time would blow it.
BASE_SECONDS = 2.0
SECONDS_PER_CHARACTER = 40e-6

ENTRY_TYPES = ["article", "inproceedings", "misc", "book", "phdthesis", "string", "comment"]
FIELD_NAMES = [
    "title", "author", "year", "month", "day", "keywords", "url", "doi", "eprint",
    "archiveprefix", "journal", "booktitle", "abstract", "note",
]  # fmt: skip
# Pieces BibTeX text is made of, odd ones included: LaTeX accents and commands, braces
# (balanced or not), quotes, @, string concatenation, "and", unicode of every kind.
PIECES = [
    "{", "}", "{}", '"', "@", "#", ",", "=", "\\", "and", " and ", "{\\\"o}", "{\\'e}",
    "\\'{e}", "\\c{c}", "\\ss", "~", "$x^2$", "\\textbf{x}", "--", "%", "\n", "/", "jan",
    "javascript:alert(1)", "https://example.org/p", "10.1038/nature14539", "1706.03762",
    "\x00", "\u200b", "\u202e", "\ufeff", "ﷺ", "㎒", "\U0001d518", "é", "Ω", "日本", "\U0001f600",
]  # fmt: skip

text_piece = st.one_of(
    st.sampled_from(PIECES),
    st.text(min_size=1, max_size=20),
    st.text(alphabet="abcdefghij ABC0123", min_size=1, max_size=20),
)
field_value = st.lists(text_piece, max_size=30).map("".join)


@st.composite
def entries(draw):
    entry_type = draw(st.one_of(st.sampled_from(ENTRY_TYPES), st.text(max_size=10)))
    key = draw(st.one_of(st.text(max_size=30), st.from_regex(r"[a-z]{1,8}\d{4}", fullmatch=True)))
    fields = draw(st.lists(st.tuples(st.sampled_from(FIELD_NAMES), field_value), max_size=8))
    if draw(st.booleans()):
        # A plausible core, so that the checks after parsing get their turn too.
        fields += [("title", "A Title"), ("author", "Ada Lovelace"), ("year", "2020")]
    if draw(st.booleans()):
        names = draw(st.lists(st.text(min_size=1, max_size=12), max_size=50))
        fields.append(("author", " and ".join(names)))
    open_, close = draw(st.sampled_from([("{", "}"), ("(", ")"), ("{", ""), ("", "}")]))
    body = ",\n".join(
        f"  {name} = {{{value}}}" if draw(st.booleans()) else f'  {name} = "{value}"'
        for name, value in fields
    )
    return f"@{entry_type}{open_}{key},\n{body}\n{close}\n"


@st.composite
def mutated(draw, text: str) -> str:
    """``text`` with a few characters deleted, doubled or replaced by a piece."""
    for _ in range(draw(st.integers(0, 4))):
        if not text:
            break
        at = draw(st.integers(0, len(text) - 1))
        text = draw(
            st.sampled_from(
                [
                    text[:at] + text[at + 1 :],
                    text[:at] + text[at] * 2 + text[at:],
                    text[:at] + draw(st.sampled_from(PIECES)) + text[at:],
                ]
            )
        )
    return text


@st.composite
def pastes(draw):
    text = "".join(draw(st.lists(entries(), min_size=1, max_size=4)))
    text = draw(mutated(text))
    # Now and then, the import form's whole allowance: one field or entry repeated.
    size = draw(st.sampled_from([0, 0, 0, 20_000, IMPORT_MAX_LENGTH]))
    if size:
        chunk = draw(st.sampled_from([*PIECES, text or "@"]))
        how = draw(st.sampled_from(["entries", "title", "authors"]))
        if how == "entries":
            text = (text * (size // max(len(text), 1) + 1))[:size]
        elif how == "title":
            room = size - 60
            text = (
                f"@article{{k, author={{A B}}, year={{2020}}, title={{{(chunk * room)[:room]}}}}}"
            )
        else:
            name = "Jos{\\'e} M{\\\"u}ller"
            authors = " and ".join([name] * (size // (len(name) + 5)))
            text = f"@article{{k, title={{T}}, year={{2020}}, author={{{authors}}}}}"[:size]
    return text


def check(text: str) -> None:
    assert len(text) <= IMPORT_MAX_LENGTH
    started = time.perf_counter()
    try:
        records = parse_bibtex(text)
    except Malformed as error:
        records, refusal = [], str(error)
    else:
        refusal = "none"
    assert refusal.strip(), "A refusal says why."
    for record in records:
        problems = importing.record_problems(record)
        if problems:
            assert all(problem.strip() for problem in problems)
        else:
            # Valid paper data: what create_paper would store.
            cleaned = clean_paper_data(importing.record_fields(record, with_venue=False))
            assert cleaned["title"]
            assert cleaned["authors"]
    elapsed = time.perf_counter() - started
    budget = BASE_SECONDS + SECONDS_PER_CHARACTER * len(text)
    assert elapsed < budget, f"{len(text):,} characters took {elapsed:.1f} s"


@given(pastes())
@example("@article{k, title={T}, author={" + "{" * 50_000 + "}" * 50_000 + "}, year={2020}}")
@example("@article{k, title={T}, author={A}, year={2020}, keywords={" + "{" * 100_000)
@example("@" * IMPORT_MAX_LENGTH)
@example("@article{k, title={\x00}, author={Ada}, year={2020}}")
@example("@article{k, title={T}, author={ﷺ}, year={2020}}")
@example('@article{k, title="T", author="A" # "B", year=2020}')
def test_any_paste_gives_paper_data_or_a_clear_error(text):
    check(text)


ENTRY = "@article{{k{}, title={{{}}}, author={{{}}}, year={{2020}}}}\n"
GROWING = {
    "accents": lambda n: ENTRY.format(0, "\\\"o{\\'e}~" * n, "A B"),
    "authors": lambda n: ENTRY.format(0, "T", " and ".join(["A B"] * n)),
    "entries": lambda n: "".join(ENTRY.format(i, "T", "A") for i in range(n // 8)),
    "braces": lambda n: ENTRY.format(0, "{a}" * n, "A B"),
}


@pytest.mark.parametrize("make", GROWING.values(), ids=GROWING.keys())
def test_time_grows_about_linearly_with_the_text(make):
    """Four times the text takes at most about four times as long (allowing twice that
    for noise; quadratic time would take sixteen); the best of three runs each."""

    def seconds(n: int) -> float:
        text = make(n)
        best = float("inf")
        for _ in range(3):
            started = time.perf_counter()
            try:
                records = parse_bibtex(text)
                [importing.record_problems(record) for record in records]
            except Malformed:
                pass
            best = min(best, time.perf_counter() - started)
        return best

    small, large = seconds(2_000), seconds(8_000)

    assert large < 8 * small + 0.05, (small, large)
