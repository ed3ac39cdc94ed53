"""Diagnostics: pull for clients that declare it, push (with version) for the others, never both;
the same findings as `design-lsp check`, at the right place in every position encoding."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys

from lsp_client import ROOT, RecordingClient, server_env
from lsp_docs import PARTIAL, PARTIAL_CRLF, README
from lsp_helpers import lsp_lines, offset_of, position_at, units
from lsprotocol import types

RULES_URL = "https://github.com/design-lsp/design-lsp/blob/main/docs/rules"


def _line_of(text: str, needle: str) -> int:
    for index, line in enumerate(lsp_lines(text)):
        if needle in line:
            return index
    raise AssertionError(needle)


def _expected_range(text: str, needle: str, encoding: str) -> types.Range:
    line = _line_of(text, needle)
    col = lsp_lines(text)[line].index(needle)
    return types.Range(
        start=position_at(text, line, col, encoding),
        end=position_at(text, line, col + len(needle), encoding),
    )


def _to_utf16(text: str, rng: types.Range, encoding: str) -> tuple[int, int, int, int]:
    def conv(pos: types.Position) -> tuple[int, int]:
        offset = offset_of(text, pos, encoding)
        line_start = offset_of(text, types.Position(line=pos.line, character=0), encoding)
        return pos.line, units(text[line_start:offset], "utf-16")

    return (*conv(rng.start), *conv(rng.end))


async def test_findings_delivered_once_with_codes_links_and_data(client: RecordingClient) -> None:
    text = PARTIAL.replace("at checkout.", "at checkout.\n\nOwners 🧑‍💻: see [Link to relevant documentation] for now.")
    uri = client.open("docs/payments.md", text)
    diagnostics = await client.diagnostics_for(uri)
    codes = {d.code for d in diagnostics}
    assert {"missing-section", "placeholder", "invalid-field"} <= codes

    caps = client.capabilities
    assert caps is not None and caps.text_document is not None
    publish_caps = caps.text_document.publish_diagnostics
    links = client.pulls or bool(publish_caps and publish_caps.code_description_support)
    for d in diagnostics:
        assert d.source == "design-lsp"
        assert isinstance(d.data, dict) and d.data.get("code") == d.code
        if links:
            assert d.code_description is not None
            assert d.code_description.href == f"{RULES_URL}/{d.code}.md"
        else:
            assert d.code_description is None

    # A missing subsection shows where it would go: on the heading of the section it follows.
    non_goals = [d for d in diagnostics if d.code == "missing-section" and "Non-Goals" in d.message]
    assert len(non_goals) == 1
    assert non_goals[0].range.start.line == _line_of(text, "### Goals")

    # The placeholder's own characters, after a ZWJ emoji sequence, in the negotiated encoding.
    placeholders = [
        d for d in diagnostics if d.code == "placeholder" and "[Link to relevant documentation]" in d.message
    ]
    assert len(placeholders) == 1
    assert placeholders[0].range == _expected_range(text, "[Link to relevant documentation]", client.encoding)

    # Pull clients never get a push, push clients get the document version.
    await asyncio.sleep(0.3)
    if client.pulls:
        assert client.published == {}
    else:
        assert [p.version for p in client.published[uri]] == [1]


async def test_incremental_change_updates_findings(client: RecordingClient) -> None:
    uri = client.open("docs/payments.md", PARTIAL)
    before = await client.diagnostics_for(uri)
    assert any("Non-Goals" in d.message for d in before)

    goals_line = _line_of(PARTIAL, "- Recover transient failures")
    insert_at = position_at(PARTIAL, goals_line + 1, 0, client.encoding)
    version = client.change(
        uri,
        [
            (
                types.Range(start=insert_at, end=insert_at),
                "\n### Non-Goals 🙅\n\n- Refunds are out of scope.\n",
            )
        ],
    )
    after = await client.diagnostics_for(uri, version)
    assert not any("Non-Goals" in d.message for d in after if d.code == "missing-section")
    # An edit on an emoji line, in client units: fix the Status value.
    text = client.texts[uri].text
    status = _expected_range(text, "Drafty", client.encoding)
    version = client.change(uri, [(status, "Draft")])
    fixed = await client.diagnostics_for(uri, version)
    assert not any(d.code == "invalid-field" for d in fixed)
    assert len(fixed) == len(after) - 1


async def test_same_findings_as_check(client: RecordingClient) -> None:
    text = PARTIAL.replace("## Rollout Plan", "## Rollout Plan\n\nLine with a form feed \f inside.")
    path = client.root / "docs" / "payments.md"
    uri = client.open("docs/payments.md", text, write=True)
    diagnostics = await client.diagnostics_for(uri)
    result = subprocess.run(
        [sys.executable, "-m", "design_lsp", "check", "--format", "json", str(path)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=server_env(),
        check=False,
    )
    assert result.returncode == 1, result.stderr
    findings = json.loads(result.stdout)["files"][0]["findings"]
    from_cli = sorted(
        (
            f["code"],
            f["message"],
            f["range"]["start"]["line"],
            f["range"]["start"]["character"],
            f["range"]["end"]["line"],
            f["range"]["end"]["character"],
        )
        for f in findings
    )
    from_lsp = sorted(
        (str(d.code), d.message, *_to_utf16(text, d.range, client.encoding)) for d in diagnostics
    )
    assert from_lsp == from_cli


async def test_crlf_document_has_the_same_ranges(client: RecordingClient) -> None:
    lf = client.open("docs/lf.md", PARTIAL)
    crlf = client.open("docs/crlf.md", PARTIAL_CRLF)
    lf_diags = await client.diagnostics_for(lf)
    crlf_diags = await client.diagnostics_for(crlf)
    assert [(d.code, d.message, d.range) for d in lf_diags] == [
        (d.code, d.message, d.range) for d in crlf_diags
    ]


async def test_markdown_that_is_not_a_design_doc_gets_no_findings(client: RecordingClient) -> None:
    uri = client.open("README.md", README)
    assert await client.diagnostics_for(uri) == []


async def test_a_design_doc_whose_title_is_not_selected_gets_one_note(
    client: RecordingClient,
) -> None:
    sections = ["Executive Summary", "Background", "Proposed Solution", "Technical Considerations",
                "Implementation Plan", "Testing Strategy", "Rollout Plan", "Open Questions"]
    text = "# Rate limiter design\n" + "".join(f"\n## {s}\n\nSome text.\n" for s in sections)
    uri = client.open("docs/limiter.md", text)
    diagnostics = await client.diagnostics_for(uri)
    assert [(d.code, d.range.start.line, d.severity) for d in diagnostics] == [
        ("not-checked", 0, types.DiagnosticSeverity.Information)
    ]
    assert "'Design Document:'" in diagnostics[0].message
    assert "`include`" in diagnostics[0].message


async def test_close_clears_pushed_diagnostics(client: RecordingClient) -> None:
    uri = client.open("docs/payments.md", PARTIAL)
    assert await client.diagnostics_for(uri)
    client.text_document_did_close(
        types.DidCloseTextDocumentParams(text_document=types.TextDocumentIdentifier(uri=uri))
    )
    if client.pulls:
        return
    for _ in range(200):
        if not client.published[uri][-1].diagnostics:
            break
        await asyncio.sleep(0.01)
    assert not client.published[uri][-1].diagnostics


async def test_workspace_diagnostic_reports_open_and_closed_design_docs(
    client: RecordingClient,
) -> None:
    if not client.pulls:
        return
    closed = client.root / "docs" / "closed.md"
    closed.parent.mkdir(parents=True, exist_ok=True)
    closed.write_text(PARTIAL, encoding="utf-8")
    (client.root / "notes.md").write_text(README, encoding="utf-8")
    client.workspace_did_change_watched_files(
        types.DidChangeWatchedFilesParams(
            changes=[
                types.FileEvent(uri=closed.as_uri(), type=types.FileChangeType.Created),
                types.FileEvent(
                    uri=(client.root / "notes.md").as_uri(), type=types.FileChangeType.Created
                ),
            ]
        )
    )
    uri = client.open("docs/open.md", PARTIAL)
    report = await client.workspace_diagnostic_async(
        types.WorkspaceDiagnosticParams(previous_result_ids=[])
    )
    by_uri = {item.uri: item for item in report.items}
    assert uri in by_uri and closed.as_uri() in by_uri
    assert (client.root / "notes.md").as_uri() not in by_uri
    item = by_uri[uri]
    assert isinstance(item, types.WorkspaceFullDocumentDiagnosticReport)
    assert item.version == 1 and item.items
    # Asking again with the result ids: the answer waits for a change, then reports only it.
    ids = [types.PreviousResultId(uri=i.uri, value=i.result_id or "") for i in report.items]
    pending = asyncio.ensure_future(
        client.workspace_diagnostic_async(types.WorkspaceDiagnosticParams(previous_result_ids=ids))
    )
    await asyncio.sleep(0.3)
    assert not pending.done()
    version = client.change(
        uri,
        [
            (
                types.Range(
                    start=types.Position(line=0, character=0),
                    end=types.Position(line=0, character=0),
                ),
                "",
            )
        ],
    )
    again = await asyncio.wait_for(pending, 10)
    by_uri = {item.uri: item for item in again.items}
    assert isinstance(by_uri[uri], types.WorkspaceFullDocumentDiagnosticReport)
    assert by_uri[uri].version == version
    assert isinstance(by_uri[closed.as_uri()], types.WorkspaceUnchangedDocumentDiagnosticReport)
