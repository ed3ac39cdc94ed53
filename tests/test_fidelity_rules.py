"""The rules that make findings ones a reviewer agrees with (issue: fidelity on other people's
templates). Each test fails when its rule is taken out."""

from __future__ import annotations

from pathlib import Path

import pytest

from design_lsp.analysis import Finding, analyze, apply_edits
from design_lsp.config import ConfigError, load_config
from design_lsp.document import parse_document
from design_lsp.template import Template, parse_template

TEMPLATE = """\
# Proposal: [Name]

- **Authors**: [Author Name]
- **Status**: Draft | Accepted

## Summary

One paragraph explanation of the proposal, written for a busy reader.

## Motivation

Why are we doing this? What use cases does it support?

## Design

Explain the design in enough detail for somebody familiar with the system to
understand it, and for somebody familiar with the code to implement it.

<!-- Include a diagram of the moving parts where it helps the reader follow along. -->

### Alternatives

- What other designs have been considered?
- What is the impact of not doing this?

### Performance

Describe the cost in time and memory of the design.

### Testing

Say how the change will be tested before it ships.

## Risks (optional)

What could go wrong, written as <risk, likelihood, mitigation>.

## Acknowledgements

Thank the people who helped.
"""

GOOD = """\
# Proposal: Faster builds

- **Authors**: Ada
- **Status**: Draft

## Summary

Cache compiled units between builds.

## Motivation

Builds take ten minutes.

## Design

A content-addressed store keyed by the unit's inputs.

### Alternatives

Remote execution was considered and rejected.

### Performance

One hash per unit.

### Testing

A cold and a warm build in CI.

## Acknowledgements

The build team.
"""


@pytest.fixture(scope="module")
def template() -> Template:
    return parse_template(TEMPLATE, "proposal.md")


def findings(template: Template, text: str) -> list[Finding]:
    return analyze(template, parse_document(text)).findings


def codes(template: Template, text: str) -> list[tuple[str, int]]:
    return [(f.code, f.span.line) for f in findings(template, text)]


def test_the_good_document_is_clean(template: Template) -> None:
    assert codes(template, GOOD) == []


# ---- placeholders --------------------------------------------------------------------------


def test_brackets_the_template_never_had_are_the_authors(template: Template) -> None:
    text = GOOD.replace(
        "One hash per unit.",
        "One hash per unit ([P0]); see [Hudson '97], `[N]int`, $s[i]$ and [x, y, z].",
    )
    assert codes(template, text) == []


def test_the_templates_own_placeholders_are_reported(template: Template) -> None:
    text = GOOD.replace("- **Authors**: Ada", "- **Authors**: [Author Name]")
    text = text.replace("The build team.", "The build team, <risk, likelihood, mitigation>.")
    found = [(f.code, f.message) for f in findings(template, text)]
    assert ("placeholder", "Placeholder '[Author Name]' not filled in") in found
    assert ("placeholder", "Placeholder '<risk, likelihood, mitigation>' not filled in") in found


@pytest.mark.parametrize(
    ("line", "reported"),
    [
        ("TBD", True),
        ("- TODO", True),
        ("TODO: measure the warm build.", True),
        ("The exact size is TBD behavior for now.", False),
        ("We cache it (see FIXME above) for now.", False),
    ],
)
def test_generic_markers_stand_for_missing_text(template: Template, line: str, reported: bool) -> None:
    text = GOOD.replace("One hash per unit.", f"One hash per unit.\n\n{line}")
    assert any(f.code == "placeholder" for f in findings(template, text)) is reported


# ---- template text -------------------------------------------------------------------------


def test_rewrapped_guidance_is_one_finding_covering_the_paragraph(template: Template) -> None:
    pasted = "One paragraph explanation of the\nproposal, written for a\nbusy reader."
    text = GOOD.replace("between builds.\n", f"between builds.\n\n{pasted}\n")
    left = [f for f in findings(template, text) if f.code == "template-text"]
    assert len(left) == 1
    first = text.splitlines().index("One paragraph explanation of the")
    assert (left[0].span.line, left[0].span.end_line) == (first, first + 2)


