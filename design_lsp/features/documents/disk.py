"""Files read from disk (closed documents, the workspace index): regular files of bounded size."""

from __future__ import annotations

import os
import stat

MAX_FILE_BYTES = 8 * 1024 * 1024


def read_text(path: str) -> str | None:
    """A regular file's text (None for special files, huge or unreadable ones)."""
    try:
        info = os.stat(path)
        if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_FILE_BYTES:
            return None
        with open(path, encoding="utf-8", errors="replace", newline="") as handle:
            return handle.read()
    except OSError:
        return None
