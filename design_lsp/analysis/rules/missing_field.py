"""missing-field: a field the template asks for is absent or has no value (front-matter keys:
one finding for all of them)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from design_lsp.analysis.rules.common import anchor, finding
from design_lsp.analysis.rules.rule import Rule, WholeDocument
from design_lsp.document import Field, Span
from design_lsp.template.normalize import field_key

if TYPE_CHECKING:
    from design_lsp.analysis.analyze import Analysis
    from design_lsp.analysis.model import Finding
    from design_lsp.template.model import FieldSpec


def missing_fields(analysis: Analysis) -> list[Finding]:
    document = analysis.document
    findings: list[Finding] = []
    missing_front: list[str] = []
    keys = {spec.key for spec in analysis.template.fields}
    unknown = [item for item in document.fields if field_key(item.name) not in keys]
    for spec, written in analysis.fields_written():
        where = spec.section
        if written is None:
            if spec.optional or _renamed(analysis, spec, unknown):
                continue
            if spec.front_matter:
                missing_front.append(spec.name)
            elif where is None or where.order in analysis.alignment.present:
                section_name = f" in '{where.title}'" if where else ""
                findings.append(
                    finding(
                        "missing-field",
                        f"Missing field '{spec.name}'{section_name}",
                        anchor(analysis, where),
                        where,
                        field_name=spec.name,
                    )
                )
        elif not written.value and not spec.optional and not spec.blank:
            # (a value the template leaves empty too is no missing value)
            item = written.item
            findings.append(
                finding("missing-field", f"Field '{item.name}' has no value",
                        item.value_span, where, field_name=spec.name)
            )
    if missing_front:
        findings.append(_missing_front(analysis, missing_front))
    return findings


def _renamed(analysis: Analysis, spec: FieldSpec, unknown: list[Field]) -> bool:
    """Whether the document has the field under another qualifier in the same place:
    "Tracking Issue" for "Project Issue", "Draft PR" for "Design PR". Both names have a qualifier
    and end in the same word (the kind of thing the value is), and the template has no
    field of the document's name."""
    words = spec.name.split()
    if len(words) < 2:
        return False
    kind = field_key(words[-1])
    for item in unknown:
        other = item.name.split()
        if len(other) >= 2 and field_key(other[-1]) == kind and (
            analysis.spec_at(item.line) is spec.section
        ):
            return True
    return False


def _missing_front(analysis: Analysis, names: list[str]) -> Finding:
    """Front-matter keys the template has and the document lacks: one finding, on the block's
    first line (or the document's, when it has no front matter)."""
    document = analysis.document
    line = 0 if document.front_matter is not None else anchor(analysis, None).line
    span = Span(line, 0, line, len(document.lines[line]) if document.lines else 0)
    where = "front matter" if document.front_matter is not None else "front matter (none found)"
    listed = ", ".join(f"'{name}'" for name in names)
    noun = "field" if len(names) == 1 else "fields"
    return finding(
        "missing-field", f"Missing {where} {noun} {listed}", span, None, field_name=names[0]
    )


RULE = Rule("missing-field", (WholeDocument(missing_fields),))
