"""Only the event loop writes to the client, and it never parses (features/event_loop.py),
checked with a real pygls protocol and a loop running on a thread of its own."""

from __future__ import annotations

import asyncio
import json
import threading
from typing import Any

import pytest
from lsprotocol import types

from design_lsp.features import event_loop, wire
from design_lsp.features.documents.document_store import DocumentStore
from design_lsp.features.settings import SettingsManager
from tests.test_pygls_internals import _frames, _server


def _run_loop_thread() -> tuple[asyncio.AbstractEventLoop, threading.Thread]:
    loop = asyncio.new_event_loop()
    ready = threading.Event()

    def run() -> None:
        asyncio.set_event_loop(loop)
        loop.call_soon(lambda: (event_loop.bind(loop), ready.set()))
        loop.run_forever()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    ready.wait(5)
    return loop, thread


def _stop(loop: asyncio.AbstractEventLoop, thread: threading.Thread) -> None:
    loop.call_soon_threadsafe(loop.stop)
    thread.join(5)
    loop.close()
    event_loop._loop = event_loop._thread = None


def test_a_write_off_the_loop_raises_in_strict_mode(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DESIGN_LSP_STRICT_THREADS", "1")
    ls, writer = _server()
    loop, thread = _run_loop_thread()
    try:
        params = types.ShowMessageParams(types.MessageType.Error, "x")
        with pytest.raises(event_loop.OffLoopWrite):
            ls.protocol.notify(types.WINDOW_SHOW_MESSAGE, params)  # (this thread is not the loop's)
        with pytest.raises(event_loop.OffLoopWrite):
            wire.write(ls.protocol, b"{}")
        assert writer.data == b""
    finally:
        _stop(loop, thread)


def test_a_write_off_the_loop_is_handed_to_the_loop(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DESIGN_LSP_STRICT_THREADS", raising=False)
    ls, writer = _server()
    loop, thread = _run_loop_thread()
    written_on: list[Any] = []
    original = writer.write
    writer.write = lambda data: (written_on.append(threading.get_ident()), original(data))  # type: ignore[method-assign]
    try:
        ls.protocol.notify(types.WINDOW_SHOW_MESSAGE,
                           types.ShowMessageParams(types.MessageType.Error, "x"))
        asyncio.run_coroutine_threadsafe(asyncio.sleep(0), loop).result(5)
        (body,) = _frames(writer.data)
        assert json.loads(body)["method"] == types.WINDOW_SHOW_MESSAGE
        assert set(written_on) == {thread.ident}
    finally:
        _stop(loop, thread)


def test_a_parse_on_the_loop_raises_in_strict_mode(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DESIGN_LSP_STRICT_THREADS", "1")
    store = DocumentStore(SettingsManager())
    loop, thread = _run_loop_thread()
    try:
        store.build("file:///x.md", "# T\n", 1, ())  # off the loop: fine
        on_loop = asyncio.run_coroutine_threadsafe(_build(store), loop)
        with pytest.raises(event_loop.OffLoopWrite):
            on_loop.result(10)
    finally:
        _stop(loop, thread)


async def _build(store: DocumentStore) -> None:
    store.build("file:///x.md", "# T\n", 1, ())
