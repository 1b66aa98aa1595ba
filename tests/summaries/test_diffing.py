"""Line diffs: correct for any two texts, and cheap for the worst ones a member can save."""

import random
import time

import pytest
from hypothesis import given
from hypothesis import strategies as st

from summaries.diffing import diff_lines
from summaries.forms import BODY_MAX_LENGTH

MILLISECONDS = 100
EVERYTHING = 10**9  # context wide enough to show every line


def body(lines):
    """The longest body of these lines that a summary may have."""
    text, length = [], 0
    for line in lines:
        if length + len(line) + 1 > BODY_MAX_LENGTH:
            break
        text.append(line)
        length += len(line) + 1
    return "\n".join(text)


def _alternating():
    old = body("ab"[n % 2] for n in range(BODY_MAX_LENGTH))
    lines = old.splitlines()
    lines.insert(0, "a new first line")
    lines[len(lines) // 2] = "an edit in the middle"
    return old, "\n".join(lines)


def _equal():
    old = body("same" for _ in range(BODY_MAX_LENGTH))
    return old, old[: len(old) // 2] + "\nother\n" + old[len(old) // 2 :]


def _distinct_reversed():
    old = body(f"line {n}" for n in range(BODY_MAX_LENGTH))
    return old, "\n".join(reversed(old.splitlines()))


def _distinct_shuffled():
    old = body(f"line {n}" for n in range(BODY_MAX_LENGTH))
    lines = old.splitlines()
    random.Random(7).shuffle(lines)  # noqa: S311 (a fixed test order, not a secret)
    return old, "\n".join(lines)


def _repeated_blocks():
    block = [f"block line {n}" for n in range(10)]
    old = body(line for _ in range(BODY_MAX_LENGTH) for line in block)
    lines = old.splitlines()
    del lines[1000:1030]
    lines[3000:3000] = block[::-1]
    return old, "\n".join(lines)


def _alternating_against_distinct():
    return body("ab"[n % 2] for n in range(BODY_MAX_LENGTH)), _distinct_shuffled()[0]


WORST_CASES = {
    # The report's case: 25,000 alternating lines, edited. Before: 39 s.
    "alternating lines, edited": _alternating,
    "all lines equal": _equal,
    "all lines distinct, reversed": _distinct_reversed,
    "all lines distinct, shuffled": _distinct_shuffled,
    "many repeated blocks": _repeated_blocks,
    "alternating lines against distinct ones": _alternating_against_distinct,
}


def full(old, new):
    return diff_lines(old, new, context=EVERYTHING)


def sides(rows):
    """The old and new texts a diff's rows describe."""
    old = [row.text for row in rows if row.kind in {"same", "removed"}]
    new = [row.text for row in rows if row.kind in {"same", "added"}]
    return old, new


@pytest.mark.parametrize("case", WORST_CASES)
def test_worst_case_diff_takes_milliseconds(case):
    old, new = WORST_CASES[case]()
    assert len(old) <= BODY_MAX_LENGTH
    assert len(new) <= BODY_MAX_LENGTH + 40

    elapsed_ms = []
    for _ in range(3):  # the best of three, as other tests share the machine
        start = time.perf_counter()
        rows = diff_lines(old, new)
        elapsed_ms.append((time.perf_counter() - start) * 1000)
        if elapsed_ms[-1] < MILLISECONDS:
            break

    assert min(elapsed_ms) < MILLISECONDS
    assert any(row.kind in {"added", "removed"} for row in rows)


def test_few_edits_in_repetitive_text_are_shown_as_few():
    old, new = _alternating()

    rows = diff_lines(old, new)

    changes = [(row.kind, row.text) for row in rows if row.kind in {"added", "removed"}]
    assert changes in (
        [("added", "a new first line"), ("removed", "a"), ("added", "an edit in the middle")],
        [("added", "a new first line"), ("removed", "b"), ("added", "an edit in the middle")],
    )


def test_a_moved_block_is_shown_as_removed_and_added():
    old = "\n".join(f"line {n}" for n in range(20))
    new = "\n".join([f"line {n}" for n in range(10, 20)] + [f"line {n}" for n in range(10)])

    rows = full(old, new)

    assert sides(rows) == (old.splitlines(), new.splitlines())
    assert sum(row.kind == "same" for row in rows) == 10


def test_unchanged_text_has_no_rows():
    assert list(diff_lines("a\nb", "a\nb")) == []


lines = st.lists(st.sampled_from(["a", "b", "c", "", "x y", "a"]), max_size=40)


@pytest.mark.fuzz
@given(old=lines, new=lines)
def test_diff_turns_the_old_text_into_the_new(old, new):
    old_lines, new_lines = "\n".join(old).splitlines(), "\n".join(new).splitlines()

    rows = full("\n".join(old), "\n".join(new))

    if old_lines == new_lines:
        assert list(rows) == []
    else:
        assert sides(rows) == (old_lines, new_lines)


@pytest.mark.fuzz
@given(old=lines, new=lines, context=st.integers(0, 5))
def test_diff_with_context_shows_every_change_in_order(old, new, context):
    rows = diff_lines("\n".join(old), "\n".join(new), context=context)

    changes = [row for row in full("\n".join(old), "\n".join(new)) if row.kind != "same"]
    assert [row for row in rows if row.kind in {"added", "removed"}] == changes
