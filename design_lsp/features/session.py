"""The server's running state and the flows that span features: configuration, diagnostics
delivery (pull or push, never both), dynamic registrations and the background workspace index."""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import logging
import os
import sys
import time
from typing import TYPE_CHECKING, Any

from lsprotocol import types

from design_lsp.features import diagnostics as diag
from design_lsp.features import event_loop
from design_lsp.features.settings import (
    CONFIG_FILES,
    SECTION,
    SettingsManager,
    settings_section,
)
from design_lsp.features.state import (
    ClientProfile,
    DocState,
    DocumentStore,
    Snapshot,
    install_lsp_lines,
    path_to_uri,
    read_text,
    snapshot,
    uri_to_path,
)
from design_lsp.features.wire import JsonText
from design_lsp.features.workspace_symbols import (
    Symbol,
    WorkspaceIndex,
    file_symbols,
    is_markdown,
    list_markdown,
    section_symbols,
)

if TYPE_CHECKING:
    from pygls.lsp.server import LanguageServer

log = logging.getLogger(__name__)

CONFIG_WAIT_SECONDS = 3.0
# workspace/diagnostic is long-polled: with nothing new, the answer waits this long for a change.
WORKSPACE_HOLD_SECONDS = 30.0



CONFIG_CHECK_INTERVAL = 1.0  # seconds between looks at the config files' status

