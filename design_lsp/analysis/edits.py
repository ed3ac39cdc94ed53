"""Text edits that only insert blocks or change heading lines, and applying them to a text."""

from __future__ import annotations

import re

from design_lsp.analysis.model import TextEdit
from design_lsp.document import Document, Span

_EOL = re.compile(r"\r\n|\r|\n")


def insertion(document: Document, line: int, blocks: list[list[str]]) -> TextEdit:
    """Insert `blocks` before `line` with exactly one blank line around each block.

    The point moves up past blank lines that end the previous section, so the new block sits
    right after the author's text; the author's own blank lines are kept, never removed.
    """
    lines, eol = document.lines, document.eol
    ends_with_eol = lines[-1] == ""
    last = len(lines) - 1 if ends_with_eol else len(lines)  # lines that hold text: [0, last)
    line = max(0, min(line, last))
    at_end = line == last
    while line > document.front_matter_end and not lines[line - 1].strip():
        line -= 1
    body = (eol + eol).join(eol.join(block) for block in blocks)
    if at_end and document.unclosed:
        # At the very end the text may still be inside a fence or an HTML comment the author
        # has not closed yet: close it first, or the new block would be swallowed by it.
        body = document.unclosed + eol + eol + body
    before = eol if line > 0 and lines[line - 1].strip() else ""
    if line < last:
        after = eol + (eol if lines[line].strip() else "")
        return TextEdit(Span(line, 0, line, 0), before + body + after)
    if ends_with_eol:
        return TextEdit(Span(last, 0, last, 0), before + body + eol)
    end = len(lines[-1])  # the text has no final line ending: start a new line first
    return TextEdit(Span(last - 1, end, last - 1, end), eol + before + body + eol)


def replace_line_part(line: int, start: int, end: int, text: str) -> TextEdit:
    return TextEdit(Span(line, start, line, end), text)


def apply_edits(text: str, edits: list[TextEdit]) -> str:
    """Apply non-overlapping edits (code-point spans on LSP lines) to `text`."""
    starts = [0] + [m.end() for m in _EOL.finditer(text)]

    def offset(line: int, col: int) -> int:
        if line >= len(starts):
            return len(text)
        line_end = len(text) if line + 1 >= len(starts) else starts[line + 1]
        content = text[starts[line] : line_end].rstrip("\r\n")
        return starts[line] + min(col, len(content))

    out = text
    for edit in sorted(edits, key=lambda e: (e.span.line, e.span.col), reverse=True):
        start = offset(edit.span.line, edit.span.col)
        end = offset(edit.span.end_line, edit.span.end_col)
        out = out[:start] + edit.text + out[end:]
    return out
