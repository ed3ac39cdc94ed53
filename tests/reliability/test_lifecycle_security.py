"""The server process's life and what it may touch: exit codes, stdin closing, no sockets but
the one --tcp asks for (on loopback), nothing from the workspace executed, special files and
symlink loops skipped, user patterns that cannot hang it."""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from design_lsp.analysis import analyze
from design_lsp.document import parse_document
from design_lsp.features.workspace_symbols import markdown_files
from design_lsp.template import load_template

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = Path(sys.executable).parent / "design-lsp"


def _frame(obj: dict[str, object]) -> bytes:
    body = json.dumps(obj).encode()
    return b"Content-Length: %d\r\n\r\n" % len(body) + body


def _server(*args: str, cwd: Path | None = None) -> subprocess.Popen[bytes]:
    command = [str(SCRIPT)] if SCRIPT.exists() else [sys.executable, "-m", "design_lsp"]
    return subprocess.Popen(
        [*command, *args],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=cwd,
    )


def _initialize(proc: subprocess.Popen[bytes], root: Path) -> None:
    assert proc.stdin is not None and proc.stdout is not None
    proc.stdin.write(_frame({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {
        "processId": None, "rootUri": root.as_uri(), "capabilities": {}}}))
    proc.stdin.write(_frame({"jsonrpc": "2.0", "method": "initialized", "params": {}}))
    proc.stdin.flush()
    header = proc.stdout.readline()  # the initialize answer is the first message
    assert header.startswith(b"Content-Length"), header


def _open(proc: subprocess.Popen[bytes], root: Path, text: str) -> None:
    assert proc.stdin is not None
    proc.stdin.write(_frame({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {
        "textDocument": {"uri": (root / "big.md").as_uri(), "languageId": "markdown",
                         "version": 1, "text": text}}}))
    proc.stdin.flush()


@pytest.mark.parametrize(
    ("messages", "code"),
    [
        ([{"jsonrpc": "2.0", "id": 2, "method": "shutdown"}, {"jsonrpc": "2.0", "method": "exit"}], 0),
        ([{"jsonrpc": "2.0", "method": "exit"}], 1),
    ],
    ids=["shutdown-then-exit", "exit-without-shutdown"],
)
def test_exit_codes(tmp_path: Path, messages: list[dict[str, object]], code: int) -> None:
    proc = _server()
    _initialize(proc, tmp_path)
    assert proc.stdin is not None
    for message in messages:
        proc.stdin.write(_frame(message))
    proc.stdin.flush()
    assert proc.wait(timeout=5) == code


@pytest.mark.parametrize("busy", [False, True], ids=["idle", "analysing-5MB"])
def test_stdin_closed_ends_the_process_within_a_second(tmp_path: Path, busy: bool) -> None:
    proc = _server()
    _initialize(proc, tmp_path)
    if busy:
        big = "# Design Document: Big\n" + "".join(
            f"## Section {i}\n\n[placeholder] text {i}\n" for i in range(150_000)
        )
        assert len(big) > 5_000_000
        _open(proc, tmp_path, big)
        time.sleep(0.3)
    assert proc.stdin is not None
    started = time.monotonic()
    proc.stdin.close()
    code = proc.wait(timeout=10)
    elapsed = time.monotonic() - started
    assert elapsed < 1.0 + (0.5 if busy else 0), f"took {elapsed:.2f}s"
    assert code == 1  # the editor went away without shutdown
    # The process is gone, so no thread of it is left; and it left no child process.
    assert not Path(f"/proc/{proc.pid}").exists() or sys.platform != "linux"


def _socket_inodes(pid: int) -> set[str]:
    out = set()
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        try:
            target = os.readlink(fd)
        except OSError:
            continue
        if match := re.fullmatch(r"socket:\[(\d+)\]", target):
            out.add(match.group(1))
    return out


def _inet_sockets(pid: int) -> list[tuple[str, str]]:
    """(local address, state) of the process's TCP/UDP sockets, from /proc/net."""
    inodes = _socket_inodes(pid)
    found = []
    for table in ("tcp", "tcp6", "udp", "udp6"):
        path = Path(f"/proc/{pid}/net/{table}")
        if not path.exists():
            continue
        for row in path.read_text().splitlines()[1:]:
            cols = row.split()
            if cols[9] in inodes:
                found.append((cols[1], cols[3]))
    return found


@pytest.mark.skipif(sys.platform != "linux", reason="reads /proc")
def test_stdio_server_opens_no_network_socket(tmp_path: Path) -> None:
    (tmp_path / "doc.md").write_text("# Design Document: x\n", encoding="utf-8")
    proc = _server()
    try:
        _initialize(proc, tmp_path)
        _open(proc, tmp_path, "# Design Document: x\n\n## Background\n")
        time.sleep(1.0)
        assert _inet_sockets(proc.pid) == []
    finally:
        proc.kill()
        proc.wait()


@pytest.mark.skipif(sys.platform != "linux", reason="reads /proc")
def test_tcp_listens_on_loopback_by_default(tmp_path: Path) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    proc = _server("serve", "--tcp", "--port", str(port))
    try:
        for _ in range(100):
            listening = [s for s in _inet_sockets(proc.pid) if s[1] == "0A"]
            if listening:
                break
            time.sleep(0.1)
        assert listening, "not listening"
        assert all(addr.startswith(("0100007F:", "00000000000000000000000001000000:"))
                   for addr, _ in listening), listening
        assert int(listening[0][0].split(":")[1], 16) == port
    finally:
        proc.kill()
        proc.wait()


