"""Configuration: config files per workspace folder, initializationOptions, workspace/configuration,
didChangeConfiguration, and a bad config that keeps the last good one."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from lsp_client import PROFILES, RecordingClient, start
from lsp_docs import README
from lsprotocol import types

RFC_TEMPLATE = """\
# RFC: [Title]

## Summary

One paragraph explanation.

## Motivation

Why are we doing this?

## Drawbacks

Why should we not do this?
"""

RFC_DOC = """\
# RFC: Faster builds

## Summary

Cache compiled crates between CI runs.
"""


async def _codes(client: RecordingClient, uri: str) -> list[str]:
    return [str(d.code) for d in await client.diagnostics_for(uri)]


async def _wait_message(client: RecordingClient, needle: str) -> types.ShowMessageParams:
    for _ in range(300):
        for message in client.messages:
            if needle in message.message:
                return message
        await asyncio.sleep(0.01)
    raise AssertionError(f"no message containing {needle!r}: {client.messages}")



def _workspace(
    tmp_path: Path, config: str = 'template = "rfc-template.md"\n', folder: str = ""
) -> tuple[Path, Path]:
    """A workspace holding the RFC template and a config (its root, and the config's path)."""
    root = tmp_path / "ws"
    (root / folder).mkdir(parents=True)
    (root / "rfc-template.md").write_text(RFC_TEMPLATE, encoding="utf-8")
    path = root / ".design-lsp.toml"
    path.write_text(config, encoding="utf-8")
    return root, path

@pytest.mark.parametrize("profile", PROFILES)
async def test_config_file_template_and_include(
    raw_client: RecordingClient, tmp_path: Path, profile: str
) -> None:
    root, _ = _workspace(
        tmp_path,
        'template = "rfc-template.md"\ninclude = ["rfcs/**/*.md"]\n'
        '[rules.missing-section]\nseverity = "warning"\n',
        "rfcs",
    )
    await start(raw_client, profile, root)
    uri = raw_client.open("rfcs/0001-builds.md", RFC_DOC)
    diagnostics = await raw_client.diagnostics_for(uri)
    missing = [d for d in diagnostics if d.code == "missing-section"]
    assert sorted(d.message.split("'")[1] for d in missing) == ["Drawbacks", "Motivation"]
    assert all(d.severity == types.DiagnosticSeverity.Warning for d in missing)
    # Included by glob although its title does not follow the pattern.
    other = raw_client.open(
        "rfcs/notes.md", "# Notes\n\n## Summary\n\nText here for the summary.\n"
    )
    assert "missing-section" in await _codes(raw_client, other)
    # Outside the globs and without the title pattern: no template findings.
    readme = raw_client.open("README.md", README)
    assert await _codes(raw_client, readme) == []


async def test_a_config_edited_on_disk_is_noticed_without_file_events(
    raw_client: RecordingClient, tmp_path: Path
) -> None:
    # Neovim on Linux sends no file-watch events: the next edit must pick the change up.
    root, config = _workspace(tmp_path, folder="rfcs")
    await start(raw_client, "neovim", root)
    uri = raw_client.open("rfcs/0001-builds.md", RFC_DOC)
    missing = [d for d in await raw_client.diagnostics_for(uri) if d.code == "missing-section"]
    assert missing and all(d.severity == types.DiagnosticSeverity.Error for d in missing)
    config.write_text(
        'template = "rfc-template.md"\n[rules.missing-section]\nseverity = "hint"\n',
        encoding="utf-8",
    )
    await asyncio.sleep(1.1)  # (the server looks at most once a second)
    raw_client.replace_all(uri, RFC_DOC + "\nMore.\n")
    for _ in range(300):
        diagnostics = await raw_client.diagnostics_for(uri)
        missing = [d for d in diagnostics if d.code == "missing-section"]
        if missing and all(d.severity == types.DiagnosticSeverity.Hint for d in missing):
            break
        await asyncio.sleep(0.02)
    else:
        raise AssertionError(f"the edited config was not picked up: {diagnostics}")
    # A broken config is noticed too, and named.
    config.write_text("template = 42\n", encoding="utf-8")
    await asyncio.sleep(1.1)
    raw_client.replace_all(uri, RFC_DOC)
    await _wait_message(raw_client, ".design-lsp.toml")


async def test_diagnostics_per_document_are_capped_with_a_summary(
    raw_client: RecordingClient, tmp_path: Path
) -> None:
    root, _ = _workspace(tmp_path, 'template = "rfc-template.md"\nmax-diagnostics = 50\n')
    await start(raw_client, "emacs", root)
    # 120 repeated sections (each a duplicate-section warning) and two missing ones (errors).
    text = RFC_DOC + "".join(f"\n## Summary\n\nAgain {i}.\n" for i in range(120))
    uri = raw_client.open("rfc.md", text)
    diagnostics = await raw_client.diagnostics_for(uri)
    assert len(diagnostics) == 51
    summary = diagnostics[0]
    assert summary.code == "too-many-findings" and summary.range.start.line == 0
    assert "122 findings" in summary.message and "72 more" in summary.message
    # The errors are among those shown.
    assert sum(d.code == "missing-section" for d in diagnostics) == 2


async def test_the_configured_template_gets_help_not_findings(
    raw_client: RecordingClient, tmp_path: Path
) -> None:
    root, _ = _workspace(tmp_path)
    await start(raw_client, "visual_studio_code", root)
    uri = raw_client.open("rfc-template.md", RFC_TEMPLATE)
    # Its placeholders and guidance are what a template is made of: nothing to report.
    assert await _codes(raw_client, uri) == []
    line = RFC_TEMPLATE.split("\n").index("## Motivation")
    hover = await raw_client.text_document_hover_async(
        types.HoverParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            position=types.Position(line=line, character=4),
        )
    )
    assert hover is not None and isinstance(hover.contents, types.MarkupContent)
    assert "How design-lsp reads this template section" in hover.contents.value
    assert "## Motivation  [required]" in hover.contents.value


