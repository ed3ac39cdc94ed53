"""Completions: template sections still missing at a heading line, enum field values, and the
whole template in an empty document."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from lsprotocol import types

from design_lsp.features.blocks import file_stem, shift_levels, template_lines, to_snippet

if TYPE_CHECKING:
    from design_lsp.analysis import Analysis
    from design_lsp.document import Section
    from design_lsp.features.client_profile import ClientProfile
    from design_lsp.features.documents.doc_state import DocState
    from design_lsp.template import SectionSpec, Template

_HEADING_PREFIX = re.compile(r"^( {0,3})(#{1,6})(?:[ \t]+(.*))?$")
# The line being typed, up to the cursor, as a field in any of the forms a value is completed
# in: a list item (`- Status: `), a bold name, or a front-matter key (`status: `, lowercase).
# Not `document.inline.parse_field`, which reads whole lines and takes only capitalised plain
# names (so that prose such as "note: ..." is no field).
_FIELD_PREFIX = re.compile(
    r"^\s*(?:[-*+]\s+|\d+[.)]\s+)?(?:\*\*|__)?(?P<name>[^*_:\[\]`]+?)(?:\*\*|__)?\s*:(?P<space>\s*)"
    r"(?P<typed>[^:]*)$"
)


@dataclass
class _Candidate:
    spec: SectionSpec
    title: str
    lines: list[str]  # the block to insert, at the document's levels
    order: float


def complete(
    state: DocState, params: types.CompletionParams, client: ClientProfile
) -> types.CompletionList | None:
    line, col = state.encoder.to_engine(params.position)
    text = state.lines[line] if line < len(state.lines) else ""
    prefix = text[:col]
    items = _field_values(state, line, prefix, text)
    if items is None:
        items = _blank_document(state, line, prefix, text, client)
    if items is None:
        invoked = params.context is None or (
            params.context.trigger_kind != types.CompletionTriggerKind.TriggerCharacter
        )
        items = _sections(state, line, prefix, text, client, invoked)
    if not items:
        return None
    return types.CompletionList(is_incomplete=False, items=items)


# ---- field values -----------------------------------------------------------------------------


def _field_values(
    state: DocState, line: int, prefix: str, text: str
) -> list[types.CompletionItem] | None:
    template = state.template
    if template is None or not template.fields:
        return None
    match = _FIELD_PREFIX.match(prefix)
    if match is None:
        return None
    from design_lsp.template.normalize import field_key

    key = field_key(match.group("name"))
    spec = next((f for f in template.fields if f.key == key and f.values), None)
    if spec is None:
        return None
    colon = match.start("space")
    has_space = bool(match.group("space"))
    start = match.end("space") if has_space else colon
    edit_range = types.Range(
        start=state.encoder.position(line, start), end=state.encoder.position(line, len(text))
    )
    items = []
    for index, value in enumerate(spec.values):
        items.append(
            types.CompletionItem(
                label=value,
                kind=types.CompletionItemKind.EnumMember,
                detail=f"{spec.name}: {' | '.join(spec.values)}",
                sort_text=f"{index:04d}",
                filter_text=value if has_space else f" {value}",
                text_edit=types.TextEdit(
                    range=edit_range, new_text=value if has_space else f" {value}"
                ),
                insert_text_format=types.InsertTextFormat.PlainText,
            )
        )
    return items


# ---- the whole template in an empty document --------------------------------------------------


def _blank_document(
    state: DocState, line: int, prefix: str, text: str, client: ClientProfile
) -> list[types.CompletionItem] | None:
    template = state.template or state.base_template
    if template is None:
        return None
    lines = state.lines
    start = state.document.front_matter_end
    if line < start:
        return None
    others_blank = all(not lines[i].strip() for i in range(start, len(lines)) if i != line)
    if not others_blank or not re.fullmatch(r"\s*#*\s*", text):
        return None
    body = template_lines(template, file_stem(state.uri))
    if not body:
        return None
    eol = state.document.eol
    name = _template_name(template)
    item = _insert_item(
        state,
        line,
        text,
        label=name,
        filter_text=text.strip() or name,
        lines=body,
        client=client,
        detail=f"Insert the whole template ({template.path})",
        documentation=eol.join(body),
        sort="0000",
    )
    return [item]


def _template_name(template: Template) -> str:
    if template.title is not None and template.title.text:
        return f"Template: {template.title.text}"
    return "Design document template"


# ---- sections at a heading line ---------------------------------------------------------------


def _sections(
    state: DocState,
    line: int,
    prefix: str,
    text: str,
    client: ClientProfile,
    invoked: bool,
) -> list[types.CompletionItem] | None:
    analysis = state.analysis
    if analysis is None:
        return None
    heading = _HEADING_PREFIX.match(prefix)
    heading_lines = {h.line for h in state.document.headings}
    chain = _enclosing(state, line)
    contexts: list[tuple[Section | None, int]] = []
    if heading is not None:
        if line not in heading_lines:
            return None  # a '#' inside fenced code, a comment or front matter
        level = len(heading.group(2))
        parent = next((s for s in reversed(chain) if s.heading.level < level), None)
        contexts.append((parent, level))
        if parent is None and level == 1:
            title = _title_item(state, line, text, client)
            if title is not None:
                return [title, *_context_items(state, analysis, contexts, line, text, client)]
    elif invoked and not text.strip():
        # No '#' typed: the level comes from the surrounding section.
        if chain:
            innermost = chain[-1]
            contexts.append((innermost, innermost.heading.level + 1))
            for index in range(len(chain) - 1, -1, -1):
                enclosing = chain[index - 1] if index > 0 else None
                contexts.append((enclosing, chain[index].heading.level))
        else:
            roots = analysis.template.roots
            contexts.append((None, (roots[0].level if roots else 2) + _offset(analysis)))
    else:
        return None
    return _context_items(state, analysis, contexts, line, text, client)


def _context_items(
    state: DocState,
    analysis: Analysis,
    contexts: list[tuple[Section | None, int]],
    line: int,
    text: str,
    client: ClientProfile,
) -> list[types.CompletionItem]:
    items: list[types.CompletionItem] = []
    seen: set[str] = set()
    rank = 0
    for parent, level in contexts:
        for candidate in _candidates(state, analysis, parent, level, line):
            if candidate.title in seen:
                continue
            seen.add(candidate.title)
            # Insert at the template's level even when fewer or more '#'s were typed so far.
            at = candidate.spec.level + _offset(analysis)
            items.append(_section_item(state, line, text, candidate, at, client, rank))
            rank += 1
    return items


def _offset(analysis: Analysis) -> int:
    return analysis.alignment.offset


def _enclosing(state: DocState, line: int) -> list[Section]:
    """The sections enclosing `line` as if the line itself were not a heading, outermost first."""
    stack: list[Section] = []
    for section in state.sections:
        if section.heading.line >= line:
            break
        while stack and stack[-1].heading.level >= section.heading.level:
            stack.pop()
        stack.append(section)
    return stack


def _expected(analysis: Analysis, parent: Section | None) -> list[SectionSpec]:
    return list(analysis.expected_under(parent))


def _candidates(
    state: DocState, analysis: Analysis, parent: Section | None, level: int, line: int
) -> list[_Candidate]:
    from design_lsp.template.normalize import numbered

    expected = _expected(analysis, parent)
    if not expected:
        return []
    matches = {ln: spec for ln, spec in analysis.matches.items() if ln != line}
    present = {spec.order for spec in matches.values()}
    orders = {spec.order for spec in expected}
    previous = max(
        (spec.order for ln, spec in matches.items() if ln < line and spec.order in orders),
        default=-1,
    )
    offset = _offset(analysis)
    out: list[_Candidate] = []
    for spec in expected:
        block = _block(analysis, spec)
        if spec.order not in present:
            out.append(_Candidate(spec, spec.title, block, float(spec.order)))
        elif spec.slot:
            numbers = [
                n[1]
                for ln, s in matches.items()
                if s is spec and (n := numbered(_heading_title(state, ln))) is not None
            ]
            count = sum(1 for s in matches.values() if s is spec)
            next_number = max([*numbers, count]) + 1
            title = f"{spec.slot_stem or spec.title} {next_number}"
            out.append(
                _Candidate(
                    spec, title, _slot_block(spec, block, title, next_number), spec.order + 0.5
                )
            )
    preferred = [c for c in out if c.spec.level + offset == level]
    if preferred:
        out = preferred
    return sorted(out, key=lambda c: (c.order <= previous, c.spec.optional, c.order))


def _heading_title(state: DocState, line: int) -> str:
    section = state.section_of_heading(line)
    return section.heading.title if section is not None else ""


def _block(analysis: Analysis, spec: SectionSpec) -> list[str]:
    lines = analysis.block_for(spec)
    while lines and not lines[-1].strip():
        lines.pop()
    return lines


def _slot_block(spec: SectionSpec, block: list[str], title: str, number: int) -> list[str]:
    """The slot's block for another instance: the heading renamed, its own number replaced."""
    if not block:
        return block
    from design_lsp.template.normalize import numbered

    first = re.match(r"^( {0,3}#{1,6}[ \t]+)", block[0])
    marker = first.group(1) if first else "## "
    body = block[1:]
    original = numbered(spec.title)
    if original is not None:
        stem, old = original
        pattern = re.compile(rf"\b({re.escape(stem)})\s+{old}\b", re.IGNORECASE)
        body = [pattern.sub(lambda m: f"{m.group(1)} {number}", line) for line in body]
    return [marker + title, *body]


