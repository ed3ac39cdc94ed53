"""Which fixes are safe, a fix as JSON, and the text `check --fix` writes.

A fix that only inserts (a missing section or title from the template) is safe: it adds and
changes nothing the author wrote. Every other fix (a move, a rename, a level or a field value
change) is unsafe: it may change what the document means, so it is applied only when asked
(`--unsafe-fixes`), as ruff does.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from design_lsp.text import split_lines, to_client_col

if TYPE_CHECKING:
    from design_lsp.analysis import Analysis, Finding, TextEdit

# Unsafe fixes can move text that another fix then touches: each round applies the ones that
# do not share a line, and analyses again. A bound keeps a pair of fixes that undo each other
# from running forever.
MAX_UNSAFE_ROUNDS = 10


class TextLost(Exception):
    """A fix would have dropped a line the author wrote: nothing is written."""


def is_safe(edits: Sequence[TextEdit]) -> bool:
    """Only insertions: every edit replaces an empty span."""
    return all(_empty(edit) for edit in edits)


def fix_json(lines: Sequence[str], finding: Finding) -> dict[str, Any] | None:
    """The finding's first fix, for tools that apply it: ranges as the JSON output's (LSP:
    0-based lines, UTF-16 characters)."""
    if not finding.fixes:
        return None
    title, edits = finding.fixes[0]

    def position(line: int, col: int) -> dict[str, int]:
        text = lines[line] if line < len(lines) else ""
        return {"line": line, "character": to_client_col(text, col, "utf-16")}

    return {
        "title": title,
        "applicability": "safe" if is_safe(edits) else "unsafe",
        "edits": [
            {
                "range": {
                    "start": position(e.span.line, e.span.col),
                    "end": position(e.span.end_line, e.span.end_col),
                },
                "newText": e.text,
            }
            for e in edits
        ],
    }


def fixed_text(
    text: str, analysis: Analysis, reanalyze: Callable[[str], Analysis], unsafe: bool
) -> tuple[str, Analysis] | None:
    """The text with the safe fixes applied (and the unsafe ones too, with `unsafe`), and its
    analysis; None when nothing changes. `TextLost` when a fix would drop the author's text."""
    from design_lsp.analysis import apply_edits

    current, seen = text, {text}
    steps: list[Callable[[Analysis], list[TextEdit]]] = [_insertions]
    steps += [_unsafe_round] * (MAX_UNSAFE_ROUNDS if unsafe else 0)
    for step in steps:
        edits = step(analysis)
        if not edits:
            continue
        new = apply_edits(current, edits)
        if new in seen:
            break  # no change, or back to an earlier text: fixes that undo each other
        _check_kept(current, new, edits)
        seen.add(new)
        current, analysis = new, reanalyze(new)
    return (current, analysis) if current != text else None


def _insertions(analysis: Analysis) -> list[TextEdit]:
    return analysis.fix_all()  # every missing section and the title at once: never overlapping


def _unsafe_round(analysis: Analysis) -> list[TextEdit]:
    """The unsafe fixes, first to last, that touch no line another one chosen touches."""
    taken: list[tuple[int, int]] = []
    edits: list[TextEdit] = []
    for finding in analysis.findings:
        if not finding.fixes or is_safe(finding.fixes[0][1]):
            continue
        group = finding.fixes[0][1]
        lines = [(e.span.line, e.span.end_line) for e in group]
        if any(a <= d and c <= b for a, b in lines for c, d in taken):
            continue  # the next round, on the text this one leaves
        taken += lines
        edits += group
    return edits


def _check_kept(old: str, new: str, edits: Sequence[TextEdit]) -> None:
    """Every non-blank line of `old` is still in `new`, but those a replacement rewrites (a
    heading's title or level, a field's value): a move deletes only what it inserts again."""
    old_lines = split_lines(old)
    rewritten: Counter[str] = Counter()
    for edit in edits:
        if edit.text and not _empty(edit):
            rewritten.update(old_lines[edit.span.line : edit.span.end_line + 1])
    kept = Counter(line for line in old_lines if line.strip())
    lost = kept - Counter(split_lines(new)) - rewritten
    if lost:
        raise TextLost(f"a fix would drop the line {next(iter(lost))!r}; not fixed")


def _empty(edit: TextEdit) -> bool:
    span = edit.span
    return (span.line, span.col) == (span.end_line, span.end_col)
