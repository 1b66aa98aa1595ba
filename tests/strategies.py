"""Hypothesis strategies shared by the fuzz tests (marked `fuzz`)."""

from hypothesis import strategies as st

# What websearch_to_tsquery, to_tsquery and the default text parser give a meaning to,
# and what they have choked on: operators, quotes, brackets, modifiers, backslashes.
OPERATORS = [
    "-", "--", " - ", "OR", "or", "Or", "AND", "and", "NOT", "&", "|", "!", "!!", "<->",
    "<2>", "<0>", "<99999>", ":*", ":", ":A", ":ab*", "*", '"', '""', "'", "''", "(", ")",
    "()", "\\", "\\\\", "\\'", '\\"', "<", ">", "-&", "-|", "-!", "-(", "(-", "-<", "- OR",
]  # fmt: skip
# Characters whose class differs between Python, Unicode versions and PostgreSQL's
# parser, or that Unicode normalization (NFKC) turns into several.
ODD = [
    "\u0301", "e\u0301", "\u0e31", "\u05d0\u05d1\u05d2", "\u0627\u0644", "\u200f", "\u202e",
    "\u200b", "\u200d", "\u2060", "\ufeff", "\U0001f600", "\U0001f469\u200d\U0001f52c",
    "\uff21\uff22", "\uff0d", "\u2212", "\u2010", "\u2014", "\u00a0", "\u3000", "\u1680",
    "\u2028", "\ue000", "\ue001", "\ufdd0", "\uffff", "\ufffd", "\U0010ffff", "\U0002ebf0",
    "\u0378", "\u3315", "\ufdfa", "\u00b2", "\u0663", "\u00df", "\u0130", "\u212a",
    "\u00ad", "\x7f", "\x1f", "\t", "\n", "\r",
]  # fmt: skip
# Words as papers, identifiers and PostgreSQL's parser (urls, e-mails, versions,
# hyphenated words) have them.
WORDS = [
    "attention", "networks", "graph", "learning", "the", "of", "a", "deep", "state-of-the-art",
    "t-SNE", "C++", "node.js", "3.14", "1e10", "-5", "2017", "1706.03762", "10.1038/nature14539",
    "https://arxiv.org/abs/1706.03762", "a@b.example", "/usr/local/bin", "x'y", "O'Neil",
    "sqrt", "\\sqrt{x}", "$$x$$", "ünïcödé", "注意力",
]  # fmt: skip

TOKENS = st.one_of(
    st.sampled_from(OPERATORS),
    st.sampled_from(ODD),
    st.sampled_from(WORDS),
    st.text(min_size=1, max_size=8),
    st.integers(min_value=-(10**12), max_value=10**12).map(str),
    # Very long words, of a letter or of a word's characters.
    st.builds(lambda letter, size: letter * size, st.sampled_from("xé注-"), st.integers(40, 520)),
    # Runs of one operator: the parser keeps some on a stack.
    st.builds(lambda op, size: op * size, st.sampled_from(OPERATORS), st.integers(2, 300)),
)
SEPARATORS = st.sampled_from(["", " ", " ", "  ", "\t"])


@st.composite
def search_queries(draw, max_size=520):
    """Text for the search box: words, operators and odd characters, with or without
    spaces between them, at most max_size characters (the box takes 500)."""
    tokens = draw(st.lists(st.tuples(TOKENS, SEPARATORS), max_size=40))
    return "".join(token + separator for token, separator in tokens)[:max_size]