def test_guidance_from_a_comment_pasted_visibly_is_found(template: Template) -> None:
    pasted = "Include a diagram of the moving parts where it helps the reader follow along."
    text = GOOD.replace("inputs.\n", f"inputs.\n\n{pasted}\n")
    assert [f.code for f in findings(template, text)] == ["template-text"]


def test_quoted_guidance_is_the_authors_citation(template: Template) -> None:
    text = GOOD.replace("inputs.\n", "inputs.\n\n> Describe the cost in time and memory of the design.\n")
    assert codes(template, text) == []


def test_guidance_a_template_writes_as_quotations_is_found_quoted() -> None:
    # Some templates write every prompt as a quotation ("> One paragraph explanation ..."):
    # there a quotation is the template's text left over, unless the author answers it
    quoting = parse_template(
        "# RFC title\n\n## Summary\n\n> One paragraph explanation of the feature.\n\n"
        "## Motivation\n\n> Why are we doing this? What use cases does it support?\n",
        "quoting.md",
    )
    left = "# Faster builds\n\n## Summary\n\nCache the graph.\n\n## Motivation\n\n" + (
        "> Why are we doing this? What use cases does it support?\n"
    )
    assert [f.code for f in findings(quoting, left)] == ["template-text"]
    assert findings(quoting, left + "\nBuilds take ten minutes.\n") == []  # answered
    # one quoted example among plain guidance does not make quotations guidance
    plain = parse_template(
        "# RFC title\n\n## Summary\n\nOne paragraph explanation of the feature.\n\n"
        "Write it as a story:\n\n> As a user, I want the thing so that I can work.\n\n"
        "## Motivation\n\nSay what problem this solves and for whom it matters most.\n",
        "plain.md",
    )
    cited = "# Faster builds\n\n## Summary\n\nCache the graph.\n\n## Motivation\n\n" + (
        "> Say what problem this solves and for whom it matters most.\n\nSlow builds.\n"
    )
    assert findings(plain, cited) == []


def test_a_template_question_answered_below_it_is_answered(template: Template) -> None:
    asked = GOOD.replace(
        "Builds take ten minutes.", "Why are we doing this? What use cases does it support?"
    )
    assert [c for c, _ in codes(template, asked)] == ["template-text"]  # unanswered
    answered = asked.replace("support?\n", "support?\n\nBuilds take ten minutes.\n")
    assert codes(template, answered) == []


def test_a_list_the_author_edited_keeps_its_template_items(template: Template) -> None:
    kept = GOOD.replace(
        "Remote execution was considered and rejected.",
        "- What other designs have been considered?\n- What is the impact of not doing this?",
    )
    assert [c for c, _ in codes(template, kept)] == ["template-text"]  # one finding, the list
    edited = kept.replace("- What is the impact", "- Remote execution: rejected.\n- What is the impact")
    assert codes(template, edited) == []


# ---- one problem, one finding --------------------------------------------------------------


def test_children_of_a_mislevelled_heading_are_judged_relative_to_it(template: Template) -> None:
    text = GOOD.replace("## Design", "### Design").replace("### Alternatives", "#### Alternatives")
    text = text.replace("### Performance", "#### Performance").replace("### Testing", "#### Testing")
    assert [c for c, _ in codes(template, text)] == ["heading-level"]


def test_sections_an_own_heading_holds_a_level_too_deep_are_one_finding(template: Template) -> None:
    text = GOOD.replace("## Summary", "## Intro\n\nContext.\n\n### Summary").replace(
        "## Motivation", "### Motivation"
    )
    level = [f for f in findings(template, text) if f.code == "heading-level"]
    assert len(level) == 1
    assert "'Summary', 'Motivation' under 'Intro'" in level[0].message
    assert text.splitlines()[level[0].span.line] == "## Intro"


