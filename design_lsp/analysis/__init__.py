"""Analysis: align a document with its template and report findings."""

from design_lsp.analysis.analyze import Analysis, analyze, follows_template
from design_lsp.analysis.edits import apply_edits
from design_lsp.analysis.model import CODES, Finding, Severity, TextEdit

__all__ = [
    "CODES",
    "Analysis",
    "Finding",
    "Severity",
    "TextEdit",
    "analyze",
    "apply_edits",
    "follows_template",
]
