"""template-text: the template's guidance left in unchanged, compared by meaning (one finding
per left-over paragraph, or run of them). A template question, or a prompt in a list, that the
author answered below it is answered; a list with an item of the author's own was edited."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from design_lsp.analysis.rules.common import finding
from design_lsp.analysis.rules.own_text import NextOwnText, only_blank
from design_lsp.analysis.rules.rule import PROSE, InFacts, Rule
from design_lsp.document import Document, Paragraph, Span
from design_lsp.template.guidance import MIN_CHARS, fold

if TYPE_CHECKING:
    from collections.abc import Sequence

    from design_lsp.analysis.analyze import Analysis
    from design_lsp.analysis.model import Finding


def left_over(analysis: Analysis, paragraphs: Sequence[Paragraph]) -> list[Finding]:
    """Guidance left in: one finding per left-over paragraph (a run of them: one), compared by
    meaning. A template question or listed prompt answered below it is answered."""
    guidance = analysis.template.guidance
    document = analysis.document
    lines = document.lines
    groups = _paragraphs(paragraphs)
    found: dict[int, bool] = {}  # index of a left-over group -> whether all of it asks
    for index, group in enumerate(groups):
        text = group[0].text if len(group) == 1 else " ".join(p.text for p in group)
        if len(text) < MIN_CHARS:
            continue  # too short to be guidance
        if not guidance.quoted and lines[group[0].line].lstrip().startswith(">"):
            continue  # a quotation, where the template quotes nothing: the author cites it
        over, questions = guidance.left_over(fold(text))
        if over:
            found[index] = questions
    if not found:
        return []

    def item(index: int) -> bool:
        group = groups[index]
        return _is_item(lines[group[0].line], group[0].span.col)

    # A list with an item of the author's own was edited: its template items are kept on
    # purpose. A question, or a prompt in a list (templates list their questions as bullets),
    # followed by the author's own text is answered: only what stands unanswered is left over.
    left: list[tuple[list[Paragraph], bool]] = []
    edited: set[int] = set()
    kept: set[int] = set()  # items of lists left entirely as the template has them
    for index, questions in found.items():
        if index in edited:
            continue
        listed = item(index)
        if listed and index not in kept:
            # Each list is walked once (a list of thousands of items is no quadratic cost).
            first = last = index
            while first > 0 and item(first - 1) and _adjacent(document, groups, first - 1):
                first -= 1
            while last + 1 < len(groups) and item(last + 1) and _adjacent(document, groups, last):
                last += 1
            whole = range(first, last + 1)
            if not all(i in found for i in whole):
                edited.update(whole)
                continue
            kept.update(whole)
        left.append((groups[index], questions or listed))
    if not left:
        return []
    guidance_lines = {p.line for group, _ in left for p in group}
    next_own = NextOwnText(document, guidance_lines)
    runs: list[list[Paragraph]] = []
    for group, prompt in left:
        last_line = group[-1].line
        if prompt and next_own.after(last_line) < document.section_end(last_line):
            continue  # answered: the author's own text follows before the next heading
        if runs and only_blank(document, runs[-1][-1].line + 1, group[0].line):
            runs[-1] += group
        else:
            runs.append(list(group))
    findings = []
    for run in runs:
        start, end = run[0].span, run[-1].span
        words = " ".join(p.text for p in run)
        shown = words if len(words) <= 60 else words[:57].rstrip() + "..."
        findings.append(
            finding(
                "template-text",
                f"Template guidance left unchanged: '{shown}'",
                Span(start.line, start.col, end.end_line, end.end_col),
                analysis.spec_at(start.line),
            )
        )
    return findings


_ITEM_PREFIX = re.compile(r"[ \t>]*(?:[-+*]|\d{1,9}[.)])[ \t]+(?:\[[ xX]\][ \t]+)?$")


def _is_item(line: str, col: int) -> bool:
    return _ITEM_PREFIX.match(line[:col]) is not None


def _adjacent(document: Document, groups: list[list[Paragraph]], index: int) -> bool:
    """Whether only blank lines separate group `index` from the next."""
    return only_blank(document, groups[index][-1].line + 1, groups[index + 1][0].line)


def _paragraphs(prose: Sequence[Paragraph]) -> list[list[Paragraph]]:
    """Prose lines grouped by the paragraph (or list item) they belong to."""
    groups: list[list[Paragraph]] = []
    for line in prose:
        if groups and groups[-1][0].start == line.start:
            groups[-1].append(line)
        else:
            groups.append([line])
    return groups


RULE = Rule("template-text", (InFacts(PROSE, left_over),))
