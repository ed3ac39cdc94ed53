"""Findings and edits: what analysis hands to the CLI and the LSP features."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from typing import Any

from design_lsp.document.model import Span


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"
    INFORMATION = "information"
    HINT = "hint"


CODES: tuple[str, ...] = (
    "missing-title",
    "missing-section",
    "section-order",
    "heading-level",
    "misspelled-section",
    "renamed-section",
    "duplicate-section",
    "empty-section",
    "placeholder",
    "template-text",
    "invalid-field",
    "missing-field",
    "emphasis-as-heading",
)


@dataclass(frozen=True, slots=True)
class TextEdit:
    """Replace `span` (code points) with `text`. Insertions have an empty span."""

    span: Span
    text: str


@dataclass(slots=True)
class Finding:
    code: str
    severity: Severity
    message: str
    span: Span
    section: list[str] | None  # template titles from the top; None when not about a section
    # What a quick fix needs (serialisable): e.g. {"insert": ..., "rename": ..., "level": ...}.
    data: dict[str, Any] = field(default_factory=dict)
    fixes: list[tuple[str, list[TextEdit]]] = field(default_factory=list)  # (title, edits)
