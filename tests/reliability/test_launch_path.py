"""The VS Code extension starts the server with the workspace folder as its working directory:
nothing in that folder may be imported. The launch is computed by the extension's own code
(editors/vscode/src/server.ts, bundled with the extension's esbuild and run under node)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from raw_rpc import StdioServer

ROOT = Path(__file__).resolve().parents[2]
VSCODE = ROOT / "editors" / "vscode"
ESBUILD = VSCODE / "node_modules" / ".bin" / "esbuild"
NODE = shutil.which("node")

pytestmark = pytest.mark.skipif(
    NODE is None or not ESBUILD.exists(),
    reason="needs node and editors/vscode/node_modules (npm ci in editors/vscode)",
)

# Modules a workspace could hold that the server (or Python's `-m` machinery) imports.
HOSTILE = ["lsprotocol/__init__.py", "pygls/__init__.py", "design_lsp/__init__.py", "runpy.py",
           "cattrs/__init__.py"]


@pytest.fixture(scope="module")
def launch_js(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("launch") / "server.js"
    subprocess.run(
        [str(ESBUILD), str(VSCODE / "src" / "server.ts"), "--bundle", "--platform=node",
         "--format=cjs", f"--outfile={out}", "--log-level=warning"],
        check=True, timeout=120,
    )
    return out


def resolve_launch(launch_js: Path, python_tag: str | None) -> dict[str, Any]:
    """`resolveLaunch` of the extension for this interpreter; `python_tag` fakes the probe's
    answer (to take the Python 3.10 path on a newer interpreter), None runs the real probe."""
    probe = f"() => {json.dumps(python_tag)}" if python_tag else "undefined"
    script = (
        f"const s = require({json.dumps(str(launch_js))});"
        f"const l = s.resolveLaunch({json.dumps(str(launch_js.parent))},"
        f" {{command: [], interpreter: {json.dumps(sys.executable)}}}, {probe});"
        "process.stdout.write(JSON.stringify(l));"
    )
    assert NODE is not None
    run = subprocess.run([NODE, "-e", script], capture_output=True, text=True, timeout=60,
                         check=True)
    launch: dict[str, Any] = json.loads(run.stdout)
    return launch


def hostile_workspace(root: Path) -> Path:
    marker = root / "EXECUTED"
    for name in HOSTILE:
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"open({str(marker)!r}, 'a').write({name!r} + '\\n')\n", encoding="utf-8")
    return marker


def test_the_hostile_workspace_runs_under_a_plain_launch(tmp_path: Path) -> None:
    """The trap works: with the working directory on sys.path its `lsprotocol` is run."""
    marker = hostile_workspace(tmp_path)
    subprocess.run([sys.executable, "-c", "import lsprotocol"], cwd=tmp_path, timeout=60)
    assert marker.exists()


@pytest.mark.parametrize("python_tag", [None, "cp310"], ids=["this-python", "python-3.10-path"])
def test_extension_launch_never_imports_from_the_workspace(
    tmp_path: Path, launch_js: Path, python_tag: str | None
) -> None:
    launch = resolve_launch(launch_js, python_tag)
    if python_tag is None and sys.version_info >= (3, 11):
        assert "-P" in launch["args"]
    marker = hostile_workspace(tmp_path)
    server = StdioServer(command=[launch["command"], *launch["args"]], cwd=tmp_path,
                         env=launch["env"])
    try:
        answer = server.initialize(tmp_path)
        assert answer["result"]["serverInfo"]["name"] == "design-lsp"
        assert server.request(2, "shutdown")["result"] is None
        server.send({"jsonrpc": "2.0", "method": "exit"})
        assert server.proc.wait(timeout=10) == 0
    finally:
        log = server.close()
    assert not marker.exists(), marker.read_text() + log


def test_new_document_command_runs_through_the_same_launch(tmp_path: Path, launch_js: Path) -> None:
    """"New design document" runs `<launch> new FILE` in the file's folder (the 3.10 path
    passes the arguments on through its bootstrap)."""
    launch = resolve_launch(launch_js, "cp310")
    marker = hostile_workspace(tmp_path)
    run = subprocess.run([launch["command"], *launch["args"], "new", "doc.md"], cwd=tmp_path,
                         env=launch["env"], capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr
    assert (tmp_path / "doc.md").read_text(encoding="utf-8").startswith("#")
    assert not marker.exists(), marker.read_text()


def test_relative_pythonpath_entries_are_dropped(launch_js: Path) -> None:
    """An empty or relative PYTHONPATH entry would put the working directory back on sys.path."""
    assert NODE is not None
    script = (
        f"const s = require({json.dumps(str(launch_js))});"
        "process.stdout.write(JSON.stringify(s.absolutePathEntries(['/a', undefined, ':rel:/b:.'])));"
    )
    run = subprocess.run([NODE, "-e", script], capture_output=True, text=True, timeout=60,
                         check=True, env={**os.environ})
    assert json.loads(run.stdout) == ["/a", "/b"]


def _node(launch_js: Path, expression: str) -> Any:
    assert NODE is not None
    script = (
        f"const s = require({json.dumps(str(launch_js))});"
        f"try {{ process.stdout.write(JSON.stringify({expression})); }}"
        " catch (e) { process.stdout.write(JSON.stringify({error: e.message})); }"
    )
    run = subprocess.run([NODE, "-e", script], capture_output=True, text=True, timeout=60,
                         check=True)
    return json.loads(run.stdout)


def test_new_document_drops_the_server_subcommand_and_flags(launch_js: Path) -> None:
    """designLsp.server.command as the crash-report advice sets it: `new FILE` must not follow
    `serve --log-file F`."""
    for command, cli in [
        (["design-lsp", "serve", "--log-file", "/tmp/l"], ["design-lsp"]),
        (["py", "-m", "design_lsp", "--log-file=/tmp/l", "serve", "--stdio"],
         ["py", "-m", "design_lsp"]),
        (["design-lsp", "--log-file", "/tmp/l"], ["design-lsp"]),
    ]:
        launch = _node(launch_js, f"s.resolveLaunch('/x', {{command: {json.dumps(command)},"
                                  " interpreter: ''}).cli")
        assert [launch["command"], *launch["args"]] == cli


def test_a_python_without_bundled_dependencies_is_not_used(tmp_path: Path, launch_js: Path) -> None:
    """A packaged extension carries compiled dependencies per CPython version: a Python it has
    none for is passed over, and the message names the setting to fix."""
    (tmp_path / "bundled" / "native" / "cp312").mkdir(parents=True)
    ok = _node(launch_js, f"s.resolveLaunch({json.dumps(str(tmp_path))},"
                          " {command: [], interpreter: 'python9'}, () => 'cp312').env.PYTHONPATH")
    assert str(tmp_path / "bundled" / "native" / "cp312") in ok
    refused = _node(launch_js, f"s.resolveLaunch({json.dumps(str(tmp_path))},"
                               " {command: [], interpreter: 'python9'}, () => 'cp399')")
    assert "designLsp.server.interpreter" in refused["error"], refused
    assert "3.12-3.12" in refused["error"] and "Python 3.99: not bundled" in refused["error"]