def test_the_same_title_under_another_parent_is_the_authors_subsection(template: Template) -> None:
    text = GOOD.replace(
        "One hash per unit.", "One hash per unit.\n\n#### Motivation\n\nWhy hashing is cheap."
    )
    assert codes(template, text) == []
    twice = GOOD.replace("## Acknowledgements", "## Motivation\n\nAgain.\n\n## Acknowledgements")
    assert [c for c, _ in codes(template, twice)] == ["duplicate-section"]


def test_a_deeper_heading_sharing_a_top_level_title_is_not_that_section(template: Template) -> None:
    text = GOOD.replace("### Performance", "#### Summary\n\nIn short.\n\n### Performance")
    assert codes(template, text) == []


def test_a_missing_section_shows_where_it_would_go(template: Template) -> None:
    text = GOOD.replace("## Motivation\n\nBuilds take ten minutes.\n\n", "")
    found = [f for f in findings(template, text) if f.code == "missing-section"]
    assert len(found) == 1
    assert text.splitlines()[found[0].span.line] == "## Summary"  # it goes after Summary


# ---- present in another form ---------------------------------------------------------------


def test_a_section_written_as_bold_text_is_not_missing(template: Template) -> None:
    text = GOOD.replace("### Testing", "**Testing**")
    assert [c for c, _ in codes(template, text)] == ["emphasis-as-heading"]
    hint = next(f for f in findings(template, text) if f.code == "emphasis-as-heading")
    assert hint.severity.value == "hint"


def test_a_singular_field_name_satisfies_a_plural_one(template: Template) -> None:
    assert codes(template, GOOD.replace("**Authors**", "**Author**")) == []
    assert [c for c, _ in codes(template, GOOD.replace("- **Authors**: Ada\n", ""))] == [
        "missing-field"
    ]


def test_a_heading_naming_sibling_sections_together_answers_them(template: Template) -> None:
    joined = GOOD.replace("### Performance\n\nOne hash per unit.\n\n### Testing\n", "### Performance and Testing\n")
    assert joined != GOOD
    assert codes(template, joined) == []
    assert codes(template, joined.replace("Performance and Testing", "Performance, Testing")) == []
    # a title that is not all template titles answers none of them (it stands for the one it
    # shares a word with, as a renamed section)
    other = joined.replace("Performance and Testing", "Performance and Caching")
    assert [c for c, _ in codes(template, other)] == ["missing-section", "renamed-section"]


def test_a_field_under_another_qualifier_is_that_field() -> None:
    template = parse_template(
        "# Name\n\n- Start Date: YYYY-MM-DD\n- Rust Issue: [#0000](https://x.test/0000)\n\n"
        "## Summary\n\nOne paragraph.\n",
        "t.md",
    )
    body = "# Gen blocks\n\n- Start Date: 2023-10-10\n{}\n\n## Summary\n\nGenerators.\n"
    renamed = body.format("- Tracking Issue: [#117078](https://x.test/117078)")
    assert codes(template, renamed) == []
    lowercase = body.format("- eRust Issue: [#117078](https://x.test/117078)")
    assert codes(template, lowercase) == []
    # another kind of thing under the same place is not the field
    other = body.format("- Tracking Bug: [#117078](https://x.test/117078)")
    assert [c for c, _ in codes(template, other)] == ["missing-field"]


def test_a_heading_holding_an_absent_sections_subsections_is_it_renamed(template: Template) -> None:
    text = GOOD.replace("## Design", "## Approach")
    found = findings(template, text)
    assert [f.code for f in found] == ["renamed-section"]
    assert found[0].fixes and "Design" in found[0].fixes[0][0]


# ---- sections under an older name (analysis/stand_ins.py) ----------------------------------

