"""Text sync: didOpen, didChange, didClose, didSave. pygls has applied the change to its
workspace when these run; each only schedules work (analysis, reloads, index updates)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from design_lsp.features.uris import uri_to_path

if TYPE_CHECKING:
    from design_lsp.features.session import Session


class TextSync:
    def __init__(self, session: Session) -> None:
        self.session = session

    def did_open(self, uri: str) -> None:
        self.session.pull.changed.set()
        self.session.scheduler.schedule(uri)

    def did_change(self, uri: str) -> None:
        s = self.session
        s.pull.changed.set()
        s.scheduler.schedule(uri)
        s.config.reload_if_changed_on_disk()  # (then every open document is analysed again)

    def did_close(self, uri: str) -> None:
        from design_lsp.text import release_memory

        s = self.session
        s.pull.changed.set()
        s.scheduler.forget(uri)
        # A big document leaves reference cycles (its section tree) that the tuned collector
        # would keep for a long time, and freed pages the allocator would keep: give them back.
        release_memory()
        s.push.clear(uri)
        path = uri_to_path(uri)
        if path is not None and s.indexer.in_folders(path):
            s.indexer.reindex(path, uri)  # as saved on disk, now that it is closed

    def did_save(self, uri: str) -> None:
        s = self.session
        path = uri_to_path(uri)
        if path is None:
            return
        if s.config.affects(path):
            s.config.reload()
            return
        s.config.reload_if_changed_on_disk(throttled=False)
        s.pull.changed.set()
        if s.indexer.in_folders(path):
            s.indexer.reindex(path, uri)
