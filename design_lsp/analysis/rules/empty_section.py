"""empty-section: a section with a heading and nothing under it (comments and link definitions
are nothing). A section whose template section has required subsections is missing those
instead; one that would hold the next heading once levels are fixed is heading-level's."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from design_lsp.analysis.rules.common import finding, heading_span, named
from design_lsp.analysis.rules.heading_level import asked_level
from design_lsp.analysis.rules.rule import EachSection, Rule
from design_lsp.document import Document, Section

if TYPE_CHECKING:
    from design_lsp.analysis.align import Match
    from design_lsp.analysis.analyze import Analysis
    from design_lsp.analysis.model import Finding

# A label holds no bracket: a scan from one line's `[` stops at the next `[` (linear time).
_LINK_DEFINITION = re.compile(r"^ {0,3}\[[^\[\]]+\]:\s*\S.*$", re.MULTILINE)


def empty(analysis: Analysis, match: Match) -> list[Finding]:
    # (an optional section kept but left empty is reported too, at information level)
    spec, heading = match.spec, match.section.heading
    if (
        any(not child.optional for child in spec.children)
        or not _is_empty(analysis.document, match.section)
        or _gains_content(analysis, match.section, asked_level(analysis, match))
    ):
        return []
    span = heading_span(analysis.document, heading)
    return [finding("empty-section", f"Section {named(heading, spec)} is empty", span, spec)]


def _is_empty(document: Document, section: Section) -> bool:
    if section.children:
        return False
    body = "\n".join(document.lines[section.heading.last_line + 1 : section.end_line])
    body = _LINK_DEFINITION.sub("", _strip_comments(body))
    return not body.strip()


def _strip_comments(text: str) -> str:
    """`text` without HTML comments (an unterminated one runs to the end), in linear time."""
    out: list[str] = []
    start = 0
    while (opening := text.find("<!--", start)) != -1:
        out.append(text[start:opening])
        closing = text.find("-->", opening + 4)
        if closing == -1:
            return "".join(out)
        start = closing + 3
    out.append(text[start:])
    return "".join(out)


def _gains_content(analysis: Analysis, section: Section, level: int) -> bool:
    """Whether an empty section at the wrong level would hold the heading after it once both
    are at their template levels (its emptiness is then the level's fault, reported already)."""
    document, alignment = analysis.document, analysis.alignment
    following = document.next_heading(section.heading.line)
    if section.heading.level <= level or following is None:
        return False
    match = alignment.by_line.get(following.line)
    return (alignment.expected_level(match) if match else following.level) > level


RULE = Rule("empty-section", (EachSection(empty),))
