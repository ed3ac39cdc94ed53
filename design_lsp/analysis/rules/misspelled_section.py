"""misspelled-section: a heading that is a near miss of a template section's title."""

from __future__ import annotations

from typing import TYPE_CHECKING

from design_lsp.analysis.rules.common import finding, heading_span, rename
from design_lsp.analysis.rules.rule import EachSection, Rule
from design_lsp.template.normalize import near_miss, plain_text, title_key

if TYPE_CHECKING:
    from design_lsp.analysis.align import Match
    from design_lsp.analysis.analyze import Analysis
    from design_lsp.analysis.model import Finding


def named_otherwise(match: Match) -> bool:
    """Whether the document names the section otherwise than the template does."""
    return match.how != "exact" and match.how != "slot"


def is_misspelling(match: Match) -> bool:
    """Whether a section named otherwise is named so by a typo (renamed-section: any other
    name)."""
    if match.how == "near":
        return True
    return near_miss(title_key(plain_text(match.section.heading.title)), match.spec.key)


def misspelled(analysis: Analysis, match: Match) -> list[Finding]:
    if not named_otherwise(match) or not is_misspelling(match):
        return []
    spec, heading = match.spec, match.section.heading
    return [
        finding(
            "misspelled-section",
            f"'{plain_text(heading.title)}' looks like a misspelling of '{spec.title}'",
            heading_span(analysis.document, heading),
            spec,
            fixes=[(f"Rename to '{spec.title}'", [rename(heading, spec)])],
        )
    ]


RULE = Rule("misspelled-section", (EachSection(misspelled),))