OLD_NAMES = """\
# Name

## Summary of changes

One sentence.

## Motivation

Why.

## Source compatibility

Fine.

## ABI compatibility

Fine.

## Implications on adoption

Fine.

## Future directions

Later.

## Alternatives considered

None.
"""


NEWER = OLD_NAMES.replace("# Name", "# Faster builds", 1)  # a document following it


@pytest.fixture(scope="module")
def newer() -> Template:
    return parse_template(OLD_NAMES, "t.md")


def test_the_opening_section_under_another_name_is_renamed_not_missing(newer: Template) -> None:
    text = NEWER.replace("## Summary of changes", "## Introduction")
    found = findings(newer, text)
    assert [(f.code, f.span.line) for f in found] == [("renamed-section", 2)]
    assert "'Introduction' stands where the template puts 'Summary of changes'" in found[0].message
    # the rename comes first; adding the section is offered too, for when it is another one
    assert [title for title, _ in found[0].fixes] == [
        "Rename to 'Summary of changes'",
        "Insert section 'Summary of changes'",
    ]


def test_an_opening_checklist_is_not_the_summary(newer: Template) -> None:
    text = NEWER.replace("## Summary of changes\n\nOne sentence.", "## Checklist\n\n- [ ] done")
    assert [c for c, _ in codes(newer, text)] == ["missing-section"]


def test_old_names_sharing_a_word_and_a_pattern_are_renamed(newer: Template) -> None:
    old = NEWER.replace("## ABI compatibility", "## Effect on ABI stability").replace(
        "## Implications on adoption", "## Effect on API resilience"
    )
    found = [(f.code, f.message.split(":")[0]) for f in findings(newer, old)]
    assert found == [
        ("renamed-section", "'Effect on ABI stability' stands where the template puts 'ABI "
         "compatibility'"),
        ("renamed-section", "'Effect on API resilience' stands where the template puts "
         "'Implications on adoption'"),
    ]
    # a heading after a renamed one, named in another pattern, is the author's own
    other = old.replace("## Effect on API resilience", "## Benchmarks")
    assert sorted(c for c, _ in codes(newer, other)) == ["missing-section", "renamed-section"]


def test_a_pattern_chains_only_to_the_neighbouring_absent_section(newer: Template) -> None:
    # "Effect on API resilience" written before "Effect on ABI stability": the pattern still
    # names the section next to the pair in the template, whose place is then judged
    swapped = NEWER.replace(
        "## ABI compatibility\n\nFine.\n\n## Implications on adoption\n\nFine.",
        "## Effect on API resilience\n\nFine.\n\n## Effect on ABI stability\n\nFine.",
    )
    found = [(f.code, f.message.split(":")[0]) for f in findings(newer, swapped)]
    assert ("renamed-section", "'Effect on API resilience' stands where the template puts "
            "'Implications on adoption'") in found
    assert ("section-order", "'Effect on API resilience' (the template's 'Implications on "
            "adoption') is out of order") in found
    # never to an absent section that sections of the document stand between
    far = swapped.replace("## Summary of changes\n\nOne sentence.\n\n", "")
    found = [(f.code, f.message) for f in findings(newer, far)]
    assert not any("stands where the template puts 'Summary of changes'" in m for _, m in found)
    assert ("missing-section", "Missing section 'Summary of changes'") in found


def test_a_first_word_most_headings_share_is_no_pattern(newer: Template) -> None:
    # the document's subject leading most of its headings ("Build cache", "Build graph")
    habit = NEWER.replace("## ABI compatibility", "## Build ABI stability").replace(
        "## Implications on adoption", "## Build farm"
    ).replace("## Future directions", "## Future directions\n\n## Build graph\n\n## Build log")
    found = [(f.code, f.message) for f in findings(newer, habit)]
    assert ("missing-section", "Missing section 'Implications on adoption'") in found
    assert not any("'Build farm'" in m for _, m in found)


