"""Plain data for a parsed document: lines, headings, the section tree, fields and inline facts.

Positions are 0-based lines and code-point columns; conversion to LSP encodings happens in
`design_lsp.text`. Lines are split by LSP rules (\\n, \\r\\n, \\r only).
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field
from operator import attrgetter


@dataclass(frozen=True, slots=True)
class Span:
    """A range in code points: (line, col) to (end_line, end_col), end exclusive."""

    line: int
    col: int
    end_line: int
    end_col: int


@dataclass(frozen=True, slots=True)
class Heading:
    line: int  # line of the heading text (for setext: the text line; underline is line + 1)
    level: int  # 1..6
    title: str  # raw heading text: ATX markers and closing #s stripped, inline markup kept
    title_span: Span  # the characters of `title` in the document
    setext: bool = False

    @property
    def last_line(self) -> int:
        """Last line the heading occupies (the underline for setext)."""
        return self.line + 1 if self.setext else self.line


@dataclass(slots=True)
class Section:
    """A heading and everything up to the next heading of the same or higher level."""

    heading: Heading
    end_line: int  # exclusive: first line after the section's whole subtree
    body_end_line: int  # exclusive: first line of the first child heading (or end_line)
    children: list[Section] = field(default_factory=list)
    parent: Section | None = field(default=None, repr=False)


@dataclass(frozen=True, slots=True)
class Field:
    """A `**Name**: value` (or `Name: value`) list item."""

    name: str
    value: str  # stripped value text (may be empty)
    line: int
    name_span: Span
    value_span: Span  # the value's characters; empty span right after the colon when empty
    note: str = ""  # a front-matter key's `# comment`


@dataclass(frozen=True, slots=True)
class Bracket:
    """A `[...]` span in prose that is not a link, reference, footnote or task box."""

    text: str  # including the brackets
    span: Span


@dataclass(frozen=True, slots=True)
class ListItem:
    text: str  # item text with marker and inline markup stripped, whitespace collapsed
    line: int
    span: Span


@dataclass(frozen=True, slots=True)
class Paragraph:
    """One prose line (outside code, headings) with markup stripped; for template-text."""

    text: str
    line: int
    span: Span
    start: int  # the first line of the paragraph (or list item) this line belongs to


@dataclass(slots=True)
class Document:
    text: str
    lines: list[str]  # without line endings
    eol: str  # the document's dominant line ending ("\n", "\r\n" or "\r")
    front_matter: dict[str, object] | None  # parsed YAML-ish key/values, None if absent
    front_matter_end: int  # first line after front matter (0 if none)
    headings: list[Heading]  # document order
    roots: list[Section]  # top-level sections (in document order)
    fields: list[Field]
    brackets: list[Bracket]
    list_items: list[ListItem]
    prose: list[Paragraph]
    link_labels: frozenset[str]  # normalized labels of link reference definitions
    # What closes a fence, HTML comment or raw HTML block still open at the end ("" when none):
    # text appended at the end would otherwise land inside it.
    unclosed: str = ""

    def next_heading(self, line: int) -> Heading | None:
        """The first heading that starts after `line`."""
        index = bisect_right(self.headings, line, key=_HEADING_LINE)
        return self.headings[index] if index < len(self.headings) else None

    def section_end(self, line: int) -> int:
        """Where the text after `line` ends: the next heading's line, or the document's end."""
        following = self.next_heading(line)
        return following.line if following is not None else len(self.lines)


_HEADING_LINE = attrgetter("line")
