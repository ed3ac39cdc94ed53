"""Alignment and rules on small documents: one problem is one finding."""

from __future__ import annotations

import pytest

from design_lsp.analysis import Finding, analyze, apply_edits, follows_template
from design_lsp.document import parse_document
from design_lsp.template import Template, load_template, parse_template

SMALL = """\
# Design Document: [Name]

## Overview

Say what it is and who it serves.

## Background

### Problem

Describe the problem.

### Goals

- Goal 1

### Current State

Describe today (optional).

## Design

### Component 1

What it does.

## Rollout

How to ship.
"""


@pytest.fixture(scope="module")
def small() -> Template:
    return parse_template(SMALL, "small.md")


@pytest.fixture(scope="module")
def seed() -> Template:
    return load_template(None)


def codes(findings: list[Finding]) -> list[tuple[str, int]]:
    return [(f.code, f.span.line) for f in findings]


def check(template: Template, text: str) -> list[Finding]:
    return analyze(template, parse_document(text)).findings


def test_complete_document_is_clean(small: Template) -> None:
    text = (
        "# Design Document: Cache\n\n## Overview\n\nA cache.\n\n## Background\n\n"
        "### Problem\n\nSlow.\n\n### Goals\n\n- Fast reads\n\n## Design\n\n### Storage\n\nRAM.\n\n"
        "## Rollout\n\nCanary.\n"
    )
    assert check(small, text) == []


def test_missing_parent_is_one_finding_on_the_section_it_follows(small: Template) -> None:
    text = "# Design Document: Cache\n\n## Overview\n\nA cache.\n\n## Design\n\n### Storage\n\nx\n\n## Rollout\n\nCanary.\n"
    findings = check(small, text)
    assert codes(findings) == [("missing-section", 2)]  # after Overview, where it goes
    assert findings[0].section == ["Background"]
    assert "Problem" in findings[0].message


def test_sections_missing_from_a_document_without_any_sit_where_they_would_be_inserted(
    small: Template,
) -> None:
    # none of the top-level sections: each would be inserted at the end, not on the title line
    text = "# Design Document: Cache\n\nA cache for reads.\n\nNotes to come.\n"
    assert codes(check(small, text)) == [("missing-section", 4)] * 4
    # with one of them present, the ones before it sit on the title (inserted after it), the
    # ones after it on that section's heading
    text = "# Design Document: Cache\n\n## Design\n\n### Storage\n\nRAM.\n"
    assert codes(check(small, text)) == [
        ("missing-section", 0),
        ("missing-section", 0),
        ("missing-section", 2),
    ]


def test_missing_child_sits_on_its_parent(small: Template) -> None:
    text = "# Design Document: C\n\n## Overview\n\nx\n\n## Background\n\n### Goals\n\n- a\n\n## Design\n\n### S\n\nx\n\n## Rollout\n\nx\n"
    findings = check(small, text)
    assert codes(findings) == [("missing-section", 6)]
    assert findings[0].section == ["Background", "Problem"]


def test_missing_section_does_not_make_later_ones_out_of_order(small: Template) -> None:
    text = "# Design Document: C\n\n## Background\n\n### Problem\n\nx\n\n### Goals\n\n- a\n\n## Design\n\n### S\n\nx\n\n## Rollout\n\nx\n"
    assert codes(check(small, text)) == [("missing-section", 0)]


def test_one_misplaced_section_is_one_finding(small: Template) -> None:
    text = "# Design Document: C\n\n## Overview\n\nx\n\n## Rollout\n\nx\n\n## Background\n\n### Problem\n\nx\n\n### Goals\n\n- a\n\n## Design\n\n### S\n\nx\n"
    findings = check(small, text)
    assert codes(findings) == [("section-order", 6)]
    assert findings[0].section == ["Rollout"]
    assert "after 'Design'" in findings[0].message


def test_section_under_wrong_parent_is_out_of_order(small: Template) -> None:
    text = "# Design Document: C\n\n## Overview\n\nx\n\n## Background\n\n### Problem\n\nx\n\n## Design\n\n### Goals\n\n- a\n\n### S\n\nx\n\n## Rollout\n\nx\n"
    findings = check(small, text)
    assert codes(findings) == [("section-order", 14)]
    assert "under 'Background'" in findings[0].message


def test_wrong_level_is_heading_level_not_missing(small: Template) -> None:
    text = "# Design Document: C\n\n## Overview\n\nx\n\n## Background\n\n### Problem\n\nx\n\n## Goals\n\n- a\n\n## Design\n\n### S\n\nx\n\n## Rollout\n\nx\n"
    findings = check(small, text)
    assert codes(findings) == [("heading-level", 12)]
    fixed = apply_edits(text, findings[0].fixes[0][1])
    assert "\n### Goals\n" in fixed
    assert check(small, fixed) == []


