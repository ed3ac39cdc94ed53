"""Workspace symbols: the sections of every Markdown file under the workspace folders.

Files are indexed in the background (with `$/progress` where the client takes it), `.git` and
`node_modules` skipped, and kept current on save and on watched-file changes. Open documents are
answered from their live state instead of the index.
"""

from __future__ import annotations

import logging
import os
import stat
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

from lsprotocol import types

from design_lsp.features.symbols import KIND, symbol_name

if TYPE_CHECKING:
    from design_lsp.document import Section
    from design_lsp.features.state import DocState

log = logging.getLogger(__name__)

SKIP_DIRS = frozenset({".git", "node_modules", ".hg", ".svn", "__pycache__", ".venv", ".tox"})
MARKDOWN_SUFFIXES = (".md", ".markdown")
MAX_RESULTS = 1000


def is_markdown(path: str) -> bool:
    return path.lower().endswith(MARKDOWN_SUFFIXES)


def markdown_files(folders: Iterable[str]) -> Iterator[str]:
    """Regular Markdown files under `folders`; symlinked directories and special files skipped."""
    seen: set[str] = set()
    for folder in folders:
        for root, dirs, files in os.walk(folder, followlinks=False):
            dirs[:] = sorted(d for d in dirs if d not in SKIP_DIRS)
            for name in sorted(files):
                if not is_markdown(name):
                    continue
                path = os.path.join(root, name)
                if path in seen:
                    continue
                seen.add(path)
                try:
                    info = os.stat(path)
                except OSError:
                    continue
                if stat.S_ISREG(info.st_mode):
                    yield path


def section_symbols(state: DocState) -> list[types.SymbolInformation]:
    out: list[types.SymbolInformation] = []

    def walk(section: Section, container: str | None) -> None:
        name = symbol_name(section)
        out.append(
            types.SymbolInformation(
                name=name,
                kind=KIND,
                location=types.Location(
                    uri=state.uri, range=state.encoder.range(section.heading.title_span)
                ),
                container_name=container,
            )
        )
        for child in section.children:
            walk(child, name)

    for root in state.document.roots:
        walk(root, None)
    return out


def matches(query: str, name: str) -> bool:
    """Case-insensitive subsequence match, as editors filter symbols."""
    if not query:
        return True
    it = iter(name.casefold())
    return all(ch in it for ch in query.casefold() if not ch.isspace())


class WorkspaceIndex:
    def __init__(self) -> None:
        self.files: dict[str, list[types.SymbolInformation]] = {}  # uri -> symbols
        self.paths: dict[str, str] = {}  # uri -> path

    def put(self, state: DocState, path: str | None = None) -> None:
        self.files[state.uri] = section_symbols(state)
        if path is not None:
            self.paths[state.uri] = path

    def remove(self, uri: str) -> None:
        self.files.pop(uri, None)
        self.paths.pop(uri, None)

    def query(
        self, query: str, live: dict[str, list[types.SymbolInformation]]
    ) -> list[types.SymbolInformation]:
        out: list[types.SymbolInformation] = []
        for uri in sorted({*self.files, *live}):
            symbols = live.get(uri, self.files.get(uri, []))
            for symbol in symbols:
                if matches(query, symbol.name):
                    out.append(symbol)
                    if len(out) >= MAX_RESULTS:
                        return out
        return out
