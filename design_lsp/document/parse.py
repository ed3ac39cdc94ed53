"""parse_document: text -> Document (lines, front matter, headings, section tree, inline facts).

`parse` keeps what a later `reparse` needs to redo only what an edit touched: the scan's per-line
arrays and each chunk's facts (a chunk is the text between two headings). `reparse` re-scans from
the last section heading before the edit and stops at the first section heading after it where
the old scan had one too (the scanner's state after a section heading is always the same, so
everything beyond is the old result, moved by the lines the edit added or removed); it then
extracts facts only for the chunks it re-scanned. The result is the same `Document` a full
parse gives (tests/test_incremental.py checks that on random edit sequences).
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from design_lsp.document.facts import Extractor, Facts
from design_lsp.document.model import Document, Heading, Section, Span
from design_lsp.document.scan import Scan, _Scanner, scan
from design_lsp.text import dominant_eol, split_lines


@dataclass(slots=True)
class Parsed:
    """A document with what `reparse` reuses."""

    document: Document
    scan: Scan
    chunks: dict[tuple[int, int], Facts]  # (start, end) lines -> facts, in document order
    reusable: bool  # False when mistletoe found link definitions the scanner did not
    # Set by `reparse` when every heading stayed where it was (typing inside a paragraph): the
    # lines [start, end) it re-scanned. Everything outside them, the section tree included
    # (the same objects), is as in the previous parse.
    unchanged_outside: tuple[int, int] | None = None


def parse_document(text: str, lines: list[str] | None = None) -> Document:
    """Parse `text` once. Never raises; positions are LSP lines and code-point columns.

    `lines`, when given, must be `split_lines(text)` (a language server keeps them already).
    """
    return parse(text, lines).document


def parse(text: str, lines: list[str] | None = None) -> Parsed:
    if lines is None:
        lines = split_lines(text)
    scanned = scan(lines)
    extractor = Extractor(lines, scanned)
    chunks = {
        bounds: extractor.chunk(*bounds)
        for bounds in _chunks(scanned.headings, scanned.front_matter_end, len(lines))
    }
    return _assemble(text, lines, scanned, chunks, extractor)


def _assemble(
    text: str,
    lines: list[str],
    scanned: Scan,
    chunks: dict[tuple[int, int], Facts],
    extractor: Extractor,
) -> Parsed:
    facts = Facts(list(scanned.front_fields))  # front matter comes first
    for chunk in chunks.values():
        facts.extend(chunk)
    roots = build_sections(scanned.headings, len(lines))
    document = _document(text, lines, scanned, roots, facts, extractor.labels)
    reusable = extractor.labels == frozenset(scanned.link_labels)
    return Parsed(document, scanned, chunks, reusable)


def reparse(
    previous: Parsed, text: str, lines: list[str], start: int, old_end: int, new_end: int
) -> Parsed:
    """`parse(text, lines)`, given that `lines` differ from the previous parse's only in
    [start, new_end) (which replaced the old lines [start, old_end))."""
    old = previous.scan
    delta = new_end - old_end
    if (
        not previous.reusable
        or start <= old.front_matter_end
        or (lines and lines[0].rstrip(" \t") == "---")  # front matter may open or close
        or len(previous.document.lines) + delta != len(lines)
    ):
        return parse(text, lines)
    headings = old.headings
    # Restart after the last section heading that ends before the line above the edit (a
    # table header or link definition looks one line ahead).
    keep = bisect_left(headings, start - 1, key=_last_line)
    restart = headings[keep - 1].last_line + 1 if keep else old.front_matter_end
    kinds = old.kinds[:start] + bytearray(new_end - start) + old.kinds[old_end:]
    flags = old.flags[:start] + bytearray(new_end - start) + old.flags[old_end:]
    cols = old.cols[:start] + [0] * (new_end - start) + old.cols[old_end:]
    scanner = _Scanner(lines, restart, (kinds, flags, cols))
    scanner.prev_blank = False  # (as after any heading)
    tail: list[Heading] = []
    stop = len(lines)
    for index in range(restart, len(lines)):
        kinds[index] = flags[index] = cols[index] = 0
        scanner.line(index, lines[index])
        if index >= new_end and scanner.headings and scanner.headings[-1].last_line == index:
            at = bisect_left(headings, index - delta, key=_last_line)
            if at < len(headings) and headings[at].last_line == index - delta:
                stop = index
                tail = _shift_headings(headings[at + 1 :], delta)
                break
    rescanned = headings[keep : len(headings) - len(tail)]
    same_headings = delta == 0 and scanner.headings == rescanned
    new_headings = headings if same_headings else headings[:keep] + scanner.headings + tail
    label_lines = {line: label for line, label in old.label_lines.items() if line < restart}
    label_lines.update(scanner.label_lines)
    label_lines.update(
        (line + delta, label) for line, label in old.label_lines.items() if line > stop - delta
    )
    labels = set(label_lines.values())
    if labels != old.link_labels:
        return parse(text, lines)  # every chunk's brackets may read differently
    scanned = Scan(
        new_headings,
        kinds,
        flags,
        cols,
        old.front_matter,
        old.front_matter_end,
        labels,
        label_lines,
        scanner.unclosed() if stop == len(lines) else old.unclosed,
        old.front_fields,
    )
    extractor = Extractor(lines, scanned)
    if same_headings:
        return _respliced(previous, text, lines, scanned, extractor, restart, stop)
    chunks: dict[tuple[int, int], Facts] = {}
    old_chunks = previous.chunks
    for bounds in _chunks(new_headings, scanned.front_matter_end, len(lines)):
        begin, end = bounds
        if end <= restart:
            reused = old_chunks.get(bounds)
        elif begin > stop:
            reused = old_chunks.get((begin - delta, end - delta))
            if reused is not None and delta:
                reused = reused.shifted(delta)
        else:
            reused = None
        chunks[bounds] = extractor.chunk(begin, end) if reused is None else reused
    if extractor.labels != frozenset(labels):
        return parse(text, lines)  # mistletoe found a definition in a quote: order matters
    return _assemble(text, lines, scanned, chunks, extractor)


def _respliced(
    previous: Parsed,
    text: str,
    lines: list[str],
    scanned: Scan,
    extractor: Extractor,
    restart: int,
    stop: int,
) -> Parsed:
    """The previous parse with only the chunks in [restart, stop] extracted again, for an edit
    that left every heading where it was: the section tree and every other chunk's facts are
    kept, and the document's fact lists are the old ones with that stretch replaced."""
    bounds = list(previous.chunks)  # in document order
    first = bisect_right(bounds, restart, key=_chunk_end)  # the first chunk ending after restart
    last = bisect_right(bounds, stop, key=_chunk_begin)  # the first chunk beginning after stop
    chunks = dict(previous.chunks)
    fresh = Facts()
    for chunk in bounds[first:last]:
        chunks[chunk] = extractor.chunk(*chunk)
        fresh.extend(chunks[chunk])
    if extractor.labels != frozenset(scanned.link_labels):
        return parse(text, lines)  # mistletoe found a definition in a quote: order matters
    lo, hi = (bounds[first][0], bounds[last - 1][1]) if first < last else (restart, restart)
    old = previous.document
    facts = Facts(
        _splice(old.fields, fresh.fields, lo, hi, _line),
        _splice(old.brackets, fresh.brackets, lo, hi, _span_line),
        _splice(old.list_items, fresh.list_items, lo, hi, _line),
        _splice(old.prose, fresh.prose, lo, hi, _line),
    )
    document = _document(text, lines, scanned, old.roots, facts, extractor.labels)
    return Parsed(document, scanned, chunks, True, (restart, stop))


