"""The outline: one symbol per section, its detail naming the template sections it still lacks."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from lsprotocol import types

from design_lsp.features import wire
from design_lsp.features.snapshots import derived

if TYPE_CHECKING:
    from pygls.lsp.server import LanguageServer

    from design_lsp.document import Heading, Section
    from design_lsp.features.client_profile import ClientProfile
    from design_lsp.features.documents.doc_state import DocState
    from design_lsp.template import SectionSpec

# A kind per heading level: the document title is the File, then Module and Namespace, the
# kinds of nested containers that every editor has an icon and a name for. One kind for all
# (String, as VS Code's own Markdown outline) made Emacs's imenu, which groups by kind, show
# a single "String" group holding every section; Class or Field would call prose code.
KINDS = (types.SymbolKind.File, types.SymbolKind.Module, types.SymbolKind.Namespace)


def symbol_kind(level: int) -> types.SymbolKind:
    """The kind of a heading of `level` (1 to 6; level 3 and deeper are all Namespace)."""
    return KINDS[min(max(level, 1), len(KINDS)) - 1]


_KIND_VALUES = tuple(symbol_kind(level).value for level in range(7))  # by level, for the JSON


Point = tuple[int, int]  # (line, character in the client's units)


def symbol_name(section: Section) -> str:
    return _plain_name(section.heading.title, section.heading.level)


@lru_cache(maxsize=1 << 16)  # pure; the same headings come back on every edit
def _plain_name(title: str, level: int) -> str:
    from design_lsp.template.normalize import plain_text

    return plain_text(title) or title.strip() or "#" * level


@lru_cache(maxsize=1 << 16)
def _name_json(title: str, level: int) -> str:
    return json.dumps(_plain_name(title, level))


def missing_titles(state: DocState, section: Section | None) -> list[str]:
    analysis = state.analysis
    if analysis is None:
        return []
    specs: list[SectionSpec] = list(analysis.missing_under(section))
    if section is not None and is_title(state, section):
        # The document title holds the top-level sections.
        seen = {id(spec) for spec in specs}
        specs += [spec for spec in analysis.missing_under(None) if id(spec) not in seen]
    return [spec.title for spec in specs if not spec.optional]


def is_title(state: DocState, section: Section) -> bool:
    """Whether `section` is the document's title heading (the one the analysis took for the
    template's title: `align.document_title`)."""
    return state.analysis is not None and state.analysis.alignment.title is section


def detail(state: DocState, section: Section) -> str | None:
    missing = missing_titles(state, section)
    return f"missing: {', '.join(missing)}" if missing else None


def _range(state: DocState, section: Section) -> types.Range:
    lines = state.lines
    end = max(section.heading.last_line, _last_content_line(lines, section))
    return state.encoder.line_range(section.heading.line, end)


def _last_content_line(lines: list[str], section: Section) -> int:
    """The section's last line, trailing blank lines left out."""
    end = min(section.end_line, len(lines)) - 1
    while end > section.heading.last_line and not lines[end].strip():
        end -= 1
    return end


def symbol_information(state: DocState) -> list[types.SymbolInformation]:
    out: list[types.SymbolInformation] = []

    def walk(section: Section, container: str | None) -> None:
        name = symbol_name(section)
        out.append(
            types.SymbolInformation(
                name=name,
                kind=symbol_kind(section.heading.level),
                location=types.Location(uri=state.uri, range=_range(state, section)),
                container_name=container,
            )
        )
        for child in section.children:
            walk(child, name)

    for root in state.document.roots:
        walk(root, None)
    return out


def outline_json(state: DocState) -> str:
    """The hierarchical outline (DocumentSymbol[]) as JSON, built once per document version:
    written straight into the response (see `wire`), it skips the dicts, cattrs and the
    `json.dumps` of the whole message (together about four times the cost)."""
    return derived(state, OutlineJson, lambda s: OutlineJson(_OutlineWriter(s).json())).text


@dataclass(frozen=True)
class OutlineJson:
    text: str


