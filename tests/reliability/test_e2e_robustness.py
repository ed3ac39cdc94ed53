"""The real server process under a hostile client: edit storms, bad change ranges, documents
never opened, cancelled requests, lone surrogates. The server stays up and answers for the text
the client has."""

from __future__ import annotations

import asyncio
import random

import pytest
from conftest import STATS
from lsp_client import RecordingClient
from lsp_helpers import lsp_lines, position_at
from lsprotocol import types

DOC = """\
# Design Document: Storm

## Document Information

- **Author**: [Your Name]
- **Status**: Draft

## Executive Summary

Brief summary of the design proposal (2-3 paragraphs).

## Background

### Goals

- Goal 1
"""

PIECES = ["#", "## ", "### Goals", "\n", "\r\n", "x", " ", "[Your Name]", "🚀", "設計", "- ", "```", "\t"]


def _key(d: types.Diagnostic) -> tuple[object, ...]:
    r = d.range
    return (d.code, d.severity, d.message, r.start.line, r.start.character, r.end.line, r.end.character)


async def _fresh(client: RecordingClient, name: str, text: str) -> list[tuple[object, ...]]:
    uri = client.open(name, text)
    return sorted(map(_key, await client.diagnostics_for(uri)))


async def test_edit_storm_ends_with_the_findings_of_the_final_text(client: RecordingClient) -> None:
    rng = random.Random(6)
    uri = client.open("docs/storm.md", DOC)
    edits = 2000
    for _ in range(edits):
        text = client.texts[uri].text
        lines = lsp_lines(text)
        line = rng.randrange(len(lines))
        col = rng.randint(0, len(lines[line]))
        start = position_at(text, line, col, client.encoding)
        end_line = min(len(lines) - 1, line + rng.choice([0, 0, 0, 1]))
        end_col = rng.randint(0, len(lines[end_line])) if end_line > line else rng.randint(
            col, len(lines[line])
        )
        if rng.random() < 0.6:  # mostly typing
            end_line, end_col = line, col
        end = position_at(text, end_line, end_col, client.encoding)
        new = "".join(rng.choice(PIECES) for _ in range(rng.randint(0, 3)))
        client.change(uri, [(types.Range(start=start, end=end), new)])
    STATS["edits sent to the server"] += edits
    final = client.texts[uri].text
    storm = sorted(map(_key, await client.diagnostics_for(uri)))
    assert storm == await _fresh(client, "docs/fresh.md", final)
    # The server's text is the client's: an outline of each agrees too.
    ours = await client.text_document_document_symbol_async(
        types.DocumentSymbolParams(text_document=types.TextDocumentIdentifier(uri=uri))
    )
    theirs = await client.text_document_document_symbol_async(
        types.DocumentSymbolParams(text_document=types.TextDocumentIdentifier(uri=client.uri("docs/fresh.md")))
    )
    assert [s.name for s in ours or []] == [s.name for s in theirs or []]


async def test_out_of_range_and_overlapping_changes_keep_the_server_up(
    client: RecordingClient,
) -> None:
    uri = client.open("docs/bad-ranges.md", DOC)
    ident = types.VersionedTextDocumentIdentifier(uri=uri, version=2)
    far = types.Position(line=10_000, character=10_000)
    negative_free = types.Position(line=3, character=10_000)  # past the end of a line
    changes: list[types.TextDocumentContentChangeEvent] = [
        types.TextDocumentContentChangePartial(range=types.Range(start=far, end=far), text="tail\n"),
        types.TextDocumentContentChangePartial(
            range=types.Range(start=negative_free, end=far), text="cut"
        ),
        types.TextDocumentContentChangePartial(  # reversed range
            range=types.Range(start=types.Position(line=5, character=0), end=types.Position(line=1, character=0)),
            text="",
        ),
        types.TextDocumentContentChangePartial(  # overlapping the one before
            range=types.Range(start=types.Position(line=0, character=2), end=types.Position(line=2, character=1)),
            text="# ",
        ),
    ]
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(text_document=ident, content_changes=changes)
    )
    client.texts[uri].version = 2
    # Whatever the server made of that, it still answers, and a full sync brings it back in step.
    await client.text_document_hover_async(
        types.HoverParams(text_document=types.TextDocumentIdentifier(uri=uri), position=far)
    )
    client.replace_all(uri, DOC)
    assert sorted(map(_key, await client.diagnostics_for(uri))) == await _fresh(
        client, "docs/fresh.md", DOC
    )


