"""The private pygls members design-lsp relies on (features/pygls_internals.py), checked against
the installed pygls's real objects: a pygls release that drops one fails here, not in the field."""

from __future__ import annotations

import json
import logging

import pytest
from lsprotocol import types
from pygls.lsp.server import LanguageServer
from pygls.workspace import Workspace

from design_lsp.features import pygls_internals, wire
from design_lsp.features.documents.text_document import (
    LspTextDocument,
    LspWorkspace,
    install_lsp_lines,
)
from design_lsp.features.rpc_protocol import GuardedProtocol


class _Writer:
    def __init__(self) -> None:
        self.data = b""

    def write(self, data: bytes) -> None:
        self.data += data


def _server() -> tuple[LanguageServer, _Writer]:
    ls = LanguageServer("t", "1", protocol_cls=GuardedProtocol)
    writer = _Writer()
    ls.protocol.set_writer(writer, include_headers=True)
    return ls, writer


def _frames(raw: bytes) -> list[bytes]:
    out = []
    while raw:
        head, _, rest = raw.partition(b"\r\n\r\n")
        length = int(head.split(b"Content-Length: ")[1].split(b"\r\n")[0])
        assert len(rest) >= length
        out.append(rest[:length])
        raw = rest[length:]
    return out


def test_a_json_text_result_is_framed_exactly_as_pygls_frames_its_own(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.WARNING)
    ours, ours_out = _server()
    theirs, theirs_out = _server()
    text = json.dumps([{"name": "Ünïcode 😀", "children": []}], ensure_ascii=False)
    result = wire.result(ours, text)
    assert isinstance(result, wire.JsonText), "the fast path is off on this pygls"
    ours.protocol._send_response(7, result)
    theirs.protocol._send_response(7, json.loads(text))  # pygls's own path
    (mine,), (pygls,) = _frames(ours_out.data), _frames(theirs_out.data)
    assert json.loads(mine) == json.loads(pygls)
    head_of = lambda raw: raw.split(b"\r\n\r\n")[0].split(b"\r\n")[1]  # noqa: E731
    assert head_of(ours_out.data) == head_of(theirs_out.data)  # the same Content-Type
    assert "pygls internals changed" not in caplog.text


def test_the_change_hooks_are_there_and_documents_keep_lsp_line_breaks(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.WARNING)
    assert pygls_internals.text_document_hooks_present()
    workspace = Workspace(None)
    install_lsp_lines(workspace)
    assert isinstance(workspace, LspWorkspace)
    workspace.put_text_document(
        types.TextDocumentItem(uri="file:///a.md", language_id="markdown", version=1,
                               text="one\fstill one\ntwo\n")
    )
    doc = workspace.get_text_document("file:///a.md")
    assert isinstance(doc, LspTextDocument)
    change = types.TextDocumentContentChangePartial(
        range=types.Range(types.Position(1, 0), types.Position(1, 3)), text="TWO"
    )
    doc.apply_change(change)  # pygls's public entry point, which calls our `_apply_*` hook
    assert doc.source == "one\fstill one\nTWO\n"
    assert doc.edits == 1  # our hook ran
    assert "pygls internals changed" not in caplog.text


def test_shutdown_is_read_from_the_real_protocol(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.WARNING)
    ls, _ = _server()
    assert pygls_internals.shutdown_requested(ls.protocol) is False
    list(ls.protocol.lsp_shutdown())  # pygls's own shutdown handler
    assert pygls_internals.shutdown_requested(ls.protocol) is True
    assert "pygls internals changed" not in caplog.text


def test_a_missing_internal_falls_back_with_a_warning(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.WARNING)
    pygls_internals._warned.clear()

    class Bare:
        writer = _Writer()

    assert not pygls_internals.wrap_send_response(Bare(), lambda original: original)
    assert "pygls internals changed" in caplog.text