class Session:
    def __init__(self, ls: LanguageServer) -> None:
        self.ls = ls
        self.settings = SettingsManager(notify=self.show_error)
        self.store = DocumentStore(self.settings)
        self.index = WorkspaceIndex()
        self.client = ClientProfile()
        self.config_ready = asyncio.Event()
        self._index_task: asyncio.Task[None] | None = None
        self._progress_counter = 0
        self._waiting: set[str] = set()
        self._tasks: set[asyncio.Future[None]] = set()
        self._changed = asyncio.Event()  # something that findings depend on changed
        self._config_checked = 0.0  # when config files were last looked at (monotonic)
        # Analysis runs on one worker thread, off the event loop; one job per open document at
        # most is wanted at a time: a job whose version is no longer the newest is dropped.
        self._worker: concurrent.futures.ThreadPoolExecutor | None = None
        self._jobs: dict[
            str, tuple[tuple[object, ...], concurrent.futures.Future[DocState | None] | None]
        ]
        self._jobs = {}
        self._json_cache: dict[str, diag.WireCache] = {}  # uri -> its diagnostics as JSON
        # Documents whose outline the client has asked for (it shows it, and asks again after
        # every edit): the worker builds it right after the diagnostics are out.
        self._outline_wanted: set[str] = set()
        self._outline_jobs: dict[str, tuple[DocState, concurrent.futures.Future[None]]] = {}
        # The workspace index reads and scans files on a thread of its own, so neither the
        # event loop nor the analysis of open documents waits for it.
        self._indexer: concurrent.futures.ThreadPoolExecutor | None = None
        self._index_bound_told = False

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
        self._warm_up()
        try:
            # Config files are read here, not in `initialize`: pydantic's import then does not
            # delay the answer to `initialize`, and no document can open before `initialized`.
            self.settings.reload()
            await self.register_dynamic()
            if self.client.configuration:
                await self.pull_settings()
                self.settings.reload()
        finally:
            self.config_ready.set()
        self.after_config_change()
        self.start_indexing()

    def shutdown(self) -> None:
        if self._index_task is not None:
            self._index_task.cancel()
        if self._worker is not None:
            self._worker.shutdown(wait=False, cancel_futures=True)
            self._worker = None
        if self._indexer is not None:
            self._indexer.shutdown(wait=False, cancel_futures=True)
            self._indexer = None

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

    async def wait_config(self) -> None:
        if self.config_ready.is_set():
            return
        try:
            await asyncio.wait_for(self.config_ready.wait(), CONFIG_WAIT_SECONDS)
        except asyncio.TimeoutError:
            log.warning(
                "no configuration after %ss; going on with what is known", CONFIG_WAIT_SECONDS
            )

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

    # ---- configuration --------------------------------------------------------------------

    async def register_dynamic(self) -> None:
        registrations: list[types.Registration] = []
        if self.client.config_dynamic:
            registrations.append(
                types.Registration(
                    id="design-lsp-configuration",
                    method=types.WORKSPACE_DID_CHANGE_CONFIGURATION,
                    register_options=types.DidChangeConfigurationRegistrationOptions(
                        section=SECTION
                    ),
                )
            )
        if self.client.watch_dynamic:
            watchers = [
                types.FileSystemWatcher(glob_pattern=pattern)
                for pattern in (
                    "**/*.md",
                    "**/*.markdown",
                    "**/.design-lsp.toml",
                    "**/pyproject.toml",
                )
            ]
            registrations.append(
                types.Registration(
                    id="design-lsp-watched-files",
                    method=types.WORKSPACE_DID_CHANGE_WATCHED_FILES,
                    register_options=types.DidChangeWatchedFilesRegistrationOptions(
                        watchers=watchers
                    ),
                )
            )
        if not registrations:
            return
        try:
            await asyncio.wait_for(
                self.ls.client_register_capability_async(
                    types.RegistrationParams(registrations=registrations)
                ),
                CONFIG_WAIT_SECONDS,
            )
        except Exception:
            log.warning("client did not accept dynamic registrations", exc_info=True)

    async def pull_settings(self) -> None:
        folders = list(self.ls.workspace.folders.values())
        items = [types.ConfigurationItem(section=SECTION)]
        items += [types.ConfigurationItem(scope_uri=f.uri, section=SECTION) for f in folders]
        try:
            result = await asyncio.wait_for(
                self.ls.workspace_configuration_async(types.ConfigurationParams(items=items)),
                CONFIG_WAIT_SECONDS,
            )
        except Exception:
            log.warning("workspace/configuration failed", exc_info=True)
            return
        values: list[Any] = list(result or [])
        self.settings.editor_settings = {}
        if values:
            self.settings.editor_settings[""] = _as_dict(values[0])
        for folder, value in zip(folders, values[1:], strict=False):
            path = uri_to_path(folder.uri)
            if path:
                self.settings.editor_settings[os.path.normpath(path)] = _as_dict(value)

    async def did_change_configuration(self, params: types.DidChangeConfigurationParams) -> None:
        if self.client.configuration:
            await self.pull_settings()
        else:
            self.settings.editor_settings = {"": settings_section(params.settings)}
        self.reload_config()

    def reload_config(self) -> None:
        self.settings.set_folders(self.folder_paths())
        self.settings.reload()
        self.store.clear()
        self.after_config_change()

    def after_config_change(self) -> None:
        """Findings may have changed everywhere: re-publish, or ask pull clients to re-pull."""
        self._changed.set()
        if self.client.pull_diagnostics:
            if self.client.diagnostic_refresh:
                try:
                    self.ls.workspace_diagnostic_refresh(None)
                except Exception:
                    log.exception("workspace/diagnostic/refresh failed")
            return
        for uri in list(self.ls.workspace.text_documents):
            self.publish(uri)

    # ---- documents ------------------------------------------------------------------------

    def state(self, uri: str) -> DocState | None:
        """The state of the newest version (waiting for the worker when it is on it)."""
        job = self._current_job(uri)
        if job is not None:
            try:
                result = job.result()
            except Exception:
                log.exception("analysis of %s failed", uri)
                result = None
            if result is not None:
                self._store_result(uri, result)
        return self.store.get(self.ls.workspace, uri)

    async def state_async(self, uri: str) -> DocState | None:
        """Like `state`, without blocking the event loop while the worker analyses."""
        job = self._current_job(uri)
        if job is not None:
            with contextlib.suppress(Exception):
                result = await asyncio.wrap_future(job)
                if result is not None:
                    self._store_result(uri, result)
        return self.store.get(self.ls.workspace, uri)

    def state_nowait(self, uri: str) -> DocState | None:
        """The newest state at hand: while the worker analyses a new version, the previous one
        (for hover and the like, which must answer at once)."""
        if self._current_job(uri) is not None:
            cached = self.store.cached(uri)
            if cached is not None:
                return cached
        return self.state(uri)

    def _executor(self) -> concurrent.futures.ThreadPoolExecutor:
        if self._worker is None:
            self._worker = concurrent.futures.ThreadPoolExecutor(
                max_workers=1, thread_name_prefix="design-lsp-analysis"
            )
        return self._worker

    def _warm_up(self) -> None:
        """Import the parser and the analysis on the worker while the client sends its first
        document (imports were left out of `initialize`: mistletoe's alone is ~0.1 s)."""

        def load() -> None:
            import design_lsp.analysis
            import design_lsp.document.parse  # noqa: F401

        self._executor().submit(load)

    def _current_job(self, uri: str) -> concurrent.futures.Future[DocState | None] | None:
        entry = self._jobs.get(uri)
        doc = self.ls.workspace.text_documents.get(uri)
        if entry is None or doc is None or entry[0] != self.store.key_of(doc):
            return None
        return entry[1]

    def schedule(self, uri: str) -> None:
        """Analyse the newest version of `uri` on the worker thread; publish when done."""
        doc = self.ls.workspace.text_documents.get(uri)
        if doc is None:
            return
        key = self.store.key_of(doc)
        cached = self.store.cached(uri)
        if cached is not None and cached.key == key:
            self.publish_when_ready(uri)
            return
        if cached is not None:
            # Its responses (outline, diagnostics JSON) are stale now: free them before the
            # worker builds the new version (on a 5 MB document they are ~100 MB).
            cached.memo.clear()
        entry = self._jobs.get(uri)
        if entry is not None and entry[0] == key:
            return
        snap = snapshot(doc)
        version = doc.version
        # Registered before the worker can look: it drops a job whose key is not the newest.
        self._jobs[uri] = (key, None)
        job = self._executor().submit(self._analyse, uri, snap, version, key)
        self._jobs[uri] = (key, job)
        loop = asyncio.get_running_loop()
        job.add_done_callback(
            lambda done: loop.call_soon_threadsafe(self._job_done, uri, key, done)
        )

    def _analyse(
        self, uri: str, snap: Snapshot, version: int | None, key: tuple[object, ...]
    ) -> DocState | None:
        """On the worker: build the state, unless a newer version made this job stale."""
        entry = self._jobs.get(uri)
        if entry is None or entry[0] != key:
            return None  # dropped: a newer version (or a close) came in while this one queued
        state = self.store.build(uri, snap, version, key)
        # Serialised here, off the event loop (only the findings the edit changed); the cache
        # is the worker's alone.
        cache = self._json_cache.setdefault(uri, diag.WireCache())
        if self.client.pull_diagnostics:
            diag.report_json(state, self.client, cache)  # the client pulls right after an edit
        else:
            diag.publish_body(state, self.client, cache)
        return state

    def _job_done(
        self, uri: str, key: tuple[object, ...], job: concurrent.futures.Future[DocState | None]
    ) -> None:
        entry = self._jobs.get(uri)
        if entry is not None and entry[1] is job:
            del self._jobs[uri]
        if job.cancelled():
            return
        try:
            result = job.result()
        except Exception:
            log.exception("analysis of %s failed", uri)
            return
        doc = self.ls.workspace.text_documents.get(uri)
        if result is None or doc is None or self.store.key_of(doc) != key:
            return  # stale: the newer version's job publishes
        self._store_result(uri, result)
        try:
            self.publish_when_ready(uri)
        except Exception:
            log.exception("publishing diagnostics for %s failed", uri)
        if uri in self._outline_wanted and self.client.hierarchical_symbols:
            outline = self._executor().submit(self._build_outline, uri, result)
            self._outline_jobs[uri] = (result, outline)

    def _build_outline(self, uri: str, state: DocState) -> None:
        """On the worker: the outline of `state`, unless a newer version came in meanwhile."""
        from design_lsp.features.symbols import outline_json

        if self.store.cached(uri) is state and self._current_job(uri) is None:
            outline_json(state)

    def outline_state(self, uri: str) -> DocState | None:
        """`state(uri)` for an outline request: with the outline the worker may be building
        for it, and from now on built ahead after every analysis of this document."""
        state = self.state(uri)
        if state is not None:  # (not for a document that is not open)
            self._outline_wanted.add(uri)
        entry = self._outline_jobs.get(uri)
        if entry is not None and entry[0] is state:
            with contextlib.suppress(Exception):
                entry[1].result()
        return state

    def _store_result(self, uri: str, state: DocState) -> None:
        cached = self.store.cached(uri)
        if cached is None or cached.key != state.key:
            self.store.put(uri, state)

    def publish(self, uri: str) -> None:
        """Push diagnostics to clients that do not pull them."""
        if self.client.pull_diagnostics:
            return
        state = self.state(uri)
        if state is None:
            return
        diag.push(self.ls, state, self.client)

    def did_open(self, uri: str) -> None:
        self._changed.set()
        self.schedule(uri)

    def did_change(self, uri: str) -> None:
        self._changed.set()
        if self._config_changed_on_disk():
            self.reload_config()  # re-analyses every open document, this one included
            return
        self.schedule(uri)

    def _config_changed_on_disk(self) -> bool:
        """At most once a second, whether a config file changed without a file-watch event."""
        now = time.monotonic()
        if now - self._config_checked < CONFIG_CHECK_INTERVAL:
            return False
        self._config_checked = now
        return self.settings.changed_on_disk()

    def publish_when_ready(self, uri: str) -> None:
        """Publish now, or once the editor's settings are in (the first findings must already
        follow them); `after_config_change` publishes every open document then anyway."""
        if self.client.pull_diagnostics:
            return
        if self.config_ready.is_set():
            self.publish(uri)
            return
        if uri not in self._waiting:
            self._waiting.add(uri)
            task = asyncio.ensure_future(self._publish_later(uri))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)

    async def _publish_later(self, uri: str) -> None:
        try:
            await self.wait_config()
            if not self.config_ready.is_set():  # the client never finished initializing
                self.publish(uri)
        except Exception:
            log.exception("publishing diagnostics for %s failed", uri)
        finally:
            self._waiting.discard(uri)

    def did_close(self, uri: str) -> None:
        from design_lsp.text import release_memory

        self._changed.set()
        self._jobs.pop(uri, None)
        self._json_cache.pop(uri, None)
        self._outline_wanted.discard(uri)
        self._outline_jobs.pop(uri, None)
        self.store.forget(uri)
        # A big document leaves reference cycles (its section tree) that the tuned collector
        # would keep for a long time, and freed pages the allocator would keep: give them back.
        release_memory()
        if not self.client.pull_diagnostics:
            self.ls.text_document_publish_diagnostics(
                types.PublishDiagnosticsParams(uri=uri, diagnostics=[])
            )
        path = uri_to_path(uri)
        if path is not None and self._in_folders(path):
            self.reindex_path(path, uri)

    def did_save(self, uri: str) -> None:
        path = uri_to_path(uri)
        if path is None:
            return
        if self._affects_config(path) or self.settings.changed_on_disk():
            self.reload_config()
            return
        state = self.state(uri)
        if state is not None and self._in_folders(path):
            self.index.put(state, path)
            self._changed.set()

    def did_change_watched_files(self, params: types.DidChangeWatchedFilesParams) -> None:
        reload = False
        for change in params.changes:
            path = uri_to_path(change.uri)
            if path is None:
                continue
            if self._affects_config(path):
                reload = True
                continue
            if not is_markdown(path):
                continue
            if change.type == types.FileChangeType.Deleted:
                self.index.remove(change.uri)
                self.store.forget(change.uri)
            else:
                self.reindex_path(path, change.uri)
        self._changed.set()
        if reload:
            self.reload_config()

    def did_change_folders(self) -> None:
        self.reload_config()
        self.start_indexing()

    def _affects_config(self, path: str) -> bool:
        if os.path.basename(path) in CONFIG_FILES:
            return True
        norm = os.path.normpath(path)
        for folder in [*self.settings.folders, ""]:
            template = self.settings.config_for(folder or None).template
            if template and os.path.normpath(template) == norm:
                return True
        return False

    def _in_folders(self, path: str) -> bool:
        return bool(self.settings.folder_of(path))

    # ---- pull diagnostics -----------------------------------------------------------------

    async def document_diagnostic(
        self, params: types.DocumentDiagnosticParams
    ) -> types.DocumentDiagnosticReport | JsonText:
        await self.wait_config()
        state = await self.state_async(params.text_document.uri)
        return diag.pull_response(self.ls, state, self.client, params.previous_result_id)

    async def workspace_diagnostic(
        self, params: types.WorkspaceDiagnosticParams
    ) -> types.WorkspaceDiagnosticReport:
        """Open documents and closed design docs of the index. When the client already has
        all of it, hold the answer until something changes (the client re-asks at once)."""
        await self.wait_config()
        previous = {p.uri: p.value for p in params.previous_result_ids}
        self._changed.clear()
        items = await self._workspace_items(previous)
        unchanged = all(
            isinstance(i, types.WorkspaceUnchangedDocumentDiagnosticReport) for i in items
        )
        if previous and unchanged and {i.uri for i in items} == set(previous):
            with contextlib.suppress(asyncio.TimeoutError):
                await asyncio.wait_for(self._changed.wait(), WORKSPACE_HOLD_SECONDS)
            items = await self._workspace_items(previous)
        return types.WorkspaceDiagnosticReport(items=items)

    async def _workspace_items(
        self, previous: dict[str, str]
    ) -> list[types.WorkspaceDocumentDiagnosticReport]:
        items: list[types.WorkspaceDocumentDiagnosticReport] = []
        open_uris = set(self.ls.workspace.text_documents)
        for uri in sorted(open_uris):
            state = await self.state_async(uri)
            if state is not None:
                items.append(diag.workspace_item(state, self.client, previous.get(uri)))
        loop = asyncio.get_running_loop()
        for uri in sorted(set(self.index.files) - open_uris):
            key = self.store.disk_key(uri)
            if key is not None and previous.get(uri) == diag.result_id_of(key):
                # The client has this file's report and the file did not change: no read.
                items.append(
                    types.WorkspaceUnchangedDocumentDiagnosticReport(
                        uri=uri, version=None, result_id=diag.result_id_of(key)
                    )
                )
                continue
            state = await loop.run_in_executor(self._index_executor(), self.store.read, uri)
            if state is not None and state.analysis is not None:
                items.append(diag.workspace_item(state, self.client, previous.get(uri)))
        return items

    # ---- workspace index ------------------------------------------------------------------

    def _index_executor(self) -> concurrent.futures.ThreadPoolExecutor:
        if self._indexer is None:
            self._indexer = concurrent.futures.ThreadPoolExecutor(
                max_workers=1, thread_name_prefix="design-lsp-index"
            )
        return self._indexer

    def reindex_path(self, path: str, uri: str | None = None) -> None:
        """Bring one file's entry up to date, from the live state when it is open. A single
        file is scanned right here, so the next request sees it: the heading scan of a file
        under the index's per-file cap takes milliseconds (no parse, no analysis)."""
        uri = uri or path_to_uri(path)
        if uri in self.ls.workspace.text_documents:
            state = self.state(uri)
            self._index_result(uri, path, None if state is None else _symbols_of(state))
            return
        try:
            symbols = file_symbols(path, self.client.encoding)
        except Exception:
            log.exception("indexing %s failed", path)
            return
        self._index_result(uri, path, symbols)

    def _index_result(self, uri: str, path: str, symbols: tuple[Symbol, ...] | None) -> None:
        """On the event loop: record what the index thread found for one file."""
        known = uri in self.index.files
        if symbols is None:
            self.index.remove(uri)
        else:
            self.index.put_symbols(uri, symbols, path)
        if known != (symbols is not None):  # a Markdown file appeared or went away
            self._changed.set()

    def start_indexing(self) -> None:
        if self._index_task is not None and not self._index_task.done():
            self._index_task.cancel()
        self._index_task = asyncio.ensure_future(self._index_all())

    async def _index_all(self) -> None:
        folders = list(self.settings.folders)
        if not folders:
            return
        loop = asyncio.get_running_loop()
        listing = await loop.run_in_executor(self._index_executor(), list_markdown, folders)
        paths = listing.paths
        if listing.truncated and not self._index_bound_told:
            self._index_bound_told = True  # once per session: a user cannot act on it twice
            self.show_warning(
                f"design-lsp: the workspace has more Markdown than the index takes "
                f"({listing.truncated}); workspace symbols and workspace diagnostics cover "
                f"the first {len(paths):,} files. Open a smaller folder to index all of it."
            )
        token = await self._begin_progress(len(paths))
        try:
            total, encoding = len(paths), self.client.encoding
            for start in range(0, total, INDEX_BATCH):
                batch = paths[start : start + INDEX_BATCH]
                found = await loop.run_in_executor(
                    self._index_executor(), _scan_files, batch, encoding
                )
                for path, symbols in found:
                    uri = path_to_uri(path)
                    if uri not in self.ls.workspace.text_documents:
                        self._index_result(uri, path, symbols)
                done = start + len(batch)
                if token is not None:
                    self.ls.work_done_progress.report(
                        token,
                        types.WorkDoneProgressReport(
                            message=f"{done}/{total} files",
                            percentage=int(done * 100 / max(total, 1)),
                        ),
                    )
            log.info("indexed %d Markdown files (%d bytes)", total, listing.bytes)
        finally:
            if token is not None:
                self.ls.work_done_progress.end(
                    token, types.WorkDoneProgressEnd(message=f"{len(self.index.files)} files")
                )

    async def _begin_progress(self, total: int) -> str | None:
        if not self.client.work_done_progress:
            return None
        self._progress_counter += 1
        token = f"design-lsp-index-{os.getpid()}-{self._progress_counter}"
        try:
            await asyncio.wait_for(self.ls.work_done_progress.create_async(token), 5)
            self.ls.work_done_progress.begin(
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

    def workspace_symbols(self, query: str) -> list[types.SymbolInformation]:
        live: dict[str, list[types.SymbolInformation]] = {}
        for uri in list(self.ls.workspace.text_documents):
            path = uri_to_path(uri)
            if path is None or not self._in_folders(path):
                continue
            state = self.state(uri)
            if state is not None:
                live[uri] = section_symbols(state)
        return self.index.query(query, live)


INDEX_BATCH = 50  # files scanned per trip to the index thread


def _scan_files(
    paths: list[str], encoding: str
) -> list[tuple[str, tuple[Symbol, ...] | None]]:
    """On the index thread: the section symbols of each file (None where unreadable)."""
    out: list[tuple[str, tuple[Symbol, ...] | None]] = []
    for path in paths:
        try:
            out.append((path, file_symbols(path, encoding)))
        except Exception:
            log.exception("indexing %s failed", path)
    return out


def _symbols_of(state: DocState) -> tuple[Symbol, ...]:
    from design_lsp.features.workspace_symbols import compact

    return compact(state.document.roots, state.encoder)


def _as_dict(value: object) -> dict[str, Any]:
    return dict(value) if isinstance(value, dict) else {}


__all__ = ["Session", "read_text"]
