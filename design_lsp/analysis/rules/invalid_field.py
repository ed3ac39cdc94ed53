"""invalid-field: a field's value is not one of the template's choices ("Draft | Accepted")."""

from __future__ import annotations

from difflib import SequenceMatcher
from typing import TYPE_CHECKING

from design_lsp.analysis.model import TextEdit
from design_lsp.analysis.rules.common import finding
from design_lsp.analysis.rules.rule import Rule, WholeDocument
from design_lsp.document import Span
from design_lsp.template.normalize import canonical

if TYPE_CHECKING:
    from design_lsp.analysis.analyze import Analysis
    from design_lsp.analysis.model import Finding
    from design_lsp.template.model import FieldSpec


def invalid_fields(analysis: Analysis) -> list[Finding]:
    findings: list[Finding] = []
    for spec, written in analysis.fields_written():
        if (
            written is not None
            and written.value
            and not written.unfilled(spec)  # (placeholder's)
            and spec.values
            and _enum_key(written.value) not in {_enum_key(v) for v in spec.values}
        ):
            findings.append(_invalid(spec, written.value, written.item.name, written.span))
    return findings


def _enum_key(value: str) -> str:
    return canonical(value).casefold()


def _invalid(spec: FieldSpec, value: str, written: str, vs: Span) -> Finding:
    """`written`: the field's name as the document writes it; `vs`: where its value is."""
    return finding(
        "invalid-field",
        f"'{written}' must be one of: {', '.join(spec.values)} (found '{value}')",
        vs,
        spec.section,
        fixes=[
            (f"Set {written} to '{v}'",
             [TextEdit(Span(vs.line, vs.col, vs.end_line, vs.end_col), v)])
            for v in _nearest_first(value, spec.values)
        ],
        field_name=spec.name,
        values=spec.values,
    )


def _nearest_first(typed: str, values: tuple[str, ...]) -> list[str]:
    """The allowed values, the one most like what was typed first ("Aproved": "Approved");
    ties keep the template's order."""
    folded = typed.casefold()
    return sorted(values, key=lambda v: -SequenceMatcher(None, folded, v.casefold()).ratio())


RULE = Rule("invalid-field", (WholeDocument(invalid_fields),))
