"""Bounds on what design-lsp reads, so hostile or accidental input cannot exhaust the machine."""

MAX_DOCUMENT_BYTES = 32 * 1024 * 1024  # a document larger than this is refused, not analysed
