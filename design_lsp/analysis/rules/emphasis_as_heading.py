"""emphasis-as-heading: an absent section written as a bold line or bold list item where the
template puts it (`Analysis.written_as_text`, from the bold openers `parts.collect` keeps)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from design_lsp.analysis.rules.common import finding
from design_lsp.analysis.rules.rule import Rule, WholeDocument

if TYPE_CHECKING:
    from design_lsp.analysis.analyze import Analysis
    from design_lsp.analysis.model import Finding


def written_as_text(analysis: Analysis) -> list[Finding]:
    findings = []
    for order, span in analysis.written_as_text().items():
        spec = analysis.template.all_specs[order]
        findings.append(
            finding(
                "emphasis-as-heading",
                f"'{spec.title}' is written as bold text: the template makes it a heading",
                span,
                spec,
            )
        )
    return findings


RULE = Rule("emphasis-as-heading", (WholeDocument(written_as_text),))
