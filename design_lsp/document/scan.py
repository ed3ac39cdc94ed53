"""A fast, linear block scanner: front matter, headings, link labels, and for every line its kind
(text, code, HTML, heading, ...), flags (starts a paragraph, a list item, is quoted) and the
column where its paragraph text starts.

mistletoe would find the headings too, but a full parse costs ~0.5 s per MB and knows nothing of
front matter; this scanner follows CommonMark closely enough for section structure (fences, HTML
blocks, indented code, block quotes, list items and their lazy lines, setext underlines, tables)
in a single pass. Block quotes are only marked: their inner structure is left to mistletoe.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field, fields

from design_lsp.document.front_matter import front_matter as read_front_matter
from design_lsp.document.inline import normalize_label
from design_lsp.document.model import Bracket, Field, Heading, ListItem, Paragraph, Span

# Line kinds (one byte per line in `Scan.kinds`).
BLANK = 0
TEXT = 1  # paragraph, list item or block quote text
CODE = 2  # fenced or indented code, fence delimiters included
HTML = 3  # HTML block (comments included)
FRONT = 4  # YAML front matter, delimiters included
HEADING = 5  # a section heading (ATX line, or setext text and underline)
BREAK = 6  # thematic break
DEF = 7  # link reference definition
NESTED_HEADING = 8  # a heading inside a list item: not a section
TABLE = 9  # a table row (header, delimiter or body)

# Line flags (bits in `Scan.flags`).
PARA_START = 1  # the line starts a paragraph (list item content starts one too)
ITEM = 2  # a list item starts on the line
QUOTE = 4  # a block quote line (its inner structure is left to mistletoe)

_BLOCK_STARTERS = frozenset("#=-*_`~<>[")  # first characters of the blocks `_leaf` knows
_MAY_START_BLOCK = frozenset("#-*_`~><+0123456789")  # ... and of those `_starts_block` knows

# Paragraph state of the previous line.
_NO_PARA = 0
_TOP_PARA = 1  # a top-level paragraph: a setext underline may follow
_NESTED_PARA = 2  # a paragraph inside a list item or block quote (or lazily continuing one)

_SPACES = re.compile(r"[ \t]*")
_ATX = re.compile(r"#{1,6}(?=[ \t]|$)")
_SETEXT = re.compile(r"(?:=+|-+)[ \t]*$")
_BREAK = re.compile(r"([-*_])(?:[ \t]*\1){2,}[ \t]*$")
_FENCE = re.compile(r"(`{3,}|~{3,})(.*)$")
_LIST = re.compile(r"([-+*]|(\d{1,9})[.)])(?=[ \t]|$)")
_LINK_DEF = re.compile(r"\[(?:[^\[\]\\]|\\.){1,999}\]:")
_QUOTE_PREFIX = re.compile(r"(?:[ \t]*>[ \t]?)+[ \t]*")
_HTML_RAW = re.compile(r"<(pre|script|style|textarea)(?=[ \t>]|$)", re.IGNORECASE)
_HTML_TAG = re.compile(r"</?([A-Za-z][A-Za-z0-9-]*)(?=[ \t]|/?>|$)")
_BLOCK_TAG_NAMES = (
    "address article aside base basefont blockquote body caption center col colgroup dd details "
    "dialog dir div dl dt fieldset figcaption figure footer form frame frameset h1 h2 h3 h4 h5 h6 "
    "head header hr html iframe legend li link main menu menuitem nav noframes ol optgroup option "
    "p param search section summary table tbody td tfoot th thead title tr track ul"
)
_HTML_BLOCK_TAGS = frozenset(_BLOCK_TAG_NAMES.split())  # CommonMark HTML block kind 6
_DELIMITER_CELL = re.compile(r"[ \t]*:?-+:?[ \t]*")


@dataclass(slots=True)
class Scan:
    headings: list[Heading]
    kinds: bytearray  # one kind per line
    flags: bytearray  # PARA_START | ITEM | QUOTE bits per line
    cols: list[int]  # per line: where its paragraph text (or list item content) starts
    front_matter: dict[str, object] | None
    front_matter_end: int
    link_labels: set[str] = field(default_factory=set)  # normalized, validated definitions
    label_lines: dict[int, str] = field(default_factory=dict)  # line -> label defined there
    unclosed: str = ""  # closes a top-level fence or HTML block open at the last line
    front_fields: list[Field] = field(default_factory=list)  # front-matter keys as fields


def scan(lines: list[str]) -> Scan:
    """Scan `lines` (LSP lines, no endings) once."""
    front_matter, start, front_fields = read_front_matter(lines)
    scanner = _Scanner(lines, start)
    scanner.run()
    return Scan(
        scanner.headings,
        scanner.kinds,
        scanner.flags,
        scanner.cols,
        front_matter,
        start,
        scanner.labels,
        scanner.label_lines,
        scanner.unclosed(),
        front_fields,
    )


def indent_of(line: str, start: int = 0, col: int = 0) -> tuple[int, int]:
    """(column, index) of the first non-space/tab character at or after `start` (tabs stop at 4).

    `col` is the column of `start`. No slicing: a line may be megabytes long.
    """
    spaces = _SPACES.match(line, start)
    end = spaces.end() if spaces else start
    if line.find("\t", start, end) < 0:
        return col + end - start, end
    for ch in line[start:end]:
        col = col + 4 - col % 4 if ch == "\t" else col + 1
    return col, end


# --- model objects ------------------------------------------------------------------------
# A parsed megabyte makes ~10^5 spans, headings, list items and prose lines. A frozen dataclass's
# __init__ sets each field through object.__setattr__ (~0.5 µs a span); setting the slots
# directly makes the very same object (class, fields, equality, hash) in about half the time.

_Setter = Callable[[object, object], None]
_new = object.__new__


def _slot_setters(cls: type, names: str) -> tuple[_Setter, ...]:
    """The slot setters of `cls`'s fields, which must be exactly `names` (in order)."""
    if tuple(item.name for item in fields(cls)) != tuple(names.split()):
        raise TypeError(f"{cls.__name__} changed: update its constructor in {__name__}")
    return tuple(getattr(cls, name).__set__ for name in names.split())


