"""Workspace symbols: the sections of every Markdown file under the workspace folders.

Files are indexed in the background, off the event loop (with `$/progress` where the client
takes it), and kept current on save and on watched-file changes. Open documents are answered
from their live state instead of the index.

The index holds only what it serves: each file's section symbols as small tuples, found by the
fence-aware heading scan (no full parse, no analysis). It skips what the repository ignores
(in a git work tree, what `git ls-files --exclude-standard` leaves out; elsewhere `SKIP_DIRS`),
and stops at `MAX_INDEX_FILES` files or `MAX_INDEX_BYTES` bytes.
"""

from __future__ import annotations

import logging
import os
import stat
import subprocess
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from lsprotocol import types

from design_lsp.features.documents.disk import MAX_FILE_BYTES  # a bigger file is not indexed
from design_lsp.features.symbols import symbol_kind, symbol_name
from design_lsp.files import MARKDOWN_SUFFIXES

if TYPE_CHECKING:
    from design_lsp.document import Section
    from design_lsp.features.documents.doc_state import DocState
    from design_lsp.features.positions import Encoder

log = logging.getLogger(__name__)

SKIP_DIRS = frozenset({".git", "node_modules", ".hg", ".svn", "__pycache__", ".venv", ".tox"})
MAX_RESULTS = 1000
# Bounds of the background index: a workspace folder may be a home directory or `/`.
MAX_INDEX_FILES = 5000
MAX_INDEX_BYTES = 64 * 1024 * 1024
MAX_WALK_DIRS = 20_000  # directories visited when the folder is not a git work tree
GIT_TIMEOUT_SECONDS = 20.0

# One symbol: name, container name, then its title's range (line, character, end line, end
# character) in the client's position encoding, and its heading level (for its kind).
Symbol = tuple[str, "str | None", int, int, int, int, int]


def is_markdown(path: str) -> bool:
    return path.lower().endswith(MARKDOWN_SUFFIXES)


@dataclass
class Listing:
    """The Markdown files to index, and whether a bound cut the list short."""

    paths: list[str] = field(default_factory=list)
    bytes: int = 0
    truncated: str = ""  # which bound was hit, for the message ("" when none)


def list_markdown(
    folders: Iterable[str],
    max_files: int = MAX_INDEX_FILES,
    max_bytes: int = MAX_INDEX_BYTES,
) -> Listing:
    """Regular Markdown files under `folders` that the repository does not ignore, up to the
    bounds; symlinks leading out of their folder, special and oversized files skipped."""
    listing = Listing()
    seen: set[str] = set()
    for folder in folders:
        listed = _git_markdown(folder)
        candidates = _walk_markdown(folder, listing) if listed is None else iter(listed)
        for path in candidates:
            if path in seen:
                continue
            seen.add(path)
            size = _regular_size(path, folder)
            if size is None or size > MAX_FILE_BYTES:
                continue
            if len(listing.paths) >= max_files:
                listing.truncated = f"{max_files:,} files"
                return listing
            if listing.bytes + size > max_bytes:
                listing.truncated = f"{max_bytes // (1024 * 1024)} MB of Markdown"
                return listing
            listing.paths.append(path)
            listing.bytes += size
    return listing


def markdown_files(folders: Iterable[str]) -> Iterator[str]:
    """The paths of `list_markdown(folders)`."""
    yield from list_markdown(folders).paths


