"""In-process checks of the document store: one parse and one analysis per document version."""

from __future__ import annotations

from lsp_docs import PARTIAL
from lsprotocol import types
from pygls.workspace import Workspace

from design_lsp.features.documents.document_store import DocumentStore
from design_lsp.features.documents.text_document import install_lsp_lines
from design_lsp.features.settings import SettingsManager


def _workspace() -> Workspace:
    workspace = Workspace(None)
    install_lsp_lines(workspace)
    return workspace


def test_one_analysis_per_version_shared_by_every_request() -> None:
    settings = SettingsManager(notify=lambda message: None)
    settings.reload()
    store = DocumentStore(settings)
    workspace = _workspace()
    uri = "file:///tmp/doc.md"
    workspace.put_text_document(
        types.TextDocumentItem(uri=uri, language_id="markdown", version=1, text=PARTIAL)
    )
    first = store.get(workspace, uri)
    assert first is not None and first.analysis is not None
    assert store.get(workspace, uri) is first  # same version: the very same parse and analysis
    workspace.update_text_document(
        types.VersionedTextDocumentIdentifier(uri=uri, version=2),
        types.TextDocumentContentChangePartial(
            range=types.Range(
                start=types.Position(line=0, character=0), end=types.Position(line=0, character=0)
            ),
            text="",
        ),
    )
    second = store.get(workspace, uri)
    assert second is not first and second is not None and second.version == 2
    settings.reload()  # a new configuration invalidates every cached analysis
    assert store.get(workspace, uri) is not second


def test_incremental_edits_split_lines_like_lsp() -> None:
    workspace = _workspace()
    uri = "file:///tmp/ff.md"
    text = "a\fb\u2028c\nline two\r\nthird 😀 line\n"
    workspace.put_text_document(
        types.TextDocumentItem(uri=uri, language_id="markdown", version=1, text=text)
    )
    # Line 2 in LSP terms is "third 😀 line" (\f and U+2028 are not line breaks).
    workspace.update_text_document(
        types.VersionedTextDocumentIdentifier(uri=uri, version=2),
        types.TextDocumentContentChangePartial(
            range=types.Range(
                start=types.Position(line=2, character=6), end=types.Position(line=2, character=8)
            ),
            text="🎉",
        ),
    )
    assert workspace.get_text_document(uri).source == "a\fb\u2028c\nline two\r\nthird 🎉 line\n"
