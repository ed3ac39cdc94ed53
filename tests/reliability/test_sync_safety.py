"""The server holds the client's text and answers for it: a reused version number, an edit that
splits a UTF-16 surrogate pair, a document over the size cap."""

from __future__ import annotations

import asyncio

import pytest
import vscode_model
from lsp_client import RecordingClient
from lsp_docs import PARTIAL
from lsp_helpers import apply_workspace_edit, lsp_lines
from lsprotocol import types


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


def _send_edit(client: RecordingClient, uri: str, rng: types.Range, new_text: str) -> None:
    """One incremental change, applied on the client's side as VS Code's model applies it."""
    doc = client.texts[uri]
    doc.text, _ = vscode_model.apply(doc.text, rng, new_text)
    doc.version += 1
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=doc.version),
            content_changes=[types.TextDocumentContentChangePartial(range=rng, text=new_text)],
        )
    )


def _range(line: int, start: int, end_line: int, end: int) -> types.Range:
    return types.Range(
        start=types.Position(line=line, character=start),
        end=types.Position(line=end_line, character=end),
    )


async def test_edits_that_split_a_surrogate_pair_leave_both_sides_with_the_same_text(
    client: RecordingClient,
) -> None:
    if client.encoding != "utf-16":
        pytest.skip("positions inside a surrogate pair exist only in UTF-16")
    text = "# 🚀x\n\n## Launch 🚀 pad\n\n## 設計 🚀🚀\n"
    uri = client.open("docs/rocket.md", text)
    # Insert inside the rocket, then undo it (the client deletes what it inserted).
    _send_edit(client, uri, _range(0, 3, 0, 3), "A")
    inserted = vscode_model.validated(client.texts[uri].text, _range(0, 2, 0, 3))
    assert client.texts[uri].text.startswith("# A🚀x")
    undo = _range(0, inserted[0], 0, inserted[1])
    _send_edit(client, uri, undo, "")
    # A selection ending inside a pair takes the whole character, one starting inside too.
    _send_edit(client, uri, _range(2, 0, 2, 11), "## Go")
    _send_edit(client, uri, _range(4, 7, 4, 8), "!")
    _send_edit(client, uri, _range(0, 3, 0, 4), "Z")

    lines = lsp_lines(client.texts[uri].text)
    want = [line.lstrip("#").strip() for line in lines if line.startswith("#")]
    assert want == ["Zx", "Go pad", "設計 !🚀"]
    assert sorted(await _outline_names(client, uri)) == sorted(want)
