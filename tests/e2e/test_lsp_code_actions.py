"""Code actions: every offered action only inserts (or changes a heading line / field value),
keeps line endings, and applying them all leaves no missing section."""

from __future__ import annotations

from datetime import date

from lsp_client import RecordingClient
from lsp_docs import MISORDERED, OBSERVABILITY, PARTIAL, PARTIAL_CRLF
from lsp_helpers import apply_workspace_edit, is_subsequence, lsp_lines, text_edits
from lsprotocol import types

FIX_ALL = "source.fixAll.design-lsp"


def _whole(text: str) -> types.Range:
    lines = lsp_lines(text)
    return types.Range(
        start=types.Position(line=0, character=0),
        end=types.Position(line=len(lines) - 1, character=0),
    )


async def _actions(
    client: RecordingClient,
    uri: str,
    rng: types.Range | None = None,
    only: list[str] | None = None,
    diagnostics: list[types.Diagnostic] | None = None,
) -> list[types.CodeAction]:
    text = client.texts[uri].text
    result = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            range=rng or _whole(text),
            context=types.CodeActionContext(diagnostics=diagnostics or [], only=only),
        )
    )
    actions = [a for a in result or [] if isinstance(a, types.CodeAction)]
    assert len(actions) == len(result or [])
    return actions


def _uses_document_changes(client: RecordingClient, action: types.CodeAction) -> None:
    caps = client.capabilities
    ws = caps.workspace if caps else None
    doc_changes = bool(ws and ws.workspace_edit and ws.workspace_edit.document_changes)
    assert action.edit is not None
    if doc_changes:
        assert action.edit.document_changes and action.edit.changes is None
        change = action.edit.document_changes[0]
        assert isinstance(change, types.TextDocumentEdit)
        assert change.text_document.version == client.texts[change.text_document.uri].version
    else:
        assert action.edit.changes and not action.edit.document_changes


async def _missing(client: RecordingClient, uri: str) -> list[types.Diagnostic]:
    return [d for d in await client.diagnostics_for(uri) if d.code == "missing-section"]


async def test_every_action_keeps_the_authors_lines(client: RecordingClient) -> None:
    uri = client.open("docs/payments.md", PARTIAL)
    original = lsp_lines(PARTIAL)
    actions = await _actions(client, uri)
    titles = [a.title for a in actions]
    assert any(t.startswith("Insert section") for t in titles)
    # Without a kind filter the menu shows "Insert all" once; the fixAll twin comes on request.
    assert titles.count("Insert all missing sections") == 1
    kinds = {a.kind for a in actions}
    assert types.CodeActionKind.QuickFix in kinds and FIX_ALL not in kinds
    for action in actions:
        _uses_document_changes(client, action)
        assert action.edit is not None
        result = apply_workspace_edit(PARTIAL, uri, action.edit, client.encoding)
        changed = [line for line in original if line not in lsp_lines(result)]
        # Only a heading line or a field value may change; everything else stays, in order.
        for line in changed:
            assert line.lstrip().startswith("#") or line.lstrip().startswith("- **"), (
                action.title,
                line,
            )
        kept = [line for line in original if line not in changed]
        assert is_subsequence(kept, lsp_lines(result)), action.title


async def test_applying_every_offered_action_leaves_nothing_missing(
    client: RecordingClient,
) -> None:
    uri = client.open("docs/payments.md", PARTIAL)
    original = lsp_lines(PARTIAL)
    applied: set[str] = set()
    for _ in range(60):
        missing = await _missing(client, uri)
        if not missing:
            break
        actions = [
            a
            for a in await _actions(client, uri)
            if a.title not in applied
            and a.kind == types.CodeActionKind.QuickFix
            and a.title.startswith("Insert")
        ]
        if not actions:
            break
        action = actions[0]
        applied.add(action.title)
        assert action.edit is not None
        client.apply_edit(uri, action.edit)
    assert await _missing(client, uri) == []
    assert is_subsequence(original, lsp_lines(client.texts[uri].text))
    text = client.texts[uri].text
    assert "\n\n\n" not in text  # exactly one blank line around inserted blocks


