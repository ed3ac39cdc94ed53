"""A template named by a document's front matter or by a config stays inside the repository and
is Markdown: a document naming `../secret/.env` must not have the file's lines shown in hovers,
offered in code actions or copied in by `--fix`. `--template` on the command line stays free."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import pytest_lsp
from lsp_client import CONFIG, RecordingClient, server_env, start
from lsp_helpers import position_at
from lsprotocol import types

from design_lsp.config import Config, ConfigError, load_config_file, merge_settings
from design_lsp.template import TemplateError, load_template
from design_lsp.template.load import resolve_named_template

SECRET = "# settings\nDB_PASSWORD=hunter2\n\n## API_TOKEN=tok-123\n\nKEEP_OUT=1\n"
TEMPLATE = "# Design Document: [Name]\n\n## Summary\n\nSay what it is.\n\n## Design\n\nHow.\n"
LEAKS = ("hunter2", "tok-123", "DB_PASSWORD", "KEEP_OUT")


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """tmp/repo (a git repository with a template) beside tmp/secret (a .env and a .md)."""
    secret = tmp_path / "secret"
    secret.mkdir()
    (secret / ".env").write_text(SECRET, encoding="utf-8")
    (secret / "outside.md").write_text(SECRET, encoding="utf-8")
    root = tmp_path / "repo"
    (root / ".git").mkdir(parents=True)
    (root / "docs").mkdir()
    (root / "template.md").write_text(TEMPLATE, encoding="utf-8")
    return root


def front_matter(template: str) -> str:
    return f"---\ntemplate: {template}\n---\n# Design Document: Cache\n\n## Summary\n\nIt caches.\n"


# ---- config ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("named", "reason"),
    [
        ("../secret/.env", "outside"),
        ("../secret/outside.md", "outside"),
        ("/etc/passwd", "outside"),
        ("notes.txt", "not a Markdown file"),
        ("link.md", "outside"),  # a symlink in the repository to a file outside it
        ("env-link.md", "not a Markdown file"),  # a symlink named .md to the repository's .env
    ],
)
def test_a_config_template_outside_the_repository_or_not_markdown_is_a_config_error(
    repo: Path, named: str, reason: str
) -> None:
    (repo / "link.md").symlink_to(repo.parent / "secret" / "outside.md")
    (repo / ".env").write_text(SECRET, encoding="utf-8")
    (repo / "env-link.md").symlink_to(repo / ".env")
    config = repo / ".design-lsp.toml"
    config.write_text(f"template = {json.dumps(named)}\n", encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_config_file(config)
    message = str(caught.value)
    assert message.startswith(f"{config}: template: '{named}'")
    assert reason in message
    pyproject = repo / "pyproject.toml"
    pyproject.write_text(f'[tool.design-lsp]\ntemplate = "{named}"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match=r"tool\.design-lsp\.template: "):
        load_config_file(pyproject)


def test_a_config_template_inside_the_repository_is_used(repo: Path) -> None:
    (repo / "docs" / ".design-lsp.toml").write_text('template = "../template.md"\n', "utf-8")
    config = load_config_file(repo / "docs" / ".design-lsp.toml")
    assert config.template == str((repo / "template.md").resolve())
    assert load_template(config.template).roots[0].title == "Summary"


def test_an_editor_setting_template_is_confined_too(repo: Path) -> None:
    with pytest.raises(ConfigError, match=r"^designLsp: template: '\.\./secret/\.env'"):
        merge_settings(Config(root=repo), {"template": "../secret/.env"})
    merged = merge_settings(Config(root=repo), {"template": "template.md"})
    assert merged.template == str((repo / "template.md").resolve())


# ---- front matter and reading ------------------------------------------------------------------


@pytest.mark.parametrize("named", ["../../secret/.env", "../../secret/outside.md", "/etc/hosts"])
def test_front_matter_naming_a_file_outside_the_repository_is_refused(
    repo: Path, named: str
) -> None:
    document = str(repo / "docs" / "a.md")
    with pytest.raises(TemplateError, match=r"front matter of .*a\.md: template: .*outside"):
        resolve_named_template({"template": named}, document, repo)


def test_front_matter_naming_a_template_in_the_repository_is_used(repo: Path) -> None:
    document = str(repo / "docs" / "a.md")
    found = resolve_named_template({"template": "../template.md"}, document, repo)
    assert found == (repo / "template.md").resolve()
    assert resolve_named_template({"template": "template.md"}, document, repo) == found


def test_a_template_with_nul_bytes_is_not_markdown(tmp_path: Path) -> None:
    path = tmp_path / "t.md"
    path.write_bytes(b"# Title\n\n## Section\x00\x01\n")
    with pytest.raises(TemplateError, match="NUL bytes"):
        load_template(path)


# ---- the CLI ---------------------------------------------------------------------------------


def check(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "design_lsp", "check", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
        env=server_env(),
    )


def test_fix_never_copies_a_file_from_outside_the_repository(repo: Path) -> None:
    (repo / ".design-lsp.toml").write_text('template = "template.md"\n', encoding="utf-8")
    doc = repo / "docs" / "a.md"
    doc.write_text(front_matter("../../secret/.env"), encoding="utf-8")
    done = check(repo, "--fix", "docs/a.md")
    fixed = doc.read_text(encoding="utf-8")
    for leak in LEAKS:
        assert leak not in fixed and leak not in done.stdout and leak not in done.stderr
    assert "Traceback" not in done.stderr
    # Not checked against another template either: an error naming the front matter, exit 2.
    assert fixed == front_matter("../../secret/.env")
    assert done.returncode == 2 and "front matter of" in done.stderr and "outside" in done.stderr


def test_check_refuses_a_config_naming_a_file_outside_the_repository(repo: Path) -> None:
    (repo / ".design-lsp.toml").write_text('template = "../secret/.env"\n', encoding="utf-8")
    (repo / "docs" / "a.md").write_text(front_matter("x.md"), encoding="utf-8")
    done = check(repo, "docs/a.md")
    assert done.returncode == 2
    assert ".design-lsp.toml: template: '../secret/.env' resolves to" in done.stderr
    assert not any(leak in done.stdout + done.stderr for leak in LEAKS)


def test_a_mistyped_front_matter_template_is_an_error_not_another_template(repo: Path) -> None:
    (repo / ".design-lsp.toml").write_text('template = "template.md"\n', encoding="utf-8")
    doc = repo / "docs" / "a.md"
    doc.write_text(front_matter("../templatte.md"), encoding="utf-8")
    done = check(repo, "docs/a.md")
    assert done.returncode == 2
    assert "front matter of docs/a.md: template: '../templatte.md' not found" in done.stderr
    assert "missing-section" not in done.stdout  # not checked against the configured one


def test_template_on_the_command_line_may_lie_anywhere(repo: Path) -> None:
    outside = repo.parent / "elsewhere" / "team-template.md"
    outside.parent.mkdir()
    outside.write_text(TEMPLATE, encoding="utf-8")
    (repo / "docs" / "a.md").write_text("# Design Document: Cache\n\n## Summary\n\nIt.\n", "utf-8")
    done = check(repo, "--template", str(outside), "docs/a.md")
    assert done.returncode == 1, done.stderr  # findings (Design is missing), not a refusal
    assert "Missing section 'Design'" in done.stdout


# ---- the server ------------------------------------------------------------------------------


@pytest_lsp.fixture(config=CONFIG)
async def client(lsp_client: RecordingClient, repo: Path) -> AsyncIterator[RecordingClient]:
    (repo / ".design-lsp.toml").write_text('template = "template.md"\n', encoding="utf-8")
    await start(lsp_client, "visual_studio_code", repo)
    yield lsp_client
    await lsp_client.shutdown_session()


async def test_hover_and_code_actions_never_show_a_file_outside_the_workspace(
    client: RecordingClient,
) -> None:
    text = front_matter("../../secret/.env")
    uri = client.open("docs/a.md", text)
    diagnostics = await client.diagnostics_for(uri)
    shown = [d.message for d in diagnostics]
    lines = text.split("\n")
    for line in range(len(lines)):
        hover = await client.text_document_hover_async(
            types.HoverParams(
                text_document=types.TextDocumentIdentifier(uri=uri),
                position=position_at(text, line, 0, client.encoding),
            )
        )
        if hover is not None:
            shown.append(json.dumps(client.protocol._converter.unstructure(hover)))
    end = position_at(text, len(lines) - 1, 0, client.encoding)
    actions = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            range=types.Range(start=types.Position(line=0, character=0), end=end),
            context=types.CodeActionContext(diagnostics=diagnostics),
        )
    )
    shown.append(json.dumps(client.protocol._converter.unstructure(actions or [])))
    # One error, on the front matter's `template:` line, says why the document is not checked.
    assert [(d.code, d.range.start.line) for d in diagnostics] == [
        ("template-error", lines.index("template: ../../secret/.env"))
    ]
    for leak in LEAKS:
        assert not any(leak in entry for entry in shown), leak


async def test_a_mistyped_front_matter_template_is_one_diagnostic_on_its_line(
    client: RecordingClient,
) -> None:
    text = front_matter("../templatte.md")
    uri = client.open("docs/b.md", text)
    diagnostics = await client.diagnostics_for(uri)
    assert [(d.code, d.range.start.line, d.severity) for d in diagnostics] == [
        ("template-error", 1, types.DiagnosticSeverity.Error)
    ]
    assert "'../templatte.md' not found" in diagnostics[0].message