def _git_markdown(folder: str) -> list[str] | None:
    """The Markdown files git tracks or would track (ignored ones left out) under `folder`;
    None when it is not in a git work tree or git is not there. The fsmonitor hook, the one
    thing a repository's config could make `ls-files` run, is turned off."""
    command = [
        "git", "-c", "core.fsmonitor=false", "-C", folder, "ls-files", "-z",
        "--cached", "--others", "--exclude-standard", "--",
        ":(icase)*.md", ":(icase)*.markdown",
    ]  # fmt: skip
    try:
        run = subprocess.run(
            command,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            timeout=GIT_TIMEOUT_SECONDS,
            env={**os.environ, "GIT_OPTIONAL_LOCKS": "0", "GIT_TERMINAL_PROMPT": "0"},
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    if run.returncode != 0:
        return None
    out = []
    for raw in sorted(set(run.stdout.split(b"\0"))):
        rel = os.fsdecode(raw)
        if not rel or not is_markdown(rel) or SKIP_DIRS.intersection(rel.split("/")):
            continue
        out.append(os.path.join(folder, rel))
    return out


def _walk_markdown(folder: str, listing: Listing) -> Iterator[str]:
    """Markdown files under a folder that is not a git work tree, `SKIP_DIRS` left out,
    symlinked directories not followed, at most `MAX_WALK_DIRS` directories visited."""
    for visited, (root, dirs, files) in enumerate(os.walk(folder, followlinks=False), 1):
        if visited > MAX_WALK_DIRS:
            listing.truncated = f"{MAX_WALK_DIRS:,} directories"
            return
        dirs[:] = sorted(d for d in dirs if d not in SKIP_DIRS)
        for name in sorted(files):
            if is_markdown(name):
                yield os.path.join(root, name)


def _regular_size(path: str, folder: str) -> int | None:
    """The size of a regular file inside `folder` (a symlink only when its target is inside
    too); None for anything else."""
    try:
        info = os.lstat(path)
        if stat.S_ISLNK(info.st_mode):
            real, base = os.path.realpath(path), os.path.realpath(folder)
            if os.path.commonpath([real, base]) != base:
                return None
            info = os.stat(path)
    except (OSError, ValueError):
        return None
    return info.st_size if stat.S_ISREG(info.st_mode) else None


def file_symbols(path: str, encoding: str) -> tuple[Symbol, ...] | None:
    """The section symbols of a file on disk, by the heading scan alone (None when it cannot
    be read). Safe on any thread: it does not use mistletoe."""
    from design_lsp.document.parse import build_sections
    from design_lsp.document.scan import scan
    from design_lsp.features.documents.disk import read_text
    from design_lsp.features.positions import Encoder
    from design_lsp.text import split_lines

    text = read_text(path)
    if text is None:
        return None
    lines = split_lines(text)
    roots = build_sections(scan(lines).headings, len(lines))
    return compact(roots, Encoder(lines, encoding))


def compact(roots: list[Section], encoder: Encoder) -> tuple[Symbol, ...]:
    """Section trees as `Symbol` tuples, in document order."""
    points = encoder.points
    out: list[Symbol] = []
    stack: list[tuple[Section, str | None]] = [(root, None) for root in reversed(roots)]
    while stack:
        section, container = stack.pop()
        name = symbol_name(section)
        heading = section.heading
        out.append((name, container, *points(heading.title_span), heading.level))
        stack.extend((child, name) for child in reversed(section.children))
    return tuple(out)


def section_symbols(state: DocState) -> list[types.SymbolInformation]:
    out: list[types.SymbolInformation] = []

    def walk(section: Section, container: str | None) -> None:
        name = symbol_name(section)
        out.append(
            types.SymbolInformation(
                name=name,
                kind=symbol_kind(section.heading.level),
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
        self.files: dict[str, tuple[Symbol, ...]] = {}  # uri -> its section symbols
        self.paths: dict[str, str] = {}  # uri -> path

    def put(self, state: DocState, path: str | None = None) -> None:
        self.put_symbols(state.uri, compact(state.document.roots, state.encoder), path)

    def put_symbols(self, uri: str, symbols: tuple[Symbol, ...], path: str | None = None) -> None:
        self.files[uri] = symbols
        if path is not None:
            self.paths[uri] = path

    def remove(self, uri: str) -> None:
        self.files.pop(uri, None)
        self.paths.pop(uri, None)

    def query(
        self, query: str, live: dict[str, list[types.SymbolInformation]]
    ) -> list[types.SymbolInformation]:
        out: list[types.SymbolInformation] = []
        for uri in sorted({*self.files, *live}):
            if uri in live:
                symbols = live[uri]
            else:  # built for the matches only
                symbols = [_information(uri, symbol) for symbol in self.files[uri]
                           if matches(query, symbol[0])]  # fmt: skip
            for symbol in symbols:
                if matches(query, symbol.name):
                    out.append(symbol)
                    if len(out) >= MAX_RESULTS:
                        return out
        return out


def _information(uri: str, symbol: Symbol) -> types.SymbolInformation:
    name, container, line, character, end_line, end_character, level = symbol
    return types.SymbolInformation(
        name=name,
        kind=symbol_kind(level),
        location=types.Location(
            uri=uri,
            range=types.Range(
                start=types.Position(line=line, character=character),
                end=types.Position(line=end_line, character=end_character),
            ),
        ),
        container_name=container,
    )
