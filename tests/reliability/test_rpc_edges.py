"""JSON-RPC at the edges, over stdio to the real server process: what is read is bounded, and
every request gets the answer the LSP specification asks for."""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from raw_rpc import StdioServer, frame

from design_lsp.features.framing import MAX_CONTENT_LENGTH

HOVER = {"textDocument": {"uri": "file:///nowhere/doc.md"}, "position": {"line": 0, "character": 0}}
SYMBOLS = {"query": "x"}


@pytest.fixture
def server() -> Iterator[StdioServer]:
    running = StdioServer()
    yield running
    running.close()


def _peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise AssertionError("no VmHWM")


def test_an_absurd_content_length_does_not_kill_the_server(server: StdioServer, tmp_path: Path) -> None:
    server.initialize(tmp_path)
    server.send(b"Content-Length: 99999999999999\r\n\r\n{}")
    time.sleep(1.5)
    assert server.proc.poll() is None, server.close()[-2000:]


def test_a_body_over_the_limit_is_dropped_and_the_next_message_answered(
    server: StdioServer, tmp_path: Path
) -> None:
    server.initialize(tmp_path)
    server.send(b"Content-Length: %d\r\n\r\n" % (MAX_CONTENT_LENGTH + 1))
    chunk = b" " * (1 << 20)
    for _ in range(MAX_CONTENT_LENGTH // len(chunk)):
        server.send(chunk)
    server.send(b" ")
    answer = server.request(5, "workspace/symbol", SYMBOLS)
    assert answer["result"] == []
    assert "MAX_CONTENT_LENGTH" in server.close()


@pytest.mark.skipif(sys.platform != "linux", reason="reads /proc")
def test_a_header_line_without_newline_is_not_buffered(server: StdioServer, tmp_path: Path) -> None:
    server.initialize(tmp_path)
    server.request(2, "workspace/symbol", SYMBOLS)
    before = _peak_rss_mb(server.proc.pid)
    junk = 64 * (1 << 20)
    chunk = b"A" * (1 << 20)
    for _ in range(junk // len(chunk)):
        server.send(chunk)
    server.send(b"\r\n\r\n")
    assert server.request(3, "workspace/symbol", SYMBOLS)["result"] == []
    grown = _peak_rss_mb(server.proc.pid) - before
    assert grown < 24, f"peak memory grew by {grown:.0f} MB while reading a 64 MB header line"


def test_requests_before_initialize_get_server_not_initialized(
    server: StdioServer, tmp_path: Path
) -> None:
    answer = server.request(7, "textDocument/hover", HOVER)
    assert answer["error"]["code"] == -32002
    assert "result" not in answer
    # A notification before initialize is dropped, without an answer; initialize still works.
    server.send({"jsonrpc": "2.0", "method": "workspace/didChangeConfiguration",
                 "params": {"settings": {}}})
    assert "capabilities" in server.initialize(tmp_path)["result"]
    assert server.request(8, "initialize", {"processId": None, "rootUri": None,
                                            "capabilities": {}})["error"]["code"] == -32600
    assert server.request(9, "workspace/symbol", SYMBOLS)["result"] == []


@pytest.mark.parametrize(
    "params",
    [{"textDocument": 5, "position": {"line": 0, "character": 0}}, None, [1, 2]],
    ids=["wrong-type", "missing", "array"],
)
def test_requests_with_invalid_params_get_invalid_params(
    server: StdioServer, tmp_path: Path, params: object
) -> None:
    server.initialize(tmp_path)
    answer = server.request(4, "textDocument/hover", params)
    assert answer["error"]["code"] == -32602
    assert server.request(5, "workspace/symbol", SYMBOLS)["result"] == []


def test_requests_after_shutdown_get_invalid_request(server: StdioServer, tmp_path: Path) -> None:
    server.initialize(tmp_path)
    assert server.request(2, "shutdown")["result"] is None
    answer = server.request(3, "textDocument/hover", HOVER)
    assert answer["error"]["code"] == -32600
    assert server.request(4, "shutdown")["error"]["code"] == -32600
    server.send({"jsonrpc": "2.0", "method": "exit"})
    assert server.proc.wait(timeout=10) == 0


def test_a_body_that_is_not_json_gets_a_parse_error(server: StdioServer, tmp_path: Path) -> None:
    server.initialize(tmp_path)
    server.send(b"Content-Length: 5\r\n\r\n{oops")
    answer = server.reader.message()
    assert answer["error"]["code"] == -32700
    assert "id" in answer and answer["id"] is None
    assert server.request(6, "workspace/symbol", SYMBOLS)["result"] == []


def test_framing_tolerates_what_clients_send(server: StdioServer, tmp_path: Path) -> None:
    """Header names in any case, a Content-Type header, stray blank lines between messages."""
    server.initialize(tmp_path)
    body = frame({"jsonrpc": "2.0", "id": 3, "method": "workspace/symbol", "params": SYMBOLS})
    _, _, payload = body.partition(b"\r\n\r\n")
    server.send(b"\r\ncontent-length: %d\r\nContent-Type: application/vscode-jsonrpc; "
                b"charset=utf-8\r\n\r\n" % len(payload) + payload)
    assert server.reader.response(3)["result"] == []
