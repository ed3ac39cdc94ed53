"""The one owner of the threads that parse and analyse, and the way handlers get a document.

- The analysis worker (one thread: mistletoe keeps module state) analyses open documents, one
  job per document at a time: a job whose version is no longer the newest is dropped. It also
  serialises each version's diagnostics, builds the outline ahead for documents whose
  outline the client shows, and reads the config files (`run_on_worker`), in turn with the
  analyses that use them.
- The index thread reads closed files: heading scans for the workspace index, whole analyses
  for workspace diagnostics (`run_on_index`).

The event loop only receives and sends: handlers `await snapshot(uri, Fresh...)`, which never
blocks it. Results reach the loop through `call_soon_threadsafe`.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

from design_lsp.features import diagnostics as diag
from design_lsp.features.documents.doc_state import DocState
from design_lsp.features.documents.text_document import Snapshot, snapshot
from design_lsp.features.snapshots import Fresh

if TYPE_CHECKING:
    from design_lsp.features.session import Session

log = logging.getLogger(__name__)
T = TypeVar("T")

Key = tuple[object, ...]


class Scheduler:
    def __init__(self, session: Session) -> None:
        self.session = session
        self._worker: concurrent.futures.ThreadPoolExecutor | None = None
        self._indexer: concurrent.futures.ThreadPoolExecutor | None = None
        self._jobs: dict[str, tuple[Key, concurrent.futures.Future[DocState | None] | None]] = {}
        self._json_cache: dict[str, diag.WireCache] = {}  # uri -> its diagnostics as JSON
        # Documents whose outline the client has asked for (it shows it, and asks again after
        # every edit): the worker builds it right after the diagnostics are out.
        self._outline_wanted: set[str] = set()
        self._outline_jobs: dict[str, tuple[DocState, concurrent.futures.Future[None]]] = {}

    # ---- threads --------------------------------------------------------------------------

    def _executor(self) -> concurrent.futures.ThreadPoolExecutor:
        if self._worker is None:
            self._worker = concurrent.futures.ThreadPoolExecutor(
                max_workers=1, thread_name_prefix="design-lsp-analysis"
            )
        return self._worker

    def _index_executor(self) -> concurrent.futures.ThreadPoolExecutor:
        if self._indexer is None:
            self._indexer = concurrent.futures.ThreadPoolExecutor(
                max_workers=1, thread_name_prefix="design-lsp-index"
            )
        return self._indexer

    async def run_on_worker(self, fn: Callable[..., T], *args: Any) -> T:
        """`fn(*args)` on the analysis worker, after the jobs queued before it (config reads:
        the analyses queued after see what they read)."""
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._executor(), fn, *args)

    async def run_on_index(self, fn: Callable[..., T], *args: Any) -> T:
        """`fn(*args)` on the index thread (closed files: reads, scans, their analyses)."""
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._index_executor(), fn, *args)

    def warm_up(self) -> None:
        """Import the parser and the analysis on the worker while the client sends its first
        document (imports were left out of `initialize`: mistletoe's alone is ~0.1 s)."""

        def load() -> None:
            import design_lsp.analysis
            import design_lsp.document.parse  # noqa: F401

        self._executor().submit(load)

    def shutdown(self) -> None:
        for pool in (self._worker, self._indexer):
            if pool is not None:
                pool.shutdown(wait=False, cancel_futures=True)
        self._worker = self._indexer = None

    # ---- open documents -------------------------------------------------------------------

    def _current_job(self, uri: str) -> concurrent.futures.Future[DocState | None] | None:
        entry = self._jobs.get(uri)
        doc = self.session.ls.workspace.text_documents.get(uri)
        if entry is None or doc is None or entry[0] != self.session.store.key_of(doc):
            return None
        return entry[1]

    def schedule(self, uri: str) -> None:
        """Analyse the newest version of `uri` on the worker; publish when done."""
        store = self.session.store
        doc = self.session.ls.workspace.text_documents.get(uri)
        if doc is None:
            return
        key = store.key_of(doc)
        cached = store.cached(uri)
        if cached is not None and cached.key == key:
            self.session.push.publish_when_ready(uri)
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
        self, uri: str, snap: Snapshot, version: int | None, key: Key
    ) -> DocState | None:
        """On the worker: build the state, unless a newer version made this job stale."""
        entry = self._jobs.get(uri)
        if entry is None or entry[0] != key:
            return None  # dropped: a newer version (or a close) came in while this one queued
        state = self.session.store.build(uri, snap, version, key)
        # Serialised here, off the event loop (only the findings the edit changed); the cache
        # is the worker's alone.
        client = self.session.client
        cache = self._json_cache.setdefault(uri, diag.WireCache())
        if client.pull_diagnostics:
            diag.report_json(state, client, cache)  # the client pulls right after an edit
        else:
            diag.publish_body(state, client, cache)
        return state

    def _job_done(
        self, uri: str, key: Key, job: concurrent.futures.Future[DocState | None]
    ) -> None:
        """On the loop: keep the new state, publish it, build the outline ahead if wanted."""
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
        doc = self.session.ls.workspace.text_documents.get(uri)
        if result is None or doc is None or self.session.store.key_of(doc) != key:
            return  # stale: the newer version's job publishes
        self._store_result(uri, result)
        try:
            self.session.push.publish_when_ready(uri)
        except Exception:
            log.exception("publishing diagnostics for %s failed", uri)
        if uri in self._outline_wanted and self.session.client.hierarchical_symbols:
            outline = self._executor().submit(self._build_outline, uri, result)
            self._outline_jobs[uri] = (result, outline)

    def _build_outline(self, uri: str, state: DocState) -> None:
        """On the worker: the outline of `state`, unless a newer version came in meanwhile."""
        from design_lsp.features.symbols import outline_json

        if self.session.store.cached(uri) is state and self._current_job(uri) is None:
            outline_json(state)

    def _store_result(self, uri: str, state: DocState) -> None:
        cached = self.session.store.cached(uri)
        if cached is None or cached.key != state.key:
            self.session.store.put(uri, state)

    def forget(self, uri: str) -> None:
        """A document closed: drop its job, caches and wishes."""
        self._jobs.pop(uri, None)
        self._json_cache.pop(uri, None)
        self._outline_wanted.discard(uri)
        self._outline_jobs.pop(uri, None)
        self.session.store.forget(uri)

    # ---- snapshots ------------------------------------------------------------------------

    def newest(self, uri: str) -> DocState | None:
        """The newest analysed state of an open document, if any, without waiting."""
        if uri not in self.session.ls.workspace.text_documents:
            return None
        return self.session.store.cached(uri)

    async def snapshot(self, uri: str, fresh: Fresh) -> DocState | None:
        """The state of an open document (None when it is not open), as fresh as declared;
        waits for the worker when it must, never blocking the loop."""
        if fresh is Fresh.NEWEST_ANALYSED:
            found = self.newest(uri)
            if found is not None:
                return found
        store = self.session.store
        for _ in range(1000):  # each turn: a newer version came in while waiting
            doc = self.session.ls.workspace.text_documents.get(uri)
            if doc is None:
                return None
            cached = store.cached(uri)
            if cached is not None and cached.key == store.key_of(doc):
                return cached
            job = self._current_job(uri)
            if job is None:
                self.schedule(uri)
                job = self._current_job(uri)
                if job is None:  # (not scheduled: a state that cannot be cached)
                    return store.get(self.session.ls.workspace, uri)
            try:
                result = await asyncio.wrap_future(job)
            except Exception:
                log.exception("analysis of %s failed", uri)
                return None
            if result is not None:
                now = self.session.ls.workspace.text_documents.get(uri)
                if now is not None and store.key_of(now) == result.key:
                    self._store_result(uri, result)
                return result  # the version current when asked, at least
        return None

    async def outline_snapshot(self, uri: str) -> DocState | None:
        """`snapshot(uri, CURRENT)` for an outline request: with the outline the worker may be
        building for it, and from now on built ahead after every analysis of this document."""
        state = await self.snapshot(uri, Fresh.CURRENT)
        if state is not None:
            self._outline_wanted.add(uri)
        entry = self._outline_jobs.get(uri)
        if entry is not None and entry[0] is state:
            with contextlib.suppress(Exception):
                await asyncio.wrap_future(entry[1])
        return state