_SPAN = _slot_setters(Span, "line col end_line end_col")
_HEADING = _slot_setters(Heading, "line level title title_span setext")
_ITEM = _slot_setters(ListItem, "text line span")
_PROSE = _slot_setters(Paragraph, "text line span start")
_BRACKET = _slot_setters(Bracket, "text span")


def new_span(line: int, col: int, end_line: int, end_col: int) -> Span:
    """`Span(line, col, end_line, end_col)`, made faster."""
    span: Span = _new(Span)
    set_line, set_col, set_end_line, set_end_col = _SPAN
    set_line(span, line)
    set_col(span, col)
    set_end_line(span, end_line)
    set_end_col(span, end_col)
    return span


def new_heading(line: int, level: int, title: str, span: Span, setext: bool) -> Heading:
    heading: Heading = _new(Heading)
    set_line, set_level, set_title, set_span, set_setext = _HEADING
    set_line(heading, line)
    set_level(heading, level)
    set_title(heading, title)
    set_span(heading, span)
    set_setext(heading, setext)
    return heading


def new_list_item(text: str, line: int, span: Span) -> ListItem:
    item: ListItem = _new(ListItem)
    set_text, set_line, set_span = _ITEM
    set_text(item, text)
    set_line(item, line)
    set_span(item, span)
    return item


def new_prose(text: str, line: int, span: Span, start: int) -> Paragraph:
    prose: Paragraph = _new(Paragraph)
    set_text, set_line, set_span, set_start = _PROSE
    set_text(prose, text)
    set_line(prose, line)
    set_span(prose, span)
    set_start(prose, start)
    return prose


def new_bracket(text: str, span: Span) -> Bracket:
    bracket: Bracket = _new(Bracket)
    set_text, set_span = _BRACKET
    set_text(bracket, text)
    set_span(bracket, span)
    return bracket


# --- headings -------------------------------------------------------------------------------