@pytest.mark.parametrize("profile", ["visual_studio_code", "neovim"])
async def test_editor_settings_and_change(
    raw_client: RecordingClient, tmp_path: Path, profile: str
) -> None:
    root = tmp_path / "ws"
    root.mkdir()
    (root / "rfc-template.md").write_text(RFC_TEMPLATE, encoding="utf-8")
    await start(
        raw_client,
        profile,
        root,
        initialization_options={"designLsp": {"rules": {"missing-section": {"severity": "hint"}}}},
        configuration={"template": "rfc-template.md"},
    )
    uri = raw_client.open("0001-builds.md", RFC_DOC)
    diagnostics = await raw_client.diagnostics_for(uri)
    missing = [d for d in diagnostics if d.code == "missing-section"]
    assert len(missing) == 2
    assert all(d.severity == types.DiagnosticSeverity.Hint for d in missing)

    # Settings change: the server re-reads workspace/configuration and re-checks.
    raw_client.set_configuration(
        {"template": "rfc-template.md", "rules": {"missing-section": {"severity": "off"}}},
        section="designLsp",
    )
    raw_client.workspace_did_change_configuration(
        types.DidChangeConfigurationParams(settings={"designLsp": None})
    )
    caps = raw_client.capabilities
    refresh = bool(
        caps
        and caps.workspace
        and caps.workspace.diagnostics
        and caps.workspace.diagnostics.refresh_support
    )
    codes = ["?"]
    for _ in range(300):
        if raw_client.pulls:
            if refresh and raw_client.diagnostic_refresh_count == 0:
                await asyncio.sleep(0.01)
                continue
            codes = await _codes(raw_client, uri)
        else:
            latest = raw_client.published.get(uri, [])
            codes = [str(d.code) for d in latest[-1].diagnostics] if latest else ["?"]
        if "missing-section" not in codes:
            break
        await asyncio.sleep(0.01)
    assert "missing-section" not in codes


@pytest.mark.parametrize("profile", ["visual_studio_code", "emacs"])
async def test_bad_config_names_file_and_key_and_keeps_last_good(
    raw_client: RecordingClient, tmp_path: Path, profile: str
) -> None:
    root, config = _workspace(tmp_path)
    await start(raw_client, profile, root)
    uri = raw_client.open("0001-builds.md", RFC_DOC)
    assert "missing-section" in await _codes(raw_client, uri)

    config.write_text(
        'template = "rfc-template.md"\n[rules.missing-section]\nseverity = "loud"\n',
        encoding="utf-8",
    )
    raw_client.workspace_did_change_watched_files(
        types.DidChangeWatchedFilesParams(
            changes=[types.FileEvent(uri=config.as_uri(), type=types.FileChangeType.Changed)]
        )
    )
    message = await _wait_message(raw_client, "rules.missing-section.severity")
    assert message.type == types.MessageType.Error
    assert ".design-lsp.toml" in message.message
    # Still checking against the last good config (the RFC template).
    version = raw_client.change(
        uri,
        [
            (
                types.Range(
                    start=types.Position(line=5, character=0),
                    end=types.Position(line=5, character=0),
                ),
                "\n## Motivation\n\nBuilds take an hour on every merge to main.\n",
            )
        ],
    )
    diagnostics = await raw_client.diagnostics_for(uri, version)
    missing = [d.message for d in diagnostics if d.code == "missing-section"]
    assert len(missing) == 1 and "Drawbacks" in missing[0]