def test_a_table_of_contents_after_the_opening_section_is_skipped(newer: Template) -> None:
    text = NEWER.replace("## Summary of changes", "## Introduction").replace(
        "## Motivation",
        "## Table of contents\n\n* [Introduction](#introduction)\n* [Motivation](#motivation)\n\n"
        "## Motivation",
    )
    found = findings(newer, text)
    assert [(f.code, f.span.line) for f in found] == [("renamed-section", 2)]
    # a section with text of its own there is not a table of contents
    prose = text.replace("* [Introduction](#introduction)", "Read this first.")
    assert [f.code for f in findings(newer, prose)].count("missing-section") == 1


KINDS = """\
# Plan: [Name]

## Summary

## Security considerations

## Rationale and alternatives

## Support procedures

## Unresolved questions
"""


def kinds(text: str) -> list[tuple[str, str]]:
    template = parse_template(KINDS, "kinds.md")
    body = "# Plan: Mirrors\n\n" + "".join(f"## {title}\n\nText.\n\n" for title in text.split("|"))
    return [(f.code, f.message.split(":")[0]) for f in findings(template, body)]


def test_another_kind_of_the_same_thing_is_not_a_renamed_section() -> None:
    sections = "Summary|{}|Rationale and alternatives|Support procedures|{}"
    # the same noun after other words names something else
    found = kinds(sections.format("Privacy considerations", "Frequently asked questions"))
    assert ("missing-section", "Missing section 'Security considerations'") in found
    assert ("missing-section", "Missing section 'Unresolved questions'") in found
    assert not any(code == "renamed-section" for code, _ in found)
    # a word of the title's own, or the noun alone, still ties
    found = kinds(sections.format("Security", "Questions left unresolved"))
    assert [code for code, _ in found] == ["renamed-section", "renamed-section"]


def test_a_title_that_joins_two_things_still_ties_by_its_noun() -> None:
    found = kinds(
        "Summary|Security considerations|Downsides and alternatives|Support procedures|"
        "Unresolved questions"
    )
    assert found == [
        ("renamed-section", "'Downsides and alternatives' stands where the template puts "
         "'Rationale and alternatives'")
    ]


def test_a_heading_naming_another_section_does_not_stand_for_this_one() -> None:
    found = kinds(
        "Summary|Security considerations|Rationale and alternatives|"
        "Alternatives and rationale of support|Unresolved questions"
    )
    assert ("missing-section", "Missing section 'Support procedures'") in found
    assert not any(code == "renamed-section" for code, _ in found)


TOPOLOGY = """\
# Plan: [Name]

## Summary

## Topology considerations

### Standalone clusters

### Single-node clusters

## Risks
"""


def test_a_heading_over_subsections_of_its_own_is_not_a_section_with_others() -> None:
    template = parse_template(TOPOLOGY, "topology.md")

    def found(heading: str, below: str) -> list[tuple[str, str]]:
        text = f"# Plan: Mirrors\n\n## Summary\n\nText.\n\n## {heading}\n\nText.\n\n{below}## Risks\n\nNone.\n"
        return [(f.code, f.message.split(":")[0]) for f in findings(template, text)]

    # "Endpoints topology" over "AWS" and "Azure": the author's own topic
    assert found("Endpoints topology", "### AWS\n\nText.\n\n### Azure\n\nText.\n\n") == [
        ("missing-section", "Missing section 'Topology considerations' (with Standalone "
         "clusters, Single-node clusters)")
    ]
    # with no subsections, or with one of the section's, the word still ties it
    assert "renamed-section" in [c for c, _ in found("Endpoints topology", "")]
    assert "renamed-section" in [
        c for c, _ in found("Endpoints topology", "### Standalone clusters\n\nText.\n\n")
    ]
    # and a part of the title alone is the section, whatever its subsections
    assert "renamed-section" in [c for c, _ in found("Topology", "### AWS\n\nText.\n\n")]


