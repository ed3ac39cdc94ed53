"""The server holds the client's text and answers for it: a reused version number, an edit that
splits a UTF-16 surrogate pair, a document over the size cap."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import pytest_lsp
from lsp_client import CONFIG, RecordingClient, start
from lsp_docs import PARTIAL
from lsp_helpers import apply_workspace_edit, lsp_lines
from lsprotocol import types


@pytest_lsp.fixture(config=CONFIG, params=["visual_studio_code", "neovim"])
async def client(
    lsp_client: RecordingClient, request: pytest.FixtureRequest, tmp_path: Path
) -> AsyncIterator[RecordingClient]:
    root = tmp_path / "ws"
    root.mkdir()
    await start(lsp_client, request.param, root)
    yield lsp_client
    await lsp_client.shutdown_session()


def _send_whole(client: RecordingClient, uri: str, text: str, version: int) -> None:
    """A full-text change with a version the test chooses (a client may reuse one)."""
    client.texts[uri].text = text
    client.texts[uri].version = version
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
            content_changes=[types.TextDocumentContentChangeWholeDocument(text=text)],
        )
    )


async def _outline_names(client: RecordingClient, uri: str) -> list[str]:
    result = await client.text_document_document_symbol_async(
        types.DocumentSymbolParams(text_document=types.TextDocumentIdentifier(uri=uri))
    )
    names: list[str] = []
    stack = list(result or [])
    while stack:
        symbol = stack.pop()
        names.append(symbol.name)
        stack.extend(getattr(symbol, "children", None) or [])
    return names


async def _latest_diagnostics(client: RecordingClient, uri: str) -> list[types.Diagnostic]:
    if client.pulls:
        return await client.diagnostics_for(uri)
    await asyncio.sleep(1.0)  # every publish the server means to send is out by now
    return list(client.published[uri][-1].diagnostics)


async def test_a_reused_version_number_gets_the_new_texts_answers(client: RecordingClient) -> None:
    uri = client.open("docs/payments.md", PARTIAL)
    text_b = PARTIAL.replace("Payment Retries", "Payment Retries B")
    # C: one line more at the top (every later line moves) and a heading renamed.
    text_c = PARTIAL.replace("# Design Document", "\n# Design Document").replace(
        "## Executive Summary", "## Executive Overview"
    )
    _send_whole(client, uri, text_b, 2)
    await _outline_names(client, uri)  # B analysed and cached under version 2
    _send_whole(client, uri, text_c, 2)  # the client reuses version 2

    names = await _outline_names(client, uri)
    assert "Executive Overview" in names and "Executive Summary" not in names

    status_line = next(i for i, line in enumerate(lsp_lines(text_c)) if "**Status**" in line)
    invalid = [d for d in await _latest_diagnostics(client, uri) if d.code == "invalid-field"]
    assert [d.range.start.line for d in invalid] == [status_line]

    result = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            range=invalid[0].range,
            context=types.CodeActionContext(diagnostics=invalid),
        )
    )
    fixes = [a for a in result or [] if isinstance(a, types.CodeAction) and a.edit is not None]
    assert fixes
    for fix in fixes:
        assert fix.edit is not None
        fixed = lsp_lines(apply_workspace_edit(text_c, uri, fix.edit, client.encoding))
        # Only the Status value changes; it becomes one of the allowed values, nothing glued on.
        changed = [a for a, b in zip(lsp_lines(text_c), fixed, strict=True) if a != b]
        assert len(changed) == 1 and "**Status**" in changed[0], fix.title
        value = fixed[status_line].split("**Status**:", 1)[1].strip()
        assert value in {"Draft", "In Review", "Approved", "Implemented"}, value
