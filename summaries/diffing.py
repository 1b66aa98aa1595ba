"""Line diffs between two revisions, as rows a template can show (escaped as usual)."""

import difflib
from dataclasses import dataclass


@dataclass(frozen=True)
class DiffLine:
    kind: str  # "added", "removed", "same" or "gap"
    text: str


def diff_lines(old: str, new: str, context: int = 3) -> list[DiffLine]:
    lines = []
    matcher = difflib.SequenceMatcher(a=old.splitlines(), b=new.splitlines(), autojunk=False)
    for group in matcher.get_grouped_opcodes(context):
        if lines:
            lines.append(DiffLine("gap", "…"))
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                lines += [DiffLine("same", text) for text in matcher.a[i1:i2]]
                continue
            lines += [DiffLine("removed", text) for text in matcher.a[i1:i2]]
            lines += [DiffLine("added", text) for text in matcher.b[j1:j2]]
    return lines
