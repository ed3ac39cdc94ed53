"""Push diagnostics (publishDiagnostics), for clients that do not pull them: sent when the
worker has analysed a version, never before the editor's settings are in."""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING

from lsprotocol import types

from design_lsp.features import diagnostics as diag

if TYPE_CHECKING:
    from design_lsp.features.session import Session

log = logging.getLogger(__name__)


class PushDiagnostics:
    def __init__(self, session: Session) -> None:
        self.session = session
        self._waiting: set[str] = set()
        self._tasks: set[asyncio.Future[None]] = set()

    @property
    def active(self) -> bool:
        return not self.session.client.pull_diagnostics

    def publish(self, uri: str) -> None:
        """Send the newest analysed version's diagnostics (the worker has just stored it)."""
        if not self.active:
            return
        state = self.session.scheduler.newest(uri)
        if state is None:
            return
        diag.push(self.session.ls, state, self.session.client)

    def publish_when_ready(self, uri: str) -> None:
        """Publish now, or once the editor's settings are in (the first findings must already
        follow them); a config change re-publishes every open document then anyway."""
        if not self.active:
            return
        if self.session.config.ready.is_set():
            self.publish(uri)
            return
        if uri not in self._waiting:
            self._waiting.add(uri)
            task = asyncio.ensure_future(self._publish_later(uri))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)

    async def _publish_later(self, uri: str) -> None:
        try:
            await self.session.config.wait()
            if not self.session.config.ready.is_set():  # the client never finished initializing
                self.publish(uri)
        except Exception:
            log.exception("publishing diagnostics for %s failed", uri)
        finally:
            self._waiting.discard(uri)

    def clear(self, uri: str) -> None:
        """A document closed: its diagnostics go with it."""
        if self.active:
            self.session.ls.text_document_publish_diagnostics(
                types.PublishDiagnosticsParams(uri=uri, diagnostics=[])
            )
