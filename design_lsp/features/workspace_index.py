"""The workspace index flow: every Markdown file's section symbols (never its document state),
scanned on the index thread at start, kept up to date from file events and open documents;
workspace/symbol answers from it."""

from __future__ import annotations

import asyncio
import logging
import os
from typing import TYPE_CHECKING

from lsprotocol import types

from design_lsp.features.documents.doc_state import DocState
from design_lsp.features.uris import path_to_uri, uri_to_path
from design_lsp.features.workspace_symbols import (
    Symbol,
    compact,
    file_symbols,
    is_markdown,
    list_markdown,
    section_symbols,
)

if TYPE_CHECKING:
    from design_lsp.features.session import Session

log = logging.getLogger(__name__)

INDEX_BATCH = 50  # files scanned per trip to the index thread


class Indexer:
    def __init__(self, session: Session) -> None:
        self.session = session
        self._task: asyncio.Task[None] | None = None
        self._tasks: set[asyncio.Future[None]] = set()
        self._progress_counter = 0
        self._bound_told = False

    def in_folders(self, path: str) -> bool:
        return bool(self.session.settings.folder_of(path))

    def shutdown(self) -> None:
        if self._task is not None:
            self._task.cancel()

    # ---- one file -------------------------------------------------------------------------

    def reindex(self, path: str, uri: str | None = None) -> None:
        """Bring one file's entry up to date: from the newest analysed version when it is
        open, else scanned on the index thread (a heading scan: no parse, no analysis)."""
        uri = uri or path_to_uri(path)
        s = self.session
        if uri in s.ls.workspace.text_documents:
            state = s.scheduler.newest(uri)
            if state is not None:
                self._record(uri, path, _symbols_of(state))
            return
        task = asyncio.ensure_future(self._scan_one(uri, path))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _scan_one(self, uri: str, path: str) -> None:
        try:
            found = await self.session.scheduler.run_on_index(
                _scan_files, [path], self.session.client.encoding
            )
        except Exception:
            log.exception("indexing %s failed", path)
            return
        if uri not in self.session.ls.workspace.text_documents:  # (opened meanwhile: live)
            for _, symbols in found:
                self._record(uri, path, symbols)

    async def settled(self) -> None:
        """Wait for the single-file scans under way, so a request sees the files it was told of."""
        if self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)

    def _record(self, uri: str, path: str, symbols: tuple[Symbol, ...] | None) -> None:
        """On the event loop: record what was found for one file."""
        index = self.session.index
        known = uri in index.files
        if symbols is None:
            index.remove(uri)
        else:
            index.put_symbols(uri, symbols, path)
        if known != (symbols is not None):  # a Markdown file appeared or went away
            self.session.pull.changed.set()

    def did_change_watched_files(self, params: types.DidChangeWatchedFilesParams) -> None:
        s = self.session
        reload = False
        for change in params.changes:
            path = uri_to_path(change.uri)
            if path is None:
                continue
            if s.config.affects(path):
                reload = True
                continue
            if not is_markdown(path):
                continue
            if change.type == types.FileChangeType.Deleted:
                s.index.remove(change.uri)
                if change.uri not in s.ls.workspace.text_documents:
                    s.store.forget(change.uri)
            else:
                self.reindex(path, change.uri)
        s.pull.changed.set()
        if reload:
            s.config.reload()

    def did_change_folders(self) -> None:
        self.session.config.reload()
        self.start()

    # ---- the whole workspace --------------------------------------------------------------

    def start(self) -> None:
        if self._task is not None and not self._task.done():
            self._task.cancel()
        self._task = asyncio.ensure_future(self._index_all())

    async def _index_all(self) -> None:
        s = self.session
        folders = list(s.settings.folders)
        if not folders:
            return
        listing = await s.scheduler.run_on_index(list_markdown, folders)
        paths = listing.paths
        if listing.truncated and not self._bound_told:
            self._bound_told = True  # once per session: a user cannot act on it twice
            s.show_warning(
                f"design-lsp: the workspace has more Markdown than the index takes "
                f"({listing.truncated}); workspace symbols and workspace diagnostics cover "
                f"the first {len(paths):,} files. Open a smaller folder to index all of it."
            )
        token = await self._begin_progress(len(paths))
        try:
            total, encoding = len(paths), s.client.encoding
            for start in range(0, total, INDEX_BATCH):
                batch = paths[start : start + INDEX_BATCH]
                found = await s.scheduler.run_on_index(_scan_files, batch, encoding)
                for path, symbols in found:
                    uri = path_to_uri(path)
                    if uri not in s.ls.workspace.text_documents:
                        self._record(uri, path, symbols)
                done = start + len(batch)
                if token is not None:
                    s.ls.work_done_progress.report(
                        token,
                        types.WorkDoneProgressReport(
                            message=f"{done}/{total} files",
                            percentage=int(done * 100 / max(total, 1)),
                        ),
                    )
            log.info("indexed %d Markdown files (%d bytes)", total, listing.bytes)
        finally:
            if token is not None:
                s.ls.work_done_progress.end(
                    token, types.WorkDoneProgressEnd(message=f"{len(s.index.files)} files")
                )

    async def _begin_progress(self, total: int) -> str | None:
        s = self.session
        if not s.client.work_done_progress:
            return None
        self._progress_counter += 1
        token = f"design-lsp-index-{os.getpid()}-{self._progress_counter}"
        try:
            await asyncio.wait_for(s.ls.work_done_progress.create_async(token), 5)
            s.ls.work_done_progress.begin(
                token,
                types.WorkDoneProgressBegin(
                    title="design-lsp: indexing Markdown",
                    message=f"0/{total} files",
                    percentage=0,
                    cancellable=False,
                ),
            )
        except Exception:
            log.warning("could not create progress", exc_info=True)
            return None
        return token

    async def workspace_symbols(self, query: str) -> list[types.SymbolInformation]:
        """Closed files from the index; open ones from their newest analysed version."""
        from design_lsp.features.snapshots import Fresh

        s = self.session
        await self.settled()
        live: dict[str, list[types.SymbolInformation]] = {}
        for uri in list(s.ls.workspace.text_documents):
            path = uri_to_path(uri)
            if path is None or not self.in_folders(path):
                continue
            state = await s.scheduler.snapshot(uri, Fresh.NEWEST_ANALYSED)
            if state is not None:
                live[uri] = section_symbols(state)
        return s.index.query(query, live)


def _scan_files(paths: list[str], encoding: str) -> list[tuple[str, tuple[Symbol, ...] | None]]:
    """On the index thread: the section symbols of each file (None where unreadable)."""
    out: list[tuple[str, tuple[Symbol, ...] | None]] = []
    for path in paths:
        try:
            out.append((path, file_symbols(path, encoding)))
        except Exception:
            log.exception("indexing %s failed", path)
    return out


def _symbols_of(state: DocState) -> tuple[Symbol, ...]:
    return compact(state.document.roots, state.encoder)
