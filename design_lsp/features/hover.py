"""Hover: the template's word on what is under the cursor (a heading, a field, a placeholder)."""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from typing import TYPE_CHECKING

from lsprotocol import types

from design_lsp.analysis.codes import REGISTRY
from design_lsp.features.snapshots import derived
from design_lsp.features.symbols import is_title

if TYPE_CHECKING:
    from design_lsp.analysis import Finding
    from design_lsp.document import Field, Section, Span
    from design_lsp.features.client_profile import ClientProfile
    from design_lsp.features.documents.doc_state import DocState
    from design_lsp.template import SectionSpec, Template


def _contains(span: Span, line: int, col: int) -> bool:
    return (span.line, span.col) <= (line, col) <= (span.end_line, span.end_col)


def _starting_near(state: DocState, line: int) -> list[Finding]:
    """The findings that can hold `line`: those starting at most the tallest finding's height
    above it, up to it (findings are sorted by position; a big document has tens of thousands)."""
    findings = state.findings
    height = derived(state, TallestFinding, _tallest).lines
    start = bisect_left(findings, line - height, key=_start_line)
    return findings[start : bisect_right(findings, line, key=_start_line)]


@dataclass(frozen=True)
class TallestFinding:
    lines: int


def _tallest(state: DocState) -> TallestFinding:
    return TallestFinding(max((f.span.end_line - f.span.line for f in state.findings), default=0))


def _start_line(finding: Finding) -> int:
    return finding.span.line


def hover_at(
    state: DocState, position: types.Position, client: ClientProfile
) -> types.Hover | None:
    if state.template_in_use is not None:
        return _template_help(state, state.template_in_use, position, client)
    if state.analysis is None:
        return None
    line, col = state.encoder.to_engine(position)
    for finding in _starting_near(state, line):
        if _leftover(finding) and _contains(finding.span, line, col):
            message = _leftover_text(state, finding, line)
            return _hover(client, message, state.encoder.range(finding.span))
    for item in state.document.fields:
        if item.line == line:
            text = _field_text(state, item)
            if text is not None:
                start, end = (
                    state.encoder.range(item.name_span),
                    state.encoder.range(item.value_span),
                )
                return _hover(client, text, types.Range(start=start.start, end=end.end))
    section = state.section_of_heading(line)
    if section is not None:
        return _hover(
            client,
            _heading_text(state, section),
            state.encoder.range(section.heading.title_span),
        )
    return None


def _template_help(
    state: DocState, template: Template, position: types.Position, client: ClientProfile
) -> types.Hover | None:
    """In the template itself: how design-lsp reads the section under the cursor (what
    `design-lsp template` prints for it)."""
    from design_lsp.template.describe import describe_section

    line, _ = state.encoder.to_engine(position)
    spec = next((s for s in template.all_specs if s.line == line), None)
    if spec is None:
        return None
    text = "\n".join(describe_section(spec)).strip("\n")
    markdown = f"**How design-lsp reads this template section**\n\n```text\n{text}\n```"
    section = state.section_of_heading(line)
    rng = state.encoder.range(section.heading.title_span) if section is not None else None
    return _hover(client, markdown, rng)


def _hover(client: ClientProfile, markdown: str, rng: types.Range | None) -> types.Hover:
    if client.hover_markdown:
        content = types.MarkupContent(kind=types.MarkupKind.Markdown, value=markdown)
    else:
        content = types.MarkupContent(kind=types.MarkupKind.PlainText, value=_plain(markdown))
    return types.Hover(contents=content, range=rng)


def _plain(markdown: str) -> str:
    return re.sub(r"\*\*|`", "", markdown)


# ---- headings ---------------------------------------------------------------------------------


