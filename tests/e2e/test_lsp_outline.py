"""Outline (hierarchical and flat), folding ranges and workspace symbols."""

from __future__ import annotations

import asyncio
from typing import Any

from lsp_client import RecordingClient, start
from lsp_docs import PARTIAL, README
from lsp_helpers import lsp_lines, position_at
from lsprotocol import types
from pytest_lsp import client_capabilities


def _line_of(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(lsp_lines(text)) if needle in line)


def _inside(inner: types.Range, outer: types.Range) -> bool:
    return (outer.start.line, outer.start.character) <= (
        inner.start.line,
        inner.start.character,
    ) and (inner.end.line, inner.end.character) <= (outer.end.line, outer.end.character)


async def _symbols(
    client: RecordingClient, uri: str
) -> list[types.DocumentSymbol] | list[types.SymbolInformation]:
    result = await client.text_document_document_symbol_async(
        types.DocumentSymbolParams(text_document=types.TextDocumentIdentifier(uri=uri))
    )
    return result or []  # type: ignore[return-value]


async def test_hierarchical_outline_with_missing_detail(client: RecordingClient) -> None:
    uri = client.open("docs/payments.md", PARTIAL)
    symbols = await _symbols(client, uri)
    assert len(symbols) == 1
    title = symbols[0]
    assert isinstance(title, types.DocumentSymbol)
    assert title.name == "Design Document: Payment Retries 💳"
    names = [c.name for c in title.children or []]
    assert names == [
        "Document Information",
        "Executive Summary",
        "Background",
        "Proposed Solution",
        "Rollout Plan",
    ]
    assert title.detail is not None and "Technical Considerations" in title.detail
    # Kinds by level, so that editors grouping by kind (Emacs's imenu) show the levels, not
    # one "String" group holding every section.
    assert title.kind == types.SymbolKind.File
    assert {c.kind for c in title.children or []} == {types.SymbolKind.Module}
    background = (title.children or [])[2]
    assert {c.kind for c in background.children or []} == {types.SymbolKind.Namespace}
    assert background.detail is not None and background.detail.startswith("missing: ")
    assert "Non-Goals" in background.detail and "Goals," not in background.detail
    lines = lsp_lines(PARTIAL)
    # range = whole section, selectionRange = the heading text, inside it.
    assert background.range.start.line == _line_of(PARTIAL, "## Background")
    assert background.range.end.line == _line_of(PARTIAL, "- Recover transient failures")
    heading = lines[background.range.start.line]
    assert background.selection_range == types.Range(
        start=position_at(PARTIAL, background.range.start.line, 3, client.encoding),
        end=position_at(PARTIAL, background.range.start.line, len(heading), client.encoding),
    )

    def check(symbol: types.DocumentSymbol) -> None:
        assert _inside(symbol.selection_range, symbol.range)
        for child in symbol.children or []:
            assert _inside(child.range, symbol.range)
            check(child)

    check(title)
    # The title's own selection ends after the emoji, in client units.
    title_line = _line_of(PARTIAL, "# Design Document")
    assert title.selection_range.end == position_at(
        PARTIAL, title_line, len(lines[title_line]), client.encoding
    )


def _shape(symbols: list[Any]) -> list[tuple[Any, ...]]:
    return [(s.name, s.detail, s.range.start, _shape(list(s.children or []))) for s in symbols]


async def test_outline_follows_edits(client: RecordingClient) -> None:
    """After the first outline request the server builds each version's outline ahead; every
    answer must still be the outline of the text as edited so far."""
    uri = client.open("docs/payments.md", PARTIAL)
    first = await _symbols(client, uri)
    assert isinstance(first[0], types.DocumentSymbol)
    line = _line_of(PARTIAL, "- Recover transient failures")
    at = types.Position(line=line, character=0)
    for typed in range(1, 4):  # typing inside a paragraph: same sections, longer last line
        version = client.change(uri, [(types.Range(start=at, end=at), "x")])
        await client.diagnostics_for(uri, version)
        now = await _symbols(client, uri)
        assert _shape(now) == _shape(first)
        background = (now[0].children or [])[2]  # type: ignore[union-attr]
        assert background.range.end == position_at(
            client.texts[uri].text, line, len(lsp_lines(PARTIAL)[line]) + typed, client.encoding
        )
    end = types.Position(line=line + 1, character=0)
    client.change(uri, [(types.Range(start=end, end=end), "\n### Non-Goals\n\n- Refunds\n")])
    title = (await _symbols(client, uri))[0]
    assert isinstance(title, types.DocumentSymbol)
    background = (title.children or [])[2]
    assert [c.name for c in background.children or []][-1] == "Non-Goals"
    assert background.detail is None or "Non-Goals" not in background.detail


async def test_outline_of_any_markdown(client: RecordingClient) -> None:
    uri = client.open("README.md", README)
    symbols = await _symbols(client, uri)
    assert [s.name for s in symbols] == ["Project 🚀"]
    top = symbols[0]
    assert isinstance(top, types.DocumentSymbol)
    assert [c.name for c in top.children or []] == ["Install", "Usage"]
    assert all(c.detail is None for c in top.children or [])


