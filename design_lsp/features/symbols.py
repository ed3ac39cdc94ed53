"""The outline: one symbol per section, its detail naming the template sections it still lacks."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from lsprotocol import types

from design_lsp.features.state import JsonList

if TYPE_CHECKING:
    from design_lsp.document import Section
    from design_lsp.features.state import ClientProfile, DocState
    from design_lsp.template import SectionSpec

KIND = types.SymbolKind.String  # what VS Code's own Markdown outline uses for headings


def symbol_name(section: Section) -> str:
    from design_lsp.template.normalize import plain_text

    name = plain_text(section.heading.title) or section.heading.title.strip()
    return name or "#" * section.heading.level


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
    """Whether `section` is the document's title heading (the H1 the template's title matches)."""
    if state.analysis is None or state.template is None or state.template.title is None:
        return False
    roots = state.document.roots
    return (
        bool(roots)
        and section is roots[0]
        and section.heading.level == 1
        and section.heading.line not in state.analysis.matches
    )


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


def _selection(state: DocState, section: Section, whole: types.Range) -> types.Range:
    sel = state.encoder.range(section.heading.title_span)
    if sel.start.line == sel.end.line and sel.start.character == sel.end.character:
        sel = state.encoder.line_range(section.heading.line, section.heading.line)
    # The selection must lie inside the whole range.
    if (sel.start.line, sel.start.character) < (whole.start.line, whole.start.character):
        sel = types.Range(start=whole.start, end=sel.end)
    if (sel.end.line, sel.end.character) > (whole.end.line, whole.end.character):
        sel = types.Range(start=sel.start, end=whole.end)
    return sel


def document_symbols(state: DocState, client: ClientProfile) -> list[types.DocumentSymbol]:
    def build(section: Section) -> types.DocumentSymbol:
        whole = _range(state, section)
        return types.DocumentSymbol(
            name=symbol_name(section),
            kind=KIND,
            range=whole,
            selection_range=_selection(state, section, whole),
            detail=detail(state, section),
            children=[build(child) for child in section.children],
        )

    return [build(section) for section in state.document.roots]


def symbol_information(state: DocState) -> list[types.SymbolInformation]:
    out: list[types.SymbolInformation] = []

    def walk(section: Section, container: str | None) -> None:
        name = symbol_name(section)
        out.append(
            types.SymbolInformation(
                name=name,
                kind=KIND,
                location=types.Location(uri=state.uri, range=_range(state, section)),
                container_name=container,
            )
        )
        for child in section.children:
            walk(child, name)

    for root in state.document.roots:
        walk(root, None)
    return out


def document_symbol_dicts(state: DocState) -> JsonList:
    """`document_symbols` as the JSON the client receives: for a big document, building
    lsprotocol objects and unstructuring them through cattrs costs about five times more."""
    encoder = state.encoder
    lines = state.lines

    def build(section: Section) -> dict[str, Any]:
        heading = section.heading
        end = max(heading.last_line, _last_content_line(lines, section))
        whole = encoder.line_range_dict(heading.line, end)
        out: dict[str, Any] = {
            "name": symbol_name(section),
            "kind": KIND.value,
            "range": whole,
            "selectionRange": _selection_dict(state, section, whole),
        }
        titles = missing_titles(state, section)
        if titles:
            out["detail"] = f"missing: {', '.join(titles)}"
        out["children"] = [build(child) for child in section.children]
        return out

    return JsonList(build(section) for section in state.document.roots)


def _selection_dict(
    state: DocState, section: Section, whole: dict[str, dict[str, int]]
) -> dict[str, dict[str, int]]:
    sel = state.encoder.range_dict(section.heading.title_span)
    if sel["start"] == sel["end"]:
        sel = state.encoder.line_range_dict(section.heading.line, section.heading.line)
    start, end = sel["start"], sel["end"]
    if (start["line"], start["character"]) < (whole["start"]["line"], whole["start"]["character"]):
        start = whole["start"]
    if (end["line"], end["character"]) > (whole["end"]["line"], whole["end"]["character"]):
        end = whole["end"]
    return {"start": start, "end": end}


def outline(
    state: DocState, client: ClientProfile
) -> list[types.DocumentSymbol] | list[types.SymbolInformation] | list[dict[str, Any]]:
    """The outline, built once per document version (the client asks again and again)."""
    if client.hierarchical_symbols:
        cached = state.memo.get("outline")
        if not isinstance(cached, list):
            cached = state.memo["outline"] = document_symbol_dicts(state)
        return cached
    return symbol_information(state)
