"""missing-section: a required template section is absent (its subsections with it)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from design_lsp.analysis.rules.common import anchor, finding, heading_span, rename
from design_lsp.analysis.rules.rule import Rule, WholeDocument
from design_lsp.document import Span
from design_lsp.template.normalize import plain_text

if TYPE_CHECKING:
    from design_lsp.analysis.analyze import Analysis
    from design_lsp.analysis.model import Finding
    from design_lsp.template import SectionSpec


def missing_sections(analysis: Analysis) -> list[Finding]:
    return [_missing(analysis, spec) for spec in analysis.missing]


def _missing(analysis: Analysis, spec: SectionSpec) -> Finding:
    parent = analysis.alignment.first(spec.parent) if spec.parent else None
    if parent is not None:  # the parent as the document names it
        where = f" under '{plain_text(parent.section.heading.title)}'"
    else:
        where = f" under '{spec.parent.title}'" if spec.parent else ""
    subsections = [child.title for child in spec.children if not child.optional]
    with_children = f" (with {', '.join(subsections)})" if subsections else ""
    fixes = [(f"Insert section '{spec.title}'", analysis.insert_edit([spec]))]
    instead = analysis.heading_in_place_of(spec)
    if instead is not None:  # offered where that heading is (features/code_actions.py)
        written = plain_text(instead.title)
        fixes.append((f"Rename '{written}' to '{spec.title}'", [rename(instead, spec)]))
    return finding(
        "missing-section",
        f"Missing section '{spec.title}'{where}{with_children}",
        _missing_anchor(analysis, spec),
        spec,
        fixes=fixes,
        insert_line=analysis.insertion_line(spec),
    )


def _missing_anchor(analysis: Analysis, spec: SectionSpec) -> Span:
    """Where a missing section shows: the heading it would follow, else its parent's (the
    title at the top), else the heading it would precede; at the top with none of its siblings
    present, the end of the document, where it would be inserted."""
    previous = analysis.neighbour(spec, None, before=True)
    if previous is not None:
        return heading_span(analysis.document, previous.heading)
    following = analysis.neighbour(spec, None, before=False)
    if spec.parent is None and following is None:
        return _last_text(analysis)
    if spec.parent is not None or analysis.alignment.title is not None:
        return anchor(analysis, spec.parent)
    if following is not None:
        return heading_span(analysis.document, following.heading)
    return anchor(analysis, None)


def _last_text(analysis: Analysis) -> Span:
    """The document's last line with text (its first line when it has none)."""
    document = analysis.document
    for line in range(len(document.lines) - 1, document.front_matter_end - 1, -1):
        text = document.lines[line]
        if text.strip():
            return Span(line, len(text) - len(text.lstrip()), line, len(text))
    return anchor(analysis, None)


RULE = Rule("missing-section", (WholeDocument(missing_sections),))
