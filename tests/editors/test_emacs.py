"""Emacs 28 + Eglot 1.9 (Debian emacs-nox, elpa-eglot, elpa-markdown-mode) in batch mode, with the
shipped editors/emacs/design-lsp.el, against the real server."""

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
    SERVER,
    STATUS_LINE,
    check_fixed_text,
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

    assert result["major_mode"] == "markdown-mode"
    assert result["server_name"] == "design-lsp"

    shown = {(d["code"], d["line"]) for d in result["diagnostics"]}
    assert shown >= EXPECTED_DIAGNOSTICS, result["diagnostics"]
    assert all(d["source"] == "design-lsp" for d in result["diagnostics"])
    missing = [d for d in result["diagnostics"] if d["code"] == "missing-section"]
    assert len(missing) == EXPECTED_MISSING_SECTIONS, missing
    assert all(d["type"] == "eglot-error" for d in missing)
    # design-lsp-settings reached the server through workspace/configuration: a warning now.
    status = [d for d in result["diagnostics"] if d["line"] == STATUS_LINE]
    assert [d["type"] for d in status] == ["eglot-warning"], status

    # eglot's imenu groups by kind and parent; put it back in document order.
    names = [item["name"] for item in sorted(result["outline"], key=lambda item: item["line"])]
    assert [n for n in names if n in EXPECTED_OUTLINE] == EXPECTED_OUTLINE, names
    assert "Goals" in names and "Problem Statement" in names

    assert "Non-Goals" in result["completion"], result["completion"]

    assert CODE_ACTION_TITLE in result["code_actions_seen"]
    check_fixed_text(result["text"])
    after = {(d["code"], d["line"]) for d in result["diagnostics_after"]}
    assert ("missing-section", BACKGROUND_LINE) not in after
