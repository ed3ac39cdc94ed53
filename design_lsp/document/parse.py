"""parse_document: text -> Document (lines, front matter, headings, section tree, inline facts)."""

from __future__ import annotations

from design_lsp.document.facts import Extractor
from design_lsp.document.model import Document, Heading, Section
from design_lsp.document.scan import scan
from design_lsp.text import dominant_eol, split_lines


def parse_document(text: str) -> Document:
    """Parse `text` once. Never raises; positions are LSP lines and code-point columns."""
    lines = split_lines(text)
    scanned = scan(lines)
    extractor = Extractor(lines, scanned)
    for start, end in _chunks(scanned.headings, scanned.front_matter_end, len(lines)):
        extractor.chunk(start, end)
    if extractor.unordered:
        extractor.facts.sort()
    facts = extractor.facts
    return Document(
        text=text,
        lines=lines,
        eol=dominant_eol(text),
        front_matter=scanned.front_matter,
        front_matter_end=scanned.front_matter_end,
        headings=scanned.headings,
        roots=build_sections(scanned.headings, len(lines)),
        fields=facts.fields,
        brackets=facts.brackets,
        list_items=facts.list_items,
        prose=facts.prose,
        link_labels=extractor.labels,
    )


def build_sections(headings: list[Heading], line_count: int) -> list[Section]:
    """The section tree: a section runs to the next heading of the same or a higher level."""
    roots: list[Section] = []
    open_sections: list[Section] = []
    for heading in headings:
        while open_sections and open_sections[-1].heading.level >= heading.level:
            _close(open_sections.pop(), heading.line)
        parent = open_sections[-1] if open_sections else None
        section = Section(
            heading=heading, end_line=line_count, body_end_line=line_count, parent=parent
        )
        if parent is None:
            roots.append(section)
        else:
            if not parent.children:
                parent.body_end_line = heading.line
            parent.children.append(section)
        open_sections.append(section)
    while open_sections:
        _close(open_sections.pop(), line_count)
    return roots


def _close(section: Section, end_line: int) -> None:
    section.end_line = end_line
    if not section.children:
        section.body_end_line = end_line


def _chunks(headings: list[Heading], start: int, line_count: int) -> list[tuple[int, int]]:
    """Line ranges between headings: the preamble, then each heading's body."""
    chunks: list[tuple[int, int]] = []
    for heading in headings:
        chunks.append((start, heading.line))
        start = heading.last_line + 1
    chunks.append((start, line_count))
    return [(begin, end) for begin, end in chunks if begin < end]
