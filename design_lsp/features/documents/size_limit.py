"""The largest document design-lsp checks: a bigger one is refused, not parsed (a 200 MB one took
minutes and gigabytes)."""

from __future__ import annotations

from design_lsp.limits import MAX_DOCUMENT_BYTES


def too_large(text: str) -> bool:
    """More than `MAX_DOCUMENT_BYTES` in UTF-8 (encoded only when the length cannot tell)."""
    if len(text) > MAX_DOCUMENT_BYTES:
        return True
    if len(text) * 4 <= MAX_DOCUMENT_BYTES:
        return False
    return len(text.encode("utf-8", "surrogatepass")) > MAX_DOCUMENT_BYTES