def test_misspelling_is_one_finding_with_a_rename(small: Template) -> None:
    text = "# Design Document: C\n\n## Overveiw\n\nx\n\n## Background\n\n### Problem\n\nx\n\n### Goals\n\n- a\n\n## Design\n\n### S\n\nx\n\n## Rollout\n\nx\n"
    findings = check(small, text)
    assert codes(findings) == [("misspelled-section", 2)]
    assert "'Overview'" in findings[0].message
    assert check(small, apply_edits(text, findings[0].fixes[0][1])) == []


OPTIONAL_KEPT = (
    "# Design Document: C\n\n## Overview\n\nx\n\n## Background\n\n### Problem\n\n{problem}"
    "\n\n### Goals\n\n- a\n\n{current}## Design\n\n### S\n\nx\n\n## Rollout\n\nx\n"
)


def test_optional_sections_never_warn(small: Template) -> None:
    """Leaving an optional section out is fine; keeping it with something wrong about it is
    information, never a warning, where the same finding on a required section warns."""
    spec = next(s for s in small.all_specs if s.title == "Current State")
    assert spec.optional  # (through its guidance: "(optional)")
    assert check(small, OPTIONAL_KEPT.format(problem="x", current="")) == []
    text = OPTIONAL_KEPT.format(problem="", current="#### Current State\n\n")
    found = [(f.code, f.span.line, f.severity.value) for f in check(small, text)]
    assert found == [
        ("empty-section", 8, "warning"),  # "Problem": required
        ("heading-level", 16, "information"),  # "Current State": optional
        ("empty-section", 16, "information"),
    ]


def test_duplicate_section(small: Template) -> None:
    text = "# Design Document: C\n\n## Overview\n\nx\n\n## Overview\n\ny\n\n## Background\n\n### Problem\n\nx\n\n### Goals\n\n- a\n\n## Design\n\n### S\n\nx\n\n## Rollout\n\nx\n"
    assert codes(check(small, text)) == [("duplicate-section", 6)]


def test_empty_section_and_leftovers(small: Template) -> None:
    text = "# Design Document: [Name]\n\n## Overview\n\nSay what it is and who it serves.\n\n## Background\n\n### Problem\n\n<!-- later -->\n\n### Goals\n\n- Goal 1\n\n## Design\n\n### S\n\nx\n\n## Rollout\n\nx\n"
    assert codes(check(small, text)) == [
        ("placeholder", 0),
        ("template-text", 4),
        ("empty-section", 8),
        ("placeholder", 14),
    ]


def test_placeholder_range_is_its_own_characters(seed: Template) -> None:
    text = "# Design Document: Cache\n\n## Document Information\n\n- **Author**: [Your Name] 😀\n"
    placeholder = [f for f in check(seed, text) if f.code == "placeholder"]
    assert len(placeholder) == 1
    span = placeholder[0].span
    assert (span.line, span.col, span.end_col) == (4, 14, 25)


def test_a_field_left_as_the_template_has_it_is_a_placeholder() -> None:
    """In front matter, where no rule about the text looks: the field rule reports it."""
    template = parse_template('---\nauthor: "[Your Name]"\n---\n# T: [Name]\n\n## S\n\nx.\n', "t.md")
    text = '---\nauthor: "[Your Name]"\n---\n# T: Cache\n\n## S\n\nIt caches.\n'
    found = check(template, text)
    assert [(f.code, f.span.line, f.placeholder) for f in found] == [
        ("placeholder", 1, "[Your Name]")
    ]
    assert check(template, text.replace("[Your Name]", "Ana")) == []


def test_front_matter_fields_missing_are_one_finding_on_the_block() -> None:
    template = parse_template(
        '---\nauthor: "[Your Name]"\nstatus: Draft\n---\n# T: [Name]\n\n## S\n\nx.\n', "t.md"
    )
    body = "# T: Cache\n\n## S\n\nIt caches.\n"
    found = check(template, body)
    assert [(f.code, f.span.line, f.message) for f in found] == [
        ("missing-field", 0, "Missing front matter (none found) fields 'author', 'status'")
    ]
    found = check(template, "---\nstatus: Draft\n---\n" + body)
    assert [(f.code, f.span.line, f.message) for f in found] == [
        ("missing-field", 0, "Missing front matter field 'author'")
    ]


