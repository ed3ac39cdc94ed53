"""The finding codes' registry (design_lsp/analysis/codes.py) and the rules that report them
(design_lsp/analysis/rules/): what the docs say about each code is what the registry declares,
each code has one rule, each rule reports its code and only its code, and the output order is
the registry's, not the order the rules run in."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

from design_lsp.analysis import Finding, analyze, parts
from design_lsp.analysis.codes import CODES, NOTES, REGISTRY
from design_lsp.analysis.rules import RULES, Rule
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


def test_every_code_is_reported_by_exactly_one_rule() -> None:
    """Every code a check reports (not the notes) has one rule, in the module named for it."""
    assert sorted(rule.code for rule in RULES) == sorted(CODES)
    for rule in RULES:
        assert rule.code in REGISTRY and not REGISTRY[rule.code].note
        assert rule.checks, rule.code
        for check in rule.checks:
            module = check.run.__module__
            assert module == f"design_lsp.analysis.rules.{rule.code.replace('-', '_')}", module


# A template and documents that, together, get a finding of every code.
EVERY_TEMPLATE = """\
# Design Document: [Name]

- **Status**: Draft | Accepted
- **Owner**: [Your Name]
- **Reviewer**: [Reviewer Name]

## Overview

Describe the problem this design solves and why it matters to the team now.

## Goals

- Goal 1
- Goal 2

## Design

Say how it works.

### Component

What it does.

### Storage

Where it keeps its data.

## Alternatives

What else was considered.

## Rollout

How to ship.
"""
EVERY_DOCUMENT = [
    # missing-field, invalid-field, placeholder (title, field, example item, TODO),
    # section-order, misspelled-section, template-text, missing-section, heading-level,
    # duplicate-section
    """\
# Design Document: [Name]

- **Status**: Done
- **Owner**: [Your Name]

## Rollout

Ship it.

## Overveiw

Describe the problem this design solves and why it matters to the team now.

## Goals

- Goal 1
- Fast builds

TODO

## Design

#### Component

**Alternatives**

Remote execution.

## Design

Again.
""",
    # missing-title, renamed-section
    """\
- **Status**: Draft
- **Owner**: Ada
- **Reviewer**: Bo

## Overview

Builds are slow.

## Goals

- Fast builds

## Approach

Content addressing.

### Component

The store.

### Storage

Disk.

## Alternatives

Remote execution.

## Rollout

Behind a flag.
""",
    # emphasis-as-heading, empty-section
    """\
# Design Document: Builds

- **Status**: Draft
- **Owner**: Ada
- **Reviewer**: Bo

## Overview

Builds are slow.

## Goals

- Fast builds

## Design

Content addressing.

**Alternatives**

Remote execution.

### Component

### Storage

Disk.

## Rollout

Behind a flag.
""",
]


def _every() -> list[list[tuple[int, int, str, str]]]:
    template = parse_template(EVERY_TEMPLATE, "t.md")
    return [_rows(analyze(template, parse_document(text)).findings) for text in EVERY_DOCUMENT]


def test_the_documents_get_a_finding_of_every_code() -> None:
    assert {row[2] for rows in _every() for row in rows} == set(CODES)


@pytest.mark.parametrize("rule", RULES, ids=lambda rule: rule.code)
def test_taking_a_rule_out_takes_out_its_findings_and_no_others(
    rule: Rule, monkeypatch: pytest.MonkeyPatch
) -> None:
    every = _every()
    monkeypatch.setattr(parts, "RULES", tuple(other for other in RULES if other is not rule))
    assert _every() == [[row for row in rows if row[2] != rule.code] for rows in every]


def test_output_order_does_not_depend_on_the_order_of_the_registry(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    every = _every()
    monkeypatch.setattr(parts, "RULES", tuple(reversed(RULES)))
    assert _every() == every