def test_a_headings_anchor_attributes_are_not_its_name(newer: Template) -> None:
    # Pandoc / kramdown / markdown-it write a heading's id after it: "## Motivation {#why}"
    text = NEWER.replace("## Motivation", "## Motivation {#motivation}").replace(
        "## Future directions", "## Future directions { #later .note }"
    )
    assert codes(newer, text) == []


def test_a_heading_of_the_authors_where_a_section_is_missing_stays_its_own(newer: Template) -> None:
    # between two known sections, sharing no word with the absent one
    text = NEWER.replace("## ABI compatibility", "## Benchmarks")
    assert [c for c, _ in codes(newer, text)] == ["missing-section"]
    # a word in common ties it to the section wherever it is: then its place is judged
    moved = NEWER.replace("## Future directions\n\nLater.\n\n", "") + "\n## Future work\n\nSoon.\n"
    found = sorted(c for c, _ in codes(newer, moved))
    assert found == ["renamed-section", "section-order"]


def test_a_stub_without_headings_gets_no_findings(template: Template) -> None:
    assert codes(template, "---\nstatus: Moved\n---\n\nThis file was moved to other.md.\n") == []
    assert codes(template, "")  # an empty file still gets what starts a document


# ---- matching titles -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("heading", "code"),
    [
        ("## Motivatoin", "misspelled-section"),  # a typo
        ("## Summray", "misspelled-section"),  # two letters swapped in a short title
        ("## Acknowledgments", None),  # a spelling variant is the same title
    ],
)
def test_titles_match_forgivingly(template: Template, heading: str, code: str | None) -> None:
    original = "## Motivation" if "Moti" in heading else (
        "## Summary" if "Sum" in heading else "## Acknowledgements"
    )
    found = [c for c, _ in codes(template, GOOD.replace(original, heading))]
    assert found == ([code] if code else [])


def test_a_word_put_in_front_is_not_a_typo(template: Template) -> None:
    text = GOOD.replace("## Motivation", "## Demotivation")
    assert "misspelled-section" not in [c for c, _ in codes(template, text)]


def test_a_near_miss_deeper_than_its_section_is_the_authors_own(template: Template) -> None:
    text = GOOD.replace("One hash per unit.", "One hash per unit.\n\n#### Summry\n\nShort.")
    assert codes(template, text) == []


# ---- optional ------------------------------------------------------------------------------


def test_optional_sections_never_warn(template: Template) -> None:
    assert codes(template, GOOD) == []  # "Risks (optional)" is absent
    empty = GOOD.replace("## Acknowledgements", "## Risks\n\n## Acknowledgements")
    found = [(f.code, f.severity.value) for f in findings(template, empty)]
    assert found == [("empty-section", "information")]


# ---- config --------------------------------------------------------------------------------


def test_config_sections_give_aliases_and_optional(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / "t.md").write_text(TEMPLATE, encoding="utf-8")
    (tmp_path / ".design-lsp.toml").write_text(
        'template = "t.md"\n[sections.Motivation]\naliases = ["Why"]\n'
        "[sections.Acknowledgements]\noptional = true\n",
        encoding="utf-8",
    )
    config = load_config(tmp_path)
    template = config.configured(parse_template(TEMPLATE, "t.md"))
    assert config.configured(parse_template(TEMPLATE, "t.md")) is not template  # per template
    text = GOOD.replace("## Motivation", "## Why").replace(
        "## Acknowledgements\n\nThe build team.\n", ""
    )
    assert codes(template, text) == []
    acknowledgements = template.all_specs[-1]
    assert acknowledgements.optional and acknowledgements.optional_reason


