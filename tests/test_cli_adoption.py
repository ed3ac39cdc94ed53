"""`design-lsp check` on a repository that already holds documents: a baseline of today's
findings, only the files changed since a git revision, SARIF for code scanning, and fixes in
JSON (safe ones applied by --fix, unsafe ones only with --unsafe-fixes)."""

from __future__ import annotations

import json
import os
import subprocess
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from test_cli import TEMPLATE  # the same small template

from design_lsp import cli
from design_lsp.analysis.model import CODES
from design_lsp.features.diagnostics import code_url

# Two findings: the author's placeholder, and the missing "Design" (with "Details").
OLD_DOC = """\
# Spec: Widget

- **Author**: [Your Name]
- **Status**: Draft

## Summary

A widget that frobs the gizmo.
"""

GOOD_DOC = """\
# Spec: Widget

- **Author**: Ada
- **Status**: Draft

## Summary

A widget that frobs the gizmo.

## Design

### Details

Gears, levers and one small spring.
"""

# "Design" comes before "Summary": the fix moves it (unsafe).
OUT_OF_ORDER = """\
# Spec: Widget

- **Author**: Ada
- **Status**: Draft

## Design

### Details

Gears, levers and one small spring.

## Summary

A widget that frobs the gizmo.
"""

# A misspelled title and a heading one level too deep: renamed and re-levelled (unsafe).
NEAR_MISSES = """\
# Spec: Widget

- **Author**: Ada
- **Status**: Draft

## Sumary

A widget that frobs the gizmo.

## Design

#### Details

Gears, levers and one small spring.
"""