async def test_missing_template_is_reported(raw_client: RecordingClient, tmp_path: Path) -> None:
    root = tmp_path / "ws"
    (root / "docs").mkdir(parents=True)
    (root / ".design-lsp.toml").write_text('template = "docs/nope.md"\n', encoding="utf-8")
    await start(raw_client, "visual_studio_code", root)
    uri = raw_client.open("doc.md", "# Design Document: X\n")
    # Named like every other config error: the config file, the key, what was written.
    named = ".design-lsp.toml: template: 'docs/nope.md' not found"
    message = await _wait_message(raw_client, named)
    assert message.type == types.MessageType.Error
    assert str((root / "docs" / "nope.md").resolve()) in message.message
    [diagnostic] = await raw_client.diagnostics_for(uri)
    assert diagnostic.code == "config-error" and named in diagnostic.message


@pytest.mark.parametrize("profile", ["neovim", "emacs"])
async def test_a_broken_config_keeps_a_diagnostic_until_fixed(
    raw_client: RecordingClient, tmp_path: Path, profile: str
) -> None:
    # Broken at start-up: every open document says so on its first line, for as long as it
    # is broken, not only in one transient message.
    root, config = _workspace(
        tmp_path, 'template = "rfc-template.md"\n[rules.missing-section]\nseverity = "loud"\n'
    )
    await start(raw_client, profile, root)
    uri = raw_client.open("0001-builds.md", RFC_DOC)
    other = raw_client.open("notes.md", "# Notes\n\nNothing to check here.\n")
    for doc in (uri, other):
        problems = [d for d in await raw_client.diagnostics_for(doc) if d.code == "config-error"]
        assert len(problems) == 1, problems
        assert problems[0].range.start.line == 0
        assert problems[0].severity == types.DiagnosticSeverity.Error
        assert ".design-lsp.toml: rules.missing-section.severity" in problems[0].message
    # Still there after an edit.
    raw_client.replace_all(uri, RFC_DOC + "\nMore.\n")
    assert "config-error" in await _codes(raw_client, uri)

    config.write_text('template = "rfc-template.md"\n', encoding="utf-8")
    raw_client.workspace_did_change_watched_files(
        types.DidChangeWatchedFilesParams(
            changes=[types.FileEvent(uri=config.as_uri(), type=types.FileChangeType.Changed)]
        )
    )
    for _ in range(300):
        version = raw_client.replace_all(uri, RFC_DOC)
        codes = [str(d.code) for d in await raw_client.diagnostics_for(uri, version)]
        if "config-error" not in codes:
            break
        await asyncio.sleep(0.02)
    assert "config-error" not in codes and "missing-section" in codes, codes


@pytest.mark.parametrize("profile", ["visual_studio_code", "neovim"])
async def test_front_matter_names_the_template(
    raw_client: RecordingClient, tmp_path: Path, profile: str
) -> None:
    root = tmp_path / "ws"
    (root / "notes").mkdir(parents=True)
    (root / "templates").mkdir()
    (root / "templates" / "rfc.md").write_text(RFC_TEMPLATE, encoding="utf-8")
    await start(raw_client, profile, root)
    text = (
        "---\ntemplate: ../templates/rfc.md\n---\n# Faster builds\n\n## Summary\n\nCache crates.\n"
    )
    uri = raw_client.open("notes/builds.md", text)
    diagnostics = await raw_client.diagnostics_for(uri)
    missing = sorted(d.message.split("'")[1] for d in diagnostics if d.code == "missing-section")
    assert missing == ["Drawbacks", "Motivation"]
    # Ranges count the front matter lines.
    assert all(d.range.start.line >= 3 for d in diagnostics)