def test_config_naming_an_unknown_section_names_file_and_key(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / ".design-lsp.toml").write_text(
        '[sections."Adoption plan"]\noptional = true\n', encoding="utf-8"
    )
    config = load_config(tmp_path)
    with pytest.raises(ConfigError, match=r'\.design-lsp\.toml: sections\."Adoption plan": no section'):
        config.configured(parse_template(TEMPLATE, "t.md"))
    (tmp_path / ".design-lsp.toml").write_text(
        "[sections.Motivation]\noptionl = true\n", encoding="utf-8"
    )
    with pytest.raises(ConfigError, match=r"sections\.Motivation\.optionl: unknown key"):
        load_config(tmp_path)


def test_a_title_repeated_under_the_authors_own_headings_is_their_structure(
    template: Template,
) -> None:
    per_feature = "\n".join(
        f"## Feature {name}\n\n### Motivation\n\nWhy {name}.\n\n### Testing\n\nHow {name}.\n"
        for name in ("A", "B")
    )
    text = GOOD.replace("## Motivation\n\nBuilds take ten minutes.\n", per_feature)
    found = [(f.code, f.message) for f in findings(template, text)]
    assert [code for code, _ in found] == ["missing-section"]  # the proposal's own Motivation
    assert "'Motivation'" in found[0][1]


def test_a_name_a_title_joins_matches_it_in_its_place_only() -> None:
    joined = parse_template(
        "# RFC: [Name]\n\n## Summary\n\nSay it in a paragraph.\n\n"
        "## Rationale and alternatives\n\nWhy this design and not another.\n",
        "rfc.md",
    )
    older = "# RFC: Cache\n\n## Summary\n\nA cache.\n\n## Alternatives\n\nA bigger disk.\n"
    assert codes(joined, older) == []
    nested = "# RFC: Cache\n\n## Summary\n\nA cache.\n\n### Alternatives\n\nA bigger disk.\n"
    assert [c for c, _ in codes(joined, nested)] == ["missing-section"]
    # A typo of that name, in its place, is a misspelling of the section, not a missing one.
    typo = older.replace("## Alternatives", "## Altebnatives")
    assert codes(joined, typo) == [("misspelled-section", 6)]
    # One word for several is the author's choice, not a typo.
    joined_plural = parse_template(
        "# RFC: [Name]\n\n## Summary\n\nSay it.\n\n## Tutorials and Examples\n\nShow it.\n",
        "rfc.md",
    )
    example = "# RFC: Cache\n\n## Summary\n\nA cache.\n\n## Example\n\nA run.\n"
    assert "misspelled-section" not in [c for c, _ in codes(joined_plural, example)]


def test_a_document_is_recognised_by_sections_when_the_title_is_only_an_example() -> None:
    from design_lsp.analysis import follows_template

    example_title = parse_template(
        "# Feature name\n\n## Motivation\n\nWhy.\n\n## Design\n\nHow.\n\n## Risks\n\nWhat.\n",
        "t.md",
    )
    assert example_title.title is not None and example_title.title.prefix == ""
    proposal = parse_document("# Faster builds\n\n## Motivation\n\nx\n\n## Design\n\ny\n")
    readme = parse_document("# Faster builds\n\n## Install\n\nx\n")
    assert follows_template(example_title, proposal)
    assert not follows_template(example_title, readme)


def test_a_value_the_template_leaves_empty_may_stay_empty() -> None:
    template = parse_template(
        "---\ntitle: short-name\nrelease-date: # filled in when it ships\n---\n\n"
        "# Title\n\n## Summary\n\nSay what it is in one paragraph.\n",
        "t.md",
    )
    base = "---\ntitle: faster-builds\nrelease-date:\n---\n\n# Faster builds\n\n## Summary\n\nA cache.\n"
    assert codes(template, base) == []
    untitled = base.replace("title: faster-builds", "title:")
    assert [c for c, _ in codes(template, untitled)] == ["missing-field"]  # "has no value"


