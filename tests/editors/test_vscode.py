"""VS Code: the packed editors/vscode/design-lsp.vsix, installed into code-server (VS Code OSS from
npm), whose extension host starts when headless Chromium opens the workbench. The extension's own
designLsp.selfTest command reports what VS Code shows; the test also takes the README screenshot.

scripts/test builds the .vsix and installs Node 24 and code-server under the editor cache
($DESIGN_LSP_EDITOR_CACHE, default ~/.cache/design-lsp-editors). DESIGN_LSP_UPDATE_SCREENSHOT=1
copies the screenshot to docs/vscode.png.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from editor_common import (
    CODE_ACTION_TITLE,
    DOC,
    EDITORS,
    HERE,
    REPO,
    check_session,
    require,
)

CACHE = Path(
    os.environ.get("DESIGN_LSP_EDITOR_CACHE", Path.home() / ".cache" / "design-lsp-editors")
)
NODE24 = CACHE / "node24" / "node_modules" / "node" / "bin"
CODE_SERVER = CACHE / "code-server" / "node_modules" / ".bin" / "code-server"
# The .vsix for this machine's platform, one of the five `npm run package` builds.
VSIX = EDITORS / "vscode" / "vsix" / "design-lsp-linux-x64.vsix"
SCREENSHOT = REPO / "docs" / "vscode.png"
REPORT_TIMEOUT = 180


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def _running(cmd: list[str], log: Path, **kwargs: object) -> Iterator[subprocess.Popen[bytes]]:
    with log.open("wb") as out:
        proc = subprocess.Popen(
            cmd, stdout=out, stderr=subprocess.STDOUT, start_new_session=True, **kwargs
        )  # type: ignore[call-overload]
    try:
        yield proc
    finally:
        with suppress(ProcessLookupError):
            os.killpg(proc.pid, 15)  # this process group only: the one started right here
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            with suppress(ProcessLookupError):
                os.killpg(proc.pid, 9)
            proc.wait()


def _wait_http(url: str, timeout: float, proc: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert proc.poll() is None, f"exited early:\n{log.read_text(errors='replace')}"
        with suppress(OSError), urllib.request.urlopen(url, timeout=2):
            return
        time.sleep(0.2)
    raise AssertionError(f"{url} did not answer in {timeout}s:\n{log.read_text(errors='replace')}")


def _tail(path: Path, n: int = 4000) -> str:
    return path.read_text(errors="replace")[-n:] if path.exists() else "(no log)"


def _follow_up(report: Path, step: str, timeout: float = 60) -> dict[str, object]:
    """Ask the extension's self-test for a step after its report (see followUps in selftest.ts)."""
    Path(f"{report}.{step}").write_text("", encoding="utf-8")
    answer = Path(f"{report}.{step}.json")
    deadline = time.monotonic() + timeout
    while not answer.exists() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert answer.exists(), f"the self-test did not do {step!r} in {timeout}s"
    result: dict[str, object] = json.loads(answer.read_text(encoding="utf-8"))
    assert "error" not in result, result
    return result


def _probe(node_bin: str, devtools_port: str, *args: str) -> dict[str, list[str]]:
    """Type or look in the workbench through the DevTools protocol (cdp_probe.mjs)."""
    out = subprocess.run(
        [node_bin, str(HERE / "cdp_probe.mjs"), devtools_port, *args],
        check=True,
        capture_output=True,
        text=True,
        timeout=60,
    )
    result: dict[str, list[str]] = json.loads(out.stdout)
    return result


