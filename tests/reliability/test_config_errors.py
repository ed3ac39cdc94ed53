"""Every invalid key, type and value in .design-lsp.toml, pyproject.toml and editor settings:
one message naming the file, the key and the expected form; the last good config stays."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from design_lsp.features.settings import SettingsManager

GOOD = 'placeholders = ["TBD"]\n[rules.empty-section]\nseverity = "off"\n'

# (TOML body, the key the message must name, a word of the expected form)
BAD_TOML = [
    ('templat = "x.md"\n', "templat", "unknown key"),
    ("template = 3\n", "template", "string"),
    ('include = "docs/*.md"\n', "include", "list"),
    ("include = [1]\n", "include[0]", "string"),
    ('placeholders = ["("]\n', "placeholders[0]", "regular expression"),
    ("placeholders = [1]\n", "placeholders[0]", "string"),
    ('placeholders = "TBD"\n', "placeholders", "list"),
    ('rules = "off"\n', "rules", "dict"),
    ('[rules.no-such-rule]\nseverity = "off"\n', "rules.no-such-rule", "expected one of"),
    ('[rules.placeholder]\nseverity = "fatal"\n', "rules.placeholder.severity", "expected one of"),
    ('[rules.placeholder]\nlevel = "error"\n', "rules.placeholder.level", "unknown key"),
    ("[rules.placeholder]\nseverity = 2\n", "rules.placeholder.severity", "expected one of"),
    ('rules = { placeholder = "off" }\n', "rules.placeholder", "RuleConfig"),
    ("template = \n", "line ", "invalid TOML"),
    ('template = "unterminated\n', "line ", "invalid TOML"),
    ('placeholders = ["' + "x" * 1001 + '"]\n', "placeholders[0]", "longer than"),
]


def _manager(root: Path) -> tuple[SettingsManager, list[str]]:
    messages: list[str] = []
    manager = SettingsManager(notify=messages.append)
    manager.set_folders([str(root)])
    return manager, messages


def _check(message: str, file: str, key: str, expected: str) -> None:
    assert file in message, message
    assert key in message, message
    assert expected.lower() in message.lower(), message


@pytest.mark.parametrize("kind", [".design-lsp.toml", "pyproject.toml"])
@pytest.mark.parametrize(("body", "key", "expected"), BAD_TOML)
def test_bad_config_file(tmp_path: Path, kind: str, body: str, key: str, expected: str) -> None:
    root = tmp_path / "ws"
    root.mkdir()
    (root / ".git").mkdir()
    path = root / kind
    prefix = "[tool.design-lsp]\n" if kind == "pyproject.toml" else ""
    good = GOOD
    if kind == "pyproject.toml":
        body = body.replace("[rules.", "[tool.design-lsp.rules.")
        good = good.replace("[rules.", "[tool.design-lsp.rules.")
    path.write_text(prefix + good, encoding="utf-8")
    manager, messages = _manager(root)
    manager.reload()
    assert not messages
    good = manager.config_for(str(root / "doc.md"))
    assert good.off == {"empty-section"}

    path.write_text(prefix + body, encoding="utf-8")
    manager.reload()
    manager.reload()  # the same mistake is reported once, not on every reload
    assert len(messages) == 1, messages
    full_key = f"tool.design-lsp.{key}" if kind == "pyproject.toml" and "line" not in key else key
    _check(messages[0], kind, full_key, expected)
    kept = manager.config_for(str(root / "doc.md"))
    assert kept.off == {"empty-section"} and kept.settings.placeholders == ["TBD"]


BAD_SETTINGS = [
    ({"templat": "x.md"}, "templat", "unknown key"),
    ({"template": 3}, "template", "string"),
    ({"include": "docs"}, "include", "list"),
    ({"placeholders": ["(a"]}, "placeholders[0]", "regular expression"),
    ({"rules": {"placeholder": {"severity": "loud"}}}, "rules.placeholder.severity", "one of"),
    ({"rules": {"nope": {"severity": "off"}}}, "rules.nope", "expected one of"),
    ({"rules": []}, "rules", "dict"),
]


@pytest.mark.parametrize(("settings", "key", "expected"), BAD_SETTINGS)
def test_bad_editor_settings(tmp_path: Path, settings: dict[str, object], key: str, expected: str) -> None:
    root = tmp_path / "ws"
    root.mkdir()
    manager, messages = _manager(root)
    manager.editor_settings = {"": {"rules": {"emptySection": {"severity": "off"}}}}
    manager.reload()
    assert not messages and manager.config_for(str(root / "a.md")).off == {"empty-section"}
    manager.editor_settings = {"": settings}
    manager.reload()
    assert len(messages) == 1, messages
    _check(messages[0], "designLsp", key, expected)
    assert manager.config_for(str(root / "a.md")).off == {"empty-section"}


def test_bad_initialization_options_name_their_source(tmp_path: Path) -> None:
    manager, messages = _manager(tmp_path)
    manager.init_settings = {"include": 5}
    manager.reload()
    assert len(messages) == 1
    _check(messages[0], "initializationOptions.designLsp", "include", "list")


def test_missing_unreadable_and_headingless_templates(tmp_path: Path) -> None:
    manager, messages = _manager(tmp_path)
    assert manager.load_template(str(tmp_path / "nope.md")) is None
    assert "nope.md" in messages[-1]
    empty = tmp_path / "plain.md"
    empty.write_text("just prose, no headings\n", encoding="utf-8")
    assert manager.load_template(str(empty)) is None
    assert "plain.md" in messages[-1] and "heading" in messages[-1].lower()
    directory = tmp_path / "dir.md"
    directory.mkdir()
    assert manager.load_template(str(directory)) is None
    assert "dir.md" in messages[-1]
    if os.name == "posix" and os.geteuid() != 0:
        locked = tmp_path / "locked.md"
        locked.write_text("# T\n", encoding="utf-8")
        locked.chmod(0)
        assert manager.load_template(str(locked)) is None
        assert "locked.md" in messages[-1]
    fifo = tmp_path / "fifo.md"
    if hasattr(os, "mkfifo"):
        os.mkfifo(fifo)
        assert manager.load_template(str(fifo)) is None  # must not block on the FIFO
        assert "fifo.md" in messages[-1]


def _cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "design_lsp", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.parametrize(("body", "key", "expected"), BAD_TOML[:6])
def test_cli_bad_config_exits_2_with_the_message(
    tmp_path: Path, body: str, key: str, expected: str
) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / ".design-lsp.toml").write_text(body, encoding="utf-8")
    (tmp_path / "doc.md").write_text("# Design Document: x\n", encoding="utf-8")
    run = _cli("check", "doc.md", cwd=tmp_path)
    assert run.returncode == 2, run
    _check(run.stderr, ".design-lsp.toml", key, expected)


@pytest.mark.parametrize("template", ["missing.md", "plain.md", "fifo.md"])
def test_cli_bad_template_exits_2_naming_it(tmp_path: Path, template: str) -> None:
    (tmp_path / "plain.md").write_text("no headings here\n", encoding="utf-8")
    if hasattr(os, "mkfifo"):
        os.mkfifo(tmp_path / "fifo.md")
    (tmp_path / "doc.md").write_text("# Design Document: x\n", encoding="utf-8")
    run = _cli("check", "doc.md", "--template", template, cwd=tmp_path)
    assert run.returncode == 2, run
    assert template in run.stderr
