"""Findings as SARIF 2.1.0, the format code-scanning services (GitHub among them) take in.

Section numbers below are those of the OASIS SARIF 2.1.0 specification.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, NamedTuple
from urllib.parse import quote

from design_lsp import __version__
from design_lsp.features.diagnostics import code_url

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = "https://github.com/design-lsp/design-lsp"
LEVEL = {"error": "error", "warning": "warning", "information": "note", "hint": "note"}

# (short description, full description) per finding code: SARIF's rule metadata (3.49).
RULES: dict[str, tuple[str, str]] = {
    "missing-title": (
        "Document has no title",
        "The document has no title following the template's title pattern.",
    ),
    "missing-section": (
        "Required section missing",
        "A required section of the template is absent. `design-lsp check --fix` inserts it, "
        "with its subsections, where the template puts it.",
    ),
    "section-order": (
        "Section out of order",
        "A section appears somewhere other than where the template puts it.",
    ),
    "heading-level": (
        "Section at the wrong heading level",
        "A template section is present at the wrong heading level.",
    ),
    "misspelled-section": (
        "Section title misspelled",
        "A heading is a near miss of a template section's title.",
    ),
    "renamed-section": (
        "Section under another name",
        "A heading the template does not know stands for an absent template section under "
        "another name (an older template's, or the team's own).",
    ),
    "duplicate-section": (
        "Section appears twice",
        "The same template section appears twice under the same parent.",
    ),
    "empty-section": ("Empty section", "A section has a heading and nothing under it."),
    "placeholder": (
        "Placeholder left in",
        "A template placeholder or example item was left in.",
    ),
    "template-text": (
        "Template guidance left in",
        "The template's guidance text was left in unchanged.",
    ),
    "invalid-field": (
        "Field value not allowed",
        "A field's value is not one of the template's choices.",
    ),
    "missing-field": ("Field missing", "A field the template asks for is absent."),
    "emphasis-as-heading": (
        "Section written as bold text",
        "A required section is written as a bold line or bold list item instead of a heading.",
    ),
}


class Result(NamedTuple):
    """One finding, as this module needs it."""

    uri_path: str  # relative to the repository's top, '/' separators
    code: str
    severity: str
    message: str
    region: dict[str, int]


def region(line: int, start_char: int, end_line: int, end_char: int) -> dict[str, int]:
    """A region (3.30) from 0-based lines and UTF-16 columns with an exclusive end: SARIF
    counts both from 1 (3.30.5-3.30.8), and its end column is the one after the region."""
    return {
        "startLine": line + 1,
        "startColumn": start_char + 1,
        "endLine": end_line + 1,
        "endColumn": end_char + 1,
    }


def document(results: Iterable[Result]) -> dict[str, Any]:
    """The sarifLog (3.13): one run (3.14) of this tool, with every rule it can report."""
    codes = list(RULES)
    index = {code: i for i, code in enumerate(codes)}
    return {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "design-lsp",
                        "version": __version__,
                        "informationUri": INFORMATION_URI,
                        "rules": [_rule(code) for code in codes],
                    }
                },
                "columnKind": "utf16CodeUnits",  # the columns count UTF-16 units (3.14.17)
                "results": [_result(r, index) for r in results],
            }
        ],
    }


def _rule(code: str) -> dict[str, Any]:
    short, full = RULES[code]
    return {
        "id": code,
        "name": "".join(part.title() for part in code.split("-")),
        "shortDescription": {"text": short},
        "fullDescription": {"text": full},
        "help": {"text": f"{full} See {code_url(code)}"},
        "helpUri": code_url(code),
    }


def _result(result: Result, index: dict[str, int]) -> dict[str, Any]:
    out: dict[str, Any] = {
        "ruleId": result.code,
        "level": LEVEL.get(result.severity, "warning"),
        "message": {"text": result.message},
        "locations": [
            {
                "physicalLocation": {
                    "artifactLocation": {
                        "uri": quote(result.uri_path, safe="/"),
                        "uriBaseId": "%SRCROOT%",
                    },
                    "region": result.region,
                }
            }
        ],
    }
    if result.code in index:
        out["ruleIndex"] = index[result.code]
    return out
