"""Open documents as pygls keeps them, but split into lines by LSP rules.

pygls splits lines with `str.splitlines`, which also breaks on form feeds and other characters
that are not LSP line breaks: every later line of an edit would shift. `LspTextDocument` keeps
the text as a line store instead; the pygls members this takes are in `pygls_internals`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import chain, count
from typing import Any

from lsprotocol import types
from pygls.workspace import TextDocument, Workspace

from design_lsp.features import pygls_internals
from design_lsp.features.documents.change_log import Change, ChangeLog
from design_lsp.features.documents.size_limit import too_large
from design_lsp.features.positions import normalize_encoding

_EOL_SPLIT = re.compile(r"(\r\n|\r|\n)")

# The server's own change counter, shared by every document: a document gets a new revision when
# it is opened and on each change applied, so cached state never depends on the client's version
# number alone (a client may send the same version twice, or restart at 1 after a reopen).
_REVISIONS = count(1)


def _split(text: str) -> tuple[list[str], list[str]]:
    """LSP lines without their endings (a trailing ending yields a final empty line, as
    `design_lsp.text.split_lines`) and each line's ending ("" for the last)."""
    if "\r" not in text:  # the usual case, about five times faster than the regex
        bare = text.split("\n")
        return bare, [*(["\n"] * (len(bare) - 1)), ""]
    parts = _EOL_SPLIT.split(text)
    return parts[0::2], [*parts[1::2], ""]


@dataclass(frozen=True)
class Snapshot:
    """One version of an open document, as the parser takes it."""

    text: str
    lines: list[str] | None  # None: split from `text`
    source: object = None  # the LspTextDocument it came from (parses are reused within it)
    edits: int = 0


class LspTextDocument(pygls_internals.HookedTextDocument):
    """A pygls document whose lines follow LSP line breaks, kept as a line store.

    An incremental change re-splits only the lines it touches (plus the line before, so a
    `\r` + `\n` pair that an edit joins is seen) and splices them in: new lists each time, so
    a snapshot taken for a version (`snapshot()`) stays valid while later edits arrive. The
    text is joined only when someone asks for `source`.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._bare: list[str] | None = None
        self._eols: list[str] | None = None
        self._changes = ChangeLog()
        self.revision = next(_REVISIONS)

    @property
    def edits(self) -> int:
        """How many changes were applied so far."""
        return self._changes.count

    def changes_between(self, since: int, until: int) -> Change | None:
        """The lines changes `since`..`until` touched (see `ChangeLog.between`)."""
        return self._changes.between(since, until)

    def _changed(self, change: Change | None) -> None:
        self.revision = next(_REVISIONS)
        self._changes.record(change)

    def _store(self) -> tuple[list[str], list[str]]:
        if self._bare is None or self._eols is None:
            self._bare, self._eols = _split(super().source)
        return self._bare, self._eols

    @property
    def source(self) -> str:
        bare, eols = self._bare, self._eols
        if self.held_text is None and bare is not None and eols is not None:
            eol = eols[0]
            if eols.count(eol) == len(eols) - 1:  # one line ending throughout: a faster join
                self.held_text = eol.join(bare)
            else:
                self.held_text = "".join(chain.from_iterable(zip(bare, eols, strict=True)))
        return super().source

    @property
    def lines(self) -> Sequence[str]:
        bare, eols = self._store()
        out = [b + e for b, e in zip(bare, eols, strict=True)]
        if out and out[-1] == "":
            out.pop()  # pygls's lines have no final empty line
        return out

    def snapshot(self) -> Snapshot:
        """Text, lines without endings and change count of this version."""
        if too_large(self.source):  # it is not analysed: not split into lines either
            return Snapshot(self.source, None, self, self.edits)
        bare, _ = self._store()
        return Snapshot(self.source, bare, self, self.edits)

    def full_change_applied(self) -> None:
        self._bare = self._eols = None
        self._changed(None)

    def apply_partial_change(self, change: types.TextDocumentContentChangePartial) -> None:
        from design_lsp.text import edit_columns

        bare, eols = self._store()
        encoding = normalize_encoding(self.position_codec.encoding)
        last = len(bare) - 1

        def point(position: types.Position) -> tuple[int, int]:
            """(line, client column), clamped to the document."""
            if position.line > last:
                return last, 1 << 62
            return max(position.line, 0), max(position.character, 0)

        (start, start_units), (end, end_units) = point(change.range.start), point(change.range.end)
        start_col, end_col = edit_columns(
            bare[start],
            start_units,
            bare[end],
            end_units,
            (start, start_units) == (end, end_units),
            encoding,
        )
        if (end, end_col) < (start, start_col):
            end, end_col = start, start_col
        first = start - 1 if start > 0 and eols[start - 1] == "\r" else start
        head = "".join([b + e for b, e in zip(bare[first:start], eols[first:start], strict=True)])
        segment = head + bare[start][:start_col] + change.text + bare[end][end_col:] + eols[end]
        new_bare, new_eols = _split(segment)
        if eols[end]:  # the segment ended with a line ending: no partial line after it
            new_bare.pop()
            new_eols.pop()
        else:
            new_eols[-1] = ""
        self._bare = bare[:first] + new_bare + bare[end + 1 :]
        self._eols = eols[:first] + new_eols + eols[end + 1 :]
        self.held_text = None  # (joined again when asked for: `source`)
        self._changed((first, end + 1, first + len(new_bare)))


class LspWorkspace(pygls_internals.DocumentClassWorkspace):
    document_class = LspTextDocument


def install_lsp_lines(workspace: Workspace) -> None:
    """Make `workspace` create documents that split lines by LSP rules."""
    pygls_internals.swap_workspace_class(workspace, LspWorkspace)


def snapshot(doc: TextDocument) -> Snapshot:
    """A document's current version, as the parser takes it."""
    if isinstance(doc, LspTextDocument):
        return doc.snapshot()
    return Snapshot(doc.source, None)
