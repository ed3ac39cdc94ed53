"""A grammar of hostile Markdown documents, and checks every engine answer must pass on them.

The documents mix the shape of a real design doc (template headings, fields, placeholders,
guidance left in) with what a repository also holds: binary junk decoded with replacement
characters, NUL bytes, lone surrogates, `\\f` `\\v` U+2028 inside lines, mixed CRLF/LF/CR,
unterminated fences and comments, deep lists and quotes, emoji and CJK, long lines.
"""

from __future__ import annotations

import itertools
import os
import re
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

from hypothesis import strategies as st

from design_lsp.analysis import TextEdit, apply_edits
from design_lsp.document import Document, Span
from design_lsp.template import load_template

DEFAULT_TEMPLATE = load_template(None)
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
# Every template under tests/fixtures plus the built-in one: the engine must hold for all.
TEMPLATES = [DEFAULT_TEMPLATE] + [
    load_template(str(path)) for path in sorted(FIXTURES.glob("*/template*.md"))
]

# How many examples each property runs: CI budget by default, raised for a long fuzz run.
EXAMPLES = int(os.environ.get("DESIGN_LSP_FUZZ_EXAMPLES", "0") or 0)

_TITLES = [spec.title for t in TEMPLATES for spec in t.all_specs]
_GUIDANCE = [line for t in TEMPLATES for spec in t.all_specs for line in spec.block[1:3] if line]

# Characters that are not LSP line breaks but that str.splitlines() and friends treat as such.
ODD_SPACES = ["\f", "\v", "\x1c", "\x1d", "\x1e", "\x85", "\u2028", "\u2029", "\x00", "\t"]
SURROGATES = ["\ud800", "\udbff", "\udc00", "\udfff", "\ud83d"]  # lone halves
WIDE = ["🚀", "👩‍👩‍👧", "中文", "設計", "ｱ", "\u0301", "e\u0301", "\ufeff", "\u200d", "🇫🇷", "𝔘"]
MARKUP = ["*", "_", "`", "[", "]", "(", ")", "<", ">", "!", "#", "|", "\\", "-", "~", ":", "="]
EOLS = ["\n", "\r\n", "\r"]


def junk(data: bytes) -> str:
    """Binary junk as an editor would show it: decoded with replacement characters."""
    return data.decode("utf-8", errors="replace")


inline_piece = st.one_of(
    st.text(max_size=12),
    st.sampled_from(ODD_SPACES + SURROGATES + WIDE + MARKUP),
    st.sampled_from(["[Your Name]", "[...]", "[ ]", "[x]", "[^1]", "[a](b)", "![i](x)", "<!--"]),
    st.sampled_from(["-->", "<br>", "<a href='x'>", "**Status**:", "`code`", "Goal 1", "TBD"]),
    st.binary(max_size=16).map(junk),
)
inline = st.lists(inline_piece, max_size=6).map("".join)


def _heading(level: int, title: str) -> str:
    return "#" * level + " " + title


heading = st.one_of(
    st.builds(_heading, st.integers(1, 7), st.sampled_from(_TITLES)),
    st.builds(_heading, st.integers(1, 6), inline),
    st.builds(  # a typo in a template title
        lambda title, cut: _heading(2, title[:cut] + title[cut + 1 :]),
        st.sampled_from(_TITLES),
        st.integers(0, 12),
    ),
    st.sampled_from(["#", "##", "#######", "# ", "#\t", "  ## indented", "#x", "## Closing ##"]),
)

block_lines = st.one_of(
    heading.map(lambda h: [h]),
    st.sampled_from(_TITLES).map(lambda t: [t, "====="]),  # setext
    st.sampled_from(_TITLES).map(lambda t: [t, "---"]),
    st.sampled_from(_GUIDANCE).map(lambda g: [g]),
    inline.map(lambda s: [s]),
    st.builds(lambda name, value: [f"- **{name}**: {value}"], st.sampled_from(
        ["Author", "Status", "Date", "Version", "Stauts", ""]), inline),
    st.sampled_from(["```", "~~~", "```python", "    code", "<!--", "-->", "<div>", "</div>"])
    .map(lambda s: [s]),
    st.sampled_from(["---", "template: x.md", "title: [x]", "..."]).map(lambda s: [s]),
    st.builds(  # nested list or quote
        lambda marker, depth, text: [marker * depth + text],
        st.sampled_from(["  - ", "> ", ">", "1. ", "- "]),
        st.integers(0, 60),
        inline,
    ),
    st.builds(lambda n: ["|a|b|", "|-|-|"] + ["|x|y|"] * n, st.integers(0, 3)),
    st.just([""]),
)