class _OutlineWriter:
    """Writes the outline's JSON in one walk. Positions are `Encoder`'s (clamped to the
    document, in the client's units), computed inline: per symbol that is most of the cost."""

    __slots__ = ("analysis", "encoding", "first", "lines", "parts", "state")

    def __init__(self, state: DocState) -> None:
        self.state = state
        self.lines = state.lines
        self.encoding = state.encoder.encoding
        self.parts: list[str] = []
        roots = state.document.roots
        self.first = roots[0] if roots else None
        self.analysis = state.analysis

    def json(self) -> str:
        self.parts.append("[")
        self._symbols(self.state.document.roots)
        self.parts.append("]")
        return "".join(self.parts)

    def _symbols(self, sections: list[Section]) -> None:
        separator = ""
        for section in sections:
            self._symbol(section, separator)
            separator = ","

    def _symbol(self, section: Section, separator: str) -> None:
        heading = section.heading
        line, col, end_line, end_col, sl, sc, el, ec = self._ranges(section)
        self.parts.append(
            f'{separator}{{"name":{_name_json(heading.title, heading.level)},'
            f'"kind":{_KIND_VALUES[min(heading.level, 6)]},'
            f'"range":{{"start":{{"line":{line},"character":{col}}},'
            f'"end":{{"line":{end_line},"character":{end_col}}}}},'
            f'"selectionRange":{{"start":{{"line":{sl},"character":{sc}}},'
            f'"end":{{"line":{el},"character":{ec}}}}}'
        )
        text = self._detail(section)
        if text is not None:
            self.parts.append(',"detail":' + json.dumps(text))
        if section.children:
            self.parts.append(',"children":[')
            self._symbols(section.children)
            self.parts.append("]}")
        else:
            self.parts.append(',"children":[]}')

    def _ranges(self, section: Section) -> tuple[int, int, int, int, int, int, int, int]:
        """The range (heading to last content line) and the selection range, flat."""
        heading = section.heading
        lines = self.lines
        line = heading.line
        last = heading.last_line
        end = min(section.end_line, len(lines)) - 1  # `_last_content_line`, inline
        while end > last and not lines[end].strip():
            end -= 1
        end = max(end, last)
        span = heading.title_span
        if line >= 0 and end < len(lines) and span.line == line == span.end_line:
            # The common case: a title on the heading line, columns equal to code points.
            text, end_text = lines[line], lines[end]
            if 0 <= span.col < span.end_col <= len(text) and (
                self.encoding == "utf-32" or (text.isascii() and end_text.isascii())
            ):
                return line, 0, end, len(end_text), line, span.col, line, span.end_col
        whole_start, whole_end = self.state.encoder.point(line, 0), self._line_end(end)
        sel_start, sel_end = self._selection(heading, whole_start, whole_end)
        return *whole_start, *whole_end, *sel_start, *sel_end

    def _detail(self, section: Section) -> str | None:
        """`detail`, asked only where it can say something: only the title and the sections
        matching a template section expect sections under them (`Analysis.expected_under`)."""
        analysis = self.analysis
        if analysis is None or (section is not self.first and analysis.spec_for(section) is None):
            return None
        return detail(self.state, section)

    def _selection(
        self, heading: Heading, whole_start: Point, whole_end: Point
    ) -> tuple[Point, Point]:
        """The title's characters (the heading line when it has none), kept inside the range."""
        span = heading.title_span
        start = self.state.encoder.point(span.line, span.col)
        end = self.state.encoder.point(span.end_line, span.end_col)
        if end <= start:
            start, end = self.state.encoder.point(heading.line, 0), self._line_end(heading.line)
        return max(start, whole_start), min(end, whole_end)

    def _line_end(self, line: int) -> Point:
        lines = self.lines
        if not lines:
            return 0, 0
        line = 0 if line < 0 else min(line, len(lines) - 1)  # clamped as `Encoder._clamp` does
        return self.state.encoder.point(line, len(lines[line]))


def outline(
    state: DocState, client: ClientProfile
) -> list[types.SymbolInformation] | list[dict[str, Any]]:
    """The outline as the client receives it (decoded JSON when hierarchical)."""
    if client.hierarchical_symbols:
        return list(json.loads(outline_json(state)))
    return symbol_information(state)


def outline_response(
    ls: LanguageServer, state: DocState, client: ClientProfile
) -> list[types.SymbolInformation] | list[dict[str, Any]] | wire.JsonText:
    """The documentSymbol result: the hierarchical outline as JSON written as it is (decoded
    instead when the protocol cannot take it), else flat symbols."""
    if client.hierarchical_symbols:
        return wire.result(ls, outline_json(state))  # type: ignore[no-any-return]
    return symbol_information(state)
