"""The one place where engine positions (lines, code points) meet the client's encoding.

The engine reports `Span`s in code points on LSP lines; the client counts columns in the position
encoding negotiated at `initialize` (UTF-16 unless the client offered UTF-8 or UTF-32). Every range
sent to the client and every position received from it goes through an `Encoder`.
"""

from __future__ import annotations

from collections.abc import Sequence

from lsprotocol import types

from design_lsp.document.model import Span
from design_lsp.text import from_client_col, to_client_col

ENCODINGS = ("utf-16", "utf-8", "utf-32")


class Encoder:
    """Converts between code-point columns on `lines` and client units."""

    __slots__ = ("encoding", "lines")

    def __init__(self, lines: Sequence[str], encoding: str) -> None:
        self.lines = lines
        self.encoding = encoding if encoding in ENCODINGS else "utf-16"

    def _clamp(self, line: int, col: int) -> tuple[int, int]:
        last = len(self.lines) - 1
        if last < 0:
            return 0, 0
        if line < 0:
            return 0, 0
        if line > last:
            return last, len(self.lines[last])
        return line, max(0, min(col, len(self.lines[line])))

    def position(self, line: int, col: int) -> types.Position:
        line, col = self._clamp(line, col)
        text = self.lines[line] if self.lines else ""
        return types.Position(line=line, character=to_client_col(text, col, self.encoding))

    def range(self, span: Span) -> types.Range:
        start = self.position(span.line, span.col)
        end = self.position(span.end_line, span.end_col)
        if (end.line, end.character) < (start.line, start.character):
            end = start
        return types.Range(start=start, end=end)

    def point(self, line: int, col: int) -> tuple[int, int]:
        """(line, character) in client units, clamped to the document."""
        lines = self.lines
        if 0 <= line < len(lines):
            text = lines[line]
            col = 0 if col < 0 else len(text) if col > len(text) else col
        else:
            line, col = self._clamp(line, col)
            if not lines:
                return 0, 0
            text = lines[line]
        if self.encoding == "utf-32" or text.isascii():
            return line, col
        return line, to_client_col(text, col, self.encoding)

    def points(self, span: Span) -> tuple[int, int, int, int]:
        """`range(span)` as (line, character, end line, end character)."""
        line, col = self.point(span.line, span.col)
        end_line, end_col = self.point(span.end_line, span.end_col)
        if (end_line, end_col) < (line, col):
            return line, col, line, col
        return line, col, end_line, end_col

    def range_dict(self, span: Span) -> dict[str, dict[str, int]]:
        """`range(span)` as the JSON the client receives (no lsprotocol objects)."""
        line, col, end_line, end_col = self.points(span)
        return {
            "start": {"line": line, "character": col},
            "end": {"line": end_line, "character": end_col},
        }

    def line_range(self, line: int, end_line: int, end_col: int | None = None) -> types.Range:
        """From the start of `line` to `end_col` of `end_line` (its end when None)."""
        last_line, _ = self._clamp(end_line, 0)
        full = len(self.lines[last_line]) if self.lines else 0
        last_col = full if end_col is None else end_col
        return types.Range(start=self.position(line, 0), end=self.position(last_line, last_col))

    def to_engine(self, position: types.Position) -> tuple[int, int]:
        """A client position -> (line, code-point column), clamped to the document."""
        if not self.lines:
            return 0, 0
        if position.line < 0:
            return 0, 0
        if position.line >= len(self.lines):
            last = len(self.lines) - 1
            return last, len(self.lines[last])
        text = self.lines[position.line]
        return position.line, from_client_col(text, position.character, self.encoding)

    def to_span(self, rng: types.Range) -> Span:
        line, col = self.to_engine(rng.start)
        end_line, end_col = self.to_engine(rng.end)
        if (end_line, end_col) < (line, col):
            end_line, end_col = line, col
        return Span(line, col, end_line, end_col)


def normalize_encoding(value: object) -> str:
    """The encoding name pygls negotiated ("utf-16" when unknown)."""
    text = str(getattr(value, "value", value) or "utf-16").lower()
    return text if text in ENCODINGS else "utf-16"
