"""Every use of a private pygls API, in one place, each with why (checked against pygls 2.1.1;
pyproject pins pygls below 2.2). When one is missing, the fast path it serves falls back to
pygls's public way and a warning is logged once, so a pygls release that drops one is noticed.

- `JsonRPCProtocol._send_data`: the one writer of pygls's messages; overridden to write from the
  event loop only (`LoopOnlyWriter`).
- `_send_response`, `_include_headers`, `CONTENT_TYPE`, `CHARSET`: a pre-serialised result
  (`wire.JsonText`) is framed as `_send_data` frames one, skipping cattrs (4x the cost on a
  megabyte-sized outline).
- `TextDocument._apply_full_change` / `_apply_incremental_change`: the hooks `apply_change`
  calls, and `_source`, the text pygls keeps: `HookedTextDocument` turns them into methods
  of ours, which `documents.text_document.LspTextDocument` implements to keep LSP line breaks.
- `Workspace._create_text_document` and `_sync_kind`, and a swap of the server's
  `workspace.__class__`: pygls builds its workspace itself at `initialize`, with no factory
  to hand it ours (`DocumentClassWorkspace`).
- `JsonRPCProtocol._shutdown`: whether `shutdown` came before `exit` (the exit code).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from lsprotocol import types
from pygls.protocol import LanguageServerProtocol
from pygls.workspace import TextDocument, Workspace

from design_lsp.features import event_loop

log = logging.getLogger(__name__)
_warned: set[str] = set()


def fell_back(what: str) -> None:
    """Log once that a fast path is off because this pygls lacks what it relies on."""
    if what not in _warned:
        _warned.add(what)
        log.warning("pygls internals changed: %s; using pygls's slower public path", what)


class LoopOnlyWriter(LanguageServerProtocol):
    """A protocol whose writer runs on the event loop only (see `event_loop`)."""

    def _send_data(self, data: Any) -> None:
        if event_loop.check_on_loop("a message"):
            super()._send_data(data)
        else:  # (outside strict mode) the message is still sent, whole, from the loop
            event_loop.call_on_loop(self._send_data, data)


# ---- framing of pre-serialised responses ------------------------------------------------------


def can_frame(protocol: Any) -> bool:
    """Whether `frame_header` and `protocol.writer` can write a message as pygls would."""
    ok = all(hasattr(protocol, name) for name in ("_include_headers", "CONTENT_TYPE", "CHARSET"))
    if not ok:
        fell_back("no _include_headers/CONTENT_TYPE/CHARSET on the protocol")
    return ok and getattr(protocol, "writer", None) is not None


def frame_header(protocol: Any, length: int) -> bytes | None:
    """The header `_send_data` writes before a body of `length` bytes (None: no headers)."""
    if not protocol._include_headers:
        return None
    content_type = f"{protocol.CONTENT_TYPE}; charset={protocol.CHARSET}"
    header = f"Content-Length: {length}\r\nContent-Type: {content_type}\r\n\r\n"
    return header.encode(protocol.CHARSET)


def wrap_send_response(
    protocol: Any, wrap: Callable[[Callable[..., None]], Callable[..., None]]
) -> bool:
    """Replace `protocol._send_response` by `wrap(original)`; False when it is missing."""
    original = getattr(protocol, "_send_response", None)
    if not callable(original) or not can_frame(protocol):
        if not callable(original):
            fell_back("no JsonRPCProtocol._send_response")
        return False
    protocol._send_response = wrap(original)
    return True


# ---- documents --------------------------------------------------------------------------------


class HookedTextDocument(TextDocument):
    """A pygls document whose changes are applied by `full_change_applied` and
    `apply_partial_change`, and whose text (`held_text`) a subclass may drop and rebuild."""

    def _apply_full_change(self, change: types.TextDocumentContentChangeEvent) -> None:
        super()._apply_full_change(change)
        self.full_change_applied()

    def _apply_incremental_change(self, change: types.TextDocumentContentChangePartial) -> None:
        self.apply_partial_change(change)

    def full_change_applied(self) -> None:
        """Called after pygls replaced the whole text."""

    def apply_partial_change(self, change: types.TextDocumentContentChangePartial) -> None:
        """Apply a ranged change (pygls's own way unless overridden)."""
        super()._apply_incremental_change(change)

    @property
    def held_text(self) -> str | None:
        """The text pygls holds. Set to None only by a subclass whose `source` rebuilds it
        before asking pygls: pygls's `source` reads the file from disk when it is None."""
        text: str | None = self._source
        return text

    @held_text.setter
    def held_text(self, text: str | None) -> None:
        self._source = text


class DocumentClassWorkspace(Workspace):
    """A pygls workspace whose documents are created as `document_class`."""

    document_class: type[TextDocument] = TextDocument

    def _create_text_document(
        self,
        doc_uri: str,
        source: str | None = None,
        version: int | None = None,
        language_id: str | None = None,
    ) -> TextDocument:
        return self.document_class(
            doc_uri,
            source=source,
            version=version,
            language_id=language_id,
            sync_kind=self._sync_kind,
            position_codec=self.position_codec,
        )


_DOCUMENT_HOOKS = ("_apply_full_change", "_apply_incremental_change", "_source")
_WORKSPACE_HOOKS = ("_create_text_document", "_sync_kind")


def text_document_hooks_present() -> bool:
    """Whether pygls's TextDocument and Workspace still have what the classes above use."""
    document, workspace = TextDocument("file:///probe.md", ""), Workspace(None)
    missing = [n for n in _DOCUMENT_HOOKS if not hasattr(document, n)]
    missing += [n for n in _WORKSPACE_HOOKS if not hasattr(workspace, n)]
    if missing:
        fell_back(f"TextDocument/Workspace lack {missing}")
        return False
    return True


def swap_workspace_class(workspace: Workspace, cls: type[DocumentClassWorkspace]) -> bool:
    """Make the workspace pygls built create `cls.document_class` documents; False (pygls's
    documents, with `str.splitlines` line breaks) when the hooks are missing."""
    if isinstance(workspace, cls):
        return True
    if not text_document_hooks_present():
        return False
    workspace.__class__ = cls
    return True


# ---- lifecycle --------------------------------------------------------------------------------


def shutdown_requested(protocol: Any) -> bool:
    """Whether the client sent `shutdown` (pygls records it in `_shutdown`)."""
    if not hasattr(protocol, "_shutdown"):
        fell_back("no JsonRPCProtocol._shutdown")
        return bool(getattr(protocol, "_shutdown_seen", False))
    return bool(protocol._shutdown)
