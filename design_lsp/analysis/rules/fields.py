"""The template's fields as the document writes them, for the rules about fields
(missing-field, invalid-field, and placeholder's unfilled values)."""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass
from operator import attrgetter
from typing import TYPE_CHECKING

from design_lsp.analysis.rules.common import collapse
from design_lsp.document import Document, Field, Paragraph, Span
from design_lsp.template.markers import strip_marker
from design_lsp.template.normalize import field_key, plain_text

if TYPE_CHECKING:
    from design_lsp.template.model import FieldSpec, Template


@dataclass(frozen=True, slots=True)
class Written:
    """A template field the document has."""

    item: Field  # the first field of its name
    raw: str  # its value as written: after the colon, or on the line continuing the item
    span: Span  # where that value is
    value: str  # `raw` as plain text ("" when there is none)

    def unfilled(self, spec: FieldSpec) -> bool:
        """Whether the value is still the template's placeholder for it."""
        return bool(spec.placeholder) and collapse(self.raw) == collapse(spec.placeholder or "")


def written_fields(
    document: Document, template: Template
) -> list[tuple[FieldSpec, Written | None]]:
    """Each template field, in template order, with the document's (None: absent). Rules ask
    `Analysis.fields_written`, which keeps the answer."""
    present: dict[str, Field] = {}
    front: dict[str, Field] = {}  # a front-matter key is answered in the front matter only
    for item in document.fields:
        present.setdefault(field_key(item.name), item)
        if item.line < document.front_matter_end:
            front.setdefault(field_key(item.name), item)
    out: list[tuple[FieldSpec, Written | None]] = []
    for spec in template.fields:
        found = (front if spec.front_matter else present).get(spec.key)
        out.append((spec, None if found is None else _written(document, found)))
    return out


def _written(document: Document, item: Field) -> Written:
    own = strip_marker(item.value)[0]
    following = None if own else _continued(document, item)
    raw = own or (following.text if following is not None else "")
    span = following.span if following is not None else item.value_span
    return Written(item, raw, span, plain_text(raw))  # (a document may keep "*if applicable*")


def _continued(document: Document, item: Field) -> Paragraph | None:
    """The line that continues a list item whose value line is empty ("* Implementation:"
    with the link on the next line)."""
    prose = document.prose
    index = bisect_left(prose, item.line + 1, key=attrgetter("line"))
    following = prose[index] if index < len(prose) else None
    if following is not None and following.line == item.line + 1 == following.start + 1:
        return following
    return None
