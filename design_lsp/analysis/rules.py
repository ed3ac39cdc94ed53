"""The rules: each turns the alignment or the document's inline facts into findings."""

from __future__ import annotations

import re
from bisect import bisect_right
from functools import lru_cache
from typing import TYPE_CHECKING

from design_lsp.analysis.align import Match
from design_lsp.analysis.edits import insertion, replace_line_part
from design_lsp.analysis.model import Finding, Severity, TextEdit
from design_lsp.document import (
    Bracket,
    Document,
    Field,
    Heading,
    ListItem,
    Paragraph,
    Section,
    Span,
)
from design_lsp.template import SectionSpec
from design_lsp.template.load import normalized_prose
from design_lsp.template.normalize import plain_text, strip_numbering, title_key

if TYPE_CHECKING:
    from collections.abc import Sequence

    from design_lsp.analysis.analyze import Analysis
    from design_lsp.analysis.patterns import BoundedPattern

# A label holds no bracket: a scan from one line's `[` stops at the next `[` (linear time).
_LINK_DEFINITION = re.compile(r"^ {0,3}\[[^\[\]]+\]:\s*\S.*$", re.MULTILINE)
_TITLE_BRACKET = re.compile(r"\[[^\[\]]*\]")
_ATX_MARKER = re.compile(r"^( {0,3})(#{1,6})(?=\s|$)")
_LETTER = re.compile(r"[^\W\d_]")
_DIGIT = re.compile(r"\d")
_CODE_BEFORE = frozenset("&*#!$@_:<")
_SECTION_CODES = frozenset(
    {"section-order", "heading-level", "misspelled-section", "duplicate-section", "empty-section"}
)


def _finding(
    code: str,
    message: str,
    span: Span,
    section: SectionSpec | None = None,
    fixes: list[tuple[str, list[TextEdit]]] | None = None,
    **data: object,
) -> Finding:
    if section is not None and code in _SECTION_CODES and _under_optional(section):
        data["optional"] = True
    return Finding(
        code=code,
        severity=Severity.WARNING,
        message=message,
        span=span,
        section=section.path if section else None,
        data={"code": code, **data},
        fixes=fixes or [],
    )


def _under_optional(spec: SectionSpec | None) -> bool:
    while spec is not None:
        if spec.optional:
            return True
        spec = spec.parent
    return False


def heading_span(document: Document, heading: Heading) -> Span:
    """The heading line from its first non-blank character to its end."""
    text = document.lines[heading.line]
    return Span(heading.line, len(text) - len(text.lstrip()), heading.line, len(text))


def _anchor(analysis: Analysis, parent: SectionSpec | None) -> Span:
    """Where a finding about something absent shows: the parent heading, else the title,
    else the first line with text."""
    document = analysis.document
    match = analysis.alignment.first(parent) if parent else None
    if match is not None:
        return heading_span(document, match.section.heading)
    if analysis.alignment.title is not None:
        return heading_span(document, analysis.alignment.title.heading)
    for line in range(document.front_matter_end, len(document.lines)):
        if document.lines[line].strip():
            return Span(line, 0, line, len(document.lines[line]))
    return Span(0, 0, 0, 0)


def title_findings(analysis: Analysis) -> list[Finding]:
    title = analysis.template.title
    document = analysis.document
    if title is None or analysis.alignment.title is not None:
        return []
    edit = insertion(document, document.front_matter_end, [[f"# {title.text}"]])
    return [
        _finding(
            "missing-title",
            f"Missing document title: expected '# {title.text}'",
            _anchor(analysis, None),
            fixes=[(f"Insert title '# {title.text}'", [edit])],
        )
    ]


def missing_findings(analysis: Analysis) -> list[Finding]:
    return [_missing(analysis, spec) for spec in analysis.missing]


def duplicate_finding(analysis: Analysis, repeat: Section, first: Match) -> Finding:
    return _finding(
        "duplicate-section",
        f"'{first.spec.title}' appears more than once "
        f"(first at line {first.section.heading.line + 1})",
        heading_span(analysis.document, repeat.heading),
        first.spec,
    )


def _missing(analysis: Analysis, spec: SectionSpec) -> Finding:
    where = f" under '{spec.parent.title}'" if spec.parent else ""
    subsections = [child.title for child in spec.children if not child.optional]
    with_children = f" (with {', '.join(subsections)})" if subsections else ""
    return _finding(
        "missing-section",
        f"Missing section '{spec.title}'{where}{with_children}",
        _anchor(analysis, spec.parent),
        spec,
        fixes=[(f"Insert section '{spec.title}'", analysis.insert_edit([spec]))],
        insert_line=analysis.insertion_line(spec),
    )


