"""placeholder: a template placeholder or example left in. Its checks, each reading what it
depends on: the title's fill-in part, the template's own `[...]` texts, its numbered example
items ("Goal 1"), placeholders found by pattern in prose (TODO / TBD / FIXME, the template's
`<...>` and `(...)` texts, the config's patterns), and field values left as the template's.

A field value is reported only on a line where no `[...]` or pattern placeholder is: the checks
never report one place twice, except where a config pattern matches a template `[...]` text.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import TYPE_CHECKING

from design_lsp.analysis.rules.common import collapse, finding
from design_lsp.analysis.rules.own_text import answered
from design_lsp.analysis.rules.rule import (
    BRACKETS,
    LIST_ITEMS,
    PROSE,
    InFacts,
    Rule,
    WholeDocument,
)
from design_lsp.document import Span
from design_lsp.document.inline import code_spans
from design_lsp.template.normalize import plain_text, title_key

if TYPE_CHECKING:
    from collections.abc import Sequence

    from design_lsp.analysis.analyze import Analysis
    from design_lsp.analysis.model import Finding
    from design_lsp.document import Bracket, Document, ListItem, Paragraph
    from design_lsp.template import SectionSpec

_TITLE_BRACKET = re.compile(r"\[[^\[\]]*\]")
_DIGIT = re.compile(r"\d")


def placeholder(text: str, span: Span, section: SectionSpec | None) -> Finding:
    return finding(
        "placeholder", f"Placeholder '{text}' not filled in", span, section, placeholder=text
    )


def in_title(analysis: Analysis) -> list[Finding]:
    """The title's fill-in part left as the template has it."""
    title, spec = analysis.alignment.title, analysis.template.title
    if title is None or spec is None:
        return []
    heading = title.heading
    ts = heading.title_span
    if not spec.prefix and title_key(heading.title) == title_key(spec.text):
        return [placeholder(plain_text(heading.title), ts, None)]  # "# Feature name" kept
    known = placeholder_keys(tuple(analysis.template.placeholders))
    findings = []
    for found in _TITLE_BRACKET.finditer(heading.title):
        if collapse(found.group(0)) in known or found.group(0) == spec.placeholder:
            span = Span(ts.line, ts.col + found.start(), ts.line, ts.col + found.end())
            findings.append(placeholder(found.group(0), span, None))
    return findings


def in_brackets(analysis: Analysis, brackets: Sequence[Bracket]) -> list[Finding]:
    """`[...]` left in that the template itself has: the author's own brackets (citations,
    tags, math, array literals) are never placeholders."""
    known = placeholder_keys(tuple(analysis.template.placeholders))
    return [
        placeholder(bracket.text, bracket.span, analysis.spec_at(bracket.span.line))
        for bracket in brackets
        if collapse(bracket.text) in known
    ]


@lru_cache(maxsize=64)
def placeholder_keys(placeholders: tuple[str, ...]) -> frozenset[str]:
    return frozenset(map(collapse, placeholders))


def examples(analysis: Analysis, items: Sequence[ListItem]) -> list[Finding]:
    """List items that are still the template's numbered examples ("Goal 1")."""
    patterns = _any_of(tuple(analysis.template.example_patterns))
    if patterns is None:
        return []
    findings = []
    for item in items:
        # Every example pattern holds a number (`_example_patterns`): most items go no further.
        if _DIGIT.search(item.text) and patterns.fullmatch(" ".join(item.text.casefold().split())):
            findings.append(
                finding(
                    "placeholder",
                    f"Example item '{item.text}' left from the template: replace it",
                    item.span,
                    analysis.spec_at(item.line),
                )
            )
    return findings


@lru_cache(maxsize=64)
def _any_of(patterns: tuple[re.Pattern[str], ...]) -> re.Pattern[str] | None:
    """One pattern that fully matches what any of `patterns` fully matches (one regex pass
    per list item instead of one per example pattern)."""
    if not patterns:
        return None
    return re.compile("|".join(f"(?:{p.pattern})" for p in patterns), patterns[0].flags)