def test_fields(seed: Template) -> None:
    text = (
        "# Design Document: Cache\n\n## Document Information\n\n"
        "- **Author**: Ana\n- **Status**: Done\n- **Version**: 2\n"
    )
    findings = [f for f in check(seed, text) if "field" in f.code]
    assert [(f.code, f.span.line) for f in findings] == [("missing-field", 2), ("invalid-field", 5)]
    invalid = findings[1]
    assert "Draft, In Review, Approved, Implemented" in invalid.message
    titles = [title for title, _ in invalid.fixes]
    assert sorted(titles) == sorted(f"Set Status to '{v}'" for v in invalid.data["values"])
    # The value nearest to what was typed comes first: it is the editor's default.
    typed = text.replace("Done", "Aproved")
    typo = [f for f in check(seed, typed) if f.code == "invalid-field"]
    assert typo[0].fixes[0][0] == "Set Status to 'Approved'"
    assert "**Status**: Approved\n" in apply_edits(typed, typo[0].fixes[0][1])


def test_missing_title(seed: Template) -> None:
    findings = check(seed, "## Executive Summary\n\nx\n")
    assert findings[0].code == "missing-title"


def test_fix_all_inserts_in_template_order_and_keeps_the_author_text(seed: Template) -> None:
    text = (
        "# Design Document: Cache\r\n\r\n## Executive Summary\r\n\r\nWe cache.\r\n\r\n"
        "## Background\r\n\r\n### Goals\r\n\r\n- Fast\r\n\r\n## Rollout Plan\r\n\r\nCanary 😀.\r\n"
    )
    analysis = analyze(seed, parse_document(text))
    fixed = apply_edits(text, analysis.fix_all())
    assert "\n" not in fixed.replace("\r\n", "")
    after = analyze(seed, parse_document(fixed))
    assert [f for f in after.findings if f.code == "missing-section"] == []
    original = text.split("\r\n")
    new_lines = fixed.split("\r\n")
    it = iter(new_lines)
    assert all(line in it for line in original), "original lines must survive in order"
    assert "\r\n\r\n\r\n" not in fixed
    headings = [line for line in new_lines if line.startswith("## ")]
    assert headings[:4] == [
        "## Document Information",
        "## Executive Summary",
        "## Background",
        "## Proposed Solution",
    ]
    assert new_lines.index("### Problem Statement") < new_lines.index("### Goals")
    assert new_lines.index("### Non-Goals") > new_lines.index("- Fast")


def test_rfc_without_title_tolerates_a_consistent_level_shift() -> None:
    template = parse_template("## Summary\n\nx\n\n## Motivation\n\ny\n\n## Drawbacks\n\nz\n", "t.md")
    text = "# Summary\n\na\n\n# Motivation\n\nb\n\n## Drawbacks\n\nc\n"
    findings = check(template, text)
    assert codes(findings) == [("heading-level", 8)]
    assert findings[0].message.startswith("'Drawbacks' should be a level-1 heading")


def test_slot_instances(small: Template) -> None:
    text = "# Design Document: C\n\n## Overview\n\nx\n\n## Background\n\n### Problem\n\nx\n\n### Goals\n\n- a\n\n## Design\n\n## Rollout\n\nx\n"
    findings = check(small, text)
    assert codes(findings) == [("missing-section", 16)]
    assert findings[0].section == ["Design", "Component 1"]


@pytest.mark.parametrize(
    ("template_title", "doc_title", "follows"),
    [
        ("Design Document: [Name]", "Design Document: Cache", True),
        ("Design Document: [Name]", "Cache design", False),
        ("ADR [number]: [Title]", "ADR 7: Use Postgres", True),
        ("KEP-NNNN: Your short, descriptive title", "KEP-1234: Sidecars", True),
        ("KEP-NNNN: Your short, descriptive title", "Sidecars", False),
        ("{short title of solved problem}", "Use Postgres", False),
    ],
)
def test_follows_template_by_title(template_title: str, doc_title: str, follows: bool) -> None:
    template = parse_template(f"# {template_title}\n\n## Context\n\nWhy.\n", "t.md")
    document = parse_document(f"# {doc_title}\n\n## Context\n\nx\n")
    assert follows_template(template, document) is follows


def test_follows_a_titleless_template_by_its_sections() -> None:
    template = parse_template("## Summary\n\nx\n\n## Motivation\n\ny\n\n## Drawbacks\n\nz\n", "t.md")
    assert follows_template(template, parse_document("# Foo\n\n## Summary\n\n## Drawbacks\n"))
    assert not follows_template(template, parse_document("# Readme\n\n## Summary\n\n## Install\n"))
    front = parse_document("---\ntemplate: rfc\n---\n\n# Readme\n")
    assert follows_template(template, front)
