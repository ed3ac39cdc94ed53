"""Which files `check` reads, and reading them: never outside the tree it was given, never a
FIFO or a device (they block or never end), never more than a size cap."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from dataclasses import dataclass, field

SKIP_DIRS = frozenset({"node_modules"})  # besides hidden directories (.git, .venv, ...)
# What a Markdown file is, everywhere: the files `check` finds, the workspace index, templates.
MARKDOWN_SUFFIXES = (".md", ".markdown")
READ_CHUNK = 1024 * 1024


class Refused(Exception):
    """A file left alone; the message says why (without the path: the caller names it)."""


def is_markdown(name: str) -> bool:
    """Whether a file name (or path) is a Markdown file's: by its suffix, in any case."""
    return name.lower().endswith(MARKDOWN_SUFFIXES)


def inside(path: str, tree: str) -> bool:
    """Whether the real location of `path` is `tree` or under it (`tree` a real path)."""
    real = os.path.realpath(path)
    return os.path.commonpath([real, tree]) == tree


@dataclass
class Walk:
    """Markdown files under `root`, sorted, that really live there: directory symlinks are not
    followed, file symlinks leading out of the tree, hidden and vendored directories, and special
    files are passed over. A directory that cannot be listed is recorded in `problems`."""

    root: str
    problems: list[tuple[str, str]] = field(default_factory=list)  # (directory, reason)

    def files(self) -> list[str]:
        return sorted(self._files())

    def _files(self) -> Iterator[str]:
        tree = os.path.realpath(self.root)
        for dirpath, dirnames, filenames in os.walk(self.root, onerror=self._unreadable):
            dirnames[:] = [d for d in dirnames if not d.startswith(".") and d not in SKIP_DIRS]
            for name in filenames:
                if not is_markdown(name) or name.startswith("."):
                    continue
                full = os.path.normpath(os.path.join(dirpath, name))  # "./x.md" reads as "x.md"
                if os.path.islink(full) and not inside(full, tree):
                    continue  # leads out of the tree
                if os.path.isfile(full):  # not a FIFO, socket, device or dangling link
                    yield full

    def _unreadable(self, error: OSError) -> None:
        where = error.filename if error.filename is not None else self.root
        self.problems.append((os.fsdecode(where), error.strerror or str(error)))


@dataclass(frozen=True)
class Snapshot:
    """What a file was when it was read: a later write or a save-by-rename changes one of these."""

    device: int
    inode: int
    size: int
    mtime_ns: int

    @classmethod
    def of(cls, info: os.stat_result) -> Snapshot:
        return cls(info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns)


def read_regular(path: str, max_bytes: int) -> tuple[bytes, os.stat_result]:
    """The bytes of the regular file at `path` and its status as read; `Refused` for a FIFO,
    socket or device, or a file over `max_bytes`. Checked on the open file too, so a swap
    between the look and the open changes nothing."""
    _refuse_special(os.stat(path))  # before opening: opening some devices has effects
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    fd = os.open(path, flags | getattr(os, "O_CLOEXEC", 0))
    try:
        info = os.fstat(fd)
        _refuse_special(info)
        if info.st_size > max_bytes:
            raise Refused(_too_big(info.st_size, max_bytes))
        chunks: list[bytes] = []
        total = 0
        while chunk := os.read(fd, min(READ_CHUNK, max_bytes + 1 - total)):
            chunks.append(chunk)
            total += len(chunk)
            if total > max_bytes:  # it grew while being read
                raise Refused(_too_big(total, max_bytes))
    finally:
        os.close(fd)
    return b"".join(chunks), info


def check_regular(path: str) -> str | None:
    """Why `path` cannot be read as a file without blocking (None when it can, or when it does
    not exist: the reader then says so)."""
    try:
        _refuse_special(os.stat(path))
    except Refused as refused:
        return str(refused)
    except OSError:
        return None
    return None


def _refuse_special(info: os.stat_result) -> None:
    if stat.S_ISDIR(info.st_mode):
        raise Refused("is a directory")
    if not stat.S_ISREG(info.st_mode):
        raise Refused("not a regular file (a FIFO, socket or device)")


def _too_big(size: int, max_bytes: int) -> str:
    return (
        f"{size} bytes, over the {max_bytes}-byte limit for a document (--max-file-size raises it)"
    )