async def test_flat_symbols_without_hierarchical_support(
    raw_client: RecordingClient, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    caps = client_capabilities("neovim@v0.9")
    assert caps.text_document is not None and caps.text_document.document_symbol is not None
    caps.text_document.document_symbol.hierarchical_document_symbol_support = False
    root = tmp_path / "ws"
    root.mkdir()
    await start(raw_client, "neovim@v0.9", root, capabilities=caps)
    uri = raw_client.open("docs/payments.md", PARTIAL)
    symbols = await _symbols(raw_client, uri)
    assert symbols and all(isinstance(s, types.SymbolInformation) for s in symbols)
    by_name = {s.name: s for s in symbols}
    assert by_name["Goals"].container_name == "Background"
    assert by_name["Background"].location.uri == uri
    kinds = {s.name: s.kind for s in symbols}
    assert kinds["Background"] == types.SymbolKind.Module
    assert kinds["Goals"] == types.SymbolKind.Namespace


async def test_folding_ranges_per_section(client: RecordingClient) -> None:
    uri = client.open("docs/payments.md", PARTIAL)
    ranges = await client.text_document_folding_range_async(
        types.FoldingRangeParams(text_document=types.TextDocumentIdentifier(uri=uri))
    )
    assert ranges
    starts = {r.start_line: r.end_line for r in ranges}
    background = _line_of(PARTIAL, "## Background")
    assert starts[background] == _line_of(PARTIAL, "- Recover transient failures")
    assert starts[0] == 3  # the front matter
    assert starts[_line_of(PARTIAL, "## Rollout Plan")] == _line_of(PARTIAL, "Ship behind")


async def _workspace_symbols(client: RecordingClient, query: str) -> list[types.SymbolInformation]:
    result = await client.workspace_symbol_async(types.WorkspaceSymbolParams(query=query))
    return list(result or [])  # type: ignore[arg-type]


async def test_workspace_symbols_index_files_and_follow_changes(
    raw_client: RecordingClient, tmp_path, request
) -> None:  # type: ignore[no-untyped-def]
    root = tmp_path / "ws"
    (root / "docs").mkdir(parents=True)
    (root / "docs" / "payments.md").write_text(PARTIAL, encoding="utf-8")
    (root / "README.md").write_text(README, encoding="utf-8")
    (root / "node_modules" / "pkg").mkdir(parents=True)
    (root / "node_modules" / "pkg" / "README.md").write_text(
        "# Vendored Secret\n", encoding="utf-8"
    )
    (root / ".git").mkdir()
    (root / ".git" / "notes.md").write_text("# Git Internal\n", encoding="utf-8")
    await start(raw_client, "visual_studio_code", root)

    symbols: list[types.SymbolInformation] = []
    for _ in range(300):
        symbols = await _workspace_symbols(raw_client, "")
        if any(s.name == "Usage" for s in symbols) and any(s.name == "Goals" for s in symbols):
            break
        await asyncio.sleep(0.02)
    names = {s.name for s in symbols}
    assert {"Background", "Goals", "Install", "Usage"} <= names
    assert "Vendored Secret" not in names and "Git Internal" not in names
    goals = next(s for s in symbols if s.name == "Goals")
    assert goals.location.uri == (root / "docs" / "payments.md").as_uri()
    assert goals.location.range.start.line == _line_of(PARTIAL, "### Goals")
    assert goals.kind == types.SymbolKind.Namespace
    assert next(s for s in symbols if s.name == "Usage").kind == types.SymbolKind.Module
    assert [s.name for s in await _workspace_symbols(raw_client, "rollout")] == ["Rollout Plan"]

    # $/progress for a client that takes it.
    reports = [r for values in raw_client.progress_reports.values() for r in values]
    assert any(isinstance(r, types.WorkDoneProgressBegin) for r in reports)
    assert any(isinstance(r, types.WorkDoneProgressEnd) for r in reports)
    # File watchers were registered dynamically.
    assert any(
        r.method == types.WORKSPACE_DID_CHANGE_WATCHED_FILES for r in raw_client.registrations
    )

    # A new file announced by the watcher; a deleted one disappears.
    new = root / "docs" / "search.md"
    new.write_text("# Search\n\n## Ranking Signals\n", encoding="utf-8")
    (root / "README.md").unlink()
    raw_client.workspace_did_change_watched_files(
        types.DidChangeWatchedFilesParams(
            changes=[
                types.FileEvent(uri=new.as_uri(), type=types.FileChangeType.Created),
                types.FileEvent(
                    uri=(root / "README.md").as_uri(), type=types.FileChangeType.Deleted
                ),
            ]
        )
    )
    names = {s.name for s in await _workspace_symbols(raw_client, "")}
    assert "Ranking Signals" in names and "Install" not in names

    # An open document answers from its live text; save keeps the index current.
    uri = raw_client.open("docs/search.md", "# Search\n\n## Ranking Signals\n")
    raw_client.change(
        uri,
        [
            (
                types.Range(
                    start=types.Position(line=3, character=0),
                    end=types.Position(line=3, character=0),
                ),
                "## Freshness\n",
            )
        ],
    )
    assert "Freshness" in {s.name for s in await _workspace_symbols(raw_client, "fresh")}
    raw_client.text_document_did_save(
        types.DidSaveTextDocumentParams(text_document=types.TextDocumentIdentifier(uri=uri))
    )
    raw_client.text_document_did_close(
        types.DidCloseTextDocumentParams(text_document=types.TextDocumentIdentifier(uri=uri))
    )
    # Closed again: the file on disk (never written) is what counts.
    names = {s.name for s in await _workspace_symbols(raw_client, "")}
    assert "Freshness" not in names and "Ranking Signals" in names
