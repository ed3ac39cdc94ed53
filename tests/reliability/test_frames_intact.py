"""Every frame reaches the client intact while the analysis worker reports an error.

The worker reports a broken template (a showMessage) while the event loop writes a multi-megabyte
outline to a client that reads slowly, so the loop sits in the middle of that frame. A message
written from the worker's thread would land inside it; every message must instead be written
from the loop, whole. The raw byte stream is parsed here: each Content-Length must match its
body and every body must be JSON.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
ROUNDS = 5
TEMPLATE = "# Design: <title>\n\n## Summary\n\n## Plan\n"
BROKEN = "no headings here, so no sections\n"


def _frame(message: dict[str, Any]) -> bytes:
    body = json.dumps({"jsonrpc": "2.0", **message}).encode()
    return b"Content-Length: %d\r\n\r\n" % len(body) + body


class _RawStream:
    """The server's stdout, read on a thread that can be paused (a slow client)."""

    def __init__(self, stream: Any) -> None:
        self.stream = stream
        self.data = bytearray()
        self.lock = threading.Lock()
        self.reading = threading.Event()
        self.reading.set()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        while True:
            self.reading.wait()
            chunk = self.stream.read1(65536)
            if not chunk:
                return
            with self.lock:
                self.data += chunk

    def frames(self) -> list[bytes]:
        """The whole frames so far; a malformed one fails the test."""
        with self.lock:
            raw = bytes(self.data)
        out = []
        while raw:
            head, sep, rest = raw.partition(b"\r\n\r\n")
            if not sep:
                break
            lines = head.split(b"\r\n")
            lengths = [int(line.split(b":")[1]) for line in lines
                       if line.lower().startswith(b"content-length:")]
            assert len(lengths) == 1, f"a header block without one Content-Length: {head[:200]!r}"
            assert all(line.lower().startswith(b"content-") for line in lines), head[:200]
            if len(rest) < lengths[0]:
                break
            body = rest[: lengths[0]]
            json.loads(body)  # the body is JSON, whole
            out.append(body)
            raw = rest[lengths[0]:]
        return out


def _wait(stream: _RawStream, done: Any, timeout: float = 120) -> list[dict[str, Any]]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        messages = [json.loads(f) for f in stream.frames()]
        if done(messages):
            return messages
        time.sleep(0.05)
    raise AssertionError("timed out waiting for the server")


def test_frames_stay_whole_while_the_worker_reports(tmp_path: Path) -> None:
    ws = tmp_path / "ws"
    ws.mkdir()
    (ws / ".git").mkdir()
    template = ws / "template.md"
    template.write_text(TEMPLATE)
    (ws / ".design-lsp.toml").write_text('template = "template.md"\ninclude = ["b.md"]\n')
    (ws / "other.md").write_text("# Other: <x>\n\n## Anything\n")
    # A: checked against a template of its own, so only B's analysis reads the broken one;
    # 8,000 sections with long titles make a multi-megabyte outline.
    title = "a section title long enough to make a large outline " * 3
    a_text = "---\ntemplate: other.md\n---\n# Other: big\n\n" + "".join(
        f"## {n} {title}\n\nSome text {n}.\n\n" for n in range(8000)
    )
    b_text = "# Design: b\n\n## Summary\n\nText.\n\n## Plan\n\nText.\n"
    a_uri, b_uri = (ws / "a.md").as_uri(), (ws / "b.md").as_uri()
    env = dict(os.environ, DESIGN_LSP_STRICT_THREADS="1")
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    stderr = (tmp_path / "stderr.txt").open("wb")
    proc = subprocess.Popen([sys.executable, "-m", "design_lsp"], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=stderr, env=env, cwd=ws)
    assert proc.stdin is not None and proc.stdout is not None
    stream = _RawStream(proc.stdout)
    next_id = iter(range(1, 10_000))
    b_version = iter(range(2, 10_000))

    def send(*messages: dict[str, Any]) -> None:
        assert proc.stdin is not None
        proc.stdin.write(b"".join(_frame(m) for m in messages))
        proc.stdin.flush()

    def request(method: str, params: Any) -> dict[str, Any]:
        return {"id": next(next_id), "method": method, "params": params}

    def answered(req: dict[str, Any]) -> Any:
        return lambda ms: any(m.get("id") == req["id"] and "method" not in m for m in ms)

    def open_doc(uri: str, text: str) -> dict[str, Any]:
        doc = {"uri": uri, "languageId": "markdown", "version": 1, "text": text}
        return {"method": "textDocument/didOpen", "params": {"textDocument": doc}}

    def edit_b() -> dict[str, Any]:
        doc = {"uri": b_uri, "version": next(b_version)}
        change = {"text": b_text + f"\n{time.monotonic()}\n"}
        return {"method": "textDocument/didChange",
                "params": {"textDocument": doc, "contentChanges": [change]}}

    def template_changed() -> dict[str, Any]:
        change = {"uri": template.as_uri(), "type": 2}
        return {"method": "workspace/didChangeWatchedFiles", "params": {"changes": [change]}}

    symbols = {"textDocument": {"uri": a_uri}}
    try:
        init = request("initialize", {
            "processId": None, "rootUri": ws.as_uri(),
            "workspaceFolders": [{"uri": ws.as_uri(), "name": "ws"}],
            "capabilities": {"textDocument": {
                "diagnostic": {}, "documentSymbol": {"hierarchicalDocumentSymbolSupport": True},
            }},
        })  # fmt: skip
        send(init)
        _wait(stream, answered(init))
        send({"method": "initialized", "params": {}}, open_doc(a_uri, a_text),
             open_doc(b_uri, b_text))
        errors = 0
        for _ in range(ROUNDS):
            template.write_text(BROKEN)
            warm = request("textDocument/documentSymbol", symbols)
            send(template_changed(), warm)  # the reload, then A's outline built for it
            _wait(stream, answered(warm))
            # B's edit has the worker load the broken template and report it, while the loop
            # writes A's outline to a client that is not reading.
            stream.reading.clear()
            outline = request("textDocument/documentSymbol", symbols)
            send(edit_b(), outline)
            time.sleep(0.5)
            stream.reading.set()
            done = answered(outline)
            messages = _wait(stream, lambda ms, done=done, seen=errors: done(ms) and sum(
                m.get("method") == "window/showMessage" for m in ms) > seen)
            errors = sum(m.get("method") == "window/showMessage" for m in messages)
            big = next(m for m in messages if m.get("id") == outline["id"])
            assert len(json.dumps(big["result"])) > 2_000_000
            # Fixed again, so that the next break is reported anew.
            template.write_text(TEMPLATE)
            pull = request("textDocument/diagnostic", {"textDocument": {"uri": b_uri}})
            send(template_changed(), edit_b(), pull)
            _wait(stream, answered(pull))
        assert errors >= ROUNDS
        shutdown = request("shutdown", None)
        send(shutdown)
        _wait(stream, answered(shutdown))
        send({"method": "exit"})
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        stderr.close()
    log = (tmp_path / "stderr.txt").read_text(errors="replace")
    assert "BUG:" not in log, log[-3000:]
