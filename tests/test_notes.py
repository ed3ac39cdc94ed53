"""The editor's notes about the check itself (features/notes.py): each carries a code that the
registry (analysis/codes.py) declares a note, with the registry's severity, on the line a user
looks at; a code the registry does not declare a note is refused, not shown."""

from __future__ import annotations

from pathlib import Path

import pytest

from design_lsp.analysis.codes import NOTES, REGISTRY
from design_lsp.analysis.model import Finding, Severity
from design_lsp.document import Span, parse_document
from design_lsp.features import notes
from design_lsp.template import load_template

DEFAULT = (Path(__file__).parents[1] / "design_lsp" / "template" / "default.md").read_text("utf-8")


def _finding(code: str, severity: Severity, line: int) -> Finding:
    return Finding(code, severity, "m", Span(line, 0, line, 1), None)


def test_every_note_has_the_registry_code_and_severity() -> None:
    template = load_template(None)
    # The template's sections under another title: not selected, though it has them all.
    untitled = parse_document(DEFAULT.replace("# Design Document:", "# Notes on", 1))
    named = parse_document("---\ntitle: x\ntemplate: missing.md\n---\n# Doc\n")
    findings = [_finding("placeholder", Severity.WARNING, 3),
                _finding("missing-section", Severity.ERROR, 5)]
    made = {
        "document-too-large": notes.refusal("x" * 10),
        "config-error": notes.config_error(named, "bad config"),
        "template-error": notes.template_error(named, "bad template"),
        "too-many-findings": notes.capped(findings, 1)[0],
        "not-checked": notes.not_selected(template, untitled),
    }
    assert set(made) == set(NOTES), "a note in the registry that the editor never makes"
    for code, finding in made.items():
        assert finding is not None, code
        assert finding.code == code
        assert finding.severity == REGISTRY[code].severity
    template_line = made["template-error"]
    assert template_line is not None and template_line.span.line == 2  # its `template:` line
    capped = notes.capped(findings, 1)
    assert [f.code for f in capped[1:]] == ["missing-section"]  # the most severe is kept


@pytest.mark.parametrize("code", ["no-such-code", "missing-section"])
def test_a_code_that_is_not_a_registered_note_is_refused(code: str) -> None:
    with pytest.raises(KeyError, match=code):
        notes.note(code, "message", Span(0, 0, 0, 0))