def atx_heading(line_no: int, line: str, pos: int, hashes: int) -> Heading:
    """Heading for an ATX line whose `#` run of length `hashes` starts at `pos`."""
    start = pos + hashes
    end = len(line.rstrip(" \t"))  # (what `_strip_span` finds, without a loop per space)
    if end <= start:
        start = end = len(line)  # nothing but spaces after the `#`s
    else:
        while line[start] in " \t":
            start += 1
    closing = end
    while closing > start and line[closing - 1] == "#":
        closing -= 1
    if closing == start:
        end = start  # only a closing sequence: an empty heading
    elif closing < end and line[closing - 1] in " \t":
        end = _strip_span(line, start, closing)[1]
    span = new_span(line_no, start, line_no, end)
    return new_heading(line_no, hashes, line[start:end], span, False)


def _setext_heading(line_no: int, line: str, underline: str) -> Heading:
    """Heading for the text line of a setext heading; `underline` is "=" or "-"."""
    start, end = _strip_span(line, 0, len(line))
    level = 1 if underline == "=" else 2
    span = new_span(line_no, start, line_no, end)
    return new_heading(line_no, level, line[start:end], span, True)


def _strip_span(line: str, start: int, end: int) -> tuple[int, int]:
    """Shrink [start, end) past spaces and tabs on both sides."""
    while start < end and line[start] in " \t":
        start += 1
    while end > start and line[end - 1] in " \t":
        end -= 1
    return start, end


# --- the scanner ----------------------------------------------------------------------------


@dataclass(slots=True)
class _Fence:
    char: str
    length: int
    base: int  # content column of the container the fence opened in