def by_pattern(analysis: Analysis, prose: Sequence[Paragraph]) -> list[Finding]:
    """Placeholders found by pattern in prose: the generic markers TODO / TBD / FIXME where
    they stand for missing text, and matches of `analysis.patterns` (the template's own `<...>`
    and `(...)` texts, the config's patterns)."""
    lines = analysis.document.lines
    findings = []
    for paragraph in prose:
        line = lines[paragraph.line]
        if "TBD" in line or "TODO" in line or "FIXME" in line:
            findings += _generic_markers(analysis.document, line, paragraph)
        code: list[tuple[int, int]] | None = None
        for pattern in analysis.patterns:
            for found in pattern.finditer(line):
                if found.end() == found.start():
                    continue
                if code is None:
                    code = code_spans(line, 0, len(line)) if "`" in line else []
                within = next(((a, b) for a, b in code if a <= found.start() < b), None)
                if within is not None and not (
                    pattern.trusted and line[within[0] : within[1]].strip("`") == found.group(0)
                ):
                    continue  # in code: the author's code (unless the template's own `<x>`)
                span = Span(paragraph.line, found.start(), paragraph.line, found.end())
                findings.append(placeholder(found.group(0), span, None))
    return findings


# TODO / TBD / FIXME as a placeholder: opening a paragraph or list item ("TBD", "- TODO",
# "TODO: add the numbers"), or all of a field's value ("Owner: TBD"); not a word in a sentence
# ("TBD behavior", "see FIXME above", "a notation (TBD) that").
_GENERIC = re.compile(r"\b(?:TODO|TBD|FIXME)\b(?=[*_]*(?:[\s.:!]|$))")
# A label before the marker ("Owner:"), in any paragraph: not the list-item field parser's
# (`document.inline.parse_field`) question, which only list items ask, names capitalised.
_FIELD_BEFORE = re.compile(r"^[^:]{1,40}:[*_\s]*$")
_GENERIC_AFTER = re.compile(r"[*_\s.:!]*")


def _generic_markers(document: Document, line: str, paragraph: Paragraph) -> list[Finding]:
    span = paragraph.span
    found = []
    for match in _GENERIC.finditer(line, span.col, span.end_col):
        before = line[span.col : match.start()]
        after = _GENERIC_AFTER.fullmatch(line, match.end(), span.end_col)
        opens = paragraph.start == paragraph.line and not before.strip("*_ ")
        if opens and after is None:  # a note ("TODO: update this") stands for text only
            opens = not _text_follows(document, paragraph)  # where nothing follows it
        value = _FIELD_BEFORE.match(before) is not None and after is not None
        if opens or value:
            where = Span(span.line, match.start(), span.line, match.end())
            found.append(placeholder(match.group(0), where, None))
    return found


def _text_follows(document: Document, paragraph: Paragraph) -> bool:
    """Whether the paragraph's section has more text after it."""
    line = paragraph.line
    while line + 1 < len(document.lines) and document.lines[line + 1].strip():
        line += 1  # (the paragraph's last line)
    return answered(document, line, set())


def unfilled_fields(analysis: Analysis) -> list[Finding]:
    """Field values left as the template's placeholder for them, on lines where no other check
    of this rule reports one."""
    parts = analysis.parts
    assert parts is not None  # (`parts.collect` runs the whole-document checks last)
    findings = []
    for spec, written in analysis.fields_written():
        if written is None or not written.value or not written.unfilled(spec):
            continue
        line = written.span.line
        if not (parts.starts_on(IN_BRACKETS, line) or parts.starts_on(BY_PATTERN, line)):
            findings.append(placeholder(written.raw, written.span, spec.section))
    return findings


IN_BRACKETS = InFacts(BRACKETS, in_brackets)
BY_PATTERN = InFacts(PROSE, by_pattern)
RULE = Rule(
    "placeholder",
    (
        WholeDocument(in_title),
        IN_BRACKETS,
        InFacts(LIST_ITEMS, examples),
        BY_PATTERN,
        WholeDocument(unfilled_fields),
    ),
)
