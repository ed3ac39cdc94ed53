"""`design-lsp check` and `new`, run as a user runs them: a subprocess on files in a temp dir."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from design_lsp import cli

REPO = Path(__file__).resolve().parent.parent

TEMPLATE = """\
# Spec: [Name]

- **Author**: [Your Name]
- **Status**: Draft | Final

## Summary

Say what it is and why.

## Design

### Details

Explain the moving parts.

## Risks (optional)

What could go wrong.
"""

CLEAN = """\
# Spec: Widget

- **Author**: Ada
- **Status**: Draft

## Summary

A widget that frobs the gizmo.

## Design

### Details

Gears, levers and one small spring.
"""

# The whole "Design" subtree is missing: one finding, and --fix inserts both headings.
NO_DESIGN = """\
# Spec: Widget

- **Author**: Ada
- **Status**: Draft

## Summary

A widget that frobs the gizmo.
"""

TEXT_LINE = re.compile(r"^(?P<path>.+):(?P<line>\d+):(?P<col>\d+): (?P<sev>error|warning|information|hint) (?P<code>[a-z-]+) (?P<msg>.+)$")
GITHUB_LINE = re.compile(r"^::(error|warning|notice) file=[^,]+,line=\d+,col=\d+,endLine=\d+,endColumn=\d+,title=design-lsp [a-z-]+::.+$")


def design_lsp(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO)}  # works without an installed package too
    return subprocess.run(
        [sys.executable, "-m", "design_lsp", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
        check=False,
    )


def check_json(*args: str, cwd: Path) -> tuple[int, list[dict[str, Any]]]:
    done = design_lsp("check", "--format", "json", *args, cwd=cwd)
    assert done.returncode in (0, 1), done.stderr
    return done.returncode, json.loads(done.stdout)["files"]


def codes(files: list[dict[str, Any]]) -> list[str]:
    return [f["code"] for entry in files for f in entry["findings"]]


@pytest.fixture
def ws(tmp_path: Path) -> Path:
    """A workspace whose config points at the small test template."""
    (tmp_path / ".git").mkdir()
    (tmp_path / "spec-template.md").write_text(TEMPLATE, encoding="utf-8")
    (tmp_path / ".design-lsp.toml").write_text('template = "spec-template.md"\n', encoding="utf-8")
    return tmp_path


def write(path: Path, text: str, newline: str = "\n") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.replace("\n", newline).encode("utf-8"))
    return path


def is_subsequence(needles: list[str], haystack: list[str]) -> bool:
    it = iter(haystack)
    return all(any(n == h for h in it) for n in needles)


# ---- exit codes ------------------------------------------------------------------------------


def test_clean_document_exits_0(ws: Path) -> None:
    write(ws / "widget.md", CLEAN)
    done = design_lsp("check", "widget.md", cwd=ws)
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout == ""
    assert "0 findings in 1 file" in done.stderr


def test_missing_section_exits_1_with_one_finding(ws: Path) -> None:
    write(ws / "widget.md", NO_DESIGN)
    code, files = check_json("widget.md", cwd=ws)
    assert code == 1
    missing = [f for f in files[0]["findings"] if f["code"] == "missing-section"]
    assert [f["section"] for f in missing] == [["Design"]]  # its child goes with it
    assert "Risks" not in json.dumps(files)  # optional: never reported


def test_rule_severity_from_config(ws: Path) -> None:
    write(ws / "widget.md", NO_DESIGN)
    config = 'template = "spec-template.md"\n[rules.missing-section]\nseverity = "information"\n'
    (ws / ".design-lsp.toml").write_text(config, encoding="utf-8")
    code, files = check_json("widget.md", cwd=ws)
    assert code == 0
    assert [f["severity"] for f in files[0]["findings"]] == ["information"]

    (ws / ".design-lsp.toml").write_text(config.replace("information", "off"), encoding="utf-8")
    code, files = check_json("widget.md", cwd=ws)
    assert (code, files[0]["findings"]) == (0, [])


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["nope.md"], "nope.md"),
        (["--template", "missing-template.md", "widget.md"], "missing-template.md"),
        (["--format", "xml", "widget.md"], "--format"),
        (["--config", "missing.toml", "widget.md"], "missing.toml"),
    ],
)
def test_usage_errors_exit_2(ws: Path, args: list[str], needle: str) -> None:
    write(ws / "widget.md", CLEAN)
    done = design_lsp("check", *args, cwd=ws)
    assert done.returncode == 2
    assert needle in done.stderr
    assert "Traceback" not in done.stderr


def test_bad_config_exits_2_naming_file_and_key(ws: Path) -> None:
    write(ws / "widget.md", CLEAN)
    (ws / ".design-lsp.toml").write_text('[rules.placeholder]\nseverity = "loud"\n', "utf-8")
    done = design_lsp("check", "widget.md", cwd=ws)
    assert done.returncode == 2
    assert ".design-lsp.toml: rules.placeholder.severity: expected one of" in done.stderr

@pytest.mark.parametrize(
    ("config", "text", "key"),
    [
        (".design-lsp.toml", 'template = "docs/nope.md"\n', "template"),
        ("pyproject.toml", '[tool.design-lsp]\ntemplate = "docs/nope.md"\n',
         "tool.design-lsp.template"),
    ],
)  # fmt: skip
def test_missing_configured_template_names_config_file_and_key(
    ws: Path, config: str, text: str, key: str
) -> None:
    write(ws / "widget.md", CLEAN)
    (ws / ".design-lsp.toml").unlink()  # (it would win over pyproject.toml)
    (ws / config).write_text(text, "utf-8")
    done = design_lsp("check", "widget.md", cwd=ws)
    assert done.returncode == 2
    where = (ws / "docs" / "nope.md").resolve()
    assert f"{config}: {key}: 'docs/nope.md' not found ({where})" in done.stderr, done.stderr



def test_non_utf8_file_exits_2_and_names_it(ws: Path) -> None:
    write(ws / "widget.md", CLEAN)
    (ws / "latin1.md").write_bytes("# Spec: Caf\xe9\n".encode("latin-1"))
    done = design_lsp("check", "latin1.md", "widget.md", cwd=ws)
    assert done.returncode == 2
    assert "latin1.md" in done.stderr and "UTF-8" in done.stderr
    assert "Traceback" not in done.stderr


# ---- output formats --------------------------------------------------------------------------


def test_text_format(ws: Path) -> None:
    write(ws / "widget.md", NO_DESIGN.replace("Ada", "[Your Name]"))
    done = design_lsp("check", "widget.md", cwd=ws)
    assert done.returncode == 1
    lines = done.stdout.splitlines()
    assert lines and all(TEXT_LINE.match(line) for line in lines), lines
    placeholder = next(m for m in map(TEXT_LINE.match, lines) if m and m["code"] == "placeholder")
    assert (placeholder["path"], placeholder["line"], placeholder["col"]) == ("widget.md", "3", "15")
    assert re.search(r"^\d+ findings? in 1 file$", done.stderr, re.M)


def test_json_shape_and_utf16_columns(ws: Path) -> None:
    # The placeholder sits after an emoji: 1 code point, 2 UTF-16 units.
    write(ws / "widget.md", CLEAN.replace("- **Author**: Ada", "- **Author**: \U0001f600 [Your Name]"))
    code, files = check_json("widget.md", cwd=ws)
    assert code == 1
    assert [entry["path"] for entry in files] == ["widget.md"]
    finding = next(f for f in files[0]["findings"] if f["code"] == "placeholder")
    assert set(finding) == {"code", "severity", "message", "range", "section", "fix"}
    assert finding["fix"] is None  # a placeholder is the author's to fill in
    assert finding["range"] == {
        "start": {"line": 2, "character": 17},
        "end": {"line": 2, "character": 28},
    }
    text = design_lsp("check", "widget.md", cwd=ws).stdout
    assert "widget.md:3:17: " in text  # text columns count code points, 1-based


def test_github_format(ws: Path) -> None:
    write(ws / "widget.md", NO_DESIGN)
    done = design_lsp("check", "--format", "github", "widget.md", cwd=ws)
    assert done.returncode == 1
    lines = done.stdout.splitlines()
    assert lines and all(GITHUB_LINE.match(line) for line in lines), lines
    assert any("title=design-lsp missing-section::" in line for line in lines)


# ---- --fix -----------------------------------------------------------------------------------


@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_fix_inserts_missing_sections_and_keeps_every_line(ws: Path, newline: str) -> None:
    path = write(ws / "widget.md", NO_DESIGN + "\nA closing remark.\n", newline)
    before = path.read_bytes().decode("utf-8")
    done = design_lsp("check", "--fix", "--format", "json", "widget.md", cwd=ws)
    after = path.read_bytes().decode("utf-8")
    assert "missing-section" not in codes(json.loads(done.stdout)["files"])
    lines = after.split(newline)
    assert is_subsequence(before.split(newline), lines)
    assert lines.index("## Summary") < lines.index("## Design") < lines.index("### Details")
    if newline == "\r\n":
        assert after.count("\r\n") == after.count("\n")  # no bare LF was introduced


def test_fix_keeps_a_byte_order_mark(ws: Path) -> None:
    path = ws / "widget.md"
    path.write_bytes(b"\xef\xbb\xbf" + NO_DESIGN.encode("utf-8"))
    design_lsp("check", "--fix", "widget.md", cwd=ws)
    after = path.read_bytes()
    assert after.startswith(b"\xef\xbb\xbf# Spec: Widget\n")
    assert b"## Design" in after and after.count(b"\xef\xbb\xbf") == 1


def test_fix_on_the_default_template(tmp_path: Path) -> None:
    doc = "# Design Document: Cache\n\n## Executive Summary\n\nWe add a cache.\n\n## Appendix\n\nNone.\n"
    path = write(tmp_path / "cache.md", doc)
    design_lsp("check", "--fix", "cache.md", cwd=tmp_path)
    after = path.read_text(encoding="utf-8")
    assert is_subsequence(doc.split("\n"), after.split("\n"))
    assert "## Rollout Plan" in after and "### Non-Goals" in after
    _, files = check_json("cache.md", cwd=tmp_path)
    assert "missing-section" not in codes(files)


def test_fix_counts_the_findings_it_resolved(tmp_path: Path) -> None:
    doc = "# Design Document: Cache\n\n## Executive Summary\n\nWe add a cache.\n"
    write(tmp_path / "cache.md", doc)
    _, files = check_json("cache.md", cwd=tmp_path)
    missing = [c for c in codes(files) if c.startswith("missing-")]
    assert len(missing) > 1
    done = design_lsp("check", "--fix", "cache.md", cwd=tmp_path)
    _, left = check_json("cache.md", cwd=tmp_path)
    assert not [c for c in codes(left) if c.startswith("missing-section")]
    # every missing section it inserted is one fixed finding (the new blocks' own
    # placeholders are findings of the fixed file, not fixes)
    assert f"({len(missing)} fixed)" in done.stderr


def test_fix_leaves_a_file_alone_that_changed_meanwhile(
    ws: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import design_lsp.analysis as analysis

    path = write(ws / "widget.md", NO_DESIGN)
    concurrent = NO_DESIGN + "\nTyped in the editor meanwhile.\n"
    real_apply = analysis.apply_edits

    def apply_while_someone_types(text: str, edits: list[Any]) -> str:
        path.write_text(concurrent, encoding="utf-8")
        return real_apply(text, edits)

    monkeypatch.setattr(analysis, "apply_edits", apply_while_someone_types)
    monkeypatch.chdir(ws)
    assert cli.main(["check", "--fix", "widget.md"]) == 2  # not fixed: the user runs it again
    assert path.read_text(encoding="utf-8") == concurrent
    assert "widget.md: error: changed on disk" in capsys.readouterr().err


# ---- which files are checked -----------------------------------------------------------------


@pytest.fixture
def tree(ws: Path) -> Path:
    write(ws / "docs" / "widget.md", NO_DESIGN)  # follows the title pattern: checked
    write(ws / "docs" / "README.md", "# Docs\n\nHow to write docs.\n")  # not a design doc
    write(ws / "docs" / "notes" / "ideas.md", "## Ideas\n\n- one\n")
    write(ws / "docs" / ".drafts" / "hidden.md", NO_DESIGN)
    write(ws / "docs" / "node_modules" / "pkg" / "x.md", NO_DESIGN)
    (ws / "docs" / "notes" / "loop").symlink_to(ws / "docs", target_is_directory=True)
    return ws


def checked(files: list[dict[str, Any]]) -> list[str]:
    return [Path(entry["path"]).as_posix() for entry in files]


def test_walk_checks_only_design_docs(tree: Path) -> None:
    _, files = check_json("docs", cwd=tree)
    assert checked(files) == ["docs/widget.md"]


def test_walk_defaults_to_working_directory(tree: Path) -> None:
    _, files = check_json(cwd=tree / "docs")
    assert checked(files) == ["widget.md"]


def test_walk_with_template_checks_every_markdown_file(tree: Path) -> None:
    _, files = check_json("--template", "spec-template.md", "docs", cwd=tree)
    assert checked(files) == ["docs/README.md", "docs/notes/ideas.md", "docs/widget.md"]


def test_walk_with_include_globs(tree: Path) -> None:
    config = 'template = "spec-template.md"\ninclude = ["docs/notes/**/*.md"]\n'
    (tree / ".design-lsp.toml").write_text(config, encoding="utf-8")
    _, files = check_json("docs", cwd=tree)
    assert checked(files) == ["docs/notes/ideas.md", "docs/widget.md"]


def test_explicit_files_are_always_checked(tree: Path) -> None:
    _, files = check_json("docs/README.md", "docs/widget.md", "docs", cwd=tree)
    assert checked(files) == ["docs/README.md", "docs/widget.md"]  # each file once
    _, files = check_json("docs", "docs/README.md", cwd=tree)
    assert checked(files) == ["docs/README.md", "docs/widget.md"]


# ---- new -------------------------------------------------------------------------------------


def test_new_writes_a_document_that_follows_the_template(tmp_path: Path) -> None:
    done = design_lsp("new", "docs/rate-limiter.md", cwd=tmp_path)  # (docs/ is made)
    assert done.returncode == 0, done.stderr
    text = (tmp_path / "docs" / "rate-limiter.md").read_text(encoding="utf-8")
    assert text.startswith("# Design Document: Rate Limiter\n")
    assert f"- **Date**: {date.today().isoformat()}\n" in text
    assert "[Creation Date]" not in text
    assert "## Rollout Plan" in text
    _, files = check_json("docs", cwd=tmp_path)  # found by walking: it follows the title pattern
    assert checked(files) == ["docs/rate-limiter.md"]
    assert "missing-section" not in codes(files)
    assert "invalid-field" not in codes(files)


def test_new_with_title_and_template(ws: Path) -> None:
    done = design_lsp("new", "w.md", "--title", "Gizmo Frobber", cwd=ws)
    assert done.returncode == 0, done.stderr
    text = (ws / "w.md").read_text(encoding="utf-8")
    assert text.startswith("# Spec: Gizmo Frobber\n")  # the config's template
    assert "- **Status**: Draft\n" in text


def test_new_refuses_to_overwrite(ws: Path) -> None:
    path = write(ws / "widget.md", CLEAN)
    done = design_lsp("new", "widget.md", cwd=ws)
    assert done.returncode == 2
    assert "widget.md" in done.stderr and "exists" in done.stderr
    assert path.read_text(encoding="utf-8") == CLEAN


def test_new_fills_an_empty_file_and_makes_its_folders(ws: Path) -> None:
    empty = ws / "empty.md"
    empty.touch()
    assert design_lsp("new", "empty.md", cwd=ws).returncode == 0
    assert empty.read_text(encoding="utf-8").startswith("# Spec: Empty\n")
    assert design_lsp("new", "docs/rfcs/queue.md", cwd=ws).returncode == 0
    assert (ws / "docs/rfcs/queue.md").read_text(encoding="utf-8").startswith("# Spec: Queue\n")


def test_version_and_a_hint_for_a_person_at_a_terminal(tmp_path: Path) -> None:
    import pty
    import subprocess
    import sys

    from design_lsp import __version__

    done = design_lsp("--version", cwd=tmp_path)
    assert done.returncode == 0 and done.stdout.strip() == f"design-lsp {__version__}"
    # Without a command, on a terminal: say what it waits for, then serve stdio as always.
    primary, secondary = pty.openpty()
    proc = subprocess.Popen(
        [sys.executable, "-m", "design_lsp"],
        stdin=secondary,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env={**os.environ, "PYTHONPATH": str(REPO)},
        cwd=tmp_path,
        text=True,
    )
    os.close(secondary)
    try:
        assert proc.stderr is not None
        assert "waiting for a language client" in proc.stderr.readline()
        assert "design-lsp check" in proc.stderr.readline()
    finally:
        proc.kill()
        proc.wait()
        os.close(primary)


def test_the_configured_template_is_not_checked_as_a_document(ws: Path) -> None:
    write(ws / "widget.md", CLEAN)
    code, files = check_json(".", cwd=ws)
    assert code == 0 and [f["path"] for f in files] == ["widget.md"]
    done = design_lsp("check", "spec-template.md", cwd=ws)
    assert done.returncode == 0 and "the template in use" in done.stderr


def test_humanize() -> None:
    from design_lsp.template.render import humanize

    assert humanize("rate-limiter") == "Rate Limiter"
    assert humanize("0042_token__bucket v2") == "0042 Token Bucket V2"


def test_help_and_module_entry_point(tmp_path: Path) -> None:
    done = design_lsp("--help", cwd=tmp_path)
    assert done.returncode == 0
    assert "check" in done.stdout and "new" in done.stdout


def test_stdio_flag_is_accepted_by_the_server_entry_point() -> None:
    """vscode-languageclient appends --stdio; the server must start, not exit with a usage error."""
    import subprocess
    import sys

    init = (
        '{"jsonrpc":"2.0","id":1,"method":"initialize","params":'
        '{"processId":null,"rootUri":null,"capabilities":{}}}'
    )
    exit_msg = '{"jsonrpc":"2.0","method":"exit"}'
    payload = "".join(f"Content-Length: {len(m)}\r\n\r\n{m}" for m in (init, exit_msg))
    result = subprocess.run(
        [sys.executable, "-m", "design_lsp", "--stdio"],
        input=payload.encode(),
        capture_output=True,
        timeout=60,
    )
    assert b'"capabilities"' in result.stdout, result.stderr.decode()


def test_the_server_keeps_routine_log_lines_off_stderr(tmp_path: Path) -> None:
    """Editors log a server's stderr as errors: a clean session writes nothing there, and the
    routine lines go to --log-file when one is asked for."""
    init = (
        '{"jsonrpc":"2.0","id":1,"method":"initialize","params":'
        f'{{"processId":null,"rootUri":"{tmp_path.as_uri()}","capabilities":{{}}}}}}'
    )
    start = (init, '{"jsonrpc":"2.0","method":"initialized","params":{}}')
    end = ('{"jsonrpc":"2.0","id":2,"method":"shutdown"}', '{"jsonrpc":"2.0","method":"exit"}')
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    run = [sys.executable, "-m", "design_lsp"]
    quiet = subprocess.run(
        run, input=_framed(*start, *end), capture_output=True, timeout=60, env=env
    )
    assert quiet.returncode == 0 and quiet.stderr == b"", quiet.stderr.decode()
    log = tmp_path / "server.log"
    server = subprocess.Popen(
        [*run, "serve", "--log-file", str(log)],
        stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env,
    )
    assert server.stdin is not None
    server.stdin.write(_framed(*start))
    server.stdin.flush()
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and " INFO " not in _read(log):
        time.sleep(0.05)
    server.stdin.close()  # the editor went away: the server exits
    server.wait(timeout=20)
    assert " INFO " in _read(log)


def _framed(*messages: str) -> bytes:
    return "".join(f"Content-Length: {len(m)}\r\n\r\n{m}" for m in messages).encode()


def _read(path: Path) -> str:
    return path.read_text(encoding="utf-8") if path.exists() else ""


def test_front_matter_names_the_template_beside_the_document(tmp_path: Path) -> None:
    """As in the editor: `template:` in front matter picks that file over the built-in one."""
    (tmp_path / "adr-template.md").write_text(
        "# ADR [number]: [Title]\n\n## Context\n\nWhy.\n\n## Decision\n\nWhat.\n", encoding="utf-8"
    )
    doc = tmp_path / "0001-use-postgres.md"
    doc.write_text(
        "---\ntemplate: adr-template.md\n---\n\n# ADR 1: Use Postgres\n\n## Context\n\nLoad.\n",
        encoding="utf-8",
    )
    (tmp_path / ".git").mkdir()
    _, files = check_json(".", cwd=tmp_path)
    assert [entry["path"] for entry in files] == ["0001-use-postgres.md"]
    findings = files[0]["findings"]
    assert [(f["code"], f["section"]) for f in findings] == [("missing-section", ["Decision"])]


# ---- parallel check: forked processes give what one process gives ----------------------

SPEC_TEMPLATE = "# Spec: [Name]\n\n## Summary\n\nSay it.\n\n## Design\n\nHow.\n"


@pytest.fixture
def many_docs(tmp_path: Path) -> Path:
    """Enough files and bytes for the parallel path, of varied sizes, one unreadable as UTF-8."""
    (tmp_path / "template.md").write_text(SPEC_TEMPLATE, encoding="utf-8")
    docs = tmp_path / "docs"
    docs.mkdir()
    filler = "Words — with ünïcode 𝄞 and more words.\n" * 400
    for i in range(40):
        body = f"# Spec: Doc {i}\n\n## Summary\n\n{filler * (1 + i % 7)}\n"
        if i % 3:
            body += "## Design\n\nGears.\n"
        (docs / f"doc{i:02}.md").write_text(body, encoding="utf-8")
    (docs / "bad.md").write_bytes(b"# X\n\xff\n")
    return tmp_path


@pytest.mark.parametrize("fmt", ["text", "json", "github"])
def test_shared_run_matches_a_single_process(
    many_docs: Path, fmt: str, monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(many_docs)
    args = ["check", "--template", "template.md", "--format", fmt, "docs"]
    assert sum(f.stat().st_size for f in (many_docs / "docs").iterdir()) >= cli.PARALLEL_MIN_BYTES
    monkeypatch.setattr(cli, "_cpu_count", lambda: 2)  # forked even on a one-core machine
    parallel = cli.main(args), capfd.readouterr()
    monkeypatch.setattr(cli, "_cpu_count", lambda: 1)
    serial = cli.main(args), capfd.readouterr()
    assert parallel == serial
    assert parallel[0] == cli.EXIT_USAGE and "bad.md: error: not valid UTF-8" in parallel[1].err


def test_a_failing_worker_fails_the_run(many_docs: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(many_docs)
    parent, check = os.getpid(), cli._Job.check

    def failing(self: cli._Job, target: cli.Target) -> cli.Outcome:
        if os.getpid() != parent:
            raise ValueError("boom")
        return check(self, target)

    monkeypatch.setattr(cli, "_cpu_count", lambda: 2)
    monkeypatch.setattr(cli._Job, "check", failing)
    with pytest.raises(RuntimeError, match="ValueError: boom"):
        cli.main(["check", "--template", "template.md", "docs"])


def test_template_command_says_how_a_template_is_read(tmp_path: Path) -> None:
    (tmp_path / "t.md").write_text(
        TEMPLATE + "\n## Appendix\n\n<!-- This section may be omitted if there is none. -->\n",
        encoding="utf-8",
    )
    result = design_lsp("template", "t.md", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "## Summary  [required]" in out
    assert "guidance: Say what it is and why." in out
    assert "## Risks  [optional ((optional))]" in out
    assert "## Appendix  [optional (This section may be omitted if there is none.)]" in out
    assert "Status (before the first section)  required  one of: Draft, Final" in out
    assert "[Your Name]" in out
    missing = design_lsp("template", "nope.md", cwd=tmp_path)
    assert missing.returncode == 2 and "nope.md: template file not found" in missing.stderr