def _document(
    text: str,
    lines: list[str],
    scanned: Scan,
    roots: list[Section],
    facts: Facts,
    labels: frozenset[str],
) -> Document:
    return Document(
        text=text,
        lines=lines,
        eol=dominant_eol(text),
        front_matter=scanned.front_matter,
        front_matter_end=scanned.front_matter_end,
        headings=scanned.headings,
        roots=roots,
        fields=facts.fields,
        brackets=facts.brackets,
        list_items=facts.list_items,
        prose=facts.prose,
        link_labels=labels,
        unclosed=scanned.unclosed,
    )


T = TypeVar("T")


def _splice(old: list[T], new: list[T], lo: int, hi: int, line: Callable[[T], int]) -> list[T]:
    """`old` (in line order) with its items on lines [lo, hi) replaced by `new`."""
    return old[: bisect_left(old, lo, key=line)] + new + old[bisect_left(old, hi, key=line) :]


def _line(fact: Any) -> int:
    return fact.line  # type: ignore[no-any-return]


def _span_line(fact: Any) -> int:
    return fact.span.line  # type: ignore[no-any-return]


def _last_line(heading: Heading) -> int:
    return heading.last_line


def _chunk_begin(bounds: tuple[int, int]) -> int:
    return bounds[0]


def _chunk_end(bounds: tuple[int, int]) -> int:
    return bounds[1]


def _shift_headings(headings: list[Heading], delta: int) -> list[Heading]:
    if not delta:
        return headings
    return [
        Heading(
            h.line + delta,
            h.level,
            h.title,
            Span(h.title_span.line + delta, h.title_span.col, h.title_span.end_line + delta,
                 h.title_span.end_col),
            h.setext,
        )
        for h in headings
    ]


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
