"""Pre-serialised responses are framed as pygls frames messages; anything else goes through pygls."""

from __future__ import annotations

import json
from typing import Any

from design_lsp.features import wire


class _Writer:
    def __init__(self) -> None:
        self.data = b""

    def write(self, data: bytes) -> None:
        self.data += data


class _Protocol:
    CONTENT_TYPE = "application/vscode-jsonrpc"
    CHARSET = "utf-8"

    def __init__(self, headers: bool) -> None:
        self.writer = _Writer()
        self._include_headers = headers
        self.sent: list[tuple[Any, Any, Any]] = []

    def _send_response(self, msg_id: Any, result: Any = None, error: Any = None) -> None:
        self.sent.append((msg_id, result, error))


class _Server:
    def __init__(self, headers: bool = True) -> None:
        self.protocol = _Protocol(headers)


def _messages(raw: bytes) -> list[dict[str, Any]]:
    out = []
    while raw:
        head, _, rest = raw.partition(b"\r\n\r\n")
        length = int(head.split(b"Content-Length: ")[1].split(b"\r\n")[0])
        out.append(json.loads(rest[:length]))
        raw = rest[length:]
    return out


def test_json_text_result_is_written_with_headers_and_the_request_id() -> None:
    ls = _Server()
    text = json.dumps([{"name": "Ünïcode 😀", "children": []}], ensure_ascii=False)
    result = wire.result(ls, text)
    assert isinstance(result, wire.JsonText)
    for msg_id in (7, "req-7"):
        ls.protocol._send_response(msg_id, result)
    first, second = _messages(ls.protocol.writer.data)
    assert first == {"id": 7, "jsonrpc": "2.0", "result": json.loads(text)}
    assert second["id"] == "req-7"
    assert ls.protocol.sent == []  # not through pygls's serialiser


def test_errors_and_other_results_go_through_pygls() -> None:
    ls = _Server()
    wire.install(ls)
    ls.protocol._send_response(1, [{"a": 1}])
    ls.protocol._send_response(2, wire.JsonText(b"[]"), error={"code": -32800})
    assert [sent[0] for sent in ls.protocol.sent] == [1, 2]
    assert ls.protocol.writer.data == b""


def test_without_headers_the_body_is_written_alone() -> None:
    ls = _Server(headers=False)
    wire.write(ls.protocol, b'{"jsonrpc":"2.0","method":"x"}')
    assert ls.protocol.writer.data == b'{"jsonrpc":"2.0","method":"x"}'


def test_a_protocol_without_the_hook_gets_decoded_json() -> None:
    class Bare:
        protocol = object()

    assert wire.result(Bare(), '[{"a": 1}]') == [{"a": 1}]