@pytest.fixture
def ws(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A scratch workspace (the working directory) whose config names the small template."""
    (tmp_path / "spec-template.md").write_text(TEMPLATE, encoding="utf-8")
    (tmp_path / ".design-lsp.toml").write_text('template = "spec-template.md"\n', encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def check(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = cli.main(["check", *args])
    out, err = capsys.readouterr()
    return code, out, err


def findings(out: str) -> list[dict[str, Any]]:
    return [f for entry in json.loads(out)["files"] for f in entry["findings"]]


# ---- baseline ----------------------------------------------------------------------------------


def test_a_baseline_quiets_old_findings_across_edits_and_fails_on_new_ones(
    ws: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    doc = ws / "docs" / "widget.md"
    doc.parent.mkdir()
    doc.write_text(OLD_DOC, encoding="utf-8")
    code, _, err = check(capsys, "--write-baseline", "baseline.json")
    assert code == 0, err  # recorded, not failed on
    recorded = json.loads((ws / "baseline.json").read_text(encoding="utf-8"))
    assert recorded["version"] == 1
    assert sorted((e["path"], e["code"], e["subject"]) for e in recorded["findings"]) == [
        ("docs/widget.md", "missing-section", "Design"),
        ("docs/widget.md", "placeholder", "[Your Name]"),
    ]
    assert "wrote 2 findings to baseline.json" in err

    # Text above both findings moves them down: they are still the old ones.
    shifted = OLD_DOC.replace("## Summary\n", "Some words first.\n\nMore of them.\n\n## Summary\n")
    doc.write_text(shifted, encoding="utf-8")
    code, out, err = check(capsys, "--baseline", "baseline.json", "--format", "json")
    assert (code, findings(out)) == (0, []), err
    assert "2 more in the baseline" in err

    # A second identical placeholder is new: the baseline counts each finding it recorded.
    doc.write_text(shifted + "\nOwner: [Your Name]\n", encoding="utf-8")
    code, out, err = check(capsys, "--baseline", "baseline.json", "--format", "json")
    assert code == 1
    assert [(f["code"], f["range"]["start"]["line"]) for f in findings(out)] == [
        ("placeholder", 13)
    ]

    # Fixing a recorded finding is counted, so the baseline can be shrunk.
    doc.write_text(GOOD_DOC.replace("Ada", "[Your Name]"), encoding="utf-8")
    code, out, err = check(capsys, "--baseline", "baseline.json")
    assert (code, out) == (0, "")
    assert "1 baselined finding fixed since (shrink baseline.json with --write-baseline)" in err


def test_the_baseline_file_is_sorted_one_finding_a_line(
    ws: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (ws / "b.md").write_text(OLD_DOC, encoding="utf-8")
    (ws / "a.md").write_text(OLD_DOC, encoding="utf-8")
    check(capsys, "--write-baseline", "baseline.json")
    lines = (ws / "baseline.json").read_text(encoding="utf-8").splitlines()
    entries = [line for line in lines if line.lstrip().startswith('{"path"')]
    assert len(entries) == 4 and entries == sorted(entries)  # a diff shows one line a finding


@pytest.mark.parametrize(
    ("content", "needle"),
    [
        (None, "no such baseline file"),
        ("{not json", "not a design-lsp baseline"),
        ('{"version": 7, "findings": []}', "version"),
        ('{"version": 1, "findings": [{"path": "a.md"}]}', "findings.0.code"),
    ],
)
def test_an_unusable_baseline_is_a_usage_error_naming_the_file(
    ws: Path, capsys: pytest.CaptureFixture[str], content: str | None, needle: str
) -> None:
    (ws / "a.md").write_text(OLD_DOC, encoding="utf-8")
    if content is not None:
        (ws / "base.json").write_text(content, encoding="utf-8")
    code, _, err = check(capsys, "--baseline", "base.json")
    assert code == 2
    assert err.startswith("base.json: ") and needle in err


# ---- --changed-since ---------------------------------------------------------------------------


def git(repo: Path, *args: str) -> str:
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com",
        "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.com",
        "GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": os.devnull,
    }
    done = subprocess.run(
        ["git", *args], cwd=repo, env=env, capture_output=True, text=True, check=True
    )
    return done.stdout


def test_changed_since_checks_only_what_differs_from_the_revision(
    ws: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    git(ws, "init", "-q", "-b", "main")
    for name in ("old", "edited", "staged", "committed", "gone"):
        (ws / "docs" / f"{name}.md").parent.mkdir(exist_ok=True)
        (ws / "docs" / f"{name}.md").write_text(OLD_DOC, encoding="utf-8")
    (ws / ".gitignore").write_text("ignored.md\n", encoding="utf-8")
    git(ws, "add", "-A")
    git(ws, "commit", "-q", "-m", "base")
    git(ws, "tag", "base")
    (ws / "docs" / "committed.md").write_text(OLD_DOC + "\nMore.\n", encoding="utf-8")
    git(ws, "commit", "-q", "-am", "later")
    (ws / "docs" / "staged.md").write_text(OLD_DOC + "\nStaged.\n", encoding="utf-8")
    git(ws, "add", "docs/staged.md")
    (ws / "docs" / "edited.md").write_text(OLD_DOC + "\nUnstaged.\n", encoding="utf-8")
    (ws / "new.md").write_text(OLD_DOC, encoding="utf-8")  # untracked, not ignored
    (ws / "ignored.md").write_text(OLD_DOC, encoding="utf-8")
    (ws / "docs" / "gone.md").unlink()

    code, out, err = check(capsys, "--changed-since", "base", "--format", "json")
    assert code == 1, err
    paths = sorted(entry["path"] for entry in json.loads(out)["files"])
    assert paths == ["docs/committed.md", "docs/edited.md", "docs/staged.md", "new.md"]

    # Only among the paths given.
    code, out, _ = check(capsys, "docs", "--changed-since", "base", "--format", "json")
    assert sorted(e["path"] for e in json.loads(out)["files"]) == [
        "docs/committed.md", "docs/edited.md", "docs/staged.md"
    ]
    # Nothing changed since HEAD in docs/old.md: nothing to check, nothing failed.
    code, out, err = check(capsys, "docs/old.md", "--changed-since", "HEAD")
    assert (code, out) == (0, ""), err

    code, _, err = check(capsys, "--changed-since", "no-such-ref")
    assert code == 2 and "unknown git revision 'no-such-ref'" in err


def test_changed_since_outside_a_git_repository_is_a_usage_error(
    ws: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (ws / "a.md").write_text(OLD_DOC, encoding="utf-8")
    code, out, err = check(capsys, "--changed-since", "main")
    assert (code, out) == (2, "")
    assert "is not in a git repository" in err


# ---- SARIF -------------------------------------------------------------------------------------


def test_sarif_has_what_the_2_1_0_schema_requires_with_1_based_positions(
    ws: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    doc = ws / "docs" / "widget.md"
    doc.parent.mkdir()
    # The placeholder sits after an emoji: 1 code point, 2 UTF-16 units.
    doc.write_text(OLD_DOC.replace("[Your Name]", "\U0001f600 [Your Name]"), encoding="utf-8")
    code, out, _ = check(capsys, "docs", "--format", "sarif")
    assert code == 1
    log = json.loads(out)
    # sarifLog (3.13): "version" (3.13.2) is "2.1.0" and "runs" (3.13.4) is required.
    assert log["version"] == "2.1.0"
    assert len(log["runs"]) == 1
    run = log["runs"][0]
    # run (3.14): "tool" (3.14.6) is required, and tool's "driver" (3.18.2) with its "name"
    # (3.19.8).
    driver = run["tool"]["driver"]
    assert driver["name"] == "design-lsp" and driver["version"] and driver["informationUri"]
    # reportingDescriptor (3.49): "id" (3.49.3) is required; help text and link for each code.
    rules = {rule["id"]: rule for rule in driver["rules"]}
    assert set(rules) == set(CODES)
    for code_name, rule in rules.items():
        assert rule["shortDescription"]["text"] and rule["fullDescription"]["text"]
        assert rule["help"]["text"] and rule["helpUri"] == code_url(code_name)
    results = run["results"]
    assert {r["ruleId"] for r in results} == {"placeholder", "missing-section"}
    for result in results:
        # result (3.27): "message" (3.27.11) is required, with "text" (3.11.8).
        assert result["message"]["text"]
        assert result["level"] in ("error", "warning", "note")  # 3.27.10
        assert driver["rules"][result["ruleIndex"]]["id"] == result["ruleId"]
        location = result["locations"][0]["physicalLocation"]
        # artifactLocation (3.4): a URI relative to the repository's top.
        assert location["artifactLocation"]["uri"] == "docs/widget.md"
        region = location["region"]
        # region (3.30): lines and columns count from 1 (3.30.5-3.30.8).
        assert min(region.values()) >= 1
    placeholder = next(r for r in results if r["ruleId"] == "placeholder")
    assert placeholder["level"] == "warning"
    # Line 3 and the columns after the emoji's two UTF-16 units; the end column is the one
    # after the region (3.30.8).
    assert placeholder["locations"][0]["physicalLocation"]["region"] == {
        "startLine": 3, "startColumn": 18, "endLine": 3, "endColumn": 29,
    }
    assert run["columnKind"] == "utf16CodeUnits"


# ---- fixes in JSON, --fix and --unsafe-fixes ---------------------------------------------------


def apply_json_edits(text: str, edits: list[dict[str, Any]]) -> str:
    """What another tool does with a JSON fix (ASCII text: UTF-16 units are characters)."""
    lines = text.split("\n")
    starts = [sum(len(line) + 1 for line in lines[:i]) for i in range(len(lines))]

    def offset(position: dict[str, int]) -> int:
        return starts[position["line"]] + position["character"]

    for edit in sorted(edits, key=lambda e: offset(e["range"]["start"]), reverse=True):
        start, end = offset(edit["range"]["start"]), offset(edit["range"]["end"])
        text = text[:start] + edit["newText"] + text[end:]
    return text


def test_json_fixes_say_whether_they_are_safe_and_other_tools_can_apply_them(
    ws: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (ws / "old.md").write_text(OLD_DOC, encoding="utf-8")
    (ws / "order.md").write_text(OUT_OF_ORDER, encoding="utf-8")
    (ws / "near.md").write_text(NEAR_MISSES, encoding="utf-8")
    _, out, _ = check(capsys, "old.md", "order.md", "near.md", "--format", "json")
    fixes = {f["code"]: f["fix"] for f in findings(out)}
    assert fixes["placeholder"] is None
    assert fixes["missing-section"]["applicability"] == "safe"  # an insertion
    assert fixes["section-order"]["applicability"] == "unsafe"  # a move
    assert fixes["misspelled-section"]["applicability"] == "unsafe"  # a rename
    assert fixes["heading-level"]["applicability"] == "unsafe"  # a level change
    for fix in fixes.values():
        assert fix is None or {"range", "newText"} <= set(fix["edits"][0])

    moved = apply_json_edits(OUT_OF_ORDER, fixes["section-order"]["edits"])
    assert moved.index("## Summary") < moved.index("## Design")
    assert Counter(moved.split("\n")) - Counter(OUT_OF_ORDER.split("\n")) <= Counter({"": 9})
    (ws / "order.md").write_text(moved, encoding="utf-8")
    _, out, _ = check(capsys, "order.md", "--format", "json")
    assert findings(out) == []


def test_fix_applies_only_safe_fixes_and_unsafe_fixes_the_rest(
    ws: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sources = {"order.md": OUT_OF_ORDER, "near.md": NEAR_MISSES, "old.md": OLD_DOC}
    for name, text in sources.items():
        (ws / name).write_text(text, encoding="utf-8")
    unsafe = {"section-order", "misspelled-section", "heading-level"}

    code, out, err = check(capsys, *sources, "--fix", "--format", "json")
    assert code == 1, err
    left = {f["code"] for f in findings(out)}
    assert unsafe <= left and "missing-section" not in left
    assert (ws / "order.md").read_text(encoding="utf-8") == OUT_OF_ORDER  # left alone
    assert (ws / "near.md").read_text(encoding="utf-8") == NEAR_MISSES
    assert "## Design" in (ws / "old.md").read_text(encoding="utf-8")  # inserted

    code, out, err = check(capsys, *sources, "--fix", "--unsafe-fixes", "--format", "json")
    # What is left is the author's to write (the inserted section's guidance among it).
    assert {f["code"] for f in findings(out)} == {"placeholder", "template-text"}, err
    assert "(3 fixed)" in err
    for name, before in sources.items():
        after = (ws / name).read_text(encoding="utf-8")
        lost = Counter(line for line in before.split("\n") if line.strip())
        lost -= Counter(after.split("\n"))
        # Only the heading lines a rename or a level change rewrote.
        assert set(lost) <= {"## Sumary", "#### Details"}, (name, lost)
    order = (ws / "order.md").read_text(encoding="utf-8")
    assert order.index("## Summary") < order.index("## Design") < order.index("### Details")
    near_after = (ws / "near.md").read_text(encoding="utf-8")
    assert "## Summary\n" in near_after and "\n### Details\n" in near_after


def test_unsafe_fixes_only_with_fix(ws: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (ws / "order.md").write_text(OUT_OF_ORDER, encoding="utf-8")
    code, _, err = check(capsys, "order.md", "--unsafe-fixes")
    assert code == 2 and "--unsafe-fixes" in err
    assert (ws / "order.md").read_text(encoding="utf-8") == OUT_OF_ORDER


def test_only_design_docs_passes_over_other_markdown_named(
    ws: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (ws / "README.md").write_text("# Widget tools\n\nHow to build.\n", encoding="utf-8")
    (ws / "widget.md").write_text(OLD_DOC, encoding="utf-8")
    code, out, _ = check(capsys, "README.md", "spec-template.md", "widget.md",
                         "--only-design-docs", "--format", "json")
    assert code == 1
    assert [e["path"] for e in json.loads(out)["files"]] == ["widget.md"]


def test_a_fix_that_would_drop_the_authors_text_is_not_applied() -> None:
    from types import SimpleNamespace

    from design_lsp.analysis.model import TextEdit
    from design_lsp.document import Span
    from design_lsp.fixes import TextLost, fixed_text

    text = "# Spec: Widget\n\nA line the author wrote.\n"
    deleting = SimpleNamespace(fix_all=lambda: [TextEdit(Span(2, 0, 3, 0), "")], findings=[])
    with pytest.raises(TextLost, match="A line the author wrote"):
        fixed_text(text, deleting, lambda _: deleting, unsafe=True)  # type: ignore[arg-type]
