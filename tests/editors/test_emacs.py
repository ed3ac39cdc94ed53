"""Emacs 28 + Eglot 1.9 (Debian emacs-nox, elpa-eglot, elpa-markdown-mode) in batch mode, with the
shipped editors/emacs/design-lsp.el, against the real server."""

from __future__ import annotations

from pathlib import Path

from editor_common import (
    CODE_ACTION_TITLE,
    EDITORS,
    HERE,
    SERVER,
    check_session,
    editor_env,
    make_workspace,
    require,
    run_driver,
    which,
)

ELPA = Path("/usr/share/emacs/site-lisp/elpa")


def test_emacs_eglot_diagnostics_outline_completion_code_action(tmp_path: Path) -> None:
    emacs = require("emacs", which("emacs"))
    require("elpa-eglot", next(map(str, ELPA.glob("eglot-*")), None))
    require("elpa-markdown-mode", next(map(str, ELPA.glob("markdown-mode-*")), None))
    workspace, doc, out = make_workspace(tmp_path)
    env = editor_env(tmp_path) | {
        "DESIGN_LSP_EMACS_DIR": str(EDITORS / "emacs"),
        "DESIGN_LSP_SERVER": str(SERVER),  # eglot wants an absolute path
        "DESIGN_LSP_DOC": str(doc),
        "DESIGN_LSP_OUT": str(out),
        "DESIGN_LSP_ACTION": CODE_ACTION_TITLE,
    }
    result = run_driver(
        [emacs, "-Q", "--batch", "-l", str(HERE / "emacs_driver.el")],
        out,
        cwd=workspace,
        env=env,
        timeout=180,
    )

    # eglot sends every diagnostic of the buffer with the request: only the ones on the
    # "### Goals" line count, and the fix for them is the default.
    assert result["code_action_default"] == CODE_ACTION_TITLE
    assert set(result["code_actions_seen"]) <= {CODE_ACTION_TITLE, "Insert all missing sections"}

    # The obvious fix is the default: the allowed value nearest to what was typed.
    assert result["status_action_default"] == "Set Status to 'Approved'"
    assert result["status_line"] == "- **Status**: Approved"

    assert result["major_mode"] == "markdown-mode"
    assert result["server_name"] == "design-lsp"

    # eglot's imenu groups by kind and parent; put it back in document order.
    names = [item["name"] for item in sorted(result["outline"], key=lambda item: item["line"])]
    check_session(
        result,
        line="line",
        severity="type",
        error="eglot-error",
        warning="eglot-warning",
        top_outline=names,
        outline=names,
    )
