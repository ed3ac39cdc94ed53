"""`serve --tcp` (the debug transport) serves one client at a time: a second connection cannot
take the first client's answers, and a connection that closes without a word (a port probe)
does not end the server."""

from __future__ import annotations

import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from raw_rpc import FrameReader, frame, initialize_params, server_command

SYMBOLS = {"query": "x"}


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


class Client:
    def __init__(self, port: int) -> None:
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=10)
        self.file = self.sock.makefile("rb")
        self.reader = FrameReader(self.file)

    def close(self) -> None:
        self.file.close()  # the socket stays open while a file made from it is
        self.sock.close()

    def request(self, msg_id: int, method: str, params: Any = None) -> dict[str, Any]:
        self.sock.sendall(frame({"jsonrpc": "2.0", "id": msg_id, "method": method,
                                 "params": params}))
        return self.reader.response(msg_id)

    def closed_by_server(self, timeout: float = 5.0) -> bool:
        self.sock.settimeout(timeout)
        try:
            return self.sock.recv(1) == b""
        except TimeoutError:
            return False
        except ConnectionResetError:
            return True


@pytest.fixture
def tcp_server() -> Iterator[tuple[subprocess.Popen[bytes], int]]:
    port = _free_port()
    proc = subprocess.Popen(server_command("serve", "--tcp", "--port", str(port)),
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()  # also a bare probe
            break
        except OSError:
            time.sleep(0.1)
    yield proc, port
    proc.kill()
    proc.wait()


def test_a_second_connection_is_refused_and_the_first_keeps_its_answers(
    tcp_server: tuple[subprocess.Popen[bytes], int], tmp_path: Path
) -> None:
    proc, port = tcp_server
    first = Client(port)
    assert "capabilities" in first.request(1, "initialize", initialize_params(tmp_path))["result"]
    second = Client(port)
    assert second.closed_by_server(), "a second client was served alongside the first"
    assert first.request(2, "workspace/symbol", SYMBOLS)["result"] == []
    assert proc.poll() is None


def test_a_connection_that_closes_without_a_message_does_not_end_the_server(
    tcp_server: tuple[subprocess.Popen[bytes], int], tmp_path: Path
) -> None:
    proc, port = tcp_server  # the fixture's readiness probe was one such connection
    socket.create_connection(("127.0.0.1", port), timeout=5).close()
    with socket.create_connection(("127.0.0.1", port), timeout=5) as partial:
        partial.sendall(b"Content-Length: 50\r\n\r\n{")  # closes mid-message
    time.sleep(0.5)
    assert proc.poll() is None
    client = Client(port)
    assert "capabilities" in client.request(1, "initialize", initialize_params(tmp_path))["result"]
    assert client.request(2, "shutdown")["result"] is None
    client.sock.sendall(frame({"jsonrpc": "2.0", "method": "exit"}))
    assert proc.wait(timeout=10) == 0


def test_the_session_ends_when_its_client_goes(
    tcp_server: tuple[subprocess.Popen[bytes], int], tmp_path: Path
) -> None:
    proc, port = tcp_server
    client = Client(port)
    client.request(1, "initialize", initialize_params(tmp_path))
    client.close()
    assert proc.wait(timeout=10) == 1  # gone without shutdown, as on stdio


def test_a_long_header_line_over_tcp_is_dropped(
    tcp_server: tuple[subprocess.Popen[bytes], int], tmp_path: Path
) -> None:
    proc, port = tcp_server
    client = Client(port)
    client.request(1, "initialize", initialize_params(tmp_path))
    client.sock.sendall(b"X-Junk: " + b"A" * 1_000_000 + b"\r\n\r\n")
    assert client.request(2, "workspace/symbol", SYMBOLS)["result"] == []
    assert proc.poll() is None


def test_a_silent_connection_does_not_block_the_client_that_speaks(
    tcp_server: tuple[subprocess.Popen[bytes], int], tmp_path: Path
) -> None:
    """A port probe still open when the editor connects: the editor is served, and the probe,
    speaking later, is closed without taking the editor's answers."""
    proc, port = tcp_server
    probe = Client(port)
    client = Client(port)
    assert "capabilities" in client.request(1, "initialize", initialize_params(tmp_path))["result"]
    probe.sock.sendall(frame({"jsonrpc": "2.0", "id": 1, "method": "workspace/symbol",
                              "params": SYMBOLS}))
    assert probe.closed_by_server()
    assert client.request(2, "workspace/symbol", SYMBOLS)["result"] == []
    assert proc.poll() is None