def match_findings(analysis: Analysis, match: Match) -> list[Finding]:
    """What is wrong with one matched section: its title, level, place or emptiness."""
    document, spec, heading = analysis.document, match.spec, match.section.heading
    span = heading_span(document, heading)
    findings: list[Finding] = []
    if match.how == "near":
        new_title = heading.title[: _numbering_length(heading.title)] + spec.title
        ts = heading.title_span
        findings.append(
            _finding(
                "misspelled-section",
                f"'{plain_text(heading.title)}' looks like a misspelling of '{spec.title}'",
                span,
                spec,
                fixes=[
                    (
                        f"Rename to '{spec.title}'",
                        [replace_line_part(ts.line, ts.col, ts.end_col, new_title)],
                    )
                ],
            )
        )
    expected = spec.level + analysis.alignment.offset
    if analysis.alignment.wrong_level(match):
        findings.append(
            _finding(
                "heading-level",
                f"'{spec.title}' should be a level-{expected} heading ({'#' * expected}), "
                f"not level {heading.level}",
                span,
                spec,
                fixes=_level_fix(document, heading, expected),
                level=expected,
            )
        )
    elif not match.in_place:
        findings.append(_misplaced(analysis, match, span))
    required_children = any(not child.optional for child in spec.children)
    if not spec.optional and not required_children and _is_empty(document, match.section):
        findings.append(
            _finding("empty-section", f"Section '{spec.title}' is empty", span, spec)
        )
    return findings


def _numbering_length(title: str) -> int:
    return len(title) - len(strip_numbering(title))


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


def _misplaced(analysis: Analysis, match: Match, span: Span) -> Finding:
    spec = match.spec
    siblings = spec.parent.children if spec.parent else analysis.template.roots
    index = siblings.index(spec)
    before = [s for s in siblings[:index] if s.order in analysis.alignment.present]
    after = [s for s in siblings[index + 1 :] if s.order in analysis.alignment.present]
    context = analysis.alignment.by_line[match.context.heading.line] if match.context else None
    if (context.spec if context else None) is not spec.parent:
        where = f"under '{spec.parent.title}'" if spec.parent else "at the top level"
    elif before:
        where = f"after '{before[-1].title}'"
    elif after:
        where = f"before '{after[0].title}'"
    else:
        where = "elsewhere"
    return _finding(
        "section-order",
        f"'{spec.title}' is out of order: the template puts it {where}",
        span,
        spec,
        fixes=_move_fix(analysis, match),
    )


def _move_fix(analysis: Analysis, match: Match) -> list[tuple[str, list[TextEdit]]]:
    """Move the section, whole and unchanged, to where the template puts it."""
    section, lines = match.section, analysis.document.lines
    target = analysis.insertion_line(match.spec, moving=section)
    start, end = section.heading.line, section.end_line
    if start <= target <= end:
        return []
    chunk = lines[start:end]
    while chunk and not chunk[-1].strip():
        chunk.pop()
    if end >= len(lines) - 1:  # the last section: keep the text ending as it was
        end_span = Span(end - 1, len(lines[end - 1]), end - 1, len(lines[end - 1]))
        delete = TextEdit(Span(start, 0, end_span.line, end_span.col), "")
    else:
        delete = TextEdit(Span(start, 0, end, 0), "")
    return [(f"Move '{match.spec.title}' to its template place",
             [insertion(analysis.document, target, [chunk]), delete])]


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


def _is_empty(document: Document, section: Section) -> bool:
    if section.children:
        return False
    body = "\n".join(document.lines[section.heading.last_line + 1 : section.end_line])
    body = _LINK_DEFINITION.sub("", _strip_comments(body))
    return not body.strip()


def _section_at(analysis: Analysis, line: int) -> SectionSpec | None:
    """The template section a document line falls in (by its innermost matched heading)."""
    alignment = analysis.alignment
    index = bisect_right(alignment.match_lines, line) - 1
    match = alignment.matches[index] if index >= 0 else None
    while match is not None and line >= match.section.end_line:
        context = match.context
        match = alignment.by_line[context.heading.line] if context else None
    return match.spec if match else None


def title_placeholders(analysis: Analysis) -> list[Finding]:
    title = analysis.alignment.title
    if title is None:
        return []
    ts = title.heading.title_span
    findings = []
    for found in _TITLE_BRACKET.finditer(title.heading.title):
        span = Span(ts.line, ts.col + found.start(), ts.line, ts.col + found.end())
        findings.append(_placeholder(found.group(0), span, None))
    return findings


def bracket_findings(analysis: Analysis, brackets: Sequence[Bracket]) -> list[Finding]:
    """`[...]` left in: the template's own placeholders, and brackets nobody writes on purpose."""
    document = analysis.document
    known = set(analysis.template.placeholders)
    return [
        _placeholder(bracket.text, bracket.span, _section_at(analysis, bracket.span.line))
        for bracket in brackets
        if bracket.text in known or _looks_like_placeholder(document, bracket)
    ]


