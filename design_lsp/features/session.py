"""The wiring of the server's flows, and its lifecycle. Each flow has a module of its own:

- `scheduler`: the threads that parse and analyse, and document snapshots for handlers;
- `text_sync`: didOpen/didChange/didClose/didSave;
- `push_diagnostics` / `pull_diagnostics`: diagnostics delivery (pull or push, never both);
- `configuration`: registrations, editor settings, config reloads;
- `workspace_index`: the index of every Markdown file's sections, workspace/symbol.
"""

from __future__ import annotations

import logging
import sys
from typing import TYPE_CHECKING

from lsprotocol import types

from design_lsp.features import event_loop
from design_lsp.features.client_profile import ClientProfile
from design_lsp.features.configuration import Configuration
from design_lsp.features.documents.document_store import DocumentStore
from design_lsp.features.documents.text_document import install_lsp_lines
from design_lsp.features.pull_diagnostics import PullDiagnostics
from design_lsp.features.push_diagnostics import PushDiagnostics
from design_lsp.features.scheduler import Scheduler
from design_lsp.features.settings import SettingsManager, settings_section
from design_lsp.features.text_sync import TextSync
from design_lsp.features.uris import uri_to_path
from design_lsp.features.workspace_index import Indexer
from design_lsp.features.workspace_symbols import WorkspaceIndex

if TYPE_CHECKING:
    from pygls.lsp.server import LanguageServer

log = logging.getLogger(__name__)


class Session:
    def __init__(self, ls: LanguageServer) -> None:
        self.ls = ls
        self.client = ClientProfile()
        self.settings = SettingsManager(notify=self.show_error)
        self.store = DocumentStore(self.settings)
        self.index = WorkspaceIndex()
        self.scheduler = Scheduler(self)
        self.config = Configuration(self)
        self.push = PushDiagnostics(self)
        self.pull = PullDiagnostics(self)
        self.text_sync = TextSync(self)
        self.indexer = Indexer(self)

    # ---- lifecycle ------------------------------------------------------------------------

    def initialize(self, params: types.InitializeParams) -> None:
        from design_lsp.text import tune_gc

        tune_gc()
        # The analysis worker holds the GIL while it computes; with the default 5 ms switch
        # interval every step of a request on the event loop waits that long for it.
        sys.setswitchinterval(0.0005)
        workspace = self.ls.workspace
        install_lsp_lines(workspace)
        self.client = ClientProfile.from_capabilities(
            params.capabilities, workspace.position_encoding
        )
        self.store.client = self.client
        self.settings.init_settings = settings_section(params.initialization_options)
        self.settings.set_folders(self.folder_paths())

    async def initialized(self) -> None:
        self.scheduler.warm_up()
        await self.config.start()
        self.indexer.start()

    def shutdown(self) -> None:
        self.indexer.shutdown()
        self.scheduler.shutdown()

    def folder_paths(self) -> list[str]:
        out = []
        workspace = self.ls.workspace
        for folder in workspace.folders.values():
            path = uri_to_path(folder.uri)
            if path:
                out.append(path)
        if not out and workspace.root_path:
            out.append(workspace.root_path)
        return out

    # ---- messages -------------------------------------------------------------------------

    def show_error(self, message: str) -> None:
        self.show_message(message, types.MessageType.Error)

    def show_warning(self, message: str) -> None:
        self.show_message(message, types.MessageType.Warning)

    def show_message(self, message: str, kind: types.MessageType) -> None:
        """Callable from any thread (the worker reports template errors): sent from the loop."""
        level = logging.ERROR if kind == types.MessageType.Error else logging.WARNING
        log.log(level, "%s", message)
        event_loop.call_on_loop(self._send_message, types.ShowMessageParams(kind, message))

    def _send_message(self, params: types.ShowMessageParams) -> None:
        try:
            self.ls.window_show_message(params)
        except Exception:
            log.exception("could not show message")

