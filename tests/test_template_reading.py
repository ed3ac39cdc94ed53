"""How a template written in its own conventions is read: optional in any wording, the title
slot, fields in lists and front matter, the template's own placeholders, and its guidance."""

from __future__ import annotations

import pytest

from design_lsp.template import parse_template
from design_lsp.template.guidance import normalize
from design_lsp.template.markers import for_a_case, optional_sentence, strip_marker


@pytest.mark.parametrize(
    ("heading", "title", "marker"),
    [
        ("Risks (optional)", "Risks", "(optional)"),
        ("Open Questions [optional]", "Open Questions", "[optional]"),
        ("Open Questions \\[optional\\]", "Open Questions", "[optional]"),
        ("Security (If Applicable)", "Security", "(If Applicable)"),
        ("Appendix *if applicable*", "Appendix", "*if applicable*"),
        ("Optional: Appendix", "Appendix", "Optional:"),
        ("Non-optional Flags", "Non-optional Flags", ""),
        ("Optionality", "Optionality", ""),
    ],
)
def test_heading_markers_are_stripped(heading: str, title: str, marker: str) -> None:
    assert strip_marker(heading) == (title, marker)


@pytest.mark.parametrize(
    "guidance",
    [
        "This section is optional.",
        "This subsection is optional.",
        "Optional, but suggested for first drafts. Describe the API.",
        "This section may be omitted if there are none.",
        "Omit this section if it's not applicable.",
        "**Note:** *Section not required until targeted at a release.*",
        "This section is optional for non-Core proposals.",
        "Only required for Standards Track. Otherwise, remove this field.",
        "Describe today (optional).",
    ],
)
def test_optional_in_words(guidance: str) -> None:
    assert optional_sentence(guidance)


@pytest.mark.parametrize(
    ("guidance", "for_the_case"),
    [
        ("If others suggested changes, take a moment here to thank them. Be brief.", True),
        ("If applicable, how will the component be upgraded and downgraded?", False),
        ("If applicable, describe the migration.", False),
        ("- If the design changes an API, add examples.\n- Say who maintains it.", False),
        ("Describe the problem. If you need background, add it here.", False),
    ],
)
def test_a_section_for_a_case_is_optional(guidance: str, for_the_case: bool) -> None:
    assert bool(for_a_case(guidance)) is for_the_case


@pytest.mark.parametrize(
    "guidance",
    [
        "Optionally add a sequence diagram.",
        "For non-optional features moving to GA, the criteria must include end to end tests.",
        "If applicable, how will the component be upgraded and downgraded?",
        "If a section does not apply, explain why but do not remove the section.",
        "Explain what can be removed from the API.",
        "Discuss which optional parameters exist.",
    ],
)
def test_mentions_of_the_idea_do_not_make_a_section_optional(guidance: str) -> None:
    assert optional_sentence(guidance) == ""


TEMPLATE = """\
---
title: short-name
status: draft|implementable|implemented
reviewers: # a reviewer per area
  - TBD
category: <Core or Interface> # Only required for Standards Track. Otherwise, remove this field.
see-also:
  - "/docs/other-proposal.md"
release-date: # filled in when it ships
---

# Title

* Authors: [Author Name](https://example.org/you)
* Start date: (fill me in with today's date, YYYY-MM-DD)
* Bug: *if applicable* [BUG-NNNN](https://example.org/bugs/NNNN)

## Summary

One paragraph that says what this changes and why it matters to users.

## Motivation

<!--
  This section is optional.

  Describe the problem in detail, including the background a reader needs.
-->

Copyright waived: see [LICENSE](../LICENSE.md).

## Dependencies

* Dependencies: does this add any new runtime dependency?
* Dependent projects: are there other projects that this affects?

## Risks

List what could go wrong, written as <risk, likelihood, mitigation>.

- [Table of contents](#summary)
"""


@pytest.fixture(scope="module")
def template():  # type: ignore[no-untyped-def]
    return parse_template(TEMPLATE, "t.md")


