"""A client's text as VS Code's editor model keeps it: UTF-16 code units, and edits whose ends
fall between the halves of a surrogate pair moved the way `TextModel.validateRange`
(microsoft/vscode, src/vs/editor/common/model/textModel.ts) moves them before applying.

Written on code units, independently of the server's code-point implementation, so that the
tests compare two different ways of getting to the same text.
"""

from __future__ import annotations

import re
from array import array

from lsprotocol import types


def _units(text: str) -> array[int]:
    return array("H", text.encode("utf-16-le", "surrogatepass"))


def _text(units: array[int]) -> str:
    return units.tobytes().decode("utf-16-le", "surrogatepass")


def _is_high(unit: int) -> bool:
    return 0xD800 <= unit <= 0xDBFF


def _line_spans(text: str) -> list[tuple[int, int]]:
    """(start, end without line ending) of each LSP line, in code units."""
    parts = re.split(r"(\r\n|\r|\n)", text)
    spans, at = [], 0
    for index in range(0, len(parts), 2):
        width = len(_units(parts[index]))
        spans.append((at, at + width))
        at += width + (len(parts[index + 1]) if index + 1 < len(parts) else 0)
    return spans


def validated(text: str, rng: types.Range) -> tuple[int, int]:
    """The code-unit offsets VS Code's model edits for `rng` in `text`."""
    units = _units(text)
    spans = _line_spans(text)

    def offset(position: types.Position) -> tuple[int, bool]:
        line = min(max(position.line, 0), len(spans) - 1)
        start, end = spans[line]
        at = start + min(max(position.character, 0), end - start)
        # Inside a pair: the unit before is a high surrogate (VS Code checks the end only
        # before the line's last unit).
        inside = at > start and _is_high(units[at - 1])
        return at, inside

    start, start_inside = offset(rng.start)
    end, end_inside = offset(rng.end)
    end_inside = end_inside and end < spans[min(max(rng.end.line, 0), len(spans) - 1)][1]
    if not start_inside and not end_inside:
        return start, end
    if start == end:
        return start - 1, end - 1  # an empty range moves before the pair
    return start - (1 if start_inside else 0), end + (1 if end_inside else 0)


def apply(text: str, rng: types.Range, new_text: str) -> tuple[str, tuple[int, int]]:
    """`text` after VS Code applies the edit, and the code-unit span the new text occupies."""
    start, end = validated(text, rng)
    units = _units(text)
    inserted = _units(new_text)
    units[start:end] = inserted
    return _text(units), (start, start + len(inserted))


def position(text: str, offset: int) -> types.Position:
    """The LSP position (UTF-16) of a code-unit offset in `text`."""
    for line, (start, end) in enumerate(_line_spans(text)):
        if offset <= end:
            return types.Position(line=line, character=max(offset - start, 0))
    raise ValueError(offset)
