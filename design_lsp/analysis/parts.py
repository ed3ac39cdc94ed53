"""Findings kept by what they depend on, so that the next version of a document re-computes
only what an edit touched.

Most keystrokes land inside a paragraph and leave every heading where it was. The parser then
keeps the section tree and names the lines it re-scanned; the analysis keeps the alignment, and
runs again only the checks that may read those lines: each rule's checks declare what they
depend on (`rules/rule.py`): the facts of a kind on the changed lines, the sections that hold
them, the repeated sections whose heading they are, and the checks that look across the whole
document (the title, missing sections and fields). The result is what a from-scratch analysis
gives (tests/test_incremental.py).
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import chain
from operator import attrgetter
from typing import TYPE_CHECKING, Any, TypeVar

from design_lsp.analysis.align import Alignment, Match
from design_lsp.analysis.bold import BoldOpener, bold_openers
from design_lsp.analysis.model import Finding
from design_lsp.analysis.rules import RULES
from design_lsp.analysis.rules.rule import EachRepeat, EachSection, InFacts, Rule, WholeDocument

if TYPE_CHECKING:
    from design_lsp.analysis.analyze import Analysis

Settle = Callable[[list[Finding]], list[Finding]]  # severities applied, codes turned off dropped
Lines = tuple[int, int]  # [start, end) lines
T = TypeVar("T")
_span_line = attrgetter("span.line")
_line = attrgetter("line")


@dataclass(frozen=True, slots=True)
class Plan:
    """The rules' checks by what they depend on (each group in the rules' order)."""

    whole: tuple[WholeDocument, ...]
    sections: tuple[EachSection, ...]
    repeats: tuple[EachRepeat, ...]
    facts: tuple[InFacts[Any], ...]


@lru_cache(maxsize=8)
def plan(rules: tuple[Rule, ...]) -> Plan:
    checks = [check for rule in rules for check in rule.checks]
    return Plan(
        tuple(c for c in checks if isinstance(c, WholeDocument)),
        tuple(c for c in checks if isinstance(c, EachSection)),
        tuple(c for c in checks if isinstance(c, EachRepeat)),
        tuple(c for c in checks if isinstance(c, InFacts)),
    )


@dataclass(slots=True)
class Parts:
    plan: Plan  # the checks these parts come from
    by_match: dict[int, list[Finding]]  # heading line of a matched section -> its findings
    # heading line of a section out of place -> where its move inserts it (its fix reads the
    # lines just above that place)
    move_targets: dict[int, int]
    by_repeat: dict[int, list[Finding]]  # heading line of a repeated section -> its findings
    in_facts: dict[InFacts[Any], list[Finding]]  # each check on facts -> its findings, in order
    bold: list[BoldOpener]  # paragraphs opening in bold, for sections written that way

    def starts_on(self, check: InFacts[Any], line: int) -> bool:
        """Whether a finding of `check` starts on `line`."""
        found = self.in_facts.get(check, [])
        index = bisect_left(found, line, key=_span_line)
        return index < len(found) and found[index].span.line == line


def collect(
    analysis: Analysis,
    settle: Settle,
    previous: Parts | None = None,
    changed: Lines | None = None,
) -> tuple[Parts, list[Finding]]:
    """The parts of `analysis` and all its findings, unsorted: `analyze` puts them in their
    order (by position and code: see `analyze.ORDER`), whatever order the rules run in here.

    With `previous` (the parts of the previous version, whose section tree and alignment this
    version shares), only findings that may depend on the `changed` lines are computed again.
    """
    checks = plan(RULES)
    alignment = analysis.alignment
    document = analysis.document
    reuse = previous if previous is not None and previous.plan is checks else None
    if changed is None:
        reuse = None
    lo, hi = changed if reuse is not None and changed is not None else (0, len(document.lines))

    def of_section(match: Match) -> list[Finding]:
        return settle([f for check in checks.sections for f in check.run(analysis, match)])

    if reuse is None:
        by_match, move_targets = _all_matches(analysis, of_section)
    else:
        by_match, move_targets = dict(reuse.by_match), reuse.move_targets
        for match in _redo_matches(alignment, move_targets, lo, hi):
            by_match[match.section.heading.line] = of_section(match)

    by_repeat: dict[int, list[Finding]] = dict(reuse.by_repeat) if reuse is not None else {}
    for repeat, first in alignment.duplicates:
        line = repeat.heading.line
        if reuse is None or (line < hi and lo <= repeat.heading.last_line):
            found = settle([f for c in checks.repeats for f in c.run(analysis, repeat, first)])
            if found:
                by_repeat[line] = found
            else:
                by_repeat.pop(line, None)

    in_facts: dict[InFacts[Any], list[Finding]] = {}
    for check in checks.facts:
        kind = check.facts
        new = settle(check.run(analysis, _between(kind.of(document), lo, hi, kind.line)))
        in_facts[check] = new if reuse is None else _splice(reuse.in_facts[check], lo, hi, new)

    bold = bold_openers(document, _between(document.prose, lo, hi, _line))
    parts = Parts(
        plan=checks,
        by_match=by_match,
        move_targets=move_targets,
        by_repeat=by_repeat,
        in_facts=in_facts,
        bold=_splice(reuse.bold, lo, hi, bold) if reuse else bold,
    )
    analysis.parts = parts  # (the whole-document checks read it)
    findings = [f for check in checks.whole for f in settle(check.run(analysis))]
    findings.extend(chain.from_iterable(by_match.values()))  # (in match order)
    findings.extend(chain.from_iterable(by_repeat.values()))
    findings.extend(chain.from_iterable(in_facts.values()))
    return parts, findings


def _all_matches(
    analysis: Analysis, of_section: Callable[[Match], list[Finding]]
) -> tuple[dict[int, list[Finding]], dict[int, int]]:
    """Every matched section's findings, and where each section out of place would move."""
    by_match: dict[int, list[Finding]] = {}
    move_targets: dict[int, int] = {}
    for match in analysis.alignment.matches:
        line = match.section.heading.line
        by_match[line] = of_section(match)
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