async def test_fix_all_in_one_step_with_crlf(client: RecordingClient) -> None:
    uri = client.open("docs/payments.md", PARTIAL_CRLF)
    actions = await _actions(client, uri, only=[FIX_ALL])
    assert [a.kind for a in actions] == [FIX_ALL]
    assert actions[0].edit is not None
    for edit in text_edits(uri, actions[0].edit):
        assert "\n" not in edit.new_text.replace("\r\n", "")
    text = client.apply_edit(uri, actions[0].edit)
    assert "\n" not in text.replace("\r\n", "")
    assert await _missing(client, uri) == []
    assert is_subsequence(lsp_lines(PARTIAL_CRLF), lsp_lines(text))
    assert await _actions(client, uri, only=[FIX_ALL]) == []  # nothing left to insert


async def test_fix_all_is_selected_by_its_parent_kinds(client: RecordingClient) -> None:
    uri = client.open("docs/payments.md", PARTIAL)
    for only in (["source.fixAll"], ["source"]):
        kinds = [a.kind for a in await _actions(client, uri, only=only)]
        assert kinds == [FIX_ALL]
    kinds = [a.kind for a in await _actions(client, uri, only=[types.CodeActionKind.QuickFix])]
    assert kinds and set(kinds) == {types.CodeActionKind.QuickFix}


async def test_quickfix_for_the_diagnostic_under_the_cursor(client: RecordingClient) -> None:
    uri = client.open("docs/payments.md", PARTIAL)
    diagnostics = await client.diagnostics_for(uri)
    non_goals = next(d for d in diagnostics if "Non-Goals" in d.message)
    cursor = types.Range(start=non_goals.range.start, end=non_goals.range.start)
    actions = await _actions(client, uri, cursor, diagnostics=[non_goals])
    insert = next(a for a in actions if a.title == "Insert section 'Non-Goals'")
    assert insert.kind == types.CodeActionKind.QuickFix
    assert insert.diagnostics and insert.diagnostics[0].code == "missing-section"
    assert insert.edit is not None
    text = apply_workspace_edit(PARTIAL, uri, insert.edit, client.encoding)
    lines = lsp_lines(text)
    at = lines.index("### Non-Goals")
    # After Goals' whole subtree, one blank line on each side.
    assert lines[at - 2] == "- Recover transient failures automatically"
    assert lines[at - 1] == "" and lines[at + 1] == ""
    assert lines.index("## Proposed Solution") > at
    # A client may send every diagnostic of the buffer (eglot does): only the range counts.
    last = len(lsp_lines(PARTIAL)) - 1
    elsewhere = types.Range(start=types.Position(line=last, character=0), end=types.Position(line=last, character=0))
    titles = [a.title for a in await _actions(client, uri, elsewhere, diagnostics=diagnostics)]
    assert titles == []
    at_cursor = await _actions(client, uri, cursor, diagnostics=diagnostics)
    one_each = [a for a in at_cursor if a.title != "Insert all missing sections"]
    assert one_each and all(
        a.diagnostics and all(d.range.start.line == cursor.start.line for d in a.diagnostics)
        for a in one_each
    ), [a.title for a in at_cursor]
    status = next(d for d in diagnostics if d.code == "invalid-field")
    actions = await _actions(
        client, uri, types.Range(start=status.range.start, end=status.range.end)
    )
    values = [a.title for a in actions if a.title.startswith("Set Status")]
    assert len(values) == 4


async def test_the_correction_is_the_preferred_fix(client: RecordingClient) -> None:
    # "## Decison": a misspelt heading, with a missing section that would follow it.
    text = PARTIAL.replace("### Goals", "### Gaols")
    uri = client.open("docs/preferred.md", text)
    diagnostics = await client.diagnostics_for(uri)
    typo = next(d for d in diagnostics if d.code == "misspelled-section")
    line = types.Range(
        start=types.Position(line=typo.range.start.line, character=0),
        end=types.Position(line=typo.range.start.line + 1, character=0),
    )
    actions = await _actions(client, uri, line, diagnostics=diagnostics)
    titles = [a.title for a in actions]
    assert "Rename to 'Goals'" in titles and "Insert section 'Non-Goals'" in titles
    preferred = [a.title for a in actions if a.is_preferred]
    assert preferred == ["Rename to 'Goals'"] and titles[0] == "Rename to 'Goals'"


