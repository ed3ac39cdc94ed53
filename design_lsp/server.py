"""pygls wiring only: each handler delegates to `design_lsp.features` in a line or two.

Every handler is `guarded`: a failure is logged with its traceback (stderr or --log-file) and the
client gets an empty answer. Nothing here writes to stdout, which carries the protocol.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any, BinaryIO

from lsprotocol import types
from pygls.io_ import StdoutWriter
from pygls.lsp.server import LanguageServer

from design_lsp import __version__ as VERSION
from design_lsp.features import event_loop
from design_lsp.features.framing import PipeSource, read_messages
from design_lsp.features.guard import guarded
from design_lsp.features.rpc_protocol import GuardedProtocol
from design_lsp.features.session import Session
from design_lsp.features.snapshots import Fresh
from design_lsp.features.tcp import serve_tcp
from design_lsp.features.wire import JsonText

log = logging.getLogger("design_lsp.server")

# What starts a heading or a field value: a space would send a request per word of prose.
TRIGGER_CHARACTERS = ["#", ":"]
FIX_ALL_KIND = "source.fixAll.design-lsp"


class DesignLanguageServer(LanguageServer):
    def __init__(self) -> None:
        super().__init__("design-lsp", VERSION, max_workers=4, protocol_cls=GuardedProtocol)
        self.session = Session(self)

    @property
    def guarded_protocol(self) -> GuardedProtocol:
        assert isinstance(self.protocol, GuardedProtocol)
        return self.protocol


server = DesignLanguageServer()


# ---- lifecycle and configuration --------------------------------------------------------------


@server.feature(types.INITIALIZE)
@guarded()
def initialize(ls: DesignLanguageServer, params: types.InitializeParams) -> None:
    if params.process_id:
        watch_parent(params.process_id)
    ls.session.initialize(params)


@server.feature(types.INITIALIZED)
@guarded()
async def initialized(ls: DesignLanguageServer, params: types.InitializedParams) -> None:
    await ls.session.initialized()


@server.feature(types.SHUTDOWN)
@guarded()
def shutdown(ls: DesignLanguageServer, params: None) -> None:
    ls.session.shutdown()


@server.feature(types.WORKSPACE_DID_CHANGE_CONFIGURATION)
@guarded()
async def did_change_configuration(
    ls: DesignLanguageServer, params: types.DidChangeConfigurationParams
) -> None:
    await ls.session.config.did_change_configuration(params)


@server.feature(types.WORKSPACE_DID_CHANGE_WATCHED_FILES)
@guarded()
def did_change_watched_files(
    ls: DesignLanguageServer, params: types.DidChangeWatchedFilesParams
) -> None:
    ls.session.indexer.did_change_watched_files(params)


@server.feature(types.WORKSPACE_DID_CHANGE_WORKSPACE_FOLDERS)
@guarded()
def did_change_workspace_folders(
    ls: DesignLanguageServer, params: types.DidChangeWorkspaceFoldersParams
) -> None:
    ls.session.indexer.did_change_folders()


# ---- document sync (pygls has already applied the change when these run) ----------------------


@server.feature(types.TEXT_DOCUMENT_DID_OPEN)
@guarded()
def did_open(ls: DesignLanguageServer, params: types.DidOpenTextDocumentParams) -> None:
    ls.session.text_sync.did_open(params.text_document.uri)


@server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
@guarded()
def did_change(ls: DesignLanguageServer, params: types.DidChangeTextDocumentParams) -> None:
    ls.session.text_sync.did_change(params.text_document.uri)


@server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
@guarded()
def did_close(ls: DesignLanguageServer, params: types.DidCloseTextDocumentParams) -> None:
    ls.session.text_sync.did_close(params.text_document.uri)


@server.feature(types.TEXT_DOCUMENT_DID_SAVE, types.SaveOptions(include_text=False))
@guarded()
def did_save(ls: DesignLanguageServer, params: types.DidSaveTextDocumentParams) -> None:
    ls.session.text_sync.did_save(params.text_document.uri)


# ---- diagnostics (pull; push happens on open/change for clients that do not pull) -------------


@server.feature(
    types.TEXT_DOCUMENT_DIAGNOSTIC,
    types.DiagnosticOptions(
        identifier="design-lsp", inter_file_dependencies=False, workspace_diagnostics=True
    ),
)
@guarded(lambda: types.RelatedFullDocumentDiagnosticReport(items=[]))
async def document_diagnostic(
    ls: DesignLanguageServer, params: types.DocumentDiagnosticParams
) -> types.DocumentDiagnosticReport | JsonText:
    return await ls.session.pull.document(params)


@server.feature(types.WORKSPACE_DIAGNOSTIC)
@guarded(lambda: types.WorkspaceDiagnosticReport(items=[]))
async def workspace_diagnostic(
    ls: DesignLanguageServer, params: types.WorkspaceDiagnosticParams
) -> types.WorkspaceDiagnosticReport:
    return await ls.session.pull.workspace(params)


# ---- requests ---------------------------------------------------------------------------------


@server.feature(
    types.TEXT_DOCUMENT_COMPLETION,
    types.CompletionOptions(trigger_characters=TRIGGER_CHARACTERS, resolve_provider=False),
)
@guarded(lambda: types.CompletionList(is_incomplete=False, items=[]))
async def completion(
    ls: DesignLanguageServer, params: types.CompletionParams
) -> types.CompletionList | None:
    from design_lsp.features.completion import complete

    state = await ls.session.scheduler.snapshot(params.text_document.uri, Fresh.CURRENT)
    return complete(state, params, ls.session.client) if state else None


@server.feature(types.TEXT_DOCUMENT_HOVER)
@guarded()
async def hover(ls: DesignLanguageServer, params: types.HoverParams) -> types.Hover | None:
    from design_lsp.features.hover import hover_at

    uri = params.text_document.uri
    state = await ls.session.scheduler.snapshot(uri, Fresh.NEWEST_ANALYSED)  # answers at once
    return hover_at(state, params.position, ls.session.client) if state else None


@server.feature(types.TEXT_DOCUMENT_DOCUMENT_SYMBOL)
@guarded(list)
async def document_symbol(
    ls: DesignLanguageServer, params: types.DocumentSymbolParams
) -> list[types.SymbolInformation] | list[dict[str, Any]] | JsonText:
    from design_lsp.features.symbols import outline_response

    state = await ls.session.scheduler.outline_snapshot(params.text_document.uri)
    return outline_response(ls, state, ls.session.client) if state else []


@server.feature(types.TEXT_DOCUMENT_FOLDING_RANGE)
@guarded(list)
async def folding_range(
    ls: DesignLanguageServer, params: types.FoldingRangeParams
) -> list[types.FoldingRange]:
    from design_lsp.features.folding import folding_ranges

    state = await ls.session.scheduler.snapshot(params.text_document.uri, Fresh.CURRENT)
    return folding_ranges(state, ls.session.client) if state else []


@server.feature(
    types.TEXT_DOCUMENT_CODE_ACTION,
    types.CodeActionOptions(
        code_action_kinds=[
            types.CodeActionKind.QuickFix,
            types.CodeActionKind.Source,
            types.CodeActionKind.SourceFixAll,
            FIX_ALL_KIND,
        ],
        resolve_provider=False,
    ),
)
@guarded(list)
async def code_action(
    ls: DesignLanguageServer, params: types.CodeActionParams
) -> list[types.CodeAction | types.Command]:
    from design_lsp.features.code_actions import code_actions

    state = await ls.session.scheduler.snapshot(params.text_document.uri, Fresh.CURRENT)
    return code_actions(state, params, ls.session.client) if state else []


@server.feature(types.WORKSPACE_SYMBOL)
@guarded(list)
async def workspace_symbol(
    ls: DesignLanguageServer, params: types.WorkspaceSymbolParams
) -> list[types.SymbolInformation]:
    return await ls.session.indexer.workspace_symbols(params.query)


# ---- entry point ------------------------------------------------------------------------------


def _setup_logging(log_file: str | None) -> None:
    handler: logging.Handler
    if log_file:
        handler = logging.FileHandler(log_file, encoding="utf-8")
    else:
        handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(logging.WARNING)
    # Editors file whatever a server writes to stderr as errors (Neovim's lsp.log): routine
    # lines go only to a log file asked for; stderr carries warnings and errors.
    logging.getLogger("design_lsp").setLevel(logging.INFO if log_file else logging.WARNING)


def serve(
    tcp: bool = False, host: str = "127.0.0.1", port: int = 2087, log_file: str | None = None
) -> None:
    """Run the language server on stdio (default) or TCP; logs go to stderr or `log_file`.

    Never returns: the process ends with 0 after `shutdown` + `exit`, 1 otherwise (an `exit`
    without `shutdown`, or the editor closing stdin or its connection), within a second and
    without waiting for a handler still at work. TCP listens on loopback unless `host` says
    otherwise, and serves one client at a time (see features/tcp.py).
    Messages are read by `features.framing` (bounded) and answered by `GuardedProtocol`, in
    place of pygls's own reading loop.
    """
    _setup_logging(log_file)
    protocol = server.guarded_protocol
    if tcp:
        if host not in ("127.0.0.1", "localhost", "::1"):
            log.warning("listening on %s:%d: reachable from other machines", host, port)
        _run(serve_tcp(protocol, host, port))
        hard_exit(exit_code())
    stdin, stdout = sys.stdin.buffer, sys.stdout.buffer
    # Nothing may print into the protocol stream: stray prints go to stderr.
    sys.stdout = sys.stderr
    protocol.set_writer(StdoutWriter(stdout))
    reader = ThreadPoolExecutor(max_workers=1, thread_name_prefix="design-lsp-stdin")
    _run(read_messages(PipeSource(WatchedStdin(stdin), reader), protocol.receive))
    hard_exit(exit_code())


def _run(loop_main: Any) -> None:
    """Run the serving loop until the stream ends or `exit` (pygls raises SystemExit)."""
    async def bound() -> None:
        event_loop.bind(asyncio.get_running_loop())  # the one thread that writes to the client
        await loop_main

    try:
        asyncio.run(bound())
    except (KeyboardInterrupt, SystemExit):
        pass
    except BrokenPipeError:
        log.error("the client is gone: exiting")
    except BaseException:
        log.exception("server loop failed")


def exit_code() -> int:
    """0 when the client asked for `shutdown` first (LSP: `exit` after `shutdown`), else 1."""
    from design_lsp.features.pygls_internals import shutdown_requested

    return 0 if shutdown_requested(server.protocol) else 1


def hard_exit(code: int) -> None:
    """End the process now: flush the log and the protocol stream, leave no thread behind
    (a worker still analysing a 5 MB document would otherwise hold the interpreter open)."""
    for handler in logging.getLogger().handlers:
        with contextlib.suppress(Exception):
            handler.flush()
    for stream in (sys.__stdout__, sys.__stderr__):
        with contextlib.suppress(Exception):
            if stream is not None:
                stream.flush()
    os._exit(code)


EOF_GRACE_SECONDS = 0.5
PARENT_POLL_SECONDS = 1.0


class WatchedStdin:
    """stdin as pygls reads it; at end of file (the editor went away or closed the pipe) the
    process ends within `EOF_GRACE_SECONDS`, even if the event loop is busy."""

    def __init__(self, stream: BinaryIO) -> None:
        self.stream = stream
        self._timer: threading.Timer | None = None

    def readline(self, size: int = -1) -> bytes:
        return self._seen(self.stream.readline(size))

    def read(self, size: int = -1) -> bytes:
        return self._seen(self.stream.read(size))

    def _seen(self, data: bytes) -> bytes:
        if not data and self._timer is None:
            log.info("stdin closed: exiting")
            self._timer = threading.Timer(EOF_GRACE_SECONDS, lambda: hard_exit(exit_code()))
            self._timer.daemon = True
            self._timer.start()
        return data


def watch_parent(pid: int) -> None:
    """Exit when the editor process that started us is gone (LSP `processId`)."""

    def alive() -> bool:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        except OSError:  # no permission to signal it: it exists
            return True
        return True

    def poll() -> None:
        while alive():
            time.sleep(PARENT_POLL_SECONDS)
        log.warning("the editor (process %d) is gone: exiting", pid)
        hard_exit(exit_code())

    if sys.platform == "win32":
        return  # os.kill(pid, 0) would terminate the editor there
    if pid != os.getpid() and alive():
        threading.Thread(target=poll, name="design-lsp-parent-watch", daemon=True).start()


def main(argv: list[str] | None = None) -> Any:
    serve()


if __name__ == "__main__":
    main()
