"""Inline facts of the text between headings: fields, placeholder brackets, list items, prose.

The scanner already knows, per line, where paragraphs and list items start and where their text
begins; that line model yields the facts. mistletoe's span tokenizer decides which brackets are
links, code, HTML or escapes wherever syntax rules alone cannot (see `_needs_parser`), unless
its answer cannot matter (`_only_links`) or is known beforehand (`brackets_all_in_code`). A chunk
holding a block quote (where fences, lists and lazy lines nest inside `>` markers) goes through
mistletoe's block tokenizer instead, unless it is nested too deeply for mistletoe's recursion,
or mistletoe fails on it.

mistletoe's block tokenizer is not used everywhere because it costs ~0.6 s per MB of list-heavy
text on its own; the line model is several times cheaper.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterable
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from itertools import pairwise
from typing import Any, cast

from mistletoe import block_token

from design_lsp.document import inline
from design_lsp.document.mdparse import (
    BareTable,
    MarkdownParser,
    RawParagraph,
    brackets_all_in_code,
    is_definition,
)
from design_lsp.document.model import Bracket, Field, ListItem, Paragraph, Span
from design_lsp.document.scan import (
    ITEM,
    PARA_START,
    QUOTE,
    TABLE,
    TEXT,
    Scan,
    new_bracket,
    new_list_item,
    new_prose,
    new_span,
)

MAX_DEPTH = 50  # quote/list nesting beyond which mistletoe is not used: it recurses per level
MAX_LINE = 20_000  # mistletoe's block tokenizer is not given longer lines
MAX_INLINE = 5_000  # longer texts' brackets are found without mistletoe's span tokenizer

_PREFIX_START = frozenset(" \t>-+*0123456789")
_MARKERS = re.compile(r">|[-+*]|\d{1,9}[.)]")
_ROW_BREAK = PARA_START | ITEM | QUOTE
_DEST_BRACKET = re.compile(r"\]\([^)\[\]]*[\[\]]")  # a bracket inside a link destination
_CONTENT = re.compile(b"[%c%c]" % (TEXT, TABLE))  # line kinds that hold facts
# A flags byte with the QUOTE bit set.
_QUOTED = re.compile(b"[%s]" % re.escape(bytes(v for v in range(256) if v & QUOTE)))
_NO_BOXES: frozenset[tuple[int, int]] = frozenset()


@dataclass(slots=True)
class Facts:
    fields: list[Field] = field(default_factory=list)
    brackets: list[Bracket] = field(default_factory=list)
    list_items: list[ListItem] = field(default_factory=list)
    prose: list[Paragraph] = field(default_factory=list)

    def extend(self, other: Facts) -> None:
        self.fields += other.fields
        self.brackets += other.brackets
        self.list_items += other.list_items
        self.prose += other.prose

    def shifted(self, delta: int) -> Facts:
        """The same facts `delta` lines further down (for a chunk an edit above it moved)."""
        return Facts(
            [
                Field(f.name, f.value, f.line + delta, _move(f.name_span, delta),
                      _move(f.value_span, delta))
                for f in self.fields
            ],
            [Bracket(b.text, _move(b.span, delta)) for b in self.brackets],
            [ListItem(i.text, i.line + delta, _move(i.span, delta)) for i in self.list_items],
            [
                Paragraph(p.text, p.line + delta, _move(p.span, delta), p.start + delta)
                for p in self.prose
            ],
        )

    def sort(self) -> None:
        """Document order (mistletoe's tree is visited depth first)."""
        self.fields.sort(key=lambda item: (item.line, item.name_span.col))
        self.brackets.sort(key=lambda item: (item.span.line, item.span.col))
        self.list_items.sort(key=lambda item: (item.line, item.span.col))
        self.prose.sort(key=lambda item: (item.line, item.span.col))


def _move(span: Span, delta: int) -> Span:
    return Span(span.line + delta, span.col, span.end_line + delta, span.end_col)


# Where one line of a paragraph has its text: document line, start and end columns.
_Row = tuple[int, int, int]


class Extractor:
    """Collects facts chunk by chunk; link definitions of the whole document apply in each."""

    def __init__(self, lines: list[str], scanned: Scan) -> None:
        self.lines = lines
        self.kinds = scanned.kinds
        self.flags = scanned.flags
        self.cols = scanned.cols
        self.parser = MarkdownParser(scanned.link_labels)
        self._last_plain = ("", "")
        self._quote_lines = [match.start() for match in _QUOTED.finditer(self.flags)]

    @property
    def labels(self) -> frozenset[str]:
        return self.parser.labels

    def chunk(self, start: int, end: int) -> Facts:
        """The facts of lines [start, end) (one chunk between headings), in document order."""
        if _CONTENT.search(self.kinds, start, end) is None:
            return Facts()  # only blank lines, code, HTML or definitions
        facts = self._read(start, end)
        if facts.prose:
            self._field_lines(facts)
        return facts

    def _read(self, start: int, end: int) -> Facts:
        at = bisect_left(self._quote_lines, start)
        quoted = at < len(self._quote_lines) and self._quote_lines[at] < end
        if quoted and self._mistletoe_can_read(start, end):
            try:
                facts = _Walk(self, start).run(self.lines[start:end])
                facts.sort()  # mistletoe's tree is walked depth first
                return facts
            except Exception:  # noqa: BLE001 - any input must parse; the line model still works
                pass
        return _LineModel(self).run(start, end)  # (not kept: it would make a reference cycle)

    def _field_lines(self, facts: Facts) -> None:
        """Fields written as lines of text rather than list items: a run of paragraphs made
        only of `**Name:** value` lines, two lines or more ("**Author:** Ada" then "**Status:**
        Draft", as one paragraph or one each). A lone bold line ("**Note:** ...") is prose."""
        lines = self.lines
        runs: list[list[int]] = []
        last = -1  # the last line of the previous field paragraph
        start = -1
        paragraph: list[int] = []
        for prose in [*facts.prose, None]:
            if prose is not None and prose.start == start:
                paragraph.append(prose.line)
                continue
            if paragraph and all(self._bold_field(line) for line in paragraph):
                between = range(last + 1, paragraph[0])
                if runs and last >= 0 and all(not lines[i].strip() for i in between):
                    runs[-1] += paragraph
                else:
                    runs.append(list(paragraph))
                last = paragraph[-1]
            else:
                last = -1
            if prose is None:
                break
            start, paragraph = prose.start, [prose.line]
        added = False
        for run in runs:
            if len(run) >= 2:
                for line in run:
                    text = lines[line]
                    self._field(facts, line, text, len(text) - len(text.lstrip()))
                added = True
        if added:
            facts.fields.sort(key=lambda item: (item.line, item.name_span.col))

    def _bold_field(self, line: int) -> bool:
        text = self.lines[line].lstrip()
        return text[:2] in ("**", "__") and inline.parse_field(text, plain=False) is not None

    def _mistletoe_can_read(self, start: int, end: int) -> bool:
        """False for lines mistletoe would recurse on too deeply, or be too slow on."""
        for line in self.lines[start:end]:
            if len(line) > MAX_LINE or (line[:1] in _PREFIX_START and _depth(line) > MAX_DEPTH):
                return False
        return True

    # Shared by both readings -----------------------------------------------------------------

    def item(self, facts: Facts, line_no: int, start: int) -> tuple[Span, str]:
        """Record the list item whose content starts at `start` on `line_no`; returns its span
        and plain text."""
        line = self.lines[line_no]
        text_start = start
        if "[" in line and (box := inline.TASK_BOX.match(line, start)) is not None:
            text_start = box.end()
        end = len(line.rstrip())
        if end < text_start:
            end = text_start
        span = new_span(line_no, text_start, line_no, end)
        plain = self.plain_text(line[text_start:end])
        facts.list_items.append(new_list_item(plain, line_no, span))
        if ":" in line and line.find(":", text_start) >= 0:  # (every field has a colon)
            self._field(facts, line_no, line, text_start)
        return span, plain

    def _field(self, facts: Facts, line_no: int, line: str, text_start: int) -> None:
        found = inline.parse_field(line[text_start:])  # (trailing space: where a value goes)
        if found is not None:
            name_span = new_span(
                line_no, text_start + found.name_start, line_no, text_start + found.name_end
            )
            value_span = new_span(
                line_no, text_start + found.value_start, line_no, text_start + found.value_end
            )
            value = line[text_start + found.value_start : text_start + found.value_end]
            facts.fields.append(Field(found.name, value, line_no, name_span, value_span))

    def paragraph(
        self, facts: Facts, rows: list[_Row], task_boxes: AbstractSet[tuple[int, int]]
    ) -> None:
        """Prose lines and brackets of one paragraph, given the rows of its text in order."""
        lines = self.lines
        texts: list[str] = []
        bracket = False
        first = rows[0][0] if rows else 0
        for line, start, end in rows:
            text = lines[line][start:end]
            texts.append(text)
            self.prose_line(facts, line, start, end, text, first)
            if not bracket and "[" in text:
                bracket = True
        if not bracket or _only_links(lines, rows):
            return
        content = "\n".join(texts)
        ranges: list[tuple[int, int]] | None = None
        if _needs_parser(content):
            if brackets_all_in_code(content):
                return  # (every bracket is code)
            ranges = self.parser.inline_ranges(content)
        offset = 0
        for (line, start, end), text in zip(rows, texts, strict=True):
            if ranges is None:
                excluded = inline.line_exclusions(lines[line], start, end)
            else:
                excluded = [(start + a - offset, start + b - offset) for a, b in ranges]
            offset += len(text) + 1
            if "[" in text:
                task_col = start if (line, start) in task_boxes else -1
                self.brackets(facts, line, start, end, excluded, task_col)

    def prose_line(
        self, facts: Facts, line: int, start: int, end: int, text: str, first: int
    ) -> None:
        """Record `text`, line[start:end], as prose unless markup is all it holds; `first` is
        the paragraph's first line."""
        plain = self.plain_text(text)
        if plain:  # (a line of nothing but an HTML tag has no prose)
            facts.prose.append(new_prose(plain, line, new_span(line, start, line, end), first))

    def plain_text(self, text: str) -> str:
        """inline.plain_text, remembering the last answer (list items ask twice for one line)."""
        if text != self._last_plain[0]:
            self._last_plain = (text, inline.plain_text(text))
        return self._last_plain[1]

    def table_row(self, facts: Facts, line_no: int) -> None:
        """Brackets of a table row's cells (table cells are not prose)."""
        line = self.lines[line_no]
        if "[" not in line:
            return
        # One parser-free pass for a huge row rather than a mistletoe call per cell.
        whole = inline.line_exclusions(line, 0, len(line)) if len(line) > MAX_INLINE else None
        for start, end in _cells(line):
            if "[" not in line[start:end]:
                continue
            cell = line[start:end]
            if _only_links(self.lines, [(line_no, start, end)]):
                continue
            if whole is not None:
                excluded = whole
            elif _needs_parser(cell):
                if brackets_all_in_code(cell):
                    continue
                excluded = [(start + a, start + b) for a, b in self.parser.inline_ranges(cell)]
            else:
                excluded = inline.line_exclusions(line, start, end)
            self.brackets(facts, line_no, start, end, excluded, -1)

    def brackets(
        self,
        facts: Facts,
        line_no: int,
        start: int,
        end: int,
        excluded: Iterable[tuple[int, int]],
        task_col: int,
    ) -> None:
        line = self.lines[line_no]
        labels = self.parser.root.footnotes.keys()
        for pair in inline.bracket_pairs(line, start, end, excluded):
            if inline.is_placeholder(line, pair, labels, task_col):
                span = new_span(line_no, pair[0], line_no, pair[1])
                facts.brackets.append(new_bracket(line[pair[0] : pair[1]], span))


class _LineModel:
    """Facts of a chunk from the scanner's per-line kinds, flags and text columns."""

    def __init__(self, owner: Extractor) -> None:
        self.owner = owner

    def run(self, start: int, end: int) -> Facts:
        """The facts of lines [start, end)."""
        owner, facts = self.owner, Facts()
        kinds, flags, cols, lines = owner.kinds, owner.flags, owner.cols, owner.lines
        index = start
        while index < end:
            kind, flag = kinds[index], flags[index]
            item: tuple[Span, str] | None = None
            if flag & QUOTE:
                self._quote_line(facts, index)
            elif flag & ITEM:
                item = owner.item(facts, index, cols[index])
            if kind == TEXT and not flag & QUOTE:
                following = index + 1
                while (
                    following < end
                    and kinds[following] == TEXT
                    and not flags[following] & _ROW_BREAK
                ):
                    following += 1
                if item is not None and following == index + 1 and "[" not in lines[index]:
                    # A list item's line that is a paragraph by itself, with no task box (no
                    # bracket): its prose line is the item's text, with the same span.
                    span, plain = item
                    if plain:
                        facts.prose.append(new_prose(plain, index, span, index))
                else:
                    self._paragraph(facts, index, following)
                index = following
                continue
            if kind == TABLE:
                owner.table_row(facts, index)
            index += 1
        return facts

    def _paragraph(self, facts: Facts, start: int, end: int) -> None:
        owner = self.owner
        lines, cols = owner.lines, owner.cols
        if end == start + 1:  # the commonest paragraph: one line, often without brackets
            line, col = lines[start], cols[start]
            stop = len(line.rstrip())
            if col >= stop:
                return
            text = line[col:stop]
            if "[" not in text:
                owner.prose_line(facts, start, col, stop, text, start)
                return
        rows: list[_Row] = []
        for line_no in range(start, end):
            stop = len(lines[line_no].rstrip())
            if cols[line_no] < stop:
                rows.append((line_no, cols[line_no], stop))
        boxes = {(start, cols[start])} if owner.flags[start] & ITEM else _NO_BOXES
        owner.paragraph(facts, rows, boxes)

    def _quote_line(self, facts: Facts, line_no: int) -> None:
        """A quote line read on its own (mistletoe could not take the chunk)."""
        line = self.owner.lines[line_no]
        prefix = inline.CONTAINER_PREFIX.match(line)
        start = prefix.end() if prefix else 0
        is_item = any(ch in "-+*.)" for ch in line[:start])
        if is_item:
            self.owner.item(facts, line_no, start)
        stop = len(line.rstrip())
        if start < stop and not is_definition(line[start:stop]):
            boxes = {(line_no, start)} if is_item else _NO_BOXES
            self.owner.paragraph(facts, [(line_no, start, stop)], boxes)


class _Walk:
    """Facts of one chunk from mistletoe's block tokens (chunks holding block quotes)."""

    def __init__(self, owner: Extractor, start: int) -> None:
        self.owner = owner
        self.lines = owner.lines
        self.start = start
        self.facts = Facts()
        self.task_boxes: set[tuple[int, int]] = set()  # (line, col) where a task box may sit
        self.open_items: dict[int, int] = {}  # line -> list items being walked that start on it

    def run(self, lines: list[str]) -> Facts:
        tokens = self.owner.parser.blocks([line + "\n" for line in lines])
        self.blocks(tokens, self.start - 1)
        return self.facts

    def blocks(self, tokens: Iterable[Any], base: int) -> None:
        """`base` + a token's 1-based line_number is its document line."""
        for tok in tokens:
            if isinstance(tok, RawParagraph):
                rows = _locate(self.lines, tok.content, base + tok.line_number)
                self.owner.paragraph(self.facts, rows, self.task_boxes)
            elif isinstance(tok, block_token.List):
                for item in _children(tok):
                    self.list_item(item, base)
            elif isinstance(tok, block_token.Quote):
                self.blocks(_children(tok), base)
            elif isinstance(tok, BareTable):
                header = base + tok.line_number
                for line_no in range(header, min(header + tok.row_count, len(self.lines))):
                    self.owner.table_row(self.facts, line_no)

    def list_item(self, item: Any, base: int) -> None:
        line_no = base + cast(int, item.line_number)
        if line_no >= len(self.lines):
            return
        line = self.lines[line_no]
        children = list(_children(item))
        prefix = inline.CONTAINER_PREFIX.match(line)
        start = prefix.end() if prefix else 0
        outer = self.open_items.get(line_no, 0)  # items of this line that enclose this one
        # mistletoe numbers the content of an item whose marker line is blank from the marker line.
        blank = bool(children) and _only_marker(line[:start], outer) and start >= len(line.rstrip())
        child_base = base + 1 if blank else base
        first = children[0] if children else None
        # An item whose content starts with a list ("- - x"): the inner item reports the line.
        starts_with_list = isinstance(first, block_token.List) and not blank
        if not (starts_with_list and cast(Any, first).line_number == item.line_number):
            self.owner.item(self.facts, line_no, start)
            self.task_boxes.add((line_no, start))
        self.open_items[line_no] = outer + 1
        self.blocks(children, child_base)
        self.open_items[line_no] = outer


def _only_marker(prefix: str, outer: int) -> bool:
    """Whether the item with `outer` enclosing items on its line owns the prefix's last marker
    (so nothing but whitespace follows its own marker)."""
    markers = _MARKERS.findall(prefix)
    return bool(markers) and markers[-1] != ">" and sum(m != ">" for m in markers) == outer + 1


def _locate(lines: list[str], content: str, first: int) -> list[_Row]:
    """Rows of a mistletoe paragraph on document lines from `first` on; rows not found are dropped.

    Each row is its source line minus the container prefix (quote markers, list marker,
    indentation), so it ends the source line; mistletoe's tab handling in quotes can break
    that, and such a row is searched for instead.
    """
    rows: list[_Row] = []
    for index, text in enumerate(content.split("\n")):
        line_no = first + index
        if line_no >= len(lines):
            break
        source = lines[line_no].rstrip()
        core = text.rstrip()
        col = len(source) - len(core) if source.endswith(core) else source.find(core)
        if col >= 0:
            rows.append((line_no, col, col + len(core)))
    return rows


def _cells(line: str) -> list[tuple[int, int]]:
    """Column ranges of a table row's cells (pipes escaped with a backslash do not split)."""
    prefix = inline.CONTAINER_PREFIX.match(line)
    start = prefix.end() if prefix else 0
    end = len(line.rstrip())
    bounds = [start - 1]
    index = line.find("|", start, end)
    while index >= 0:
        if line[index - 1 : index] != "\\":
            bounds.append(index)
        index = line.find("|", index + 1, end)
    bounds.append(end)
    cells: list[tuple[int, int]] = []
    for left, right in pairwise(bounds):
        cell_start, cell_end = left + 1, right
        while cell_start < cell_end and line[cell_start] in " \t":
            cell_start += 1
        while cell_end > cell_start and line[cell_end - 1] in " \t":
            cell_end -= 1
        if cell_start < cell_end:
            cells.append((cell_start, cell_end))
    return cells


def _only_links(lines: list[str], rows: list[_Row]) -> bool:
    """Whether no `[...]` pair of the rows can be a placeholder, whichever brackets a parser
    would exclude (excluding brackets only changes how the others pair up): every `]` after
    the first opener that could start one is followed by `(` or `[`. An opener right after
    a `]` or before a `^` starts none (see `inline.is_placeholder`). Paragraphs of links and
    footnotes then need no parser."""
    for line_no, start, end in rows:
        line = lines[line_no]
        opener = line.find("[", start, end)
        while opener >= 0 and (
            line.startswith("^", opener + 1) or (opener > 0 and line[opener - 1] == "]")
        ):
            opener = line.find("[", opener + 1, end)
        if opener < 0:
            continue
        closer = line.find("]", opener, end)
        while closer >= 0:
            if not line.startswith(("(", "["), closer + 1):
                return False
            closer = line.find("]", closer + 1, end)
    return True


def _needs_parser(text: str) -> bool:
    """Whether mistletoe's span tokenizer must say which brackets of `text` are literal.

    Without code ticks, `<`, backslashes and inline links that span lines or hold brackets in
    their destination, `inline.is_placeholder`'s syntax rules (`[x](`, `[x][`, defined labels)
    give the same answer, at a fraction of the cost. Huge texts never go to the parser: its
    link and code-span matching is quadratic on pathological input.
    """
    if len(text) > MAX_INLINE:
        return False
    if "`" in text or "<" in text or "\\" in text:
        return True
    return "](" in text and ("\n" in text or _DEST_BRACKET.search(text) is not None)


def _children(tok: Any) -> Iterable[Any]:
    return cast(Iterable[Any], tok.children or ())


def _depth(line: str) -> int:
    """Rough nesting depth of a line: quote and list markers in its prefix, plus indentation."""
    prefix = inline.CONTAINER_PREFIX.match(line)
    if prefix is None:
        return 0
    text = prefix.group()
    indent = len(text) - len(text.lstrip(" \t"))
    return text.count(">") + len(text.replace(">", " ").split()) + indent // 4
