"""Every use of a private pygls API, in one place, each with why (checked against pygls 2.1.1;
pyproject pins pygls below 2.2). When one is missing, the fast path it serves falls back to
pygls's public way and a warning is logged once, so a pygls release that drops one is noticed.

- `JsonRPCProtocol._send_data`: the one writer of pygls's messages; overridden to write from the
  event loop only (`LoopOnlyWriter`).
- `_send_response`, `_include_headers`, `CONTENT_TYPE`, `CHARSET`: a pre-serialised result
  (`wire.JsonText`) is framed as `_send_data` frames one, skipping cattrs (4x the cost on a
  megabyte-sized outline).
- `TextDocument._apply_full_change` / `_apply_incremental_change`: the hooks
  `apply_change` calls; `state.LspTextDocument` overrides them to keep LSP line breaks.
- `Workspace._create_text_document`, and a swap of the server's `workspace.__class__`: pygls
  builds its workspace itself at `initialize`, with no factory to hand it ours.
- `JsonRPCProtocol._shutdown`: whether `shutdown` came before `exit` (the exit code).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

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

_CHANGE_HOOKS = ("_apply_full_change", "_apply_incremental_change", "_position_codec", "_source")


def text_document_hooks_present() -> bool:
    """Whether pygls's TextDocument still applies changes through the hooks we override."""
    probe = TextDocument("file:///probe.md", "")
    missing = [
        n for n in _CHANGE_HOOKS if not hasattr(TextDocument, n) and not hasattr(probe, n)
    ]
    if missing or not hasattr(Workspace, "_create_text_document"):
        fell_back(f"TextDocument/Workspace lack {missing or ['_create_text_document']}")
        return False
    return True


def swap_workspace_class(workspace: Workspace, cls: type[Workspace]) -> bool:
    """Make the workspace pygls built create our documents; False (pygls's documents, with
    `str.splitlines` line breaks) when the hooks are missing."""
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
