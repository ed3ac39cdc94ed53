"""Shared pieces of the editor tests: the design doc each editor opens, what it must show, and
how a missing editor is handled (skip locally, fail under CI=true)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[2]
EDITORS = REPO / "editors"
HERE = Path(__file__).resolve().parent
# The server the editors start: the `design-lsp` script installed next to this interpreter.
BIN_DIR = Path(sys.executable).parent
SERVER = BIN_DIR / "design-lsp"

# A design doc with Non-Goals missing under Background (reported on "### Goals", 0-based line
# 19, the section it goes after) and the top-level sections after Background missing (reported
# on "## Background", 0-based 13, and "## Rollout Plan"), plus an invalid Status (0-based 6).
DOC = """\
# Design Document: Payment Retries

## Document Information

- **Author**: Ada Lovelace
- **Date**: 2024-05-01
- **Status**: Drafty
- **Version**: 1.0

## Executive Summary

We retry failed card payments with backoff so that fewer orders fail at checkout.

## Background

### Problem Statement

Card payments fail transiently and customers give up before paying.

### Goals

- Recover transient failures automatically

## Rollout Plan

Ship behind a flag, then ramp to all traffic.
"""

BACKGROUND_LINE = 13  # "## Background": where the sections that follow it are reported missing
GOALS_LINE = 19  # "### Goals": where the missing Non-Goals is reported
STATUS_LINE = 6
# (code, 0-based line) pairs every editor must show, at least.
EXPECTED_DIAGNOSTICS = {
    ("missing-section", BACKGROUND_LINE),
    ("missing-section", GOALS_LINE),
    ("invalid-field", STATUS_LINE),
}
EXPECTED_MISSING_SECTIONS = 10
# The outline's top level, in order.
EXPECTED_OUTLINE = [
    "Document Information",
    "Executive Summary",
    "Background",
    "Rollout Plan",
]
# The code action each editor applies, and what the buffer holds afterwards.
CODE_ACTION_TITLE = "Insert section 'Non-Goals'"
GOALS_BULLET = "- Recover transient failures automatically"


def check_fixed_text(text: str) -> None:
    """The buffer after the "Insert section 'Non-Goals'" action: the section sits after Goals."""
    lines = text.splitlines()
    assert "### Non-Goals" in lines, text
    assert lines.index("### Non-Goals") > lines.index(GOALS_BULLET), text
    assert lines.index("### Non-Goals") < lines.index("## Rollout Plan"), text
    # Nothing else changed: the original lines are all still there, in order.
    original = DOC.splitlines()
    it = iter(lines)
    assert all(any(line == got for got in it) for line in original), text


def check_session(
    result: dict[str, Any],
    *,
    line: str,
    severity: str,
    error: str,
    warning: str,
    top_outline: list[str],
    outline: list[str],
    others_shown: bool = False,
) -> None:
    """What every editor must have shown of DOC, in its own words: `line` and `severity` name
    its diagnostic fields, `error` and `warning` its severities; `top_outline` is the outline's
    names in document order, `outline` all of them. `others_shown`: the editor shows its own
    diagnostics beside ours (VS Code's Markdown checks)."""
    diagnostics = result["diagnostics"]
    shown = {(d["code"], d[line]) for d in diagnostics}
    assert shown >= EXPECTED_DIAGNOSTICS, diagnostics
    if others_shown:
        diagnostics = [d for d in diagnostics if d["source"] == "design-lsp"]
    else:
        assert all(d["source"] == "design-lsp" for d in diagnostics)
    missing = [d for d in diagnostics if d["code"] == "missing-section"]
    assert len(missing) == EXPECTED_MISSING_SECTIONS, missing
    assert all(d[severity] == error for d in missing)
    # The editor's settings reached the server (workspace/configuration): Status is a warning.
    status = [d for d in diagnostics if d[line] == STATUS_LINE]
    assert [d[severity] for d in status] == [warning], status

    assert [n for n in top_outline if n in EXPECTED_OUTLINE] == EXPECTED_OUTLINE, result["outline"]
    assert "Goals" in outline and "Problem Statement" in outline

    assert "Non-Goals" in result["completion"], result["completion"]

    assert CODE_ACTION_TITLE in result["code_actions_seen"]
    check_fixed_text(result["text"])
    after = result["diagnostics_after"]
    if others_shown:
        after = [d for d in after if d["source"] == "design-lsp"]
    assert ("missing-section", GOALS_LINE) not in {(d["code"], d[line]) for d in after}


def require(tool: str, path: str | None) -> str:
    """The path of `tool`, or skip (locally) / fail (CI=true) when it is not installed."""
    if path and Path(path).exists():
        return path
    message = f"{tool} is not installed (scripts/test installs it)"
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)


def which(name: str) -> str | None:
    """`name` next to this interpreter (venv-installed editors), else on PATH."""
    local = BIN_DIR / name
    return str(local) if local.exists() else shutil.which(name)


def editor_env(home: Path) -> dict[str, str]:
    """A clean environment: a private HOME, and the venv's bin first on PATH for `design-lsp`."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NVIM", "XDG_", "EMACS"))}
    env["HOME"] = str(home)
    env["PATH"] = f"{BIN_DIR}{os.pathsep}{env.get('PATH', '')}"
    return env


def make_workspace(tmp_path: Path) -> tuple[Path, Path, Path]:
    """A git workspace holding the test design doc: (workspace, doc, where the driver reports)."""
    workspace = tmp_path / "ws"
    workspace.mkdir()
    (workspace / ".git").mkdir()
    doc = workspace / "payment-retries.md"
    doc.write_text(DOC, encoding="utf-8")
    return workspace, doc, tmp_path / "result.json"


def run_driver(
    command: list[str], out: Path, *, cwd: Path, env: dict[str, str], timeout: int
) -> dict[str, Any]:
    """Run an editor's headless driver script and return the JSON report it wrote."""
    proc = subprocess.run(
        command, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout
    )
    name = Path(command[0]).name
    assert out.exists(), (
        f"{name} wrote nothing (exit {proc.returncode}):\n{proc.stdout}\n{proc.stderr}"
    )
    result: dict[str, Any] = json.loads(out.read_text(encoding="utf-8"))
    assert "error" not in result, f"{result['error']}\nstderr:\n{proc.stderr}"
    return result
