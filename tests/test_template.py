"""The template is the schema: the seed template must parse to the tree it shows."""

from __future__ import annotations

from pathlib import Path

import pytest

from design_lsp.template import SectionSpec, TemplateError, load_template, parse_template
from design_lsp.template.normalize import near_miss, numbered, title_key


def tree(specs: list[SectionSpec], depth: int = 0) -> list[str]:
    out = []
    for spec in specs:
        flags = ("?" if spec.optional else "") + ("*" if spec.slot else "")
        out.append("  " * depth + spec.title + flags)
        out += tree(spec.children, depth + 1)
    return out


def test_seed_template_tree() -> None:
    template = load_template(None)
    assert template.title is not None
    assert template.title.text == "Design Document: [Feature/Component Name]"
    assert template.title.placeholder == "[Feature/Component Name]"
    assert tree(template.roots) == [
        "Document Information",
        "Executive Summary",
        "Background",
        "  Problem Statement",
        "  Current State?",
        "  Goals",
        "  Non-Goals",
        "Proposed Solution",
        "  High-Level Design",
        "  Detailed Design",
        "    Component 1*",
        "  API Design",
        "  Data Model",
        "  Workflow",
        "Technical Considerations",
        "  Performance",
        "  Scalability",
        "  Security",
        "  Reliability",
        "Implementation Plan",
        "  Phase 1: Foundation*",
        "Testing Strategy",
        "  Unit Tests",
        "  Integration Tests",
        "  Performance Tests",
        "Migration Plan?",
        "Rollout Plan",
        "Monitoring and Metrics",
        "Alternatives Considered",
        "  Alternative 1*",
        "Open Questions",
        "References",
        "Appendix",
        "  Glossary",
        "  Detailed Examples",
    ]
    levels = {spec.title: spec.level for spec in template.all_specs}
    assert levels["Background"] == 2 and levels["Goals"] == 3 and levels["Component 1"] == 4


def test_seed_template_fields_and_placeholders() -> None:
    template = load_template(None)
    fields = {f.name: f for f in template.fields}
    assert set(fields) == {"Author", "Date", "Status", "Version"}
    assert fields["Status"].values == ("Draft", "In Review", "Approved", "Implemented")
    assert fields["Author"].placeholder == "[Your Name]"
    assert fields["Version"].values == () and fields["Version"].placeholder is None
    assert fields["Author"].section is not None
    assert fields["Author"].section.title == "Document Information"
    assert "[Your Name]" in template.placeholders
    assert "[Link to relevant documentation]" in template.placeholders
    examples = ["goal 7", "task 4", "question 3?", "metric 2: description", "term 1: definition"]
    for text in examples:
        assert any(p.fullmatch(text) for p in template.example_patterns), text
    assert not any(p.fullmatch("goal 1: cut p99 latency") for p in template.example_patterns)
    assert "describe the problem this design aims to solve." in template.guidance.paragraphs


def test_guidance_and_block() -> None:
    template = load_template(None)
    spec = next(s for s in template.all_specs if s.title == "Problem Statement")
    assert spec.guidance == "Describe the problem this design aims to solve."
    background = next(s for s in template.all_specs if s.title == "Background")
    assert background.block[0] == "## Background"
    assert background.block[-1] == "- What this design explicitly does not address"


def test_optional_markers_and_comments() -> None:
    text = (
        "# RFC: [Name]\n\n## Summary\n\n<!-- One paragraph explanation. -->\n\n"
        "## Prior Art (Optional)\n\nText.\n\n## Risks\n\nList risks (IF APPLICABLE).\n"
    )
    template = parse_template(text, "t.md")
    specs = {s.title: s for s in template.all_specs}
    assert set(specs) == {"Summary", "Prior Art", "Risks"}
    assert specs["Prior Art"].optional and specs["Risks"].optional
    assert not specs["Summary"].optional
    assert specs["Summary"].guidance == "One paragraph explanation."
    assert title_key("prior art") == specs["Prior Art"].key


def test_numbered_slots() -> None:
    text = "## Stories\n\n### Story 1\n\nAs a user.\n\n## Plan\n\n### Step 1: Build\n\n### Step 2: Ship\n"
    template = parse_template(text, "t.md")
    assert template.title is None
    stories, plan = template.roots
    assert [c.title for c in stories.children] == ["Story 1"] and stories.children[0].slot
    assert [c.title for c in plan.children] == ["Step 1: Build"]
    assert plan.children[0].slot_stem == "Step"


def test_template_without_title_has_no_title_spec() -> None:
    template = parse_template("## A\n\ntext\n\n# B\n\n# C\n", "t.md")
    assert template.title is None
    assert [s.title for s in template.roots] == ["A", "B", "C"]


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("3.1 Non-Goals:", "Non-Goals"),
        ("**Executive** _Summary_", "executive summary"),
        ("IV. Background", "Background"),
        ("A. Goals", "goals"),
        ("High_Level design", "High-Level Design"),
        ("[Data Model](#data-model)", "Data Model"),
        ("Non Goals", "NonGoals"),
        ("`API` Design", "API Design"),
    ],
)
def test_title_keys_forgive(a: str, b: str) -> None:
    assert title_key(a) == title_key(b)


def test_near_miss_is_a_typo_not_a_different_title() -> None:
    assert near_miss(title_key("Excutive Sumary"), title_key("Executive Summary"))
    assert near_miss(title_key("Non-Goal"), title_key("Non-Goals"))
    assert not near_miss(title_key("Alternatives"), title_key("Alternatives Considered"))
    assert not near_miss(title_key("Unit Tests"), title_key("Integration Tests"))
    assert not near_miss(title_key("Detailed design"), title_key("Detailed Examples"))


def test_numbered() -> None:
    assert numbered("Phase 2: Core Features") == ("Phase", 2)
    assert numbered("Component 1") == ("Component", 1)
    assert numbered("Background") is None


def test_missing_template_names_path(tmp_path: Path) -> None:
    with pytest.raises(TemplateError, match=r"nope\.md: template file not found"):
        load_template(tmp_path / "nope.md")


def test_template_without_headings_is_rejected(tmp_path: Path) -> None:
    path = tmp_path / "flat.md"
    path.write_text("Just prose.\n", encoding="utf-8")
    with pytest.raises(TemplateError, match="no headings"):
        load_template(path)


def test_binary_template_is_rejected(tmp_path: Path) -> None:
    path = tmp_path / "bin.md"
    path.write_bytes(b"\xff\xfe\x00junk")
    with pytest.raises(TemplateError, match="not UTF-8"):
        load_template(path)


def test_rust_template_fields() -> None:
    path = Path(__file__).resolve().parents[2] / "shared/corpus/rust-rfcs/0000-template.md"
    if not path.exists():
        pytest.skip(f"corpus not found at {path}")
    template = load_template(path)
    assert template.title is None
    assert [s.title for s in template.roots][:3] == [
        "Summary",
        "Motivation",
        "Guide-level explanation",
    ]
    names = [f.name for f in template.fields]
    assert names[:2] == ["Feature Name", "Start Date"]
    feature = template.fields[0]
    assert feature.placeholder is not None and feature.placeholder.startswith("(fill me in")
