"""Responses serialised once, written to the client as they are.

pygls turns a result into JSON by unstructuring the whole response message through cattrs and
`json.dumps`-ing it on the event loop; for a megabyte-sized answer (the outline of a big
document) that costs more than building it. A handler returns `JsonText` instead, and the
protocol's `_send_response` (wrapped once by `install`) frames the text as pygls would (the
private pygls members this takes are in `pygls_internals`).
"""

from __future__ import annotations

import asyncio
import inspect
import json
import logging
from collections.abc import Callable
from typing import Any

from design_lsp.features import event_loop, pygls_internals

log = logging.getLogger(__name__)
_WRITES: set[asyncio.Future[Any]] = set()  # pending asynchronous writes (TCP transport)
_INSTALLED = "_design_lsp_json_text"  # set on a protocol whose `_send_response` is wrapped


class JsonText:
    """A result already serialised to JSON (UTF-8), for the wrapped `_send_response` only."""

    __slots__ = ("data",)

    def __init__(self, data: bytes) -> None:
        self.data = data


def result(ls: Any, text: str | bytes) -> Any:
    """`text` as a handler's result: written as it is when the protocol lets us (installing
    the hook on first use), else decoded so that pygls serialises it the ordinary way."""
    if install(ls):
        return JsonText(text.encode() if isinstance(text, str) else text)
    return json.loads(text)


def install(ls: Any) -> bool:
    """Wrap `ls.protocol._send_response` so that it writes `JsonText` results directly.
    Idempotent; False when this pygls lacks what the wrapper relies on."""
    protocol = getattr(ls, "protocol", None)
    if protocol is None:
        return False
    if getattr(protocol, _INSTALLED, False):
        return True
    if not pygls_internals.wrap_send_response(protocol, lambda orig: _wrap(protocol, orig)):
        return False
    setattr(protocol, _INSTALLED, True)
    return True


def _wrap(protocol: Any, original: Callable[..., None]) -> Callable[..., None]:
    def send_response(msg_id: Any, result: Any = None, error: Any = None) -> None:
        # Errors (a cancelled request included) and every other result: pygls's own path.
        if error is not None or not isinstance(result, JsonText) or protocol.writer is None:
            original(msg_id, result, error)
            return
        # The members pygls's JsonRPCResponseMessage has; the id as the client sent it.
        head = f'{{"id":{json.dumps(msg_id)},"jsonrpc":"2.0","result":'
        write(protocol, head.encode(), result.data, b"}")

    return send_response


def write(protocol: Any, *parts: str | bytes) -> None:
    """Write one JSON-RPC message, given in parts, as pygls's `_send_data` frames it (the
    parts are written one by one: joining them would copy megabytes). On the event loop
    only, so that no other message can land between the parts."""
    if not event_loop.check_on_loop("a message"):
        event_loop.call_on_loop(write, protocol, *parts)
        return
    data = [part.encode(protocol.CHARSET) if isinstance(part, str) else part for part in parts]
    try:
        header = pygls_internals.frame_header(protocol, sum(map(len, data)))
        if header is not None:
            _write(protocol.writer, header)
        for part in data:
            _write(protocol.writer, part)
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
