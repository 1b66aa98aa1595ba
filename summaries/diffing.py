"""Line diffs between two revisions, as rows a template can show (escaped as usual).

difflib.SequenceMatcher takes time quadratic in the number of lines: a body of 25,000
alternating lines took 39 s to diff. This diff costs time about linear in the lines,
whatever they are:

1. Lines the two texts share at the start and end are matched, and what is left between
   is worked on as a region.
2. In a region, lines that occur exactly once in each text anchor it (patience diff):
   the longest run of anchors in the same order in both texts is matched, and the gaps
   between anchors become regions of their own.
3. A region without such lines (repetitive text, "a b a b ...") is diffed by Myers'
   algorithm, whose cost grows with the region's size times the number of edits, up to
   a bound; a region that would cost more is shown as replaced whole.

All the regions together may visit WORK_BUDGET lines; past that, what remains is shown as
replaced too. Either way the rows still turn the old text into the new one, and the
result says it is simplified, so a page can say so.
"""

import bisect
from dataclasses import dataclass

from django.core.cache import cache

# Lines visited over the whole diff, about 20 ms of work.
WORK_BUDGET = 250_000
# The most edits Myers' algorithm looks for in one region.
MAX_EDITS = 200
# Rows past this many are left off, so a page shows (and a cache keeps) a bounded diff.
MAX_ROWS = 2000
# Revisions never change, so a diff is kept until it is evicted, or for a day: a member's
# erased text should not outlive them in the cache for long. The version changes with
# what a diff holds.
CACHE_SECONDS = 24 * 60 * 60
CACHE_VERSION = 1


@dataclass(frozen=True)
class DiffLine:
    kind: str  # "added", "removed", "same" or "gap"
    text: str


class Diff(list):
    """The rows of a diff, and whether it was simplified or cut short."""

    def __init__(self, rows=(), *, is_simplified=False, is_truncated=False, total_rows=0):
        super().__init__(rows)
        self.is_simplified = is_simplified
        self.is_truncated = is_truncated
        self.total_rows = total_rows or len(self)


def diff_lines(old: str, new: str, context: int = 3) -> Diff:
    """The changes from ``old`` to ``new``, with ``context`` unchanged lines around each,
    and a "gap" row between changes further apart than that."""
    a, b = old.splitlines(), new.splitlines()
    blocks, is_simplified = _matching_blocks(a, b)
    rows: list[DiffLine] = []
    total = 0

    def add(kind, texts):
        # Rows past MAX_ROWS are counted, not made.
        nonlocal total
        room = MAX_ROWS - len(rows)
        if room > 0:
            rows.extend(DiffLine(kind, text) for text in texts[:room])
        total += len(texts)

    for group in _grouped(_opcodes(blocks, len(a), len(b)), context):
        if total:
            add("gap", ["…"])
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                add("same", a[i1:i2])
                continue
            add("removed", a[i1:i2])
            add("added", b[j1:j2])
    return Diff(rows, is_simplified=is_simplified, is_truncated=total > MAX_ROWS, total_rows=total)


def revision_diff(old, new) -> Diff:
    """diff_lines() between two revisions, computed once per pair of revisions."""
    key = f"revision-diff:{CACHE_VERSION}:{old.pk}:{new.pk}"
    diff = cache.get(key)
    if diff is None:
        diff = diff_lines(old.body, new.body)
        cache.set(key, diff, CACHE_SECONDS)
    return diff