def test_a_heading_named_title_is_the_title_slot(template) -> None:  # type: ignore[no-untyped-def]
    assert template.title is not None and template.title.prefix == ""
    assert [s.title for s in template.roots] == ["Summary", "Motivation", "Dependencies", "Risks"]


def test_optional_sections_and_the_words_that_made_them(template) -> None:  # type: ignore[no-untyped-def]
    motivation = template.roots[1]
    assert motivation.optional and motivation.optional_reason == "This section is optional."
    assert not template.roots[0].optional


def test_fields_from_lists_and_front_matter(template) -> None:  # type: ignore[no-untyped-def]
    fields = {f.name: f for f in template.fields}
    assert "Dependent projects" not in fields and "Dependencies" not in fields  # questions
    assert fields["status"].front_matter
    assert fields["status"].values == ("draft", "implementable", "implemented")
    assert fields["reviewers"].placeholder == "TBD" and not fields["reviewers"].optional
    assert fields["category"].optional  # "Only required for ...", in its comment
    assert fields["see-also"].optional  # points at other documents: a cross-reference
    assert fields["Bug"].optional_reason == "*if applicable*"
    assert fields["Start date"].placeholder == "(fill me in with today's date, YYYY-MM-DD)"
    assert fields["title"].placeholder is None  # an example value to keep the shape of
    assert fields["release-date"].blank and not fields["status"].blank


def test_placeholders_are_the_templates_own(template) -> None:  # type: ignore[no-untyped-def]
    assert "<risk, likelihood, mitigation>" in template.placeholders
    assert "(fill me in with today's date, YYYY-MM-DD)" in template.placeholders
    assert "[Author Name]" not in template.placeholders  # link text, not a bare bracket


def test_guidance_in_comments_and_visible_text_to_keep(template) -> None:  # type: ignore[no-untyped-def]
    guidance = template.guidance
    commented = normalize("Describe the problem in detail, including the background a reader needs.")
    assert commented in guidance.paragraphs
    # Beside a comment, the section's visible text is content the template wants kept.
    assert normalize("Copyright waived: see LICENSE.") not in guidance.paragraphs
    summary = normalize("One paragraph that says what this changes and why it matters to users.")
    assert summary in guidance.paragraphs
    assert normalize("Table of contents") not in guidance.paragraphs  # a link list


def test_a_template_that_keeps_its_guidance_in_comments_keeps_its_visible_text() -> None:
    template = parse_template(
        "## Abstract\n\n<!-- A terse summary of the specification. -->\n\n"
        "## Rationale\n\n<!-- Why the design is the way it is. -->\n\n"
        "## Copyright\n\nCopyright and related rights waived via CC0 for everyone.\n",
        "t.md",
    )
    kept = normalize("Copyright and related rights waived via CC0 for everyone.")
    assert kept not in template.guidance.paragraphs
    assert normalize("Why the design is the way it is.") in template.guidance.paragraphs


def test_braces_comments_and_elements_templates_write() -> None:
    template = parse_template(
        '---\nstatus: "{proposed | accepted | rejected}"\ndate: {YYYY-MM-DD of the decision}\n---\n'
        "# {short title of the decision}\n\n## Context\n\n{Describe the context in two lines.}\n\n"
        "## Drivers <!-- optional -->\n\n* {driver 1, e.g., a force}\n\n"
        "## Outcome\n\n<!-- This is an optional element. Feel free to remove. -->\n\nChosen.\n",
        "adr.md",
    )
    fields = {f.name: f for f in template.fields}
    assert fields["status"].values == ("proposed", "accepted", "rejected")
    assert fields["date"].placeholder == "{YYYY-MM-DD of the decision}"
    assert "{Describe the context in two lines.}" in template.placeholders
    drivers, outcome = template.roots[1], template.roots[2]
    assert drivers.title == "Drivers" and drivers.optional_reason == "<!-- optional -->"
    assert outcome.optional_reason == "This is an optional element."
    assert template.title is not None and template.title.prefix == ""