class _Scanner:
    """One pass over the lines; its state: the open fence, HTML block or table, the paragraph
    state of the previous line and the content columns of open list items."""

    def __init__(
        self,
        lines: list[str],
        start: int,
        arrays: tuple[bytearray, bytearray, list[int]] | None = None,
    ) -> None:
        """`arrays` (kinds, flags, cols) to continue a previous scan from `start`, where the
        state is the one after a section heading (see `rescan`)."""
        self.lines = lines
        self.start = start
        if arrays is None:
            self.kinds = bytearray(len(lines))
            self.kinds[:start] = bytes([FRONT]) * start
            self.flags = bytearray(len(lines))
            self.cols = [0] * len(lines)
        else:
            self.kinds, self.flags, self.cols = arrays
        self.headings: list[Heading] = []
        self.labels: set[str] = set()
        self.label_lines: dict[int, str] = {}
        self.fence: _Fence | None = None
        self.html_end: str | None = None  # "" means "ends at a blank line"
        self.html_base = 0  # content column of the list item holding the HTML block
        self.in_table = False
        self.para = _NO_PARA
        self.prev_blank = True
        self.last = ""  # last character of the line `block` is on, other than space and tab
        self.items: list[int] = []  # content columns of the open list items, innermost last

    def run(self) -> None:
        line, lines = self.line, self.lines  # (bound once: called for every line)
        index, count = self.start, len(lines)
        while index < count:
            if self.fence is not None and self.fence.base == 0:
                index = self._fence_body(index, self.fence)
            else:
                line(index, lines[index])
                index += 1

    def _fence_body(self, index: int, fence: _Fence) -> int:
        """`line` for each line of a top-level fence from `index` on, in one loop; returns the
        index after its closing line (or the end)."""
        kinds, lines, char = self.kinds, self.lines, fence.char
        for at in range(index, len(lines)):
            kinds[at] = CODE
            text = lines[at]
            if char in text and self._closes_fence(*indent_of(text), text, fence):
                self.fence = None
                return at + 1
        return len(lines)

    def unclosed(self) -> str:
        """The line that would close the top-level fence or HTML block open now ("" if none;
        one opened inside a list item ends with the item, at any less indented line)."""
        if self.fence is not None and self.fence.base == 0:
            return self.fence.char * self.fence.length
        if self.html_end and self.html_base == 0:
            return self.html_end
        return ""

    def line(self, index: int, line: str) -> None:
        if not line:  # the commonest blank line: what the general path below does with it
            if self.fence is not None:
                self.kinds[index] = CODE
            else:
                self._blank()
            return
        fence = self.fence
        if fence is not None:
            if fence.base == 0:
                # A top-level fence holds every line up to its closing one, whatever the indent.
                self.kinds[index] = CODE
                if fence.char in line and self._closes_fence(*indent_of(line), line, fence):
                    self.fence = None
                return
        elif self.html_end is None and self._margin_line(index, line):
            return
        col, pos = indent_of(line) if line[0] in " \t" else (0, 0)
        blank = pos == len(line)
        # A fence or HTML block inside a list item ends with the item (a less indented line).
        if fence is not None and (blank or col >= fence.base):
            self.kinds[index] = CODE
            if fence.char in line and self._closes_fence(col, pos, line, fence):
                self.fence = None
            return
        self.fence = None
        if blank:
            self._blank()
            return
        if self.html_end is not None and col >= self.html_base:
            self.kinds[index] = HTML
            if self.html_end and self.html_end in line.lower():
                self.html_end = None
            return
        self.html_end = None
        self.last = line.rstrip(" \t")[-1]  # (a thematic break ends with its own character)
        lazy = self._close_items(line, pos, col) if self.items else False
        self.block(index, line, col, pos, lazy)
        self.prev_blank = False

    def _margin_line(self, index: int, line: str) -> bool:
        """Fast paths for the commonest non-blank lines, outside fences and HTML blocks: prose,
        an ATX heading, a bullet item holding prose, or a table row, each at the margin, and a
        bullet item nested in one at the margin (each exactly what the general path in `line`
        does with it). False for any other line."""
        first = line[0]
        if first.isalpha():
            if self.items or self.in_table or "|" in line:
                return False
            self.kinds[index] = TEXT
            if self.para == _NO_PARA:
                self.flags[index] |= PARA_START
                self.para = _TOP_PARA
        elif first == "#":
            match = _ATX.match(line)
            if match is None:
                return False
            # A heading ends any list (it is no lazy line) and any table.
            self.items.clear()
            self.in_table = False
            self.kinds[index] = HEADING
            self.headings.append(atx_heading(index, line, 0, match.end()))
            self.para = _NO_PARA
        elif first in "-*+":
            if not (line.startswith(" ", 1) and line[2:3].isalpha()) or "|" in line:
                return False
            # "- text": ends the open list items and table, opens an item whose text starts at 2.
            self.items.clear()
            self.items.append(2)
            self.in_table = False
            self.kinds[index] = TEXT
            self.flags[index] |= ITEM | PARA_START
            self.cols[index] = 2
            self.para = _NESTED_PARA
        elif first == "|" and self.in_table:
            self.items.clear()  # (a table row has no paragraph to continue lazily)
            self.kinds[index] = TABLE
        elif first == " " and self.items and self.items[-1] == 2:
            # "  - text" in the item "- text" opened: a sub-item whose text starts at 4.
            if not (
                line.startswith(("  - ", "  * ", "  + "))
                and line[4:5].isalpha()
                and "|" not in line
            ):
                return False
            self.items.append(4)
            self.in_table = False
            self.kinds[index] = TEXT
            self.flags[index] |= ITEM | PARA_START
            self.cols[index] = 4
            self.para = _NESTED_PARA
        else:
            return False
        self.prev_blank = False  # (`last` is only read for the line the general path is on)
        return True

    def _blank(self) -> None:
        if self.html_end == "":
            self.html_end = None
        self.para = _NO_PARA
        self.in_table = False
        self.prev_blank = True

    def _close_items(self, line: str, pos: int, col: int) -> bool:
        """Pop list items the line is not indented into; True for a lazy paragraph continuation."""
        if not self.items or col >= self.items[-1]:
            return False
        if (
            self.para != _NO_PARA
            and not self.prev_blank
            and not _starts_block(line, pos, self.last)
        ):
            return True
        while self.items and col < self.items[-1]:
            self.items.pop()
        return False

    def block(self, index: int, line: str, col: int, pos: int, lazy: bool) -> None:
        """Classify a non-blank line, starting a new block where one starts."""
        if self.in_table and (line.find("|", pos) < 0 or _starts_block(line, pos, self.last)):
            self.in_table = False
        while True:  # once per list marker opening the line
            self.cols[index] = pos
            base = self.items[-1] if self.items else 0
            if self.in_table:
                self.kinds[index] = TABLE
                return
            if lazy or (col - base >= 4 and self.para != _NO_PARA):
                self.kinds[index] = TEXT  # paragraph continuation
                return
            if col - base >= 4:
                self.kinds[index] = CODE  # indented code
                return
            if line[pos] in _BLOCK_STARTERS and self._leaf(index, line, pos, base):
                return
            item = self._list_item(line, pos)
            if item is None:
                self._paragraph(index, line, pos)
                return
            # A list item: its content may itself start a block ("- # x", "- ```", "- - x").
            self.kinds[index] = TEXT
            self.flags[index] |= ITEM
            self.para = _NO_PARA
            marker_end = pos + item
            follows = line[marker_end + 1 : marker_end + 2]
            if line.startswith(" ", marker_end) and follows not in (" ", "\t"):
                content_col, content_pos = col + item + 1, marker_end + 1  # the usual one space
            else:
                content_col, content_pos = indent_of(line, marker_end, col + item)
            if content_pos == len(line) or content_col - (col + item) > 4:
                self.items.append(col + item + 1)
            else:
                self.items.append(content_col)
            if content_pos == len(line):
                self.cols[index] = len(line)
                return
            col, pos = content_col, content_pos

    def _leaf(self, index: int, line: str, pos: int, base: int) -> bool:
        """Headings, breaks, fences, HTML blocks and quotes; False when the line is none of them."""
        first = line[pos]
        if first == "#" and (match := _ATX.match(line, pos)) is not None:
            if self.items:
                self.kinds[index] = NESTED_HEADING
            else:
                self.kinds[index] = HEADING
                self.headings.append(atx_heading(index, line, pos, match.end() - pos))
            self.para = _NO_PARA
            return True
        if first in "=-" and self.para == _TOP_PARA and _SETEXT.match(line, pos):
            self.kinds[index - 1] = self.kinds[index] = HEADING
            self.headings.append(_setext_heading(index - 1, self.lines[index - 1], first))
            self.para = _NO_PARA
            return True
        if first == self.last and first in "-*_" and _BREAK.match(line, pos):
            self.kinds[index] = BREAK
            self.para = _NO_PARA
            return True
        if first in "`~" and (fence := _fence_open(line, pos)) is not None:
            self.kinds[index] = CODE
            self.fence = _Fence(fence[0], len(fence), base)
            self.para = _NO_PARA
            return True
        if first == "<":
            return self._html(index, line, pos, base)
        if first == ">":
            self._quote(index, line, pos)
            return True
        if first == "[" and self.para == _NO_PARA and self._link_def(index, line[pos:]):
            self.kinds[index] = DEF
            return True
        return False

    def _quote(self, index: int, line: str, pos: int) -> None:
        """Block quote lines are only marked: mistletoe reads chunks that hold them."""
        self.kinds[index] = TEXT
        self.flags[index] |= QUOTE
        self.para = _NESTED_PARA
        quoted = _QUOTE_PREFIX.match(line, pos)
        self.cols[index] = quoted.end() if quoted else pos
        if line.startswith("[", self.cols[index]):
            self._link_def(index, line[self.cols[index] :])

    def _html(self, index: int, line: str, pos: int, base: int) -> bool:
        end = _html_start(line, pos)
        if end is None:
            return False
        self.kinds[index] = HTML
        self.html_base = base
        self.para = _NO_PARA
        self.html_end = None if end and end in line[pos + 2 :].lower() else end
        return True

    def _list_item(self, line: str, pos: int) -> int | None:
        """Width of the list marker at `pos`, if a list item starts there."""
        if line[pos] not in "-+*0123456789":
            return None
        match = _LIST.match(line, pos)
        if match is None:
            return None
        if self.para == _TOP_PARA:
            # A list interrupting a paragraph needs content, and an ordered one must start at 1.
            number = match.group(2)
            blank = indent_of(line, match.end())[1] == len(line)
            if blank or (number is not None and int(number) != 1):
                return None
        return match.end() - pos

    def _paragraph(self, index: int, line: str, pos: int) -> None:
        if line.find("|", pos) >= 0 and self._table_header(index):
            return
        self.kinds[index] = TEXT
        if self.para == _NO_PARA:
            self.flags[index] |= PARA_START
            self.para = _NESTED_PARA if self.items else _TOP_PARA

    def _table_header(self, index: int) -> bool:
        """A GFM table starts here when the next line is a delimiter row (with a pipe)."""
        following = self.lines[index + 1] if index + 1 < len(self.lines) else ""
        if not _is_delimiter_row(following):
            return False
        self.kinds[index] = TABLE
        self.para = _NO_PARA
        self.in_table = True
        return True

    def _link_def(self, index: int, rest: str) -> bool:
        """Record the label when `rest` starts a valid link reference definition."""
        if _LINK_DEF.match(rest) is None:
            return False
        from design_lsp.document.mdparse import definition_label

        following = self.lines[index + 1] if index + 1 < len(self.lines) else ""
        label = definition_label(f"{rest}\n{following}\n")
        if label is None:
            return False
        label = normalize_label(label)
        self.labels.add(label)
        self.label_lines[index] = label
        return True

    @staticmethod
    def _closes_fence(col: int, pos: int, line: str, fence: _Fence) -> bool:
        if col - fence.base > 3:
            return False
        rest = line[pos:].rstrip(" \t")
        return len(rest) >= fence.length and rest.count(fence.char) == len(rest)


