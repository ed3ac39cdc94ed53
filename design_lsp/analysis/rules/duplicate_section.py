"""duplicate-section: a template section a second time under the same parent."""

from __future__ import annotations

from typing import TYPE_CHECKING

from design_lsp.analysis.rules.common import finding, heading_span, named
from design_lsp.analysis.rules.rule import EachRepeat, Rule

if TYPE_CHECKING:
    from design_lsp.analysis.align import Match
    from design_lsp.analysis.analyze import Analysis
    from design_lsp.analysis.model import Finding
    from design_lsp.document import Section


def repeated(analysis: Analysis, repeat: Section, first: Match) -> list[Finding]:
    return [
        finding(
            "duplicate-section",
            f"{named(repeat.heading, first.spec)} appears more than once "
            f"(first at line {first.section.heading.line + 1})",
            heading_span(analysis.document, repeat.heading),
            first.spec,
        )
    ]


RULE = Rule("duplicate-section", (EachRepeat(repeated),))
