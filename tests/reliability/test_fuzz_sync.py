"""Property tests of document sync: whatever the client sends, the server's text is the client's.

- Edits whose ends fall inside UTF-16 surrogate pairs, each possibly undone right after, leave
  the server with the text VS Code's model holds (`vscode_model`).
- Changes that reuse version numbers (a client may repeat one, or restart after a reopen) never
  get an answer computed for an earlier text.
"""

from __future__ import annotations

import vscode_model
from conftest import STATS
from hypothesis import given
from hypothesis import strategies as st
from lsp_helpers import lsp_lines
from lsprotocol import types
from pygls.workspace import PositionCodec

from design_lsp.features.documents.document_store import DocumentStore
from design_lsp.features.documents.text_document import LspTextDocument, LspWorkspace
from design_lsp.features.settings import SettingsManager

URI = "file:///tmp/fuzz/sync.md"

# Astral characters (two UTF-16 units each) dominate, so most positions can split one.
PIECES = ["🚀", "😀", "𝔘", "𠜎", "a", "#", " ", "é", "設", "\n", "\r\n", "## 🚀 ", "- **Status**: "]
texts = st.lists(st.sampled_from(PIECES), max_size=30).map("".join)


@st.composite
def client_ranges(draw: st.DrawFn, text: str) -> types.Range:
    """A range in UTF-16 units anywhere in `text` (often between a pair's halves), start first."""
    lines = lsp_lines(text)
    widths = [len(line.encode("utf-16-le", "surrogatepass")) // 2 for line in lines]
    a = draw(st.integers(0, len(lines) - 1))
    b = draw(st.integers(a, min(a + 2, len(lines) - 1)))
    ac = draw(st.integers(0, widths[a]))
    bc = draw(st.integers(ac if b == a else 0, widths[b]))
    if draw(st.booleans()):
        b, bc = a, ac  # an insertion
    return types.Range(
        start=types.Position(line=a, character=ac), end=types.Position(line=b, character=bc)
    )


@given(texts, st.data())
def test_surrogate_splitting_edits_keep_client_and_server_in_step(
    text: str, data: st.DataObject
) -> None:
    doc = LspTextDocument(
        URI, source=text, version=1, position_codec=PositionCodec(encoding="utf-16")
    )
    client = text
    for _ in range(data.draw(st.integers(1, 6))):
        rng = data.draw(client_ranges(client))
        new_text = data.draw(st.sampled_from(["", "A", "🚀", "x\n", "設\r\n#"]))
        start, end = vscode_model.validated(client, rng)
        old = client.encode("utf-16-le", "surrogatepass")[2 * start : 2 * end]
        client, (at, until) = vscode_model.apply(client, rng, new_text)
        doc.apply_change(types.TextDocumentContentChangePartial(range=rng, text=new_text))
        assert doc.source == client, (rng, new_text)
        STATS["surrogate-splitting edits synced"] += 1
        if data.draw(st.booleans()):  # undo: the client puts back what the edit replaced
            undo = types.Range(
                start=vscode_model.position(client, at), end=vscode_model.position(client, until)
            )
            restored = old.decode("utf-16-le", "surrogatepass")
            client, _ = vscode_model.apply(client, undo, restored)
            doc.apply_change(types.TextDocumentContentChangePartial(range=undo, text=restored))
            assert doc.source == client, ("undo", undo)


@given(
    st.lists(
        st.tuples(texts, st.integers(1, 3), st.booleans()),  # text, version, ask before next
        min_size=1,
        max_size=8,
    )
)
def test_reused_version_numbers_never_serve_an_earlier_text(
    steps: list[tuple[str, int, bool]],
) -> None:
    workspace = LspWorkspace(None)
    store = DocumentStore(SettingsManager(notify=lambda message: None))
    workspace.put_text_document(
        types.TextDocumentItem(uri=URI, language_id="markdown", version=1, text="# Start\n")
    )
    for text, version, ask in steps:
        workspace.update_text_document(
            types.VersionedTextDocumentIdentifier(uri=URI, version=version),
            types.TextDocumentContentChangeWholeDocument(text=text),
        )
        if ask:
            state = store.get(workspace, URI)
            assert state is not None and state.text == text
            assert state.lines == lsp_lines(text)
            STATS["reused-version changes checked"] += 1
    state = store.get(workspace, URI)
    assert state is not None and state.text == steps[-1][0]
