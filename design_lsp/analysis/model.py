"""Findings and edits: what analysis hands to the CLI and the LSP features."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from design_lsp.analysis.codes import CODES, Severity, rank
from design_lsp.document.model import Span

__all__ = ["CODES", "Finding", "Severity", "TextEdit"]


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
    fixes: list[tuple[str, list[TextEdit]]] = field(default_factory=list)  # (title, edits)
    # A section finding (codes.Code.section) about a section inside an optional one: it is
    # information at most.
    within_optional: bool = False
    insert_line: int | None = None  # missing-section: the line it would be inserted at
    level: int | None = None  # heading-level: the level the template gives the heading
    field_name: str | None = None  # missing-field, invalid-field: the template's field name
    values: tuple[str, ...] | None = None  # invalid-field: the values the template allows
    placeholder: str | None = None  # placeholder: the text left in (hover explains it)
    _data: dict[str, Any] | None = field(default=None, init=False, repr=False, compare=False)

    @property
    def rank(self) -> int:
        """Where it comes among findings that start at the same place (codes.Code.rank)."""
        return rank(self.code)

    @property
    def data(self) -> dict[str, Any]:
        """The diagnostic's `data`: what the finding says beyond its message, serialisable,
        echoed to a client as it is. Nothing reads behaviour from it."""
        if self._data is None:
            self._data = self._payload() if self.code in CODES else {}  # (a note: none)
        return self._data

    def _payload(self) -> dict[str, Any]:
        out: dict[str, Any] = {"code": self.code}
        if self.insert_line is not None:
            out["insert_line"] = self.insert_line
        if self.level is not None:
            out["level"] = self.level
        if self.field_name is not None:
            out["field"] = self.field_name
        if self.values is not None:
            out["values"] = list(self.values)
        if self.placeholder is not None:
            out["placeholder"] = self.placeholder
        if self.within_optional:
            out["optional"] = True
        return out