def _starts_block(line: str, pos: int, last: str) -> bool:
    """Does a block start at `pos` (at an indent of at most 3), ending a lazy continuation of a
    list item's paragraph, or a table? `last` is the line's last character other than space
    and tab. Any list marker counts, even before a blank: in a list it starts a sibling item."""
    first = line[pos]
    if first not in _MAY_START_BLOCK:
        return False
    if first == "#":
        return _ATX.match(line, pos) is not None
    if first == last and first in "-*_" and _BREAK.match(line, pos):
        return True
    if first in "`~":
        return _fence_open(line, pos) is not None
    if first == ">":
        return True
    if first == "<":
        return _html_start(line, pos) is not None
    return _LIST.match(line, pos) is not None


def _is_delimiter_row(line: str) -> bool:
    """`| --- | :-: |`; unlike mistletoe, a lone `---` is not one (it is a setext underline)."""
    row = line.strip(" \t")
    if "|" not in row:
        return False
    row = row.removeprefix("|").removesuffix("|")
    return all(_DELIMITER_CELL.fullmatch(cell) for cell in row.split("|"))


def _fence_open(line: str, pos: int) -> str | None:
    """The fence run when the line opens a fenced code block at `pos`."""
    match = _FENCE.match(line, pos)
    if match is None:
        return None
    run, info = match.group(1), match.group(2)
    if run[0] == "`" and "`" in info:
        return None
    return run


def _html_start(line: str, pos: int) -> str | None:
    """End marker of the HTML block starting at `pos` ("" = ends at a blank line), or None.

    CommonMark kinds 1-6 (all may interrupt a paragraph); kind 7 (any lone tag) is left out on
    purpose: a line such as `<Your Name>` would otherwise hide every heading down to the next
    blank line.
    """
    head = line[pos : pos + 9].lower()
    if head.startswith("<!--"):
        return "-->"
    if head.startswith("<?"):
        return "?>"
    if head == "<![cdata[":
        return "]]>"
    if head.startswith("<!") and head[2:3].isalpha():
        return ">"
    raw = _HTML_RAW.match(line, pos)
    if raw is not None:
        return f"</{raw.group(1).lower()}>"
    tag = _HTML_TAG.match(line, pos)
    if tag is not None and tag.group(1).lower() in _HTML_BLOCK_TAGS:
        return ""
    return None
