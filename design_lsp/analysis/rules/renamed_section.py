"""renamed-section: a heading the template does not know that stands for an absent template
section: it holds that section's subsections ("renamed"), or stands where it belongs
("stand-in")."""

from __future__ import annotations

from typing import TYPE_CHECKING

from design_lsp.analysis.rules.common import finding, heading_span, rename
from design_lsp.analysis.rules.misspelled_section import is_misspelling, named_otherwise
from design_lsp.analysis.rules.rule import EachSection, Rule
from design_lsp.template.normalize import plain_text

if TYPE_CHECKING:
    from design_lsp.analysis.align import Match
    from design_lsp.analysis.analyze import Analysis
    from design_lsp.analysis.model import Finding


def renamed(analysis: Analysis, match: Match) -> list[Finding]:
    if not named_otherwise(match) or is_misspelling(match):
        return []
    spec, heading = match.spec, match.section.heading
    written = plain_text(heading.title)
    fixes = [(f"Rename to '{spec.title}'", [rename(heading, spec)])]
    if match.how == "renamed":
        message = (
            f"'{written}' holds the subsections of '{spec.title}': the template calls it "
            f"'{spec.title}'"
        )
    else:
        message = (
            f"'{written}' stands where the template puts '{spec.title}': rename it, or add "
            f"'{spec.title}' if this is another section"
        )
        fixes.append((f"Insert section '{spec.title}'", analysis.insert_edit([spec])))
    span = heading_span(analysis.document, heading)
    return [finding("renamed-section", message, span, spec, fixes=fixes)]


RULE = Rule("renamed-section", (EachSection(renamed),))
