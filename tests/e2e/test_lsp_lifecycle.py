"""Initialization, negotiated position encoding, robustness of every handler."""

from __future__ import annotations

import logging
import subprocess
import sys

import pytest
from lsp_client import PROFILES, RecordingClient, start
from lsprotocol import types

ENCODINGS = {
    "visual_studio_code": "utf-16",
    "neovim": "utf-8",
    "neovim@v0.9": "utf-16",
    "emacs": "utf-32",
}


@pytest.mark.parametrize("profile", PROFILES)
async def test_capabilities_and_encoding(
    raw_client: RecordingClient, tmp_path, profile: str
) -> None:  # type: ignore[no-untyped-def]
    root = tmp_path / "ws"
    root.mkdir()
    result = await start(raw_client, profile, root)
    caps = result.capabilities
    assert raw_client.encoding == ENCODINGS[profile]
    sync = caps.text_document_sync
    assert isinstance(sync, types.TextDocumentSyncOptions)
    assert sync.change == types.TextDocumentSyncKind.Incremental and sync.open_close
    assert caps.completion_provider is not None
    # What starts a heading or a field value; not a space, typed after every word of prose.
    assert set(caps.completion_provider.trigger_characters or []) == {"#", ":"}
    assert isinstance(caps.diagnostic_provider, types.DiagnosticOptions)
    assert caps.diagnostic_provider.workspace_diagnostics
    assert caps.document_symbol_provider and caps.hover_provider and caps.folding_range_provider
    assert caps.workspace_symbol_provider
    assert isinstance(caps.code_action_provider, types.CodeActionOptions)
    assert "source.fixAll.design-lsp" in (caps.code_action_provider.code_action_kinds or [])
    assert result.server_info is not None and result.server_info.name == "design-lsp"


async def test_requests_for_unknown_documents_answer_empty(client: RecordingClient) -> None:
    uri = client.uri("never-opened.md")
    ident = types.TextDocumentIdentifier(uri=uri)
    pos = types.Position(line=3, character=2)
    assert not await client.text_document_document_symbol_async(
        types.DocumentSymbolParams(text_document=ident)
    )
    assert not await client.text_document_folding_range_async(
        types.FoldingRangeParams(text_document=ident)
    )
    assert (
        await client.text_document_hover_async(types.HoverParams(text_document=ident, position=pos))
        is None
    )
    assert not await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=ident,
            range=types.Range(start=pos, end=pos),
            context=types.CodeActionContext(diagnostics=[]),
        )
    )
    completion = await client.text_document_completion_async(
        types.CompletionParams(text_document=ident, position=pos)
    )
    assert completion is None or not getattr(completion, "items", completion)
    if client.pulls:
        report = await client.text_document_diagnostic_async(
            types.DocumentDiagnosticParams(text_document=ident)
        )
        assert isinstance(report, types.RelatedFullDocumentDiagnosticReport)
        assert not report.items


async def test_positions_past_the_end_and_odd_text(client: RecordingClient) -> None:
    text = "# Design Document: Odd\u2028text\f\x85 ✨\n\n## Background\r\n\rlone CR\n\x00\n"
    uri = client.open("docs/odd.md", text)
    await client.diagnostics_for(uri)
    far = types.Position(line=999, character=999)
    await client.text_document_hover_async(
        types.HoverParams(text_document=types.TextDocumentIdentifier(uri=uri), position=far)
    )
    result = await client.text_document_completion_async(
        types.CompletionParams(text_document=types.TextDocumentIdentifier(uri=uri), position=far)
    )
    assert result is None or isinstance(result, types.CompletionList | list)
    symbols = await client.text_document_document_symbol_async(
        types.DocumentSymbolParams(text_document=types.TextDocumentIdentifier(uri=uri))
    )
    assert symbols
    names = [s.name for s in symbols]
    assert names[0].startswith("Design Document: Odd")


def test_guarded_handlers_log_and_answer_empty(caplog: pytest.LogCaptureFixture) -> None:
    from design_lsp.features.guard import guarded

    @guarded(list)
    def broken(ls: object, params: object) -> list[int]:
        raise RuntimeError("boom")

    with caplog.at_level(logging.ERROR, logger="design_lsp.server"):
        assert broken(None, None) == []
    assert "boom" in caplog.text and "Traceback" in caplog.text


async def test_guarded_async_handlers() -> None:
    from design_lsp.features.guard import guarded

    @guarded(lambda: "empty")
    async def broken(ls: object, params: object) -> str:
        raise ValueError("bad")

    assert await broken(None, None) == "empty"


def test_starting_the_server_loads_neither_the_parser_nor_the_analysis() -> None:
    """They load on the worker after `initialize` (`Scheduler.warm_up`): mistletoe's import
    alone is a tenth of a second or more, which the editor would wait for at every start."""
    script = (
        "import sys, design_lsp.server\n"
        "print([m for m in ('mistletoe', 'design_lsp.analysis') if m in sys.modules])\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          timeout=60, check=True)
    assert done.stdout.strip() == "[]"
