"""pygls's language server protocol, answering as the LSP specification asks where pygls drops
a message silently or lets it through:

- a body that is not JSON: error -32700 (ParseError), id null;
- not a JSON-RPC 2.0 message: -32600 (InvalidRequest);
- a request before `initialize`: -32002 (ServerNotInitialized); notifications then are
  dropped, except `exit`;
- a second `initialize`, or any request after `shutdown`: -32600 (InvalidRequest);
- a request whose params do not fit the method: -32602 (InvalidParams).

Notifications never get an answer (JSON-RPC); a bad one is logged and dropped.
Runs on the event loop (`receive` is called by the reading loop), like every send here.
"""

from __future__ import annotations

import json
import logging
from typing import Any

from lsprotocol import types
from pygls.exceptions import JsonRpcException

from design_lsp.features import wire
from design_lsp.features.pygls_internals import LoopOnlyWriter

log = logging.getLogger(__name__)

Codes = types.ErrorCodes


class GuardedProtocol(LoopOnlyWriter):
    _initialize_seen = False
    _shutdown_seen = False

    def receive(self, body: bytes) -> None:
        """One message body from the client."""
        try:
            data = json.loads(body)
        except (ValueError, RecursionError) as exc:  # UnicodeDecodeError is a ValueError
            log.error("a message that is not JSON: %s", exc)
            self._refuse(None, Codes.ParseError, "Parse error: the message is not JSON")
            return
        if not isinstance(data, dict) or data.get("jsonrpc") != self.VERSION:
            log.error("not a JSON-RPC 2.0 message: %.200r", data)
            msg_id = data.get("id") if isinstance(data, dict) else None
            self._refuse(_valid_id(msg_id), Codes.InvalidRequest, "Not a JSON-RPC 2.0 message")
            return
        method = data.get("method")
        if "id" in data and isinstance(method, str):
            self._receive_request(data, method)
        elif isinstance(method, str):
            self._receive_notification(data, method)
        else:
            self._deliver(data)  # a response to one of our requests

    def _receive_request(self, data: dict[str, Any], method: str) -> None:
        msg_id = _valid_id(data["id"])
        if msg_id is None:
            self._refuse(None, Codes.InvalidRequest, "A request id must be a number or a string")
            return
        refusal = self._lifecycle_refusal(method)
        if refusal:
            log.warning("refused %r (id %r): %s", method, msg_id, refusal[1])
            self._refuse(msg_id, *refusal)
            return
        if method == types.INITIALIZE:
            self._initialize_seen = True
        elif method == types.SHUTDOWN:
            self._shutdown_seen = True
        if not self._deliver(data):
            self._refuse(msg_id, Codes.InvalidParams, f"Invalid params for {method}")

    def _receive_notification(self, data: dict[str, Any], method: str) -> None:
        if method != types.EXIT and (not self._initialize_seen or self._shutdown_seen):
            log.warning("dropped the notification %r: %s", method,
                        "after shutdown" if self._shutdown_seen else "before initialize")
            return
        self._deliver(data)

    def _lifecycle_refusal(self, method: str) -> tuple[int, str] | None:
        if self._shutdown_seen:
            return Codes.InvalidRequest, "The server is shutting down: only exit is accepted"
        if not self._initialize_seen and method != types.INITIALIZE:
            return Codes.ServerNotInitialized, "The server has not been initialized"
        if self._initialize_seen and method == types.INITIALIZE:
            return Codes.InvalidRequest, "initialize may only be sent once"
        return None

    def _deliver(self, data: dict[str, Any]) -> bool:
        """Structure the message as its method's lsprotocol type and handle it; False when
        it does not fit that type (logged)."""
        try:
            message = self.structure_message(data)
        except JsonRpcException:
            return False  # pygls has logged what did not fit
        try:
            self.handle_message(message)
        except Exception:
            # As pygls's own loop does: one message that fails (a late answer to a request
            # cancelled meanwhile, say) must not end the server. `exit` raises SystemExit.
            log.exception("could not handle a %s message", data.get("method", "response"))
        return True

    def _refuse(self, msg_id: int | str | None, code: int, message: str) -> None:
        # Written as plain JSON: pygls's serialiser drops a null id, which JSON-RPC requires
        # when the request's id could not be read.
        error = {"code": code, "message": message}
        wire.write(self, json.dumps({"jsonrpc": self.VERSION, "id": msg_id, "error": error}))


def _valid_id(msg_id: Any) -> int | str | None:
    if isinstance(msg_id, bool) or not isinstance(msg_id, (int, str)):
        return None
    return msg_id