@st.composite
def documents(draw: st.DrawFn, max_blocks: int = 40) -> str:
    """A document: an optional title, then blocks, each line ending in its own line break."""
    lines: list[str] = []
    if draw(st.booleans()):
        lines.append("# Design Document: " + draw(inline))
    for block in draw(st.lists(block_lines, max_size=max_blocks)):
        lines.extend(block)
    if not lines:
        return draw(st.sampled_from(["", "\n", "\r", "\r\n", "\ufeff", "\x00"]))
    mixed = draw(st.booleans())
    first = draw(st.sampled_from(EOLS))
    out = []
    for line in lines:
        out.append(line)
        out.append(draw(st.sampled_from(EOLS)) if mixed else first)
    if draw(st.booleans()):
        out.pop()  # no final line ending
    return "".join(out)


# ---- checks ----------------------------------------------------------------------------------


def span_inside(span: Span, lines: Sequence[str]) -> bool:
    """The span lies within the document (columns within their lines) and is not reversed."""
    if not (0 <= span.line < len(lines) and 0 <= span.end_line < len(lines)):
        return False
    if not (0 <= span.col <= len(lines[span.line]) and 0 <= span.end_col <= len(lines[span.end_line])):
        return False
    return (span.line, span.col) <= (span.end_line, span.end_col)


_EOL = re.compile(r"\r\n|\r|\n")


def lsp_lines(text: str) -> list[str]:
    return _EOL.split(text)


def content_lines(text: str) -> list[str]:
    """LSP lines, without the empty 'line' after a final line ending."""
    lines = lsp_lines(text)
    if len(lines) > 1 and lines[-1] == "":
        lines.pop()
    return lines


def is_subsequence(original: Sequence[str], result: Sequence[str]) -> bool:
    it = iter(result)
    return all(any(line == other for other in it) for line in original)


def lost_lines(before: str, after: str, rewritten: set[int] = frozenset()) -> list[str]:  # type: ignore[assignment]
    """Original lines (except `rewritten` heading lines) missing from `after`, in order."""
    # Empty lines carry no text of the author's: an insertion may sit where one was.
    original = [line for i, line in enumerate(content_lines(before)) if line and i not in rewritten]
    if is_subsequence(original, content_lines(after)):
        return []
    remaining = iter(content_lines(after))
    lost = []
    for line in original:
        if not any(line == other for other in remaining):
            lost.append(line)
            remaining = iter(content_lines(after))
    return lost or original


def all_present(before: str, after: str) -> bool:
    """Every original line is still there (as a multiset): for a section move."""
    need = Counter(line for line in content_lines(before) if line.strip())
    have = Counter(content_lines(after))
    return all(have[line] >= count for line, count in need.items())


def rewritten_lines(document: Document, edits: Sequence[TextEdit]) -> set[int]:
    """Lines an edit changes in place: a heading (a rename or a level fix), or exactly the value
    of a field that holds none of the template's choices (the quick fix the author picks)."""
    out = set()
    for edit in edits:
        span = edit.span
        if (span.line, span.col) == (span.end_line, span.end_col):
            continue  # an insertion
        for h in document.headings:  # within one heading (a setext heading has two lines)
            if h.line <= span.line <= span.end_line <= h.last_line:
                out.update(range(h.line, h.last_line + 1))
        for item in document.fields:  # an invalid field value replaced by a template choice
            if span == item.value_span:
                out.add(item.line)
            elif not item.value and span.line == span.end_line == item.line + 1:
                out.add(span.line)  # (the value on the line that continues the item)
    return out


def is_move(edits: Sequence[TextEdit]) -> bool:
    """An insertion plus a deletion of whole lines: a section moved to its template place."""
    return any(not e.text and (e.span.line, e.span.col) != (e.span.end_line, e.span.end_col)
               for e in edits)


def non_overlapping(edits: Sequence[TextEdit]) -> bool:
    spans = sorted(((e.span.line, e.span.col), (e.span.end_line, e.span.end_col)) for e in edits)
    return all(a[1] <= b[0] for a, b in itertools.pairwise(spans))


def check_edits_keep_text(text: str, document: Document, edits: Sequence[TextEdit]) -> str:
    """Apply `edits`; assert nothing the author wrote was lost. Returns the new text."""
    assert edits, "an offered fix with no edit"
    for edit in edits:
        assert span_inside(edit.span, document.lines), f"edit outside the document: {edit}"
    assert non_overlapping(edits), f"overlapping edits: {edits}"
    after = apply_edits(text, list(edits))
    if is_move(edits):
        assert all_present(text, after), "a move lost a line"
    else:
        lost = lost_lines(text, after, rewritten_lines(document, edits))
        assert not lost, f"lines lost or reordered: {lost[:3]!r}"
    return after


def word(number: int) -> str:
    """A distinct pronounceable word per number (titles no rule reads as numbered slots)."""
    out = ""
    while True:
        out += "bcdfghjklmnpqrstvwxz"[number % 20] + "aeiou"[(number // 20) % 5]
        number //= 100
        if not number:
            return out.capitalize()