def _matching_blocks(a: list[str], b: list[str]) -> tuple[list[tuple[int, int, int]], bool]:
    """Runs of equal lines (i, j, length), in order, and whether any region was given up."""
    budget = WORK_BUDGET
    is_simplified = False
    blocks = []
    regions = [(0, len(a), 0, len(b))]
    while regions:
        alo, ahi, blo, bhi = regions.pop()
        start = alo
        while alo < ahi and blo < bhi and a[alo] == b[blo]:
            alo, blo = alo + 1, blo + 1
        if alo > start:
            blocks.append((start, blo - (alo - start), alo - start))
        end = ahi
        while ahi > alo and bhi > blo and a[ahi - 1] == b[bhi - 1]:
            ahi, bhi = ahi - 1, bhi - 1
        if end > ahi:
            blocks.append((ahi, bhi, end - ahi))
        if alo == ahi or blo == bhi:
            continue
        size = (ahi - alo) + (bhi - blo)
        budget -= size
        if budget < 0:
            is_simplified = True
            continue
        anchors = _anchors(a, alo, ahi, b, blo, bhi)
        if anchors:
            i0, j0 = alo, blo
            for i, j in anchors:
                regions.append((i0, i, j0, j))
                blocks.append((i, j, 1))
                i0, j0 = i + 1, j + 1
            regions.append((i0, ahi, j0, bhi))
            continue
        edits = min(MAX_EDITS, budget // size)
        budget -= size * edits
        found = _myers(a, alo, ahi, b, blo, bhi, edits)
        if found is None:
            is_simplified = True
        else:
            blocks += found
    return _merged(sorted(blocks)), is_simplified


def _anchors(a, alo, ahi, b, blo, bhi) -> list[tuple[int, int]]:
    """(i, j) of lines found once in a[alo:ahi] and once in b[blo:bhi], the longest run
    of them in the same order in both."""
    seen: dict[str, list[int]] = {}  # line -> [count in a, count in b, i, j]
    for i in range(alo, ahi):
        entry = seen.setdefault(a[i], [0, 0, i, 0])
        entry[0] += 1
    for j in range(blo, bhi):
        entry = seen.get(b[j])
        if entry is not None:
            entry[1] += 1
            entry[3] = j
    unique = sorted((i, j) for count_a, count_b, i, j in seen.values() if count_a == count_b == 1)
    # Longest increasing run of j, by patience sorting.
    tops: list[int] = []
    top_index: list[int] = []
    previous = [-1] * len(unique)
    for index, (_i, j) in enumerate(unique):
        pile = bisect.bisect_left(tops, j)
        previous[index] = top_index[pile - 1] if pile else -1
        if pile == len(tops):
            tops.append(j)
            top_index.append(index)
        else:
            tops[pile], top_index[pile] = j, index
    run = []
    index = top_index[-1] if top_index else -1
    while index >= 0:
        run.append(unique[index])
        index = previous[index]
    return run[::-1]


def _myers(a, alo, ahi, b, blo, bhi, max_edits: int) -> list[tuple[int, int, int]] | None:
    """The equal runs of a shortest edit script between the two regions (Myers, 1986),
    or None if it takes more than ``max_edits`` insertions and deletions."""
    n, m = ahi - alo, bhi - blo
    furthest = {1: 0}  # diagonal k = x - y -> the furthest x reached on it
    trace = []
    for d in range(max_edits + 1):
        trace.append(dict(furthest))
        for k in range(-d, d + 1, 2):
            if k == -d or (k != d and furthest[k - 1] < furthest[k + 1]):
                x = furthest[k + 1]
            else:
                x = furthest[k - 1] + 1
            y = x - k
            while x < n and y < m and a[alo + x] == b[blo + y]:
                x, y = x + 1, y + 1
            furthest[k] = x
            if x >= n and y >= m:
                return _myers_path(trace, n, m, alo, blo)
    return None


def _myers_path(trace, x, y, alo, blo) -> list[tuple[int, int, int]]:
    blocks = []
    for d in range(len(trace) - 1, 0, -1):
        furthest, k = trace[d], x - y
        if k == -d or (k != d and furthest[k - 1] < furthest[k + 1]):
            start_x = furthest[k + 1]  # came down: a line of b added
            start_y = start_x - (k + 1) + 1
            previous = (start_x, start_y - 1)
        else:
            start_x = furthest[k - 1] + 1  # came right: a line of a removed
            start_y = start_x - k
            previous = (start_x - 1, start_y)
        if x > start_x:
            blocks.append((alo + start_x, blo + start_y, x - start_x))
        x, y = previous
    if x:
        blocks.append((alo, blo, x))
    return blocks


def _merged(blocks):
    merged: list[tuple[int, int, int]] = []
    for i, j, n in blocks:
        if merged and merged[-1][0] + merged[-1][2] == i and merged[-1][1] + merged[-1][2] == j:
            merged[-1] = (merged[-1][0], merged[-1][1], merged[-1][2] + n)
        else:
            merged.append((i, j, n))
    return merged


def _opcodes(blocks, len_a: int, len_b: int):
    """difflib-style (tag, i1, i2, j1, j2) for the spans between and along the blocks."""
    i = j = 0
    for bi, bj, n in [*blocks, (len_a, len_b, 0)]:
        if i < bi and j < bj:
            yield ("replace", i, bi, j, bj)
        elif i < bi:
            yield ("delete", i, bi, j, bj)
        elif j < bj:
            yield ("insert", i, bi, j, bj)
        if n:
            yield ("equal", bi, bi + n, bj, bj + n)
        i, j = bi + n, bj + n


def _grouped(opcodes, context: int):
    """The changes with up to ``context`` equal lines around each, in groups separated by
    longer equal runs (as difflib.SequenceMatcher.get_grouped_opcodes)."""
    codes = list(opcodes)
    if not any(tag != "equal" for tag, *_ in codes):
        return
    if codes[0][0] == "equal":
        tag, i1, i2, j1, j2 = codes[0]
        codes[0] = tag, max(i1, i2 - context), i2, max(j1, j2 - context), j2
    if codes[-1][0] == "equal":
        tag, i1, i2, j1, j2 = codes[-1]
        codes[-1] = tag, i1, min(i2, i1 + context), j1, min(j2, j1 + context)
    group = []
    for tag, i1, i2, j1, j2 in codes:
        if tag == "equal" and i2 - i1 > 2 * context:
            group.append((tag, i1, min(i2, i1 + context), j1, min(j2, j1 + context)))
            yield group
            group = []
            i1, j1 = max(i1, i2 - context), max(j1, j2 - context)
        group.append((tag, i1, i2, j1, j2))
    if group and not (len(group) == 1 and group[0][0] == "equal"):
        yield group
