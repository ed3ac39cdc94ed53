"""The finding codes' registry (design_lsp/analysis/codes.py): what the docs say about each code
is what the registry declares, and the output order is the registry's, not the rules'."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

from design_lsp.analysis import Finding, analyze
from design_lsp.analysis.codes import CODES, NOTES, REGISTRY
from design_lsp.document import parse_document
from design_lsp.template import parse_template

REPO = Path(__file__).resolve().parent.parent
_ROW = re.compile(r"^\| \[([a-z-]+)\]\(([a-z-]+\.md)\) \| (\w+) \|", re.M)


def _tables() -> str:
    return (REPO / "docs" / "rules" / "README.md").read_text("utf-8")


def test_the_rules_index_states_each_codes_default_severity() -> None:
    rows = {code: (page, severity) for code, page, severity in _ROW.findall(_tables())}
    assert sorted(rows) == sorted(REGISTRY)
    for code, (page, severity) in rows.items():
        assert f"docs/rules/{page}" == REGISTRY[code].page
        assert severity == REGISTRY[code].severity.value, code


def test_the_rules_index_names_the_section_findings() -> None:
    """The codes that are information at most inside an optional section."""
    sentence = _tables().split("finding about a section inside an optional one")[0]
    named = set(re.findall(r"`([a-z-]+)`", sentence.rsplit("\n\n", 1)[-1]))
    assert named == {code for code, entry in REGISTRY.items() if entry.section}


def test_notes_are_declared_apart_from_the_codes_a_config_sets() -> None:
    assert set(CODES) | set(NOTES) == set(REGISTRY)
    assert not set(CODES) & set(NOTES)
    assert not any(REGISTRY[code].section or REGISTRY[code].fix_rank for code in NOTES)
    ranks = [REGISTRY[code].rank for code in CODES]
    assert len(set(ranks)) == len(ranks), "two codes share an output rank"


# Findings that start at the same place: two sections missing (in template order) on the
# misspelled heading they would precede; a section at the wrong level and empty.
TEMPLATE = """\
# Design Document: [Name]

## Overview

Say what it is.

## Goals

Say what it aims at.

## Design

Say how it works.

### Component

What it does.

## Rollout

How to ship.
"""
DOCUMENT = "Some words.\n\n## Rollout\n\nx\n\n## Desgin\n\n#### Component\n"


def _rows(findings: list[Finding]) -> list[tuple[int, int, str, str]]:
    return [(f.span.line, f.span.col, f.code, f.message) for f in findings]


def test_output_order_does_not_depend_on_the_order_the_rules_run(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    template = parse_template(TEMPLATE, "t.md")
    expected = _rows(analyze(template, parse_document(DOCUMENT)).findings)
    assert [row[:3] for row in expected] == [
        (0, 0, "missing-title"),
        (2, 0, "section-order"),
        (6, 0, "missing-section"),  # Overview, then Goals: template order
        (6, 0, "missing-section"),
        (6, 0, "misspelled-section"),
        (8, 0, "heading-level"),
        (8, 0, "empty-section"),
    ]
    assert "'Overview'" in expected[2][3] and "'Goals'" in expected[3][3]
    module = sys.modules["design_lsp.analysis.analyze"]
    collect = module.collect

    def reversed_rules(*args: object, **kwargs: object) -> object:
        """The rules' findings with the rules in reverse order (each rule's own order kept)."""
        parts, findings = collect(*args, **kwargs)
        runs: dict[str, list[Finding]] = {}
        for finding in findings:
            runs.setdefault(finding.code, []).append(finding)
        return parts, [f for code in reversed(runs) for f in runs[code]]

    monkeypatch.setattr(module, "collect", reversed_rules)
    assert _rows(analyze(template, parse_document(DOCUMENT)).findings) == expected
