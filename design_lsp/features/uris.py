"""Document URIs and file paths."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote as _unquote

from pygls.uris import from_fs_path, to_fs_path


def uri_to_path(uri: str) -> str | None:
    """The file a `file:` URI names (None for other schemes and odd URIs)."""
    try:
        return to_fs_path(uri) if uri.startswith("file:") else None
    except Exception:  # noqa: BLE001 - odd URIs are simply not files
        return None


def path_to_uri(path: str) -> str:
    return from_fs_path(path) or Path(path).as_uri()


def unquote(uri: str) -> str:
    """`uri` with its %-escapes decoded, as pygls keys its documents."""
    return _unquote(uri)
