"""Client-side helpers: apply edits the way an editor does, in the negotiated position encoding."""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

from lsprotocol import types

_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+\Z")


def units(text: str, encoding: str) -> int:
    """Length of `text` in the encoding's code units."""
    if encoding == "utf-8":
        return len(text.encode("utf-8", "surrogatepass"))
    if encoding == "utf-16":
        return len(text.encode("utf-16-le", "surrogatepass")) // 2
    return len(text)


def position_at(text: str, line: int, col: int, encoding: str) -> types.Position:
    """Code-point (line, col) -> LSP Position in `encoding` (independent of the server's code)."""
    lines = lsp_lines(text)
    return types.Position(line=line, character=units(lines[line][:col], encoding))


def lsp_lines(text: str) -> list[str]:
    """Lines without endings, split only at \\r\\n, \\r and \\n (a final empty line kept)."""
    return re.split(r"\r\n|\r|\n", text)


def offset_of(text: str, position: types.Position, encoding: str) -> int:
    chunks = _LINE.findall(text)
    if position.line >= len(chunks):
        return len(text)
    start = sum(len(c) for c in chunks[: position.line])
    line = chunks[position.line].rstrip("\r\n")
    seen = 0
    for index, ch in enumerate(line):
        if seen >= position.character:
            return start + index
        seen += units(ch, encoding)
    return start + len(line)


@dataclass
class DocText:
    text: str
    version: int

    def apply(self, rng: types.Range, new_text: str, encoding: str) -> str:
        start = offset_of(self.text, rng.start, encoding)
        end = offset_of(self.text, rng.end, encoding)
        return self.text[:start] + new_text + self.text[end:]


def text_edits(uri: str, edit: types.WorkspaceEdit) -> list[types.TextEdit]:
    out: list[types.TextEdit] = []
    if edit.changes:
        out.extend(edit.changes.get(uri, []))
    for change in edit.document_changes or []:
        assert isinstance(change, types.TextDocumentEdit)
        if change.text_document.uri == uri:
            out.extend(e for e in change.edits if isinstance(e, types.TextEdit))
    return out


def apply_text_edits(text: str, edits: list[types.TextEdit], encoding: str) -> str:
    spans = [
        (
            offset_of(text, e.range.start, encoding),
            offset_of(text, e.range.end, encoding),
            e.new_text,
        )
        for e in edits
    ]
    spans.sort(key=lambda s: (s[0], s[1]))
    for (a_start, a_end, _), (b_start, _, _) in itertools.pairwise(spans):
        assert a_end <= b_start, f"overlapping edits at {a_start}-{a_end} and {b_start}"
    for start, end, new_text in reversed(spans):
        text = text[:start] + new_text + text[end:]
    return text


def apply_workspace_edit(text: str, uri: str, edit: types.WorkspaceEdit, encoding: str) -> str:
    return apply_text_edits(text, text_edits(uri, edit), encoding)


def is_subsequence(original: list[str], result: list[str]) -> bool:
    it = iter(result)
    return all(any(line == other for other in it) for line in original)
