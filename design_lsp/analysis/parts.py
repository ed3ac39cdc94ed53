"""Findings grouped by the rule and the place they come from, so that the next version of a
document re-computes only what an edit touched.

Most keystrokes land inside a paragraph and leave every heading where it was. The parser then
keeps the section tree and names the lines it re-scanned; the analysis keeps the alignment, and
computes again only the findings about those lines, about the sections that hold them, and the
few that look across the whole document (the title, missing sections and fields, moves). The
result is what a from-scratch analysis gives (tests/test_incremental.py).
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import chain
from typing import TYPE_CHECKING, TypeVar

from design_lsp.analysis.align import Alignment, Match
from design_lsp.analysis.bold import BoldOpener, bold_openers
from design_lsp.analysis.model import Finding
from design_lsp.analysis.rules import (
    bracket_findings,
    duplicate_finding,
    example_findings,
    field_findings,
    match_findings,
    missing_findings,
    pattern_findings,
    template_text_findings,
    title_findings,
    title_placeholders,
)

if TYPE_CHECKING:
    from design_lsp.analysis.analyze import Analysis
    from design_lsp.analysis.patterns import BoundedPattern

Settle = Callable[[list[Finding]], list[Finding]]  # severities applied, codes turned off dropped
Lines = tuple[int, int]  # [start, end) lines
T = TypeVar("T")


@dataclass(slots=True)
class Parts:
    by_match: dict[int, list[Finding]]  # heading line of a matched section -> its findings
    # heading line of a section out of place -> where its move inserts it (its fix reads the
    # lines just above that place)
    move_targets: dict[int, int]
    duplicates: dict[int, Finding]  # heading line of a repeated section -> its finding
    # Findings about the text between headings, each list in document order.
    brackets: list[Finding]
    examples: list[Finding]
    patterns: list[Finding]
    template_text: list[Finding]
    bold: list[BoldOpener]  # paragraphs opening in bold, for sections written that way

    def placeholder_on(self, line: int) -> bool:
        """Whether a placeholder finding about the text starts on `line`."""
        for found in (self.brackets, self.patterns):
            index = bisect_left(found, line, key=_span_line)
            if index < len(found) and found[index].span.line == line:
                return True
        return False


def collect(
    analysis: Analysis,
    extra: Sequence[BoundedPattern],
    settle: Settle,
    previous: Parts | None = None,
    changed: Lines | None = None,
) -> tuple[Parts, list[Finding]]:
    """The parts of `analysis` and all its findings, unsorted: `analyze` puts them in their
    order (by position and code: see `analyze.ORDER`), whatever order the rules run in here.

    With `previous` (the parts of the previous version, whose section tree and alignment this
    version shares), only findings that may depend on the `changed` lines are computed again.
    """
    alignment = analysis.alignment
    document = analysis.document
    reuse = previous if previous is not None and changed is not None else None
    lo, hi = changed if reuse is not None and changed is not None else (0, len(document.lines))

    if reuse is None:
        by_match, move_targets = _all_matches(analysis, settle)
    else:
        by_match, move_targets = dict(reuse.by_match), reuse.move_targets
        for match in _redo_matches(alignment, move_targets, lo, hi):
            by_match[match.section.heading.line] = settle(match_findings(analysis, match))

    duplicates: dict[int, Finding] = dict(reuse.duplicates) if reuse is not None else {}
    for repeat, first in alignment.duplicates:
        line = repeat.heading.line
        if reuse is None or (line < hi and lo <= repeat.heading.last_line):
            kept = settle([duplicate_finding(analysis, repeat, first)])
            if kept:
                duplicates[line] = kept[0]
            else:
                duplicates.pop(line, None)

    def redo(
        old: list[Finding] | None, compute: Callable[[int, int], list[Finding]]
    ) -> list[Finding]:
        new = settle(compute(lo, hi))
        return new if old is None else _splice(old, lo, hi, new)

    bold = bold_openers(document, _between(document.prose, lo, hi, _line))
    parts = Parts(
        by_match=by_match,
        move_targets=move_targets,
        duplicates=duplicates,
        brackets=redo(
            reuse.brackets if reuse else None,
            lambda a, b: bracket_findings(analysis, _between(document.brackets, a, b, _span_line)),
        ),
        examples=redo(
            reuse.examples if reuse else None,
            lambda a, b: example_findings(analysis, _between(document.list_items, a, b, _line)),
        ),
        patterns=redo(
            reuse.patterns if reuse else None,
            lambda a, b: pattern_findings(analysis, _between(document.prose, a, b, _line), extra),
        ),
        template_text=redo(
            reuse.template_text if reuse else None,
            lambda a, b: template_text_findings(analysis, _between(document.prose, a, b, _line)),
        ),
        bold=_splice(reuse.bold, lo, hi, bold) if reuse else bold,
    )
    analysis.parts = parts  # (the document-wide rules below read it)
    findings = settle(title_findings(analysis)) + settle(missing_findings(analysis))
    findings.extend(chain.from_iterable(by_match.values()))  # (in match order)
    findings += duplicates.values()
    findings += settle(title_placeholders(analysis))
    findings += parts.brackets + parts.examples + parts.patterns + parts.template_text
    findings += settle(field_findings(analysis, parts.placeholder_on))
    return parts, findings


def _all_matches(
    analysis: Analysis, settle: Settle
) -> tuple[dict[int, list[Finding]], dict[int, int]]:
    """Every matched section's findings, and where each section out of place would move."""
    by_match: dict[int, list[Finding]] = {}
    move_targets: dict[int, int] = {}
    for match in analysis.alignment.matches:
        line = match.section.heading.line
        by_match[line] = settle(match_findings(analysis, match))
        if not match.in_place:
            move_targets[line] = analysis.insertion_line(match.spec, moving=match.section)
    return by_match, move_targets


def _redo_matches(
    alignment: Alignment, move_targets: dict[int, int], lo: int, hi: int
) -> list[Match]:
    """The matched sections whose findings may read lines [lo, hi): those that hold such a line
    (a section's findings read its own lines), and those whose move fix goes there (it reads
    the lines just above where it goes, back to the heading before, never past it)."""
    lines, matches = alignment.match_lines, alignment.matches
    start = bisect_left(lines, lo)
    redo = matches[start : bisect_left(lines, hi)]
    enclosing = matches[start - 1] if start else None  # the last section starting above lo
    while enclosing is not None:  # it and its matched ancestors may run into [lo, hi)
        if enclosing.section.end_line > lo:
            redo.append(enclosing)
        context = enclosing.context
        enclosing = alignment.by_line[context.heading.line] if context else None
    redo += [
        alignment.by_line[line] for line, target in move_targets.items() if lo <= target <= hi
    ]
    return redo


def _line(fact: object) -> int:
    return fact.line  # type: ignore[attr-defined, no-any-return]


def _span_line(fact: object) -> int:
    return fact.span.line  # type: ignore[attr-defined, no-any-return]


def _between(items: Sequence[T], lo: int, hi: int, line: Callable[[T], int]) -> Sequence[T]:
    """The items (in line order) on lines [lo, hi)."""
    if lo == 0 and hi >= (line(items[-1]) + 1 if items else 0):
        return items
    return items[bisect_left(items, lo, key=line) : bisect_left(items, hi, key=line)]


def _splice(old: list[T], lo: int, hi: int, new: list[T]) -> list[T]:
    """`old` with its items (findings, openers) that start on lines [lo, hi) replaced by `new`."""
    start = bisect_left(old, lo, key=_span_line)
    end = bisect_left(old, hi, key=_span_line)
    return old[:start] + new + old[end:]
