"""Configuration: dynamic registrations, the editor's settings (pulled or pushed), reloads of the
config files, and what follows a change (every open document analysed again).

The config files are read (and looked at for changes) on the scheduler's worker, in turn with
the analyses that use them; the event loop only asks and sends.
"""

from __future__ import annotations

import asyncio
import logging
import os
import time
from collections.abc import Coroutine
from typing import TYPE_CHECKING, Any

from lsprotocol import types

from design_lsp.features.settings import CONFIG_FILES, SECTION, settings_section
from design_lsp.features.uris import uri_to_path
from design_lsp.files import MARKDOWN_SUFFIXES

if TYPE_CHECKING:
    from design_lsp.features.session import Session

log = logging.getLogger(__name__)

CONFIG_WAIT_SECONDS = 3.0
CONFIG_CHECK_INTERVAL = 1.0  # seconds between looks at the config files' status


class Configuration:
    def __init__(self, session: Session) -> None:
        self.session = session
        self.ready = asyncio.Event()  # the editor's settings are in (or never will be)
        self._checked = 0.0  # when config files were last looked at (monotonic)
        self._tasks: set[asyncio.Future[None]] = set()

    async def wait(self) -> None:
        if self.ready.is_set():
            return
        try:
            await asyncio.wait_for(self.ready.wait(), CONFIG_WAIT_SECONDS)
        except asyncio.TimeoutError:
            log.warning(
                "no configuration after %ss; going on with what is known", CONFIG_WAIT_SECONDS
            )

    async def start(self) -> None:
        """After `initialized`: config files, registrations, the editor's settings."""
        s = self.session
        try:
            # Read here, not in `initialize`: pydantic's import then does not delay the
            # answer to `initialize`, and no document can open before `initialized`.
            await self._read(check_first=False)
            await self.register_dynamic()
            if s.client.configuration:
                await self.pull_settings()
                await self._read(check_first=False)
        finally:
            self.ready.set()
        self.after_change()

    async def register_dynamic(self) -> None:
        s = self.session
        registrations: list[types.Registration] = []
        if s.client.config_dynamic:
            registrations.append(
                types.Registration(
                    id="design-lsp-configuration",
                    method=types.WORKSPACE_DID_CHANGE_CONFIGURATION,
                    register_options=types.DidChangeConfigurationRegistrationOptions(
                        section=SECTION
                    ),
                )
            )
        if s.client.watch_dynamic:
            watchers = [
                types.FileSystemWatcher(glob_pattern=pattern)
                for pattern in (
                    *(f"**/*{suffix}" for suffix in MARKDOWN_SUFFIXES),
                    *(f"**/{name}" for name in CONFIG_FILES),
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
                s.ls.client_register_capability_async(
                    types.RegistrationParams(registrations=registrations)
                ),
                CONFIG_WAIT_SECONDS,
            )
        except Exception:
            log.warning("client did not accept dynamic registrations", exc_info=True)

    async def pull_settings(self) -> None:
        s = self.session
        folders = list(s.ls.workspace.folders.values())
        items = [types.ConfigurationItem(section=SECTION)]
        items += [types.ConfigurationItem(scope_uri=f.uri, section=SECTION) for f in folders]
        try:
            result = await asyncio.wait_for(
                s.ls.workspace_configuration_async(types.ConfigurationParams(items=items)),
                CONFIG_WAIT_SECONDS,
            )
        except Exception:
            log.warning("workspace/configuration failed", exc_info=True)
            return
        values: list[Any] = list(result or [])
        editor: dict[str, dict[str, Any]] = {}
        if values:
            editor[""] = _as_dict(values[0])
        for folder, value in zip(folders, values[1:], strict=False):
            path = uri_to_path(folder.uri)
            if path:
                editor[os.path.normpath(path)] = _as_dict(value)
        s.settings.editor_settings = editor  # (whole: the worker may be reading it)

    async def did_change_configuration(self, params: types.DidChangeConfigurationParams) -> None:
        if self.session.client.configuration:
            await self.pull_settings()
        else:
            self.session.settings.editor_settings = {"": settings_section(params.settings)}
        await self._reload(check_first=False)

    def reload(self) -> None:
        """Read the config files again and analyse every open document again (the templates
        they name are read by the worker when it next analyses)."""
        self._spawn(self._reload(check_first=False))

    def reload_if_changed_on_disk(self, throttled: bool = True) -> None:
        """`reload` if a config file changed without a file-watch event (Neovim on Linux sends
        none); `throttled`: looked at at most once a second (on every edit)."""
        now = time.monotonic()
        if throttled and now - self._checked < CONFIG_CHECK_INTERVAL:
            return
        self._checked = now
        self._spawn(self._reload(check_first=True))

    async def _reload(self, check_first: bool) -> None:
        if await self._read(check_first):
            self.session.store.clear()
            self.after_change()

    async def _read(self, check_first: bool) -> bool:
        """Read the config files on the worker, after the analyses queued before (which used
        the previous config) and before those queued after; with `check_first`, only when
        one changed since it was read. Whether they were read."""
        s = self.session
        folders = s.folder_paths()

        def read() -> bool:
            if check_first and not s.settings.changed_on_disk():
                return False
            s.settings.set_folders(folders)
            s.settings.reload()
            return True

        return await s.scheduler.run_on_worker(read)

    def _spawn(self, reload: Coroutine[Any, Any, None]) -> None:
        task = asyncio.ensure_future(reload)
        self._tasks.add(task)
        task.add_done_callback(self._done)

    def _done(self, task: asyncio.Future[None]) -> None:
        self._tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:
            log.error("reloading the config failed", exc_info=task.exception())

    def after_change(self) -> None:
        """Findings may have changed everywhere: ask pull clients to re-pull; for the others
        the worker analyses every open document again and publishes it."""
        s = self.session
        s.pull.changed.set()
        if s.client.pull_diagnostics:
            if s.client.diagnostic_refresh:
                try:
                    s.ls.workspace_diagnostic_refresh(None)
                except Exception:
                    log.exception("workspace/diagnostic/refresh failed")
            return
        for uri in list(s.ls.workspace.text_documents):
            s.scheduler.schedule(uri)

    def affects(self, path: str) -> bool:
        """Whether `path` is a config file or a configured template."""
        if os.path.basename(path) in CONFIG_FILES:
            return True
        settings = self.session.settings
        norm = os.path.normpath(path)
        for folder in [*settings.folders, ""]:
            template = settings.config_for(folder or None).template
            if template and os.path.normpath(template) == norm:
                return True
        return False


def _as_dict(value: object) -> dict[str, Any]:
    return dict(value) if isinstance(value, dict) else {}