def _title_item(
    state: DocState, line: int, text: str, client: ClientProfile
) -> types.CompletionItem | None:
    analysis = state.analysis
    template = state.template
    if analysis is None or template is None or template.title is None:
        return None
    title_section = analysis.alignment.title
    if title_section is not None and title_section.heading.line != line:
        return None
    heading = f"# {template.title.text}"
    return _insert_item(
        state,
        line,
        text,
        label=template.title.text,
        filter_text=heading,
        lines=[heading],
        client=client,
        detail="Document title",
        documentation=None,
        sort="0000",
    )


def _section_item(
    state: DocState,
    line: int,
    text: str,
    candidate: _Candidate,
    level: int,
    client: ClientProfile,
    rank: int,
) -> types.CompletionItem:
    lines = candidate.lines
    if lines:
        first = re.match(r"^ {0,3}(#{1,6})", lines[0])
        current = len(first.group(1)) if first else level
        lines = shift_levels(lines, level - current)
    else:
        lines = ["#" * level + " " + candidate.title]
    indent = re.match(r"^ {0,3}", text)
    lead = indent.group(0) if indent else ""
    spec = candidate.spec
    where = " > ".join(spec.path[:-1])
    status = "optional" if spec.optional else "required"
    detail = f"{status} section" + (f" under {where}" if where else "")
    return _insert_item(
        state,
        line,
        text,
        label=candidate.title,
        filter_text=f"{lead}{'#' * level} {candidate.title}",
        lines=lines,
        client=client,
        detail=detail,
        documentation=spec.guidance or None,
        sort=f"{rank + 1:04d}",
    )