def _heading_text(state: DocState, section: Section) -> str:
    analysis = state.analysis
    template = state.template
    assert analysis is not None and template is not None
    if is_title(state, section):
        title = template.title.text if template.title else ""
        parts = [f"**Document title**: `# {title}`"]
        if template.title and template.title.placeholder:
            parts.append(f"Replace `{template.title.placeholder}` with what this document designs.")
        parts.append(_expected_text(state, section, list(template.roots)))
        return "\n\n".join(p for p in parts if p)
    spec = analysis.spec_for(section)
    if spec is None:
        return (
            "Not a section of the template"
            + (f" (`{_template_name(state)}`)" if _template_name(state) else "")
            + "."
        )
    status = "Optional" if spec.optional else "Required"
    where = " > ".join(spec.path)
    parts = [f"**{spec.title}** · {status} section" + (f" ({where})" if len(spec.path) > 1 else "")]
    if spec.slot:
        parts.append(
            f"Repeatable: add as many `{spec.slot_stem or spec.title} N` sections as you need."
        )
    if spec.guidance:
        parts.append(spec.guidance)
    parts.append(_expected_text(state, section, spec.children))
    return "\n\n".join(p for p in parts if p)


def _expected_text(state: DocState, section: Section, children: list[SectionSpec]) -> str:
    analysis = state.analysis
    assert analysis is not None
    if not children:
        return ""
    names = [c.title + (" (optional)" if c.optional else "") for c in children]
    out = "Expected subsections: " + ", ".join(names)
    missing = [s.title for s in analysis.missing_under(section) if not s.optional]
    if is_title(state, section):
        seen = set(missing)
        missing += [
            s.title for s in analysis.missing_under(None) if not s.optional and s.title not in seen
        ]
    if missing:
        out += "\n\nMissing: " + ", ".join(missing)
    else:
        out += "\n\nNothing missing here."
    return out


def _template_name(state: DocState) -> str:
    template = state.template
    return template.path if template is not None else ""


# ---- fields and placeholders ------------------------------------------------------------------


def _field_text(state: DocState, item: Field) -> str | None:
    template = state.template
    if template is None:
        return None
    from design_lsp.template.normalize import field_key

    key = field_key(item.name)
    spec = next((f for f in template.fields if f.key == key), None)
    if spec is None:
        return None
    if spec.values:
        values = ", ".join(f"`{v}`" for v in spec.values)
        return f"**{spec.name}**: one of {values}"
    if spec.placeholder:
        return f"**{spec.name}**: free text (the template shows `{spec.placeholder}`)"
    return f"**{spec.name}**: free text"


def _leftover(finding: Finding) -> bool:
    entry = REGISTRY.get(finding.code)
    return entry is not None and entry.leftover


def _leftover_text(state: DocState, finding: Finding, line: int) -> str:
    """What to put in place of text left from the template. A finding that names the text left
    in (`Finding.placeholder`) is told by where that text stands; one about text left as a
    whole (guidance, an example item) is led by its code's summary in the registry."""
    text = finding.placeholder
    if text is None:
        lead = f"**{REGISTRY[finding.code].summary}**"
        span = finding.span
        if span.line == span.end_line:
            shown = state.lines[span.line][span.col : span.end_col]
            return f"{lead} `{shown}`: replace it with your own content."
        return f"{lead}: replace this text with your own content for this section."
    field = next((f for f in state.document.fields if f.line == line), None)
    what = _describe(text)
    if field is not None:
        return f"**Placeholder** `{text}`: replace it with the {field.name} ({what})."
    section = state.section_at(line)
    if section is not None and is_title(state, section) and section.heading.line == line:
        return f"**Placeholder** `{text}`: replace it with {what}."
    if text.startswith("["):
        return f"**Placeholder** `{text}`: replace it with {what}."
    return f"**Placeholder** `{text}`: replace it with real content."


def _describe(text: str) -> str:
    inner = text.strip()
    if inner.startswith("[") and inner.endswith("]"):
        inner = inner[1:-1]
    inner = inner.strip()
    if not inner:
        return "real content"
    return inner[0].lower() + inner[1:] if not inner[:2].isupper() else inner
