"""Configuration: dynamic registrations, the editor's settings (pulled or pushed), reloads of the
config files, and what follows a change (every open document analysed again)."""

from __future__ import annotations

import asyncio
import logging
import os
import time
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
            s.settings.reload()
            await self.register_dynamic()
            if s.client.configuration:
                await self.pull_settings()
                s.settings.reload()
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
        s.settings.editor_settings = {}
        if values:
            s.settings.editor_settings[""] = _as_dict(values[0])
        for folder, value in zip(folders, values[1:], strict=False):
            path = uri_to_path(folder.uri)
            if path:
                s.settings.editor_settings[os.path.normpath(path)] = _as_dict(value)

    async def did_change_configuration(self, params: types.DidChangeConfigurationParams) -> None:
        if self.session.client.configuration:
            await self.pull_settings()
        else:
            self.session.settings.editor_settings = {"": settings_section(params.settings)}
        self.reload()

    def reload(self) -> None:
        """Read the config files again (a few small files: the templates they name are read
        by the worker, when it next analyses) and analyse every open document again."""
        s = self.session
        s.settings.set_folders(s.folder_paths())
        s.settings.reload()
        s.store.clear()
        self.after_change()

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

    def changed_on_disk(self) -> bool:
        """At most once a second, whether a config file changed without a file-watch event."""
        now = time.monotonic()
        if now - self._checked < CONFIG_CHECK_INTERVAL:
            return False
        self._checked = now
        return self.session.settings.changed_on_disk()

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