@pytest.mark.xfail(
    strict=False,
    reason="issue 5 area (features/session.py): after a request for a URI that is not a file "
    "('not a uri', 'untitled:Untitled-1'), the next didOpen is never pushed diagnostics when the "
    "server logs to stderr; passes with --log-file, so timing-dependent",
)
async def test_notifications_and_requests_for_documents_never_opened(client: RecordingClient) -> None:
    uri = client.uri("never.md")
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=7),
            content_changes=[types.TextDocumentContentChangeWholeDocument(text="# x\n")],
        )
    )
    client.text_document_did_save(
        types.DidSaveTextDocumentParams(text_document=types.TextDocumentIdentifier(uri=uri))
    )
    client.text_document_did_close(
        types.DidCloseTextDocumentParams(text_document=types.TextDocumentIdentifier(uri=uri))
    )
    for odd in ("untitled:Untitled-1", "file:///nonexistent/%ZZ.md", "not a uri"):
        await client.text_document_document_symbol_async(
            types.DocumentSymbolParams(text_document=types.TextDocumentIdentifier(uri=odd))
        )
    # Still serving.
    uri = client.open("ok.md", DOC)
    assert await client.diagnostics_for(uri)


async def test_cancelled_requests_leave_the_server_serving(client: RecordingClient) -> None:
    text = DOC + "".join(f"\n## Section {i}\n\ntext [x]\n" for i in range(3000))
    uri = client.open("docs/big.md", text)
    ident = types.TextDocumentIdentifier(uri=uri)
    futures = []
    for index in range(20):
        msg_id = f"cancel-me-{index}"
        futures.append(
            client.protocol.send_request(
                types.TEXT_DOCUMENT_DOCUMENT_SYMBOL,
                types.DocumentSymbolParams(text_document=ident),
                msg_id=msg_id,
            )
        )
        client.protocol.notify(types.CANCEL_REQUEST, types.CancelParams(id=msg_id))
    # Every request is answered: a result, or the RequestCancelled error; never silence.
    done, _ = await asyncio.wait([asyncio.wrap_future(f) for f in futures], timeout=30)
    assert len(done) == len(futures)
    version = client.change(
        uri,
        [(types.Range(start=types.Position(line=0, character=2), end=types.Position(line=0, character=8)), "Layout")],
    )
    symbols = await client.text_document_document_symbol_async(
        types.DocumentSymbolParams(text_document=ident)
    )
    assert symbols and symbols[0].name.startswith("Layout Document: Storm"), (version, symbols[:1])


async def test_lone_surrogates_from_the_client(client: RecordingClient) -> None:
    text = "# Design Document: a\ud800b\n\n## Back\udfffground\n\n- **Author**: [Your \udc00Name]\n"
    uri = client.open("docs/surrogates.md", text)
    await client.diagnostics_for(uri)
    ident = types.TextDocumentIdentifier(uri=uri)
    assert await client.text_document_document_symbol_async(
        types.DocumentSymbolParams(text_document=ident)
    )
    for line in range(6):
        await client.text_document_hover_async(
            types.HoverParams(text_document=ident, position=types.Position(line=line, character=5))
        )
        await client.text_document_completion_async(
            types.CompletionParams(text_document=ident, position=types.Position(line=line, character=0))
        )
    await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=ident,
            range=types.Range(start=types.Position(line=0, character=0), end=types.Position(line=9, character=0)),
            context=types.CodeActionContext(diagnostics=[]),
        )
    )
    client.change(uri, [(types.Range(start=types.Position(line=1, character=0), end=types.Position(line=1, character=0)), "\udbff\n")])
    assert await client.diagnostics_for(uri) is not None
