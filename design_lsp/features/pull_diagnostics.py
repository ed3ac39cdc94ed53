"""Pull diagnostics: textDocument/diagnostic and the long-polled workspace/diagnostic (open
documents, and the closed design docs of the workspace index, analysed on the index thread)."""

from __future__ import annotations

import asyncio
import contextlib
from typing import TYPE_CHECKING

from lsprotocol import types

from design_lsp.features import diagnostics as diag
from design_lsp.features.snapshots import Fresh

if TYPE_CHECKING:
    from design_lsp.features.session import Session
    from design_lsp.features.wire import JsonText

# workspace/diagnostic is long-polled: with nothing new, the answer waits this long for a change.
WORKSPACE_HOLD_SECONDS = 30.0


class PullDiagnostics:
    def __init__(self, session: Session) -> None:
        self.session = session
        self.changed = asyncio.Event()  # something that findings depend on changed

    async def document(
        self, params: types.DocumentDiagnosticParams
    ) -> types.DocumentDiagnosticReport | JsonText:
        s = self.session
        await s.config.wait()
        state = await s.scheduler.snapshot(params.text_document.uri, Fresh.CURRENT)
        return diag.pull_response(s.ls, state, s.client, params.previous_result_id)

    async def workspace(
        self, params: types.WorkspaceDiagnosticParams
    ) -> types.WorkspaceDiagnosticReport:
        """Open documents and closed design docs of the index. When the client already has
        all of it, hold the answer until something changes (the client re-asks at once)."""
        await self.session.config.wait()
        previous = {p.uri: p.value for p in params.previous_result_ids}
        self.changed.clear()
        items = await self._items(previous)
        unchanged = all(
            isinstance(i, types.WorkspaceUnchangedDocumentDiagnosticReport) for i in items
        )
        if previous and unchanged and {i.uri for i in items} == set(previous):
            with contextlib.suppress(asyncio.TimeoutError):
                await asyncio.wait_for(self.changed.wait(), WORKSPACE_HOLD_SECONDS)
            items = await self._items(previous)
        return types.WorkspaceDiagnosticReport(items=items)

    async def _items(
        self, previous: dict[str, str]
    ) -> list[types.WorkspaceDocumentDiagnosticReport]:
        s = self.session
        await s.indexer.settled()
        items: list[types.WorkspaceDocumentDiagnosticReport] = []
        open_uris = set(s.ls.workspace.text_documents)
        for uri in sorted(open_uris):
            state = await s.scheduler.snapshot(uri, Fresh.CURRENT)
            if state is not None:
                items.append(diag.workspace_item(state, s.client, previous.get(uri)))
        for uri in sorted(set(s.index.files) - open_uris):
            key = s.store.disk_key(uri)
            if key is not None and previous.get(uri) == diag.result_id_of(key):
                # The client has this file's report and the file did not change: no read.
                items.append(
                    types.WorkspaceUnchangedDocumentDiagnosticReport(
                        uri=uri, version=None, result_id=diag.result_id_of(key)
                    )
                )
                continue
            state = await s.scheduler.run_on_index(s.store.read, uri)
            if state is not None and state.analysis is not None:
                items.append(diag.workspace_item(state, s.client, previous.get(uri)))
        return items
