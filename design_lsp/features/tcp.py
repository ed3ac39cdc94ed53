"""`serve --tcp`: one client at a time.

pygls gives every new connection the protocol's writer, so a second connection took over the
first client's answers, and any connection that closed (a port probe) ended the server. Here
the first connection to send a whole message owns the session; a connection that arrives, or
speaks, while another owns it is closed without an answer; one that closes before sending a
whole message is forgotten and the server keeps listening. When the owner goes away the
session is over, as on stdio, and `serve_tcp` returns.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from design_lsp.features.framing import MAX_HEADER_LINE, StreamSource, read_messages

log = logging.getLogger(__name__)


class _Refused(Exception):
    pass


class _Owner:
    """The connection being served (shared by the connection handlers)."""

    def __init__(self) -> None:
        self.writer: asyncio.StreamWriter | None = None

    def taken(self) -> bool:
        return self.writer is not None

    def holds(self, writer: asyncio.StreamWriter) -> bool:
        return self.writer is writer


async def serve_tcp(protocol: Any, host: str, port: int) -> None:
    """Serve `protocol` (a `GuardedProtocol`) to one TCP client; returns when that client
    disconnects."""
    session_over = asyncio.Event()
    owner = _Owner()

    async def connection(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        peer = writer.get_extra_info("peername")
        if owner.taken():
            log.warning("refused a connection from %s: a client is already connected", peer)
            writer.close()
            return

        def deliver(body: bytes) -> None:
            if not owner.taken():
                owner.writer = writer
                protocol.set_writer(writer)
                log.info("serving the client at %s", peer)
            if not owner.holds(writer):
                raise _Refused
            protocol.receive(body)

        try:
            await read_messages(StreamSource(reader), deliver)
        except _Refused:
            log.warning("refused a message from %s: another client is connected", peer)
        except ConnectionError as exc:
            log.warning("the connection from %s failed: %s", peer, exc)
        if owner.holds(writer):
            log.info("the client at %s disconnected", peer)
            session_over.set()
        else:
            log.info("a connection from %s closed: still listening", peer)
            writer.close()

    # The reader's limit bounds what a header line may buffer (see framing.py).
    listener = await asyncio.start_server(connection, host, port, limit=MAX_HEADER_LINE)
    log.info("listening on %s", ", ".join(str(s.getsockname()) for s in listener.sockets))
    async with listener:
        await session_over.wait()