async def test_a_heading_where_a_missing_section_belongs_is_offered_its_name(
    client: RecordingClient,
) -> None:
    uri = client.open("docs/observability.md", OBSERVABILITY)
    diagnostics = await client.diagnostics_for(uri)
    missing = [d for d in diagnostics if d.code == "missing-section"]
    assert [d.message for d in missing if "Monitoring" in d.message] == [
        "Missing section 'Monitoring and Metrics'"
    ]
    at = lsp_lines(OBSERVABILITY).index("## Observability")
    on_heading = types.Range(
        start=types.Position(line=at, character=3), end=types.Position(line=at, character=3)
    )
    actions = await _actions(client, uri, on_heading, diagnostics=diagnostics)
    wanted = "Rename 'Observability' to 'Monitoring and Metrics'"
    rename = next(a for a in actions if a.title == wanted)
    assert rename.edit is not None
    renamed = lsp_lines(apply_workspace_edit(OBSERVABILITY, uri, rename.edit, client.encoding))
    assert renamed[at] == "## Monitoring and Metrics" and renamed[at + 2] == "Dashboards."
    # offered there (and with the finding, on the heading it follows), not on other headings
    before = lsp_lines(OBSERVABILITY).index("## Executive Summary")
    elsewhere = types.Range(
        start=types.Position(line=before, character=0), end=types.Position(line=before, character=0)
    )
    titles = [a.title for a in await _actions(client, uri, elsewhere, diagnostics=diagnostics)]
    assert not any(t.startswith("Rename 'Observability'") for t in titles)


async def test_heading_fixes_and_move(client: RecordingClient) -> None:
    uri = client.open("docs/caching.md", MISORDERED)
    diagnostics = await client.diagnostics_for(uri)
    codes = {d.code for d in diagnostics}
    assert {"misspelled-section", "heading-level", "section-order"} <= codes
    actions = await _actions(client, uri)
    titles = [a.title for a in actions]
    assert "Rename to 'Background'" in titles
    assert any(t.startswith("Change to a level-3 heading") for t in titles)
    move = next(a for a in actions if a.title.startswith("Move"))
    assert move.edit is not None
    moved = apply_workspace_edit(MISORDERED, uri, move.edit, client.encoding)
    lines = lsp_lines(moved)
    # The section moves whole and unchanged: same lines, Rollout Plan now after the solution.
    assert sorted(line for line in lines if line) == sorted(
        line for line in lsp_lines(MISORDERED) if line
    )
    at = lines.index("## Rollout Plan")
    assert at > lines.index("#### High-Level Design")
    assert lines[at + 2] == "Enable per region, watching hit rates and error budgets."
    rename = next(a for a in actions if a.title == "Rename to 'Background'")
    assert rename.edit is not None
    renamed = lsp_lines(apply_workspace_edit(MISORDERED, uri, rename.edit, client.encoding))
    assert "## Background" in renamed and "## Backgroud" not in renamed
    level = next(a for a in actions if a.title.startswith("Change to a level-3 heading"))
    assert level.edit is not None
    leveled = lsp_lines(apply_workspace_edit(MISORDERED, uri, level.edit, client.encoding))
    assert "### High-Level Design" in leveled


async def test_empty_document_gets_the_whole_template(client: RecordingClient) -> None:
    uri = client.open("docs/new.md", "")
    actions = await _actions(client, uri, only=[types.CodeActionKind.Source])
    assert [a.title for a in actions] == ["Insert the design document template"]
    assert actions[0].edit is not None
    text = client.apply_edit(uri, actions[0].edit)
    # Filled as `design-lsp new` fills it: the title from the file name, today's date and the
    # first choice of each enum field, so the new document starts without an error.
    assert text.startswith("# Design Document: New\n")
    assert f"- **Date**: {date.today().isoformat()}" in text
    assert "- **Status**: Draft\n" in text
    diagnostics = await client.diagnostics_for(uri)
    assert not [d for d in diagnostics if d.severity == types.DiagnosticSeverity.Error]
    assert await _missing(client, uri) == []
    # Not offered once the document has content.
    titles = [a.title for a in await _actions(client, uri, only=[types.CodeActionKind.Source])]
    assert "Insert the design document template" not in titles