def test_a_note_right_above_a_heading_is_that_sections() -> None:
    # MADR writes "<!-- This is an optional element. Feel free to remove. -->" on the line
    # above the heading it is about
    template = parse_template(
        "# {title}\n\n## Context\n\n{Describe the context.}\n\n"
        "<!-- This is an optional element. Feel free to remove. -->\n## Drivers\n\n* {driver 1}\n\n"
        "## Outcome\n\nChosen option: {option}\n\n"
        "<!-- This is an optional element.\n     Feel free to remove. -->\n## More Information\n\n"
        "{Links.}\n",
        "adr.md",
    )
    context, drivers, outcome, more = template.roots
    assert not context.optional and not outcome.optional
    assert drivers.optional_reason == "This is an optional element."
    assert more.optional  # the note may run over several lines
    assert "optional" not in context.guidance  # nor is it the text of the section above
    assert context.block[-1] == "{Describe the context.}"  # which a fix would insert
    # a comment with a blank line before the heading is still the section's own text
    spaced = parse_template("# T\n\n## A\n\n<!-- This section is optional. -->\n\n## B\n\nx\n", "t.md")
    assert spaced.roots[0].optional and not spaced.roots[1].optional


def test_an_item_that_is_a_placeholder_is_one_finding_not_also_an_example() -> None:
    from design_lsp.analysis import analyze
    from design_lsp.document import parse_document

    template = parse_template(
        "# {title}\n\n## Options\n\n* {title of option 1}\n* {title of option 2}\n", "adr.md"
    )
    assert template.example_patterns == []
    text = "# Use Postgres\n\n## Options\n\n* {title of option 1}\n* Kafka\n"
    found = analyze(template, parse_document(text)).findings
    assert [(f.code, f.span.line, f.message) for f in found] == [
        ("placeholder", 4, "Placeholder '{title of option 1}' not filled in")
    ]


def test_bracketed_guidance_that_is_no_placeholder_is_guidance() -> None:
    from design_lsp.analysis import analyze
    from design_lsp.document import parse_document

    # "[...]" around a whole paragraph, over two lines with a link inside: not one of the
    # template's placeholders (those are on one line), so it is guidance to find left over
    template = parse_template(
        "# Proposal: [Title]\n\n## Abstract\n\n[A short summary of the proposal.]\n\n"
        "## Implementation\n\n[A description of the steps in the implementation, who will do\n"
        "them, and when, and how it fits [the release cycle](https://example.com/cycle).]\n",
        "go.md",
    )
    kept = (
        "# Proposal: Logging\n\n## Abstract\n\n[A short summary of the proposal.]\n\n"
        "## Implementation\n\n[A description of the steps in the implementation, who will do\n"
        "them, and when, and how it fits [the release cycle](https://example.com/cycle).]\n"
    )
    found = analyze(template, parse_document(kept)).findings
    # one finding each: the placeholder as a placeholder, the rest as guidance
    assert [(f.code, f.span.line) for f in found] == [("placeholder", 4), ("template-text", 8)]


def test_a_table_of_contents_in_the_template_is_not_a_section_to_write() -> None:
    from design_lsp.analysis import analyze
    from design_lsp.document import parse_document

    template = parse_template(
        "# Design: [Name]\n\n## Table of Contents\n\n<!-- toc -->\n- [Summary](#summary)\n"
        "  - [Goals](#goals)\n<!-- /toc -->\n\n## Summary\n\nOne paragraph.\n\n### Goals\n\nWhat.\n",
        "toc.md",
    )
    contents = template.roots[0]
    assert contents.optional_reason == "a table of contents: links to the template's own headings"
    text = "# Design: Cache\n\n## Summary\n\nCache builds.\n\n### Goals\n\nFast.\n"
    assert analyze(template, parse_document(text)).findings == []
    # a section with text of its own besides links is one to write
    listed = parse_template("# T\n\n## Related\n\n- [Summary](#summary)\n- Also the RFC.\n", "r.md")
    assert not listed.roots[0].optional
