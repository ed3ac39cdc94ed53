"""Responses serialised once, written to the client as they are.

pygls turns a result into JSON by unstructuring the whole response message through cattrs and
`json.dumps`-ing it on the event loop; for a megabyte-sized answer (the outline of a big
document) that costs more than building it. A handler returns `JsonText` instead, and the
protocol's `_send_response` (wrapped once by `install`) frames the text as pygls would.
"""

from __future__ import annotations

import asyncio
import inspect
import json
import logging
from collections.abc import Callable
from typing import Any

log = logging.getLogger(__name__)
_WRITES: set[asyncio.Future[Any]] = set()  # pending asynchronous writes (TCP transport)
_INSTALLED = "_design_lsp_json_text"  # set on a protocol whose `_send_response` is wrapped


class JsonText(str):
    """A result already serialised to (ASCII) JSON."""

    __slots__ = ()


def result(ls: Any, text: str) -> Any:
    """`text` as a handler's result: written as it is when the protocol lets us (installing
    the hook on first use), else decoded so that pygls serialises it the ordinary way."""
    if install(ls):
        return JsonText(text)
    return json.loads(text)


def install(ls: Any) -> bool:
    """Wrap `ls.protocol._send_response` so that it writes `JsonText` results directly.
    Idempotent; False when this pygls lacks what the wrapper relies on."""
    protocol = getattr(ls, "protocol", None)
    if protocol is None:
        return False
    if getattr(protocol, _INSTALLED, False):
        return True
    original = getattr(protocol, "_send_response", None)
    if not callable(original) or not hasattr(protocol, "_include_headers"):
        return False
    protocol._send_response = _wrap(protocol, original)
    setattr(protocol, _INSTALLED, True)
    return True


def _wrap(protocol: Any, original: Callable[..., None]) -> Callable[..., None]:
    def send_response(msg_id: Any, result: Any = None, error: Any = None) -> None:
        # Errors (a cancelled request included) and every other result: pygls's own path.
        if error is not None or not isinstance(result, JsonText) or protocol.writer is None:
            original(msg_id, result, error)
            return
        write(protocol, _response(msg_id, result))

    return send_response


def _response(msg_id: Any, result: JsonText) -> str:
    # The members pygls's JsonRPCResponseMessage has; the id as the client sent it.
    return f'{{"id": {json.dumps(msg_id)}, "jsonrpc": "2.0", "result": {result}}}'


def write(protocol: Any, body: str | bytes) -> None:
    """Write one JSON-RPC message as pygls's `_send_data` frames it."""
    data = body.encode(protocol.CHARSET) if isinstance(body, str) else body
    try:
        if protocol._include_headers:
            content_type = f"{protocol.CONTENT_TYPE}; charset={protocol.CHARSET}"
            header = f"Content-Length: {len(data)}\r\nContent-Type: {content_type}\r\n\r\n"
            _write(protocol.writer, header.encode(protocol.CHARSET))
        _write(protocol.writer, data)  # (not joined to the header: that copies megabytes)
    except BrokenPipeError:
        log.exception("could not send a message: the client is gone")
        raise  # as pygls does: the transport is closed
    except Exception:
        log.exception("could not send a message")


def _write(writer: Any, data: bytes) -> None:
    written = writer.write(data)
    if inspect.isawaitable(written):
        task = asyncio.ensure_future(written)
        _WRITES.add(task)
        task.add_done_callback(_WRITES.discard)