def test_vscode_extension_in_code_server(tmp_path: Path) -> None:
    node_bin = require(
        "node 24 (npm node@24)", str(NODE24 / "node") if (NODE24 / "node").exists() else None
    )
    code_server = require("code-server", str(CODE_SERVER) if CODE_SERVER.exists() else None)
    chromium = require("chromium", shutil.which("chromium"))
    vsix = require("design-lsp.vsix (npm run package)", str(VSIX) if VSIX.exists() else None)
    started = time.monotonic()

    home = tmp_path / "home"
    user_data, extensions = tmp_path / "user-data", tmp_path / "extensions"
    (user_data / "User").mkdir(parents=True)
    home.mkdir()
    workspace = tmp_path / "ws"
    workspace.mkdir()
    (workspace / ".git").mkdir()
    (workspace / ".design-lsp.toml").write_text("# design-lsp config\n", encoding="utf-8")
    doc = workspace / "payment-retries.md"
    doc.write_text(DOC, encoding="utf-8")
    report = tmp_path / "report.json"
    (user_data / "User" / "settings.json").write_text(
        json.dumps(
            {
                # Synced to the server through workspace/configuration: a warning now.
                "designLsp.rules": {"invalid-field": {"severity": "warning"}},
                "workbench.startupEditor": "none",
                "workbench.tips.enabled": False,
                "workbench.colorTheme": "Default Dark Modern",
                "security.workspace.trust.enabled": False,
                "telemetry.telemetryLevel": "off",
                "extensions.autoUpdate": False,
                "extensions.autoCheckUpdates": False,
                "update.mode": "none",
                "chat.disableAIFeatures": True,
                "window.commandCenter": False,
                "editor.minimap.enabled": False,
            }
        ),
        encoding="utf-8",
    )
    # The user's PATH minus this venv: the extension must run its bundled server with a plain
    # Python 3.10+, not a design-lsp installed next to the tests.
    venv_bin = str(Path(sys.executable).parent)
    path = os.pathsep.join(p for p in os.environ.get("PATH", "").split(os.pathsep) if p != venv_bin)
    env = {
        k: v for k, v in os.environ.items() if not k.startswith(("VSCODE_", "ELECTRON_", "PYTHON"))
    } | {
        "HOME": str(home),
        "PATH": f"{NODE24}{os.pathsep}{path}",
        "DESIGN_LSP_SELFTEST_REPORT": str(report),
        "DESIGN_LSP_SELFTEST_DOC": str(doc),
        "DESIGN_LSP_SELFTEST_ACTION": CODE_ACTION_TITLE,
        # A design-lsp the user installed: designLsp.server.command runs it with server flags.
        "DESIGN_LSP_SELFTEST_CLI": str(Path(venv_bin) / "design-lsp"),
    }
    common = ["--user-data-dir", str(user_data), "--extensions-dir", str(extensions)]
    install = subprocess.run(
        [code_server, *common, "--install-extension", vsix],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert install.returncode == 0, install.stdout + install.stderr
    assert any(p.name.startswith("design-lsp.design-lsp-") for p in extensions.iterdir())

    port = _free_port()
    config = tmp_path / "code-server.yaml"
    config.write_text("", encoding="utf-8")
    server_log = tmp_path / "code-server.log"
    with _running(
        [
            node_bin,
            code_server,
            *common,
            "--config",
            str(config),
            "--auth",
            "none",
            "--bind-addr",
            f"127.0.0.1:{port}",
            "--disable-workspace-trust",
            "--disable-telemetry",
            "--disable-update-check",
            "--disable-getting-started-override",
            str(workspace),
        ],
        server_log,
        env=env,
        cwd=workspace,
    ) as server:
        _wait_http(f"http://127.0.0.1:{port}/healthz", 60, server, server_log)
        profile = tmp_path / "chromium"
        browser_log = tmp_path / "chromium.log"
        with _running(
            [
                chromium,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--no-default-browser-check",
                f"--user-data-dir={profile}",
                "--remote-debugging-port=0",
                "--window-size=1400,860",
                f"http://127.0.0.1:{port}/?folder={workspace}",
            ],
            browser_log,
            env=env | {"HOME": str(home)},
        ) as browser:
            deadline = time.monotonic() + REPORT_TIMEOUT
            while not report.exists() and time.monotonic() < deadline:
                assert browser.poll() is None, f"chromium exited:\n{_tail(browser_log)}"
                assert server.poll() is None, f"code-server exited:\n{_tail(server_log)}"
                time.sleep(0.25)
            assert report.exists(), (
                f"the extension reported nothing in {REPORT_TIMEOUT}s\ncode-server:\n"
                f"{_tail(server_log)}\nchromium:\n{_tail(browser_log)}\nlogs:\n"
                + "\n".join(_tail(p, 2000) for p in user_data.glob("logs/**/*Design LSP*.log"))
            )
            result = json.loads(report.read_text(encoding="utf-8"))
            assert "error" not in result, f"{result['error']}\n{_tail(server_log)}"

            # The screenshot, as a user sees the workbench: Problems and Outline open.
            devtools_port = (profile / "DevToolsActivePort").read_text().split()[0]
            shot = tmp_path / "vscode.png"
            time.sleep(2)
            subprocess.run(
                [node_bin, str(HERE / "cdp_screenshot.mjs"), devtools_port, str(shot)],
                check=True,
                env=env,
                timeout=60,
            )
            assert shot.stat().st_size > 10_000
            if os.environ.get("DESIGN_LSP_UPDATE_SCREENSHOT") == "1":
                SCREENSHOT.parent.mkdir(exist_ok=True)
                shutil.copyfile(shot, SCREENSHOT)

            # Completion while typing, as Markdown's default settings would not offer it: a '#'
            # at the start of an empty line pops up the sections (a trigger character); after
            # Escape, "### Cu" typed on pops them up again (quick suggestions, which the extension
            # turns on for Markdown), though a space is no longer a trigger character.
            _follow_up(report, "typing")
            typed_hash = _probe(node_bin, devtools_port, "type", "#")["suggestions"]
            typed_on = _probe(node_bin, devtools_port, "type", "#", "#", "Escape", " ", "C", "u")
            _probe(node_bin, devtools_port, "type", "Escape")

            # No usable Python: one message naming the setting, and no restart loop after it.
            _follow_up(report, "no-python")
            time.sleep(3)
            notifications = _probe(node_bin, devtools_port, "notifications")["notifications"]
    print(f"VS Code test: {time.monotonic() - started:.1f}s, in-editor timings {result['timings']}")

    assert result["languageId"] == "markdown"
    check_session(
        result,
        line="line",
        severity="severity",
        error="Error",
        warning="Warning",
        top_outline=[s["name"] for s in result["outline"] if s["depth"] <= 1],
        outline=[s["name"] for s in result["outline"]],
        others_shown=True,
    )

    # The two commands: the server restarted, and a new document came from the template.
    assert result["restarted"] is True
    new_doc = result["new_document"].splitlines()
    assert new_doc[0] == "# Design Document: Search Index", new_doc[:3]
    assert "## Executive Summary" in new_doc

    # With designLsp.server.command = design-lsp serve --log-file F, the server logs to F and
    # "New design document" still runs `design-lsp new FILE`.
    assert result["server_log_written"] is True
    assert result["new_document_with_server_flags"].startswith("# Design Document: Flagged\n")

    assert "Proposed Solution" in typed_hash, typed_hash
    assert "Current State" in typed_on["suggestions"], typed_on

    told = [n for n in notifications if "designLsp.server.interpreter" in n]
    assert len(told) == 1, notifications
    assert "/nonexistent/bin/python3" in told[0]
    assert not [n for n in notifications if "crashed" in n or "restart" in n.lower()], notifications