def example_findings(analysis: Analysis, items: Sequence[ListItem]) -> list[Finding]:
    """List items that are still the template's numbered examples ("Goal 1")."""
    examples = _any_of(tuple(analysis.template.example_patterns))
    if examples is None:
        return []
    findings = []
    for item in items:
        # Every example pattern holds a number (`_example_patterns`): most items go no further.
        if _DIGIT.search(item.text) and examples.fullmatch(" ".join(item.text.casefold().split())):
            findings.append(
                _finding(
                    "placeholder",
                    f"Example item '{item.text}' left from the template: replace it",
                    item.span,
                    _section_at(analysis, item.line),
                )
            )
    return findings


def pattern_findings(
    analysis: Analysis, prose: Sequence[Paragraph], extra: Sequence[BoundedPattern]
) -> list[Finding]:
    """Matches of the config's own placeholder patterns in prose."""
    if not extra:
        return []
    lines = analysis.document.lines
    findings = []
    for paragraph in prose:
        line = lines[paragraph.line]
        for pattern in extra:
            for found in pattern.finditer(line):
                if found.end() > found.start():
                    span = Span(paragraph.line, found.start(), paragraph.line, found.end())
                    findings.append(_placeholder(found.group(0), span, None))
    return findings


@lru_cache(maxsize=64)
def _any_of(patterns: tuple[re.Pattern[str], ...]) -> re.Pattern[str] | None:
    """One pattern that fully matches what any of `patterns` fully matches (one regex pass
    per list item instead of one per example pattern)."""
    if not patterns:
        return None
    return re.compile("|".join(f"(?:{p.pattern})" for p in patterns), patterns[0].flags)


def _looks_like_placeholder(document: Document, bracket: Bracket) -> bool:
    """Prose in brackets that nobody would write on purpose: not `&[T]`, `#[attr]`, `[1]`,
    a quote's `[...]`, a GitHub alert `[!NOTE]`, a bracketed link or URL."""
    inner = bracket.text[1:-1].strip()
    if not _LETTER.search(inner) or inner.startswith(("!", "http://", "https://")):
        return False
    if "](" in inner or "[" in inner:
        return False
    col = bracket.span.col
    before = document.lines[bracket.span.line][col - 1 : col] if col else ""
    return not (before.isalnum() or before in _CODE_BEFORE)


def _placeholder(text: str, span: Span, section: SectionSpec | None) -> Finding:
    return _finding(
        "placeholder", f"Placeholder '{text}' not filled in", span, section, placeholder=text
    )


def template_text_findings(analysis: Analysis, paragraphs: Sequence[Paragraph]) -> list[Finding]:
    """Guidance sentences left verbatim; adjacent lines make one finding."""
    guidance = analysis.template.guidance_lines
    runs: list[list[Span]] = []
    last_line = -2
    for prose in paragraphs:
        if normalized_prose(prose.text) not in guidance:
            continue
        if prose.line == last_line + 1 and runs:
            runs[-1].append(prose.span)
        else:
            runs.append([prose.span])
        last_line = prose.line
    findings = []
    for run in runs:
        first, last = run[0], run[-1]
        text = analysis.document.lines[first.line][first.col : first.end_col]
        findings.append(
            _finding(
                "template-text",
                f"Template guidance left unchanged: '{text.strip()}'",
                Span(first.line, first.col, last.end_line, last.end_col),
                _section_at(analysis, first.line),
            )
        )
    return findings


def field_findings(analysis: Analysis) -> list[Finding]:
    document = analysis.document
    present: dict[str, Field] = {}
    for field in document.fields:
        present.setdefault(title_key(field.name), field)
    bracket_spans = {b.span for b in document.brackets}
    findings: list[Finding] = []
    for spec in analysis.template.fields:
        item = present.get(spec.key)
        where = spec.section
        if item is None:
            if where is None or where.order in analysis.alignment.present:
                section_name = f" in '{where.title}'" if where else ""
                findings.append(
                    _finding(
                        "missing-field",
                        f"Missing field '{spec.name}'{section_name}",
                        _anchor(analysis, where),
                        where,
                        field=spec.name,
                    )
                )
            continue
        value = plain_text(item.value)
        if not value:
            findings.append(
                _finding("missing-field", f"Field '{spec.name}' has no value",
                         item.value_span, where, field=spec.name)
            )
        elif spec.placeholder and item.value.strip() == spec.placeholder:
            if item.value_span not in bracket_spans:
                findings.append(_placeholder(item.value, item.value_span, where))
        elif spec.values and value.casefold() not in {v.casefold() for v in spec.values}:
            vs = item.value_span
            findings.append(
                _finding(
                    "invalid-field",
                    f"'{spec.name}' must be one of: {', '.join(spec.values)} (found '{value}')",
                    vs,
                    where,
                    fixes=[
                        (f"Set {spec.name} to '{v}'", [replace_line_part(vs.line, vs.col,
                                                                          vs.end_col, v)])
                        for v in spec.values
                    ],
                    field=spec.name,
                    values=list(spec.values),
                )
            )
    return findings