# ---- nothing from the workspace runs ---------------------------------------------------------

HOSTILE_MODULES = ["design_lsp/__init__.py", "regex.py", "pydantic.py", "mistletoe.py",
                   "sitecustomize.py", "conftest.py", "design_lsp_plugin.py"]


def test_nothing_from_the_workspace_is_imported(tmp_path: Path) -> None:
    marker = tmp_path / "EXECUTED"
    for name in HOSTILE_MODULES:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"open({str(marker)!r}, 'a').write({name!r})\n", encoding="utf-8")
    (tmp_path / ".design-lsp.toml").write_text('template = "t.md"\n', encoding="utf-8")
    (tmp_path / "t.md").write_text("# Design Document: [x]\n\n## A\n", encoding="utf-8")
    (tmp_path / "doc.md").write_text(
        "---\ntemplate: t.md\nplugins: [design_lsp_plugin]\n---\n# Design Document: `__import__('os')`\n",
        encoding="utf-8",
    )
    run = subprocess.run(
        [str(SCRIPT) if SCRIPT.exists() else sys.executable, *([] if SCRIPT.exists() else ["-m", "design_lsp"]),
         "check", "doc.md"],
        cwd=tmp_path, capture_output=True, text=True, timeout=60,
    )
    assert run.returncode in (0, 1), run.stderr
    proc = _server(cwd=tmp_path)
    _initialize(proc, tmp_path)
    _open(proc, tmp_path, (tmp_path / "doc.md").read_text())
    time.sleep(1.0)
    proc.kill()
    proc.wait()
    assert not marker.exists(), marker.read_text()


def test_the_package_has_no_dynamic_code_execution() -> None:
    pattern = re.compile(r"\b(eval|exec|compile|__import__|import_module|pickle|marshal|"
                         r"subprocess|os\.system|os\.popen|shell=True)\b\s*[\(.]")
    for path in (ROOT / "design_lsp").rglob("*.py"):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            code = line.split("#", 1)[0]
            if pattern.search(code) and "re.compile" not in code and "regex.compile" not in code:
                if path.name == "workspace_symbols.py" and "subprocess." in code:
                    continue  # `git ls-files` (an argument list, fsmonitor off) for .gitignore
                if path.name == "changed.py" and "subprocess." in code:
                    continue  # git (an argument list, fsmonitor off) for `--changed-since`
                raise AssertionError(f"{path}:{number}: {line.strip()}")


# ---- workspace scans ---------------------------------------------------------------------------


def _hostile_tree(root: Path) -> None:
    (root / "docs").mkdir(parents=True)
    (root / "docs" / "real.md").write_text("# Design Document: x\n", encoding="utf-8")
    (root / "docs" / "loop").symlink_to(root / "docs", target_is_directory=True)
    (root / "docs" / "self.md").symlink_to(root / "docs" / "self.md")  # a symlink to itself
    (root / "docs" / "dangling.md").symlink_to(root / "nowhere.md")
    (root / "docs" / "zero.md").symlink_to("/dev/zero")
    (root / "docs" / "urandom.md").symlink_to("/dev/urandom")
    if hasattr(os, "mkfifo"):
        os.mkfifo(root / "docs" / "fifo.md")
    unix = socket.socket(socket.AF_UNIX)
    try:
        unix.bind(str(root / "docs" / "sock.md"))
    except OSError:
        pass
    finally:
        unix.close()


@pytest.mark.skipif(os.name != "posix", reason="symlinks and FIFOs")
def test_workspace_index_skips_loops_and_special_files(tmp_path: Path) -> None:
    _hostile_tree(tmp_path)
    started = time.monotonic()
    found = list(markdown_files([str(tmp_path)]))
    assert time.monotonic() - started < 5
    assert [Path(p).name for p in found] == ["real.md"]


@pytest.mark.skipif(os.name != "posix", reason="symlinks and FIFOs")
def test_cli_scan_skips_loops_and_special_files(tmp_path: Path) -> None:
    _hostile_tree(tmp_path)
    command = [str(SCRIPT)] if SCRIPT.exists() else [sys.executable, "-m", "design_lsp"]
    run = subprocess.run([*command, "check", "--format", "json", "."], cwd=tmp_path,
                         capture_output=True, text=True, timeout=60)
    files = [Path(f["path"]).name for f in json.loads(run.stdout or '{"files": []}')["files"]]
    assert files == ["real.md"], (run.returncode, run.stderr)


# ---- user patterns -------------------------------------------------------------------------------


@pytest.mark.parametrize("pattern", [r"(a|aa)+$", r"(a+)+b", r"(\w+\s?)+$", r"(x+x+)+y", r"^(a|a?)+$"])
def test_placeholder_patterns_cannot_hang_the_analysis(pattern: str) -> None:
    text = "# Design Document: x\n\n## Background\n\n" + ("a" * 5000 + "!\n") * 200
    started = time.monotonic()
    analyze(load_template(None), parse_document(text), extra_placeholders=[pattern])
    assert time.monotonic() - started < 5
