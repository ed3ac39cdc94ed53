"""Raw JSON-RPC framing for tests that must send what a well-behaved client library never would
(oversized lengths, unterminated headers, requests out of order) and read the exact answers."""

from __future__ import annotations

import json
import os
import select
import subprocess
import sys
import time
from pathlib import Path
from typing import IO, Any

SCRIPT = Path(sys.executable).parent / "design-lsp"


def server_command(*args: str) -> list[str]:
    command = [str(SCRIPT)] if SCRIPT.exists() else [sys.executable, "-m", "design_lsp"]
    return [*command, *args]


def frame(obj: dict[str, Any]) -> bytes:
    body = json.dumps(obj).encode()
    return b"Content-Length: %d\r\n\r\n" % len(body) + body


def initialize_params(root: Path) -> dict[str, Any]:
    return {"processId": None, "rootUri": root.as_uri(), "capabilities": {}}


class FrameReader:
    """Reads framed messages from a pipe or socket file, with a deadline per message."""

    def __init__(self, stream: IO[bytes]) -> None:
        self.stream = stream
        self.buffer = b""

    def _fill(self, deadline: float) -> bool:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            return False
        ready, _, _ = select.select([self.stream], [], [], remaining)
        if not ready:
            return False
        chunk = os.read(self.stream.fileno(), 1 << 16)
        if not chunk:
            raise EOFError("the server closed the stream")
        self.buffer += chunk
        return True

    def message(self, timeout: float = 10.0) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        while b"\r\n\r\n" not in self.buffer:
            if not self._fill(deadline):
                raise TimeoutError("no message from the server")
        head, _, rest = self.buffer.partition(b"\r\n\r\n")
        length = next(int(line.split(b":")[1]) for line in head.split(b"\r\n")
                      if line.lower().startswith(b"content-length"))
        while len(rest) < length:
            if not self._fill(deadline):
                raise TimeoutError("incomplete message from the server")
            rest = self.buffer.partition(b"\r\n\r\n")[2]
        self.buffer = rest[length:]
        decoded: dict[str, Any] = json.loads(rest[:length])
        return decoded

    def response(self, msg_id: int | str | None, timeout: float = 10.0) -> dict[str, Any]:
        """The response to `msg_id`, skipping notifications and requests from the server."""
        deadline = time.monotonic() + timeout
        while True:
            message = self.message(max(deadline - time.monotonic(), 0.01))
            if "method" not in message and message.get("id") == msg_id:
                return message


class StdioServer:
    """The server as the editor runs it, with the raw pipes at hand."""

    def __init__(self, *args: str, cwd: Path | None = None,
                 command: list[str] | None = None, env: dict[str, str] | None = None) -> None:
        self.proc = subprocess.Popen(
            command or server_command(*args), stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            stderr=subprocess.PIPE, cwd=cwd, env=env,
        )
        assert self.proc.stdout is not None
        self.reader = FrameReader(self.proc.stdout)

    def send(self, data: bytes | dict[str, Any]) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write(data if isinstance(data, bytes) else frame(data))
        self.proc.stdin.flush()

    def request(self, msg_id: int, method: str, params: Any = None) -> dict[str, Any]:
        message: dict[str, Any] = {"jsonrpc": "2.0", "id": msg_id, "method": method}
        if params is not None:
            message["params"] = params
        self.send(message)
        return self.reader.response(msg_id)

    def initialize(self, root: Path) -> dict[str, Any]:
        answer = self.request(1, "initialize", initialize_params(root))
        self.send({"jsonrpc": "2.0", "method": "initialized", "params": {}})
        return answer

    def close(self) -> str:
        """Ends the process; returns what it wrote to stderr (its log)."""
        if self.proc.poll() is None:
            self.proc.kill()
        _, err = self.proc.communicate(timeout=10)
        return err.decode(errors="replace")
