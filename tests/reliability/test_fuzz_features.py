"""Property tests of the LSP features over hostile documents, in every position encoding:
no handler raises, every range lies inside the document on a character boundary, and applying
any offered code action (the client's way, in client units) keeps every line the author wrote.
"""

from __future__ import annotations

from typing import Any

from conftest import STATS
from hostile import TEMPLATES, all_present, documents, lost_lines
from hypothesis import example, given
from hypothesis import strategies as st
from lsp_helpers import apply_workspace_edit, text_edits, units
from lsprotocol import types
from pygls.protocol import default_converter

from design_lsp.features.client_profile import ClientProfile
from design_lsp.features.code_actions import code_actions
from design_lsp.features.completion import complete
from design_lsp.features.diagnostics import publish_params
from design_lsp.features.documents.document_store import DocumentStore
from design_lsp.features.folding import folding_ranges
from design_lsp.features.hover import hover_at
from design_lsp.features.settings import SettingsManager
from design_lsp.features.symbols import outline

URI = "file:///tmp/fuzz/doc.md"
CONVERTER = default_converter()
ENCODINGS = ["utf-16", "utf-8", "utf-32"]


def client(encoding: str, rich: bool) -> ClientProfile:
    return ClientProfile(
        encoding=encoding,
        snippets=rich,
        completion_markdown=rich,
        hover_markdown=rich,
        hierarchical_symbols=rich,
        document_changes=rich,
        code_action_literals=True,
        line_folding_only=not rich,
        folding_collapsed_text=rich,
    )


def boundaries(line: str, encoding: str) -> set[int]:
    """The client-unit offsets of every character boundary of `line`."""
    out, at = {0}, 0
    for ch in line:
        at += units(ch, encoding)
        out.add(at)
    return out


def check_ranges(value: Any, lines: list[str], encoding: str) -> int:
    """Every {start, end} position in `value` (JSON) lies inside `lines` on a boundary."""
    seen = 0
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            if {"line", "character"} <= item.keys() and isinstance(item["line"], int):
                line, char = item["line"], item["character"]
                assert 0 <= line < len(lines), f"line {line} outside 0..{len(lines) - 1}"
                assert char in boundaries(lines[line], encoding), (
                    f"character {char} not a boundary of line {line} {lines[line]!r} ({encoding})"
                )
                seen += 1
            if "start" in item and "end" in item and isinstance(item["start"], dict):
                start, end = item["start"], item["end"]
                assert (start["line"], start["character"]) <= (end["line"], end["character"])
            if "startLine" in item and "endLine" in item:
                assert 0 <= item["startLine"] <= item["endLine"] < len(lines)
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return seen


def as_json(value: Any) -> Any:
    return CONVERTER.unstructure(value)


@given(
    documents(),
    st.sampled_from(ENCODINGS),
    st.booleans(),
    st.lists(st.tuples(st.integers(-2, 90), st.integers(-2, 400)), min_size=1, max_size=4),
)
# found by a long run: the value of a field on the line that continues it
@example("# Design Document: \n- **Status**: \n####### Document Information\n", "utf-16", False, [(0, 0)])
def test_features_answer_inside_the_document(
    text: str, encoding: str, rich: bool, positions: list[tuple[int, int]]
) -> None:
    profile = client(encoding, rich)
    settings = SettingsManager(notify=lambda message: None)
    store = DocumentStore(settings)
    store.client = profile
    state = store.build(URI, text, 3, ("fuzz",))
    lines = state.lines
    STATS["documents through the LSP features"] += 1

    check_ranges(as_json(publish_params(state, profile)), lines, encoding)
    check_ranges(as_json(outline(state, profile)), lines, encoding)
    check_ranges(as_json(folding_ranges(state, profile)), lines, encoding)

    whole = types.Range(
        start=types.Position(line=0, character=0),
        end=types.Position(line=len(lines) + 5, character=10),  # past the end: clamped
    )
    params = types.CodeActionParams(
        text_document=types.TextDocumentIdentifier(uri=URI),
        range=whole,
        context=types.CodeActionContext(diagnostics=[]),
    )
    for action in code_actions(state, params, profile):
        assert isinstance(action, types.CodeAction) and action.edit is not None
        check_ranges(as_json(action.edit), lines, encoding)
        after = apply_workspace_edit(text, URI, action.edit, encoding)
        edits = text_edits(URI, action.edit)
        STATS["code actions applied"] += 1
        if action.title.startswith("Move "):
            assert all_present(text, after), action.title
            continue
        changed = _rewritten(state, edits, encoding)
        assert not lost_lines(text, after, changed), (action.title, text, after)

    for line, character in positions:
        position = types.Position(line=max(line, 0), character=max(character, 0))
        answer = hover_at(state, position, profile)
        if answer is not None:
            check_ranges(as_json(answer), lines, encoding)
        completion = complete(state, types.CompletionParams(
            text_document=types.TextDocumentIdentifier(uri=URI), position=position
        ), profile)
        if completion is not None:
            check_ranges(as_json(completion), lines, encoding)
            STATS["completions checked"] += len(completion.items)


def _rewritten(state: Any, edits: list[types.TextEdit], encoding: str) -> set[int]:
    """Lines a fix may change in place: a heading's lines, or a field's value."""
    out: set[int] = set()
    for edit in edits:
        start, end = edit.range.start, edit.range.end
        if (start.line, start.character) == (end.line, end.character):
            continue
        for heading in state.document.headings:
            if heading.line <= start.line <= end.line <= heading.last_line:
                out.update(range(heading.line, heading.last_line + 1))
        for item in state.document.fields:
            if item.line == start.line == end.line:
                out.add(item.line)
            elif not item.value and item.line + 1 == start.line == end.line:
                out.add(start.line)  # (the value on the line that continues the item)
    return out


def test_templates_are_loaded() -> None:
    assert len(TEMPLATES) >= 3
