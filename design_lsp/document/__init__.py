"""Documents: parsed once into plain data with exact positions."""

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
from design_lsp.document.parse import parse_document

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
