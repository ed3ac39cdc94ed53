"""What several rules share: making a finding, where a finding shows, how a section is named."""

from __future__ import annotations

from typing import TYPE_CHECKING

from design_lsp.analysis.codes import REGISTRY
from design_lsp.analysis.edits import replace_line_part
from design_lsp.analysis.model import Finding, Severity, TextEdit
from design_lsp.document import Document, Heading, Span
from design_lsp.template.normalize import plain_text, strip_numbering, title_key

if TYPE_CHECKING:
    from design_lsp.analysis.analyze import Analysis
    from design_lsp.template import SectionSpec


def finding(
    code: str,
    message: str,
    span: Span,
    section: SectionSpec | None = None,
    fixes: list[tuple[str, list[TextEdit]]] | None = None,
    *,
    insert_line: int | None = None,
    level: int | None = None,
    field_name: str | None = None,
    values: tuple[str, ...] | None = None,
    placeholder: str | None = None,
) -> Finding:
    """A finding at warning level (`analyze` sets its severity)."""
    return Finding(
        code=code,
        severity=Severity.WARNING,
        message=message,
        span=span,
        section=section.path if section else None,
        fixes=fixes or [],
        within_optional=(
            section is not None and REGISTRY[code].section and section.within_optional
        ),
        insert_line=insert_line,
        level=level,
        field_name=field_name,
        values=values,
        placeholder=placeholder,
    )


def heading_span(document: Document, heading: Heading) -> Span:
    """The heading line from its first non-blank character to its end."""
    text = document.lines[heading.line]
    return Span(heading.line, len(text) - len(text.lstrip()), heading.line, len(text))


def anchor(analysis: Analysis, parent: SectionSpec | None) -> Span:
    """Where a finding about something absent shows: the parent heading, else the title,
    else the first line with text."""
    document = analysis.document
    match = analysis.alignment.first(parent) if parent else None
    if match is not None:
        return heading_span(document, match.section.heading)
    if analysis.alignment.title is not None:
        return heading_span(document, analysis.alignment.title.heading)
    for line in range(document.front_matter_end, len(document.lines)):
        if document.lines[line].strip():
            return Span(line, 0, line, len(document.lines[line]))
    return Span(0, 0, 0, 0)


def named(heading: Heading, spec: SectionSpec) -> str:
    """The heading as the document writes it, and the template's title where that differs."""
    written = plain_text(heading.title)
    if title_key(written) == spec.key:
        return f"'{written}'"
    return f"'{written}' (the template's '{spec.title}')"


def rename(heading: Heading, spec: SectionSpec) -> TextEdit:
    """The heading's title replaced by the template's, its numbering ("3.2 ") kept."""
    ts = heading.title_span
    numbering = len(heading.title) - len(strip_numbering(heading.title))
    new_title = heading.title[:numbering] + spec.title
    return replace_line_part(ts.line, ts.col, ts.end_col, new_title)


def collapse(text: str) -> str:
    """`text` with its runs of white space as one space (how placeholders are compared)."""
    return " ".join(text.split())
