"""Only the event loop writes to the client, and it never parses nor reads config files
(features/event_loop.py), checked with a real pygls protocol and a loop running on a thread of
its own."""

from __future__ import annotations

import asyncio
import json
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from lsprotocol import types
from pygls.lsp.server import LanguageServer

import design_lsp.config
from design_lsp.features import event_loop, wire
from design_lsp.features.documents.document_store import DocumentStore
from design_lsp.features.rpc_protocol import GuardedProtocol
from design_lsp.features.session import Session
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


def _session(root: Path) -> Session:
    """A session of a real (unstarted) pygls server, initialized on `root` as pygls does."""
    ls = LanguageServer("t", "1", protocol_cls=GuardedProtocol)
    params = types.InitializeParams(
        capabilities=types.ClientCapabilities(),
        root_uri=root.as_uri(),
        workspace_folders=[types.WorkspaceFolder(uri=root.as_uri(), name="ws")],
    )
    list(ls.protocol.lsp_initialize(params))  # pygls's own handler: builds the workspace
    session = Session(ls)
    session.initialize(params)
    return session


def test_config_files_are_read_on_the_worker_never_on_the_loop(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DESIGN_LSP_STRICT_THREADS", "1")
    config = tmp_path / ".design-lsp.toml"
    config.write_text("max-diagnostics = 7\n", encoding="utf-8")
    read_on: list[str] = []
    load_config = design_lsp.config.load_config

    def recording_load(folder: str | Path) -> design_lsp.config.Config:
        read_on.append(threading.current_thread().name)
        return load_config(folder)

    monkeypatch.setattr(design_lsp.config, "load_config", recording_load)
    session = _session(tmp_path)
    loop, thread = _run_loop_thread()

    def max_diagnostics() -> int:
        return session.settings.config_for(str(tmp_path / "doc.md")).settings.max_diagnostics

    try:
        # didChangeConfiguration: the files are read again before it returns.
        change = types.DidChangeConfigurationParams(settings={})
        run = session.config.did_change_configuration(change)
        asyncio.run_coroutine_threadsafe(run, loop).result(10)
        assert max_diagnostics() == 7
        # A config edited without a file event, noticed when a document is saved.
        config.write_text("max-diagnostics = 9\n", encoding="utf-8")
        save = lambda: session.text_sync.did_save((tmp_path / "doc.md").as_uri())  # noqa: E731
        loop.call_soon_threadsafe(save)
        for _ in range(500):
            if max_diagnostics() == 9:
                break
            time.sleep(0.01)
        assert max_diagnostics() == 9
        assert len(read_on) == 2
        assert thread.name not in read_on
        assert all(name.startswith("design-lsp-analysis") for name in read_on), read_on
    finally:
        session.shutdown()
        _stop(loop, thread)
