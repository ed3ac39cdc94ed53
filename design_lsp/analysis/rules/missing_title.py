"""missing-title: the template has a title and the document has none."""

from __future__ import annotations

from typing import TYPE_CHECKING

from design_lsp.analysis.edits import insertion
from design_lsp.analysis.rules.common import anchor, finding
from design_lsp.analysis.rules.rule import Rule, WholeDocument

if TYPE_CHECKING:
    from design_lsp.analysis.analyze import Analysis
    from design_lsp.analysis.model import Finding


def missing_title(analysis: Analysis) -> list[Finding]:
    title = analysis.template.title
    document = analysis.document
    if title is None or analysis.alignment.title is not None:
        return []
    edit = insertion(document, document.front_matter_end, [[f"# {title.text}"]])
    return [
        finding(
            "missing-title",
            f"Missing document title: expected '# {title.text}'",
            anchor(analysis, None),
            fixes=[(f"Insert title '# {title.text}'", [edit])],
        )
    ]


RULE = Rule("missing-title", (WholeDocument(missing_title),))
