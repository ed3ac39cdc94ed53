"""Reading `Content-Length`-framed JSON-RPC messages with bounded memory.

pygls's own loop reads a header line without a length limit and allocates whatever
`Content-Length` says, so a client (or junk on stdin) could exhaust memory and kill the
server. Here a header line holds at most `MAX_HEADER_LINE` bytes (the rest of a longer one is
read and dropped), and a body longer than `MAX_CONTENT_LENGTH` is read in chunks and dropped
with a logged error: the stream stays in step with the client's framing and the server serves on.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import Callable
from concurrent.futures import Executor
from typing import Protocol

from design_lsp.limits import MAX_DOCUMENT_BYTES

log = logging.getLogger(__name__)

# Room for a didOpen of a document at the size cap, JSON-escaped (64 MiB).
MAX_CONTENT_LENGTH = 2 * MAX_DOCUMENT_BYTES
MAX_HEADER_LINE = 8 * 1024
DISCARD_CHUNK = 1024 * 1024


class ByteSource(Protocol):
    async def readline(self, limit: int) -> bytes:
        """Up to `limit` bytes, ending at the first newline if there is one; b"" at the end."""
        ...

    async def read(self, size: int) -> bytes:
        """`size` bytes, fewer only at the end of the stream."""
        ...


class BlockingStream(Protocol):
    def readline(self, size: int = -1, /) -> bytes: ...

    def read(self, size: int = -1, /) -> bytes: ...


class PipeSource:
    """A blocking binary stream (stdin), read on a thread of its own so that a pool busy with
    analyses never delays reading the client's next message (a cancellation, say)."""

    def __init__(self, stream: BlockingStream, executor: Executor) -> None:
        self.stream = stream
        self.executor = executor

    async def readline(self, limit: int) -> bytes:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self.executor, self.stream.readline, limit)

    async def read(self, size: int) -> bytes:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self.executor, self.stream.read, size)


class StreamSource:
    """An asyncio stream (a TCP connection)."""

    def __init__(self, reader: asyncio.StreamReader) -> None:
        self.reader = reader

    async def readline(self, limit: int) -> bytes:
        try:
            return await self.reader.readuntil(b"\n")
        except asyncio.IncompleteReadError as end:
            return end.partial
        except asyncio.LimitOverrunError:
            # No newline within the reader's limit: hand back a piece without one.
            return await self.reader.read(limit)

    async def read(self, size: int) -> bytes:
        try:
            return await self.reader.readexactly(size)
        except asyncio.IncompleteReadError as end:
            return end.partial


class _EndOfStream(Exception):
    pass


async def read_messages(
    source: ByteSource, deliver: Callable[[bytes], None], stop: threading.Event | None = None
) -> int:
    """Hand each message body to `deliver` until the stream ends (or `stop` is set); returns
    how many were delivered."""
    delivered = 0
    try:
        while stop is None or not stop.is_set():
            length = await _read_header_block(source)
            if length is None:
                continue
            if length > MAX_CONTENT_LENGTH:
                log.error(
                    "dropped a message of %d bytes: the limit is %d (MAX_CONTENT_LENGTH)",
                    length, MAX_CONTENT_LENGTH,
                )
                await _discard(source, length)
                continue
            body = await source.read(length)
            if len(body) < length:
                raise _EndOfStream
            delivered += 1
            deliver(body)
    except _EndOfStream:
        pass
    return delivered


async def _read_header_block(source: ByteSource) -> int | None:
    """The Content-Length of the next header block; None when the block had none that is
    valid (logged). Blank lines before a block are skipped, as other servers do."""
    length: int | None = None
    seen_header = valid = False
    while True:
        line = await source.readline(MAX_HEADER_LINE)
        if not line:
            raise _EndOfStream
        if not line.endswith(b"\n"):
            log.error("dropped a header line longer than %d bytes", MAX_HEADER_LINE)
            await _skip_line(source)
            seen_header, valid = True, False
            continue
        text = line.strip()
        if not text:
            if not seen_header:
                continue
            if length is None or not valid:
                log.error("dropped a message without a valid Content-Length header")
                return None
            return length
        if not seen_header:
            seen_header = valid = True
        name, colon, value = text.partition(b":")
        if colon and name.strip().lower() == b"content-length":
            digits = value.strip()
            if digits.isdigit() and len(digits) <= 20:
                length = int(digits)
            else:
                log.error("invalid Content-Length %r", digits[:40])
                valid = False


async def _skip_line(source: ByteSource) -> None:
    """Read and drop the rest of an overlong line, a bounded piece at a time."""
    while True:
        piece = await source.readline(MAX_HEADER_LINE)
        if not piece:
            raise _EndOfStream
        if piece.endswith(b"\n"):
            return


async def _discard(source: ByteSource, length: int) -> None:
    while length > 0:
        piece = await source.read(min(length, DISCARD_CHUNK))
        if not piece:
            raise _EndOfStream
        length -= len(piece)
