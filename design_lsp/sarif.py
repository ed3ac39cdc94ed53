"""Findings as SARIF 2.1.0, the format code-scanning services (GitHub among them) take in.

Section numbers below are those of the OASIS SARIF 2.1.0 specification.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, NamedTuple
from urllib.parse import quote

from design_lsp import __version__
from design_lsp.analysis.codes import CODES, REGISTRY
from design_lsp.features.diagnostics import code_url

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = "https://github.com/design-lsp/design-lsp"
LEVEL = {"error": "error", "warning": "warning", "information": "note", "hint": "note"}

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
    codes = list(CODES)  # every code a check reports (the notes are the editor's)
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
    short, full = REGISTRY[code].summary, REGISTRY[code].description
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
