"""mistletoe, wrapped: block structure of one chunk, and the inline ranges of one paragraph.

mistletoe keeps its parse state in module globals (token types, the root node that holds link
reference definitions, pending code-span matches); `MarkdownParser` sets them for the duration of
each call and restores them, so other users of mistletoe in the process are not disturbed.
`LOCK` serializes every use, so parsing from a worker thread is safe.

Inline parsing is the larger half of mistletoe's cost and only some paragraphs holding a `[`
need it, so the block tokens below keep their raw text and skip it; `inline_ranges` runs
mistletoe's span tokenizer on demand and keeps the offsets its finished tokens would forget.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, cast

from mistletoe import block_token, core_tokens, span_token, span_tokenizer, token


class RawParagraph(block_token.Paragraph):
    """A paragraph that keeps its text (one row per source line) instead of inline tokens."""

    def __init__(self, lines: list[str]) -> None:
        # Same text as mistletoe's Paragraph: each line left-stripped, the whole stripped.
        self.content: str = "".join(line.lstrip() for line in lines).strip()
        self.line_number: int = 0  # set by mistletoe right after construction


class BareHeading(block_token.Heading):
    """A heading nested in a list item or quote: not a section, and no inline facts."""

    def __init__(self, match: object) -> None:
        self.line_number: int = 0


class BareTable(block_token.Table):
    """A table reduced to its row count; cells are split from the source lines."""

    def __init__(self, match: tuple[list[str], int]) -> None:
        self.row_count: int = len(match[0])
        self.line_number: int = 0


# The HTML renderer's block set (HtmlBlock first), with the three classes above swapped in.
_BLOCK_TYPES: list[type] = [
    block_token.HtmlBlock,
    block_token.BlockCode,
    BareHeading,
    block_token.Quote,
    block_token.CodeFence,
    block_token.ThematicBreak,
    block_token.List,
    BareTable,
    block_token.Footnote,
    RawParagraph,
]
_SPAN_TYPES: list[type] = [
    span_token.EscapeSequence,
    span_token.HtmlSpan,
    span_token.Strikethrough,
    span_token.AutoLink,
    span_token.CoreTokens,
    span_token.InlineCode,
    span_token.LineBreak,
    span_token.RawText,
]
# Inline tokens whose whole source range holds no literal bracket.
_OPAQUE: tuple[type, ...] = (
    span_token.EscapeSequence,
    span_token.HtmlSpan,
    span_token.AutoLink,
    span_token.InlineCode,
)


# mistletoe's parse state is module-global: one parse at a time in the whole process.
LOCK = threading.RLock()


class _Root:
    """Stands in for mistletoe's Document as `token._root_node`: only `footnotes` is read."""

    def __init__(self, footnotes: dict[str, tuple[str, str]]) -> None:
        self.footnotes = footnotes


class MarkdownParser:
    """Parses chunks of one document; link definitions are shared across its chunks."""

    def __init__(self, labels: set[str]) -> None:
        self.root = _Root(dict.fromkeys(labels, ("", "")))

    @property
    def labels(self) -> frozenset[str]:
        """Normalized labels of every link reference definition seen so far."""
        return frozenset(self.root.footnotes)

    def blocks(self, lines: list[str]) -> list[block_token.BlockToken]:
        """Block tokens of `lines` (each ending in "\\n"); `line_number` is 1-based within them."""
        with self._state():
            return cast(list[block_token.BlockToken], _tokenize(lines))

    def inline_ranges(self, text: str) -> list[tuple[int, int]]:
        """Offset ranges of `text` that are links, images, code, autolinks, HTML or escapes."""
        with self._state():
            *finders, fallback = _SPAN_TYPES
            found: list[Any] = _find_tokens(text, finders, fallback)
            top: list[Any] = []
            if found:
                previous = found[0]
                for current in found[1:]:
                    previous = _eval_tokens(previous, current, top)
                top.append(previous)
        ranges: list[tuple[int, int]] = []
        _collect_opaque(top, ranges)
        return ranges

    @contextmanager
    def _state(self) -> Iterator[None]:
        with LOCK:
            yield from self._swapped()

    def _swapped(self) -> Iterator[None]:
        saved = (
            block_token._token_types,
            span_token._token_types,
            token._root_node,
            block_token.Paragraph.parse_setext,
        )
        block_token._token_types = _BLOCK_TYPES
        span_token._token_types = _SPAN_TYPES
        token._root_node = cast(Any, self.root)
        try:
            yield
        finally:
            (
                block_token._token_types,
                span_token._token_types,
                token._root_node,
                block_token.Paragraph.parse_setext,
            ) = saved
            core_tokens._code_matches.clear()  # left over when a parse was cut short


def _collect_opaque(parse_tokens: list[Any], out: list[tuple[int, int]]) -> None:
    """Ranges of opaque tokens; emphasis and strikethrough are looked into."""
    for parse_token in parse_tokens:
        cls = parse_token.cls
        if cls in _OPAQUE or (
            cls is span_token.CoreTokens and parse_token.match.type in ("Link", "Image")
        ):
            out.append((parse_token.start, parse_token.end))
        elif parse_token.children:
            _collect_opaque(parse_token.children, out)


def brackets_all_in_code(text: str) -> bool:
    """Whether every `[` and `]` of `text` lies inside an inline code span as mistletoe's span
    tokenizer finds them, so that none is literal and `inline_ranges` need not run.

    Without backslashes, `<` and `~~` the only other tokens are emphasis (its delimiters are
    never inside code) and line breaks, which never cut a code span; with no bracket outside
    code there is no link either. mistletoe then finds exactly the code spans of this search
    chain (`core_tokens.find_core_tokens` skips each match and searches on from its end).
    """
    if "\\" in text or "<" in text or "~~" in text:
        return False
    search = core_tokens.code_pattern.search
    pos = 0
    match = search(text)
    while match is not None:
        start = match.start()
        if text.find("[", pos, start) >= 0 or text.find("]", pos, start) >= 0:
            return False
        pos = match.end()
        match = search(text, pos)
    return text.find("[", pos) < 0 and text.find("]", pos) < 0


def definition_label(text: str) -> str | None:
    """The label when `text` starts with a valid link reference definition (mistletoe's rules)."""
    found = _match_reference(text, 0)
    return cast(str, found[1][0]) if found is not None else None


def is_definition(text: str) -> bool:
    return text.startswith("[") and definition_label(text + "\n") is not None


# mistletoe's functions carry no annotations: these aliases are the only untyped calls.
_tokenize: Any = block_token.tokenize
_find_tokens: Any = span_tokenizer.find_tokens
_eval_tokens: Any = span_tokenizer.eval_tokens
_match_reference: Any = block_token.Footnote.match_reference