def test_angle_placeholders_are_the_templates_and_count_in_code_only_when_alone() -> None:
    template = parse_template(
        "# EP-NNNN: [Title]\n\n## Test Plan\n\n<!-- Say how it is tested. -->\n\n"
        "- `<package>`: `<date>` - <link to test coverage>\n\nSee <details> and <br/>.\n",
        "t.md",
    )
    assert {"<package>", "<date>", "<link to test coverage>"} <= set(template.placeholders)
    assert "<details>" not in template.placeholders and "<br/>" not in template.placeholders
    kept = "# EP-1: Fast\n\n## Test Plan\n\n- `<package>`: unit tests\n- Run `tool --since <date>`.\n"
    found = [f.message for f in findings(template, kept)]
    assert found == ["Placeholder '<package>' not filled in"]


def test_a_question_heading_is_not_split_into_names() -> None:
    template = parse_template(
        "# T\n\n## Rollout\n\n### How is it turned on and off in a running system?\n\nSay.\n",
        "t.md",
    )
    assert template.all_specs[-1].parts == ()


def test_children_right_once_their_parent_is_fixed_are_not_reported() -> None:
    template = parse_template(
        "# Plan: [Name]\n\n## Motivation\n\nWhy.\n\n## Design\n\nHow.\n\n### Impact\n\nWho.\n",
        "levels.md",
    )
    # sections written "#" like the title, their subsections "###"
    text = "# Plan: Mirrors\n\n# Motivation\n\nSlow.\n\n# Design\n\nCache.\n\n### Impact\n\nAll.\n"
    found = findings(template, text)
    assert [(f.code, f.span.line) for f in found] == [("heading-level", 2), ("heading-level", 6)]
    # the fixes asked for leave the document clean (the child's own would have made it a
    # sibling of its parent)
    fixed = apply_edits(text, [edit for f in found for edit in f.fixes[0][1]])
    assert findings(template, fixed) == []
    # a child right from its parent's own level is not reported either, as before
    relative = text.replace("### Impact", "## Impact")
    assert [f.span.line for f in findings(template, relative)] == [2, 6]


def test_fields_a_template_writes_as_bold_lines() -> None:
    template = parse_template(
        "# [Project] Design\n\n**Author(s):** [Name]\n**Status:** [Draft | In Review | Approved]\n"
        "**Last Updated:** YYYY-MM-DD\n\n## Objective\n\nWhat for?\n",
        "gdoc.md",
    )
    assert [f.name for f in template.fields] == ["Author(s)", "Status", "Last Updated"]
    text = "# Export Design\n\n**Author:** Ada\n\n**Status:** Approvd\n\n## Objective\n\nExport.\n"
    found = [(f.code, f.field_name) for f in findings(template, text)]
    assert sorted(found) == [("invalid-field", "Status"), ("missing-field", "Last Updated")]
    # bold lines that say something are notes, not fields a document must have
    notes = parse_template(
        "# T\n\n**Note:** *Section not required until targeted at a release.*\n"
        "**Warning:** Do not remove the checklist below.\n\n## A\n\nSay.\n",
        "notes.md",
    )
    assert notes.fields == []


def test_a_front_matter_key_is_answered_in_the_front_matter_only() -> None:
    template = parse_template("---\nstatus: draft\n---\n# T\n\n## A\n\nSay.\n", "fm.md")
    text = "---\ntitle: x\n---\n# Faster builds\n\n## A\n\n- Status: done, see the PRs\n"
    assert [(f.code, f.field_name) for f in findings(template, text)] == [("missing-field", "status")]


def test_a_name_a_title_joins_is_in_place_under_a_misspelled_parent() -> None:
    template = parse_template(
        "# Plan: [Name]\n\n## Summary\n\nWhat.\n\n## Proposal\n\nHow.\n\n"
        "### Implementation Details/Notes/Constraints\n\nDetails.\n",
        "joins.md",
    )
    text = "# Plan: Mirrors\n\n## Summary\n\nMirror.\n\n## Propsal\n\nCache.\n\n### Implementation Details\n\nA CDN.\n"
    assert [f.code for f in findings(template, text)] == ["misspelled-section"]
