"""Configuration plumbing: config files per workspace folder, editor settings on top, templates.

A config that fails to load or validate is reported once (through `notify`) and the last good one
stays in force. Every reload bumps `generation`, which invalidates cached analyses.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from design_lsp.features.event_loop import check_off_loop

if TYPE_CHECKING:
    from design_lsp.config import Config
    from design_lsp.document import Document
    from design_lsp.template import Template

log = logging.getLogger(__name__)

SECTION = "designLsp"


def settings_section(value: object) -> dict[str, Any]:
    """The `designLsp` object from initializationOptions or a didChangeConfiguration payload."""
    if not isinstance(value, Mapping):
        return {}
    inner = value.get(SECTION)
    if isinstance(inner, Mapping):
        return dict(inner)
    if SECTION in value:  # explicitly null
        return {}
    return dict(value)


@dataclass
class _Cached:
    key: tuple[int, int]
    template: Template


CONFIG_FILES = (".design-lsp.toml", "pyproject.toml")  # read from each workspace folder


class SettingsManager:
    def __init__(self, notify: Callable[[str], None] | None = None) -> None:
        self.notify = notify or (lambda message: log.error("%s", message))
        self.generation = 0
        self.folders: list[str] = []  # workspace folder paths, longest first
        self.init_settings: dict[str, Any] = {}  # initializationOptions
        self.editor_settings: dict[str, dict[str, Any]] = {}  # scope ("" or folder) -> settings
        self._file_configs: dict[str, Config] = {}  # last good file config per folder
        self._effective: dict[str, Config] = {}  # last good merged config per folder ("" = none)
        self._templates: dict[str, _Cached] = {}  # path -> last good template
        self._reported: dict[str, str] = {}  # what -> last error shown for it
        self._on_disk: tuple[tuple[str, int, int], ...] = ()  # config files as last read

    # ---- loading ---------------------------------------------------------------------------

    def set_folders(self, folders: list[str]) -> None:
        self.folders = sorted({os.path.normpath(f) for f in folders}, key=len, reverse=True)

    def reload(self) -> None:
        """Re-read every folder's config file and merge editor settings over it. In the server,
        on the scheduler's worker: it reads files, which the event loop must not wait for."""
        from design_lsp.config import Config, ConfigError, load_config, merge_settings

        check_off_loop("reading the config files")
        self.generation += 1
        self._templates.clear()
        self._on_disk = self._stamps()
        for folder in [*self.folders, ""]:
            file_config = self._file_configs.get(folder)
            if folder:
                try:
                    file_config = load_config(folder)
                    self._resolved(f"config:{folder}")
                except ConfigError as error:
                    self._report(f"config:{folder}", str(error))
                except Exception as error:
                    log.exception("loading config for %s", folder)
                    self._report(f"config:{folder}", f"{folder}: cannot load config: {error}")
                if file_config is None:
                    file_config = Config(root=Path(folder))
            elif file_config is None:
                file_config = Config(root=Path.cwd())
            self._file_configs[folder] = file_config
            merged = self._effective.get(folder, file_config)
            try:
                merged = file_config
                for source, settings in self._settings_for(folder):
                    merged = merge_settings(merged, settings, source)
                self._resolved(f"settings:{folder}")
            except ConfigError as error:
                self._report(f"settings:{folder}", str(error))
                merged = self._effective.get(folder, file_config)
            self._effective[folder] = merged

    def changed_on_disk(self) -> bool:
        """Whether a config file was created, changed or removed since it was read, for
        clients that send no file-watch events (Neovim on Linux): a few stat calls."""
        check_off_loop("looking at the config files")
        return self._stamps() != self._on_disk

    def _stamps(self) -> tuple[tuple[str, int, int], ...]:
        paths = {
            os.path.join(folder, name) for folder in self.folders for name in CONFIG_FILES
        }
        # (a config found upward from a folder; editor settings name no file)
        paths.update(
            c.source
            for c in self._effective.values()
            if c.source and os.path.basename(c.source) in CONFIG_FILES
        )
        out = []
        for path in sorted(paths):
            try:
                info = os.stat(path)
                out.append((path, info.st_mtime_ns, info.st_size))
            except OSError:
                out.append((path, -1, -1))
        return tuple(out)

    def _settings_for(self, folder: str) -> list[tuple[str, dict[str, Any]]]:
        out: list[tuple[str, dict[str, Any]]] = []
        if self.init_settings:
            out.append((f"initializationOptions.{SECTION}", self.init_settings))
        if self.editor_settings.get(""):
            out.append((SECTION, self.editor_settings[""]))
        if folder and self.editor_settings.get(folder):
            out.append((SECTION, self.editor_settings[folder]))
        return out

    def _report(self, what: str, message: str) -> None:
        already = message in self._reported.values()  # the same settings, another folder
        self._reported[what] = message
        if not already:
            self.notify(f"design-lsp: {message}")

    def _resolved(self, what: str) -> None:
        self._reported.pop(what, None)

    def problem_for(self, path: str | None) -> str | None:
        """The config problem still unfixed that governs `path` (its folder's config file,
        the editor settings, the configured template or its section overrides), if any."""
        folder = self.folder_of(path)
        config = self.config_for(path)
        for what in (
            f"config:{folder}",
            f"settings:{folder}",
            f"template:{config.template or ''}",
            f"sections:{config.source or ''}",
        ):
            if what in self._reported:
                return self._reported[what]
        return None

    # ---- queries ---------------------------------------------------------------------------

    def folder_of(self, path: str | None) -> str:
        if path is None:
            return ""
        norm = os.path.normpath(path)
        for folder in self.folders:
            if norm == folder or norm.startswith(folder.rstrip(os.sep) + os.sep):
                return folder
        return ""

    def config_for(self, path: str | None) -> Config:
        folder = self.folder_of(path)
        config = self._effective.get(folder) or self._effective.get("")
        if config is None:
            from design_lsp.config import Config

            config = Config()
            self._effective[""] = config
        return config

    def template_for(
        self, config: Config, path: str | None, document: Document | None = None
    ) -> Template | None:
        """The template a document is checked against (front matter may name its own); a
        TemplateError when the one its front matter names cannot be used."""
        from design_lsp.template.load import resolve_named_template

        front_matter = document.front_matter if document is not None else None
        named = resolve_named_template(front_matter, path, config.root)
        if named is not None:
            return self._configured(config, self.read_template(str(named)))
        template = self.load_template(config.template, config.template_named_by)
        return self._configured(config, template) if template is not None else None

    def _configured(self, config: Config, template: Template) -> Template:
        """The template with the config's section overrides (a bad one is reported once)."""
        from design_lsp.config import ConfigError

        key = f"sections:{config.source or ''}"
        try:
            configured = config.configured(template)
        except ConfigError as error:
            self._report(key, str(error))
            return template
        self._resolved(key)
        return configured

    def load_template(self, path: str | None, named_by: str | None = None) -> Template | None:
        """The configured template (None: the built-in one); a problem is reported once and
        the last good version, if any, stays in use."""
        from design_lsp.template import TemplateError

        cache_key = path or ""
        try:
            template = self.read_template(path, named_by)
        except TemplateError as error:
            self._report(f"template:{cache_key}", str(error))
        except Exception as error:
            log.exception("loading template %s", path)
            self._report(f"template:{cache_key}", f"{path}: cannot load template: {error}")
        else:
            self._resolved(f"template:{cache_key}")
            return template
        cached = self._templates.get(cache_key)
        return cached.template if cached is not None else None

    def read_template(self, path: str | None, named_by: str | None = None) -> Template:
        """The template at `path`, read again only when its file changed; TemplateError when it
        cannot be used."""
        from design_lsp.template import load_template

        cache_key = path or ""
        stamp = (0, 0)
        if path is not None:
            try:
                info = os.stat(path)
                stamp = (info.st_mtime_ns, info.st_size)
            except OSError:
                stamp = (-1, -1)
        cached = self._templates.get(cache_key)
        if cached is not None and cached.key == stamp:
            return cached.template
        template = load_template(path, named_by)
        self._templates[cache_key] = _Cached(stamp, template)
        return template

    def qualifies(
        self, config: Config, path: str | None, template: Template, document: Document
    ) -> bool:
        """DESIGN.md §3: include globs, the title pattern, or front matter naming a template."""
        if path is not None and config.includes(path):
            return True
        from design_lsp.analysis import follows_template

        return follows_template(template, document)

