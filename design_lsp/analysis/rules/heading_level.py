"""heading-level: a template section at another heading level than the template's (one finding
on a wrapper heading of the author's own that holds several such sections)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from design_lsp.analysis.edits import replace_line_part
from design_lsp.analysis.model import TextEdit
from design_lsp.analysis.rules.common import finding, heading_span, named
from design_lsp.analysis.rules.rule import EachSection, Rule
from design_lsp.document import Document, Heading, Span
from design_lsp.template.normalize import plain_text

if TYPE_CHECKING:
    from design_lsp.analysis.align import Match
    from design_lsp.analysis.analyze import Analysis
    from design_lsp.analysis.model import Finding

_ATX_MARKER = re.compile(r"^( {0,3})(#{1,6})(?=\s|$)")


def wrong_level(analysis: Analysis, match: Match) -> list[Finding]:
    heading = match.section.heading
    expected = analysis.alignment.expected_level(match)
    if expected == heading.level:
        return []
    group = wrapped(analysis, match)
    if group is None:
        if _right_under_fixed_parent(analysis, match):
            return []
        expected = max(1, min(6, expected))
        return [
            finding(
                "heading-level",
                f"{named(heading, match.spec)} should be a level-{expected} heading "
                f"({'#' * expected}), not level {heading.level}",
                heading_span(analysis.document, heading),
                match.spec,
                fixes=_level_fix(analysis.document, heading, expected),
                level=expected,
            )
        ]
    return [_wrapper_finding(analysis, group)] if group[0] is match else []


def asked_level(analysis: Analysis, match: Match) -> int:
    """The level this rule asks of the section's heading: its template level (within 1..6
    unless it is one of a wrapper's sections)."""
    expected = analysis.alignment.expected_level(match)
    if expected != match.section.heading.level and wrapped(analysis, match) is None:
        if _right_under_fixed_parent(analysis, match):
            return match.section.heading.level
        return max(1, min(6, expected))
    return expected


def _right_under_fixed_parent(analysis: Analysis, match: Match) -> bool:
    """Whether a section judged wrong from its parent's level is right from the level asked of
    the parent ("# Design Proposal" over "### User Impact": once the parent is "##", as its own
    finding asks, the child is where the template puts it). One problem, one finding: the
    child's own would move it beside its parent."""
    context = match.context
    if context is None:
        return False
    parent = analysis.alignment.by_line.get(context.heading.line)
    if parent is None or parent.spec is not match.spec.parent:
        return False
    fixed = asked_level(analysis, parent)
    if fixed == parent.section.heading.level:
        return False  # the parent is where it belongs: the child is judged from it
    return match.spec.level + fixed - parent.spec.level == match.section.heading.level


def wrapped(analysis: Analysis, match: Match) -> list[Match] | None:
    """The template sections that one heading of the author's own holds at the wrong level
    (an older template's wrapper, "## Design Details" around "### Test Plan"), when `match` is
    one of two or more such: one problem, reported once, on the wrapper."""
    alignment = analysis.alignment
    parent = match.section.parent
    if parent is None or parent is alignment.title or parent.heading.line in alignment.by_line:
        return None
    shift = match.section.heading.level - alignment.expected_level(match)
    group = []
    for child in parent.children:
        member = alignment.by_line.get(child.heading.line)
        if member is not None and alignment.wrong_level(member):
            if child.heading.level - alignment.expected_level(member) != shift:
                return None
            group.append(member)
    return group if len(group) > 1 else None


def _wrapper_finding(analysis: Analysis, group: list[Match]) -> Finding:
    document = analysis.document
    wrapper = group[0].section.parent
    assert wrapper is not None
    expected = max(1, min(6, analysis.alignment.expected_level(group[0])))
    names = [plain_text(m.section.heading.title) for m in group]
    listed = ", ".join(f"'{name}'" for name in names[:3])
    if len(names) > 3:
        listed += f" and {len(names) - 3} more"
    edits = [
        edit
        for m in group
        for _, fix in _level_fix(document, m.section.heading, analysis.alignment.expected_level(m))
        for edit in fix
    ]
    return finding(
        "heading-level",
        f"{listed} under '{plain_text(wrapper.heading.title)}' should be level-{expected} "
        f"headings ({'#' * expected}), not level {group[0].section.heading.level}",
        heading_span(document, wrapper.heading),
        None,
        fixes=[(f"Change {len(group)} headings to their template levels", edits)],
    )


def _level_fix(
    document: Document, heading: Heading, level: int
) -> list[tuple[str, list[TextEdit]]]:
    line = document.lines[heading.line]
    marker = _ATX_MARKER.match(line)
    title = f"Change to a level-{level} heading"
    if marker and not heading.setext:
        edit = replace_line_part(heading.line, marker.start(2), marker.end(2), "#" * level)
        return [(title, [edit])]
    # A setext heading becomes ATX: its underline is part of the heading, not the author's text.
    underline = document.lines[heading.line + 1]
    edit = TextEdit(
        Span(heading.line, 0, heading.line + 1, len(underline)),
        f"{'#' * level} {heading.title}",
    )
    return [(title, [edit])]


RULE = Rule("heading-level", (EachSection(wrong_level),))
