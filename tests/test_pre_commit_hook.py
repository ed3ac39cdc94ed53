"""The pre-commit hook (.pre-commit-hooks.yaml) through the real pre-commit, in a scratch git
repository: pre-commit installs design-lsp into its own environment (the dependencies from
PyPI) and runs the hook on the files named.

`pre-commit try-repo` would install it afresh on every call; a config naming the hook's
repository, with one pre-commit home, installs it once for both runs (what a project's
.pre-commit-config.yaml does)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
# What installing the hook needs: the hook manifest and the package. A copy of these (committed
# to a scratch repository) is what pre-commit installs, so the test checks this working tree,
# committed or not, and the same way from a fresh clone.
HOOK_SOURCES = (".pre-commit-hooks.yaml", "pyproject.toml", "README.md", "design_lsp")

TEMPLATE = """\
# Spec: [Name]

## Summary

Say what it is and why.

## Design

Explain the moving parts.
"""

GOOD = "# Spec: Widget\n\n## Summary\n\nA widget.\n\n## Design\n\nGears.\n"
BAD = "# Spec: Gadget\n\n## Summary\n\nA gadget.\n"  # no "Design"
OTHER = "# Contributing\n\nSend patches.\n"  # not a design doc: passed over


def git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=cwd, env=_env(), check=True, capture_output=True)


def _env() -> dict[str, str]:
    return {
        **os.environ,
        "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com",
        "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.com",
        "GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": os.devnull,
    }


def _hook_repo(root: Path) -> Path:
    hook = root / "hook-repo"
    hook.mkdir()
    for name in HOOK_SOURCES:
        source = REPO / name
        if source.is_dir():
            shutil.copytree(source, hook / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(source, hook / name)
    git(hook, "init", "-q")
    git(hook, "add", "-A")
    git(hook, "commit", "-q", "-m", "design-lsp")
    return hook


def _project(root: Path) -> Path:
    project = root / "project"
    project.mkdir()
    (project / "template.md").write_text(TEMPLATE, encoding="utf-8")
    (project / ".design-lsp.toml").write_text('template = "template.md"\n', encoding="utf-8")
    for name, text in (("good.md", GOOD), ("bad.md", BAD), ("CONTRIBUTING.md", OTHER)):
        (project / name).write_text(text, encoding="utf-8")
    git(project, "init", "-q")
    git(project, "add", "-A")
    return project


def _config(project: Path, hook: Path) -> None:
    rev = subprocess.run(
        ["git", "rev-parse", "HEAD"], cwd=hook, capture_output=True, text=True, check=True
    ).stdout.strip()
    (project / ".pre-commit-config.yaml").write_text(
        f"repos:\n- repo: {hook}\n  rev: {rev}\n  hooks:\n  - id: design-lsp\n",
        encoding="utf-8",
    )


def pre_commit(project: Path, home: Path, *files: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pre_commit", "run", "design-lsp", "--files", *files],
        cwd=project,
        env={**_env(), "PRE_COMMIT_HOME": str(home), "PRE_COMMIT_COLOR": "never"},
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


def test_the_pre_commit_hook_passes_a_good_doc_and_fails_a_bad_one(tmp_path: Path) -> None:
    hook, project = _hook_repo(tmp_path), _project(tmp_path)
    _config(project, hook)
    home = tmp_path / "pre-commit-home"

    # Every Markdown file but the bad doc: the template and a README-like file are passed over.
    passed = pre_commit(project, home, "good.md", "template.md", "CONTRIBUTING.md")
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert "Passed" in passed.stdout

    failed = pre_commit(project, home, "good.md", "bad.md")
    assert failed.returncode == 1, failed.stdout + failed.stderr
    assert "bad.md:3:1: error missing-section Missing section 'Design'" in failed.stdout
    assert "good.md:" not in failed.stdout
