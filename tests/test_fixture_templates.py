"""Templates other than the seed: an ADR with front matter and HTML-comment guidance, and an
RFC with setext headings, a fenced `#` line and numbered headings."""

from __future__ import annotations

from pathlib import Path

from design_lsp.analysis import analyze, apply_edits
from design_lsp.document import parse_document
from design_lsp.template import load_template

FIXTURES = Path(__file__).parent / "fixtures"


def findings_of(folder: str, doc: str) -> list[tuple[str, int, list[str] | None]]:
    template = load_template(FIXTURES / folder / "template.md")
    text = (FIXTURES / folder / doc).read_text(encoding="utf-8")
    analysis = analyze(template, parse_document(text))
    return [(f.code, f.span.line, f.section) for f in analysis.findings]


def test_adr_template_shape() -> None:
    template = load_template(FIXTURES / "adr" / "template.md")
    assert template.title is not None and template.title.prefix == "adr"
    assert [s.title for s in template.roots] == [
        "Context",
        "Decision",
        "Consequences",
        "Options Considered",
        "Links",
    ]
    options = template.roots[3]
    assert options.optional and options.children[0].slot
    assert template.roots[0].guidance == "What forces are at play? Describe the situation that calls for a decision."
    assert {f.name: f.values for f in template.fields}["Status"] == (
        "Proposed",
        "Accepted",
        "Deprecated",
        "Superseded",
    )


def test_adr_document() -> None:
    assert findings_of("adr", "0007-queue-backend.md") == [
        ("invalid-field", 7, None),
        ("missing-section", 11, ["Decision"]),  # after Context, where it goes
        ("section-order", 18, ["Consequences", "Negative"]),
        ("misspelled-section", 26, ["Options Considered"]),
        ("placeholder", 35, ["Links"]),
    ]


def test_service_rfc_document() -> None:
    assert findings_of("service-rfc", "billing-export.md") == [
        ("missing-section", 5, ["Motivation"]),
        ("template-text", 31, ["Risks"]),
    ]


def test_fix_all_on_fixtures_keeps_every_line() -> None:
    for folder, doc in [("adr", "0007-queue-backend.md"), ("service-rfc", "billing-export.md")]:
        template = load_template(FIXTURES / folder / "template.md")
        text = (FIXTURES / folder / doc).read_text(encoding="utf-8")
        fixed = apply_edits(text, analyze(template, parse_document(text)).fix_all())
        remaining = analyze(template, parse_document(fixed)).findings
        assert "missing-section" not in {f.code for f in remaining}
        it = iter(fixed.splitlines())
        assert all(line in it for line in text.splitlines())