def _insert_item(
    state: DocState,
    line: int,
    text: str,
    *,
    label: str,
    filter_text: str,
    lines: list[str],
    client: ClientProfile,
    detail: str,
    documentation: str | None,
    sort: str,
) -> types.CompletionItem:
    eol = state.document.eol
    following = state.lines[line + 1] if line + 1 < len(state.lines) else ""
    suffix = eol if following.strip() else ""
    if client.snippets:
        new_text = to_snippet(lines, eol) + suffix
        fmt = types.InsertTextFormat.Snippet
    else:
        new_text = eol.join(lines) + suffix
        fmt = types.InsertTextFormat.PlainText
    doc: str | types.MarkupContent | None = None
    if documentation:
        doc = (
            types.MarkupContent(kind=types.MarkupKind.Markdown, value=documentation)
            if client.completion_markdown
            else documentation
        )
    edit_range = types.Range(
        start=state.encoder.position(line, 0), end=state.encoder.position(line, len(text))
    )
    return types.CompletionItem(
        label=label,
        kind=types.CompletionItemKind.Snippet if client.snippets else types.CompletionItemKind.Text,
        detail=detail,
        documentation=doc,
        sort_text=sort,
        filter_text=filter_text,
        text_edit=types.TextEdit(range=edit_range, new_text=new_text),
        insert_text_format=fmt,
    )
