"""section-order: a section somewhere other than where the template puts it (at its right
level: a section at the wrong level is heading-level's). Its fix moves the section whole."""

from __future__ import annotations

from typing import TYPE_CHECKING

from design_lsp.analysis.edits import insertion
from design_lsp.analysis.model import TextEdit
from design_lsp.analysis.rules.common import finding, heading_span, named
from design_lsp.analysis.rules.rule import EachSection, Rule
from design_lsp.document import Span

if TYPE_CHECKING:
    from design_lsp.analysis.align import Match
    from design_lsp.analysis.analyze import Analysis
    from design_lsp.analysis.model import Finding


def out_of_order(analysis: Analysis, match: Match) -> list[Finding]:
    if match.in_place or analysis.alignment.wrong_level(match):
        return []
    spec = match.spec
    siblings = spec.parent.children if spec.parent else analysis.template.roots
    index = siblings.index(spec)
    before = [s for s in siblings[:index] if s.order in analysis.alignment.present]
    after = [s for s in siblings[index + 1 :] if s.order in analysis.alignment.present]
    context = analysis.alignment.by_line[match.context.heading.line] if match.context else None
    if (context.spec if context else None) is not spec.parent:
        where = f"under '{spec.parent.title}'" if spec.parent else "at the top level"
    elif before:
        where = f"after '{before[-1].title}'"
    elif after:
        where = f"before '{after[0].title}'"
    else:
        where = "elsewhere"
    return [
        finding(
            "section-order",
            f"{named(match.section.heading, spec)} is out of order: the template puts it {where}",
            heading_span(analysis.document, match.section.heading),
            spec,
            fixes=_move_fix(analysis, match),
        )
    ]


def _move_fix(analysis: Analysis, match: Match) -> list[tuple[str, list[TextEdit]]]:
    """Move the section, whole and unchanged, to where the template puts it (`parts.collect`
    re-runs this when lines just above that place change)."""
    section, lines = match.section, analysis.document.lines
    target = analysis.insertion_line(match.spec, moving=section)
    start, end = section.heading.line, section.end_line
    if start <= target <= end:
        return []
    chunk = lines[start:end]
    while chunk and not chunk[-1].strip():
        chunk.pop()
    if end >= len(lines) - 1:  # the last section: keep the text ending as it was
        end_span = Span(end - 1, len(lines[end - 1]), end - 1, len(lines[end - 1]))
        delete = TextEdit(Span(start, 0, end_span.line, end_span.col), "")
    else:
        delete = TextEdit(Span(start, 0, end, 0), "")
    return [(f"Move '{match.spec.title}' to its template place",
             [insertion(analysis.document, target, [chunk]), delete])]


RULE = Rule("section-order", (EachSection(out_of_order),))
