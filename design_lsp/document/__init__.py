"""Documents: parsed once into plain data with exact positions.

`parse_document` is imported on first use: it pulls in mistletoe, whose import alone costs a
tenth of a second or more (it builds a table of every Unicode punctuation character), and a
language server must answer `initialize` before it needs to parse anything.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from design_lsp.document.model import (
    Bracket,
    Document,
    Field,
    Heading,
    ListItem,
    Paragraph,
    Section,
    Span,
)

if TYPE_CHECKING:
    from design_lsp.document.parse import parse_document


def __getattr__(name: str) -> Any:
    if name == "parse_document":
        from design_lsp.document.parse import parse_document

        return parse_document
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "Bracket",
    "Document",
    "Field",
    "Heading",
    "ListItem",
    "Paragraph",
    "Section",
    "Span",
    "parse_document",
]
