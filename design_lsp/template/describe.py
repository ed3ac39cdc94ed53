"""`design-lsp template`: how a template is read, in words, so a team can see why a finding
appears (or does not)."""

from __future__ import annotations

from design_lsp.template.model import FieldSpec, SectionSpec, Template

GUIDANCE_WORDS = 12  # the first words of each section's guidance that are shown


def describe(template: Template) -> str:
    lines = [f"Template: {template.path}", ""]
    lines += _title(template)
    lines += ["", "Sections (in order; a document's headings may sit one level deeper or "
              "shallower as a whole):"]
    for spec in template.all_specs:
        lines += describe_section(spec)
    lines += ["", "Fields:"]
    lines += [_field(spec) for spec in template.fields] or ["  (none)"]
    lines += ["", "Placeholders (reported when left in a document):"]
    shown = [p for p in template.placeholders if "\n" not in p]
    lines += [f"  {p}" for p in shown] or ["  (none of its own)"]
    lines.append("  TODO / TBD / FIXME standing for text, in any document")
    guidance = template.guidance
    lines += [
        "",
        f"Guidance: {len(guidance.paragraphs)} paragraphs ({len(guidance.sentences)} sentences) "
        "that are reported when left in a document, re-wrapped or not.",
    ]
    return "\n".join(lines) + "\n"


def _title(template: Template) -> list[str]:
    title = template.title
    if title is None:
        return ["Title: none (documents are recognised by the template's sections)"]
    out = [f"Title: {'#' * title.level} {title.text}"]
    if title.prefix:
        fixed = title.text.split(title.placeholder)[0].strip() if title.placeholder else ""
        out.append(f"  a document's title starts with the same words ({fixed or title.prefix!r})")
    else:
        out.append("  the whole title is an example: any title will do; documents are")
        out.append("  recognised by the template's sections")
    return out


def describe_section(spec: SectionSpec) -> list[str]:
    indent = "  " * (_depth(spec) + 1)
    heading = f"{indent}{'#' * spec.level} {spec.title}"
    if spec.slot:
        status = f"repeatable: any other heading here is a '{spec.slot_stem} N'; at least one"
    elif spec.optional:
        status = f"optional ({spec.optional_reason})"
    else:
        status = "required"
    out = [f"{heading}  [{status}]"]
    if spec.aliases:
        out.append(f"{indent}    also named (config): {', '.join(spec.aliases)}")
    if spec.parts:
        out.append(f"{indent}    also matches, in its place: {', '.join(spec.parts)}")
    words = spec.guidance.split()
    if words:
        more = " ..." if len(words) > GUIDANCE_WORDS else ""
        out.append(f"{indent}    guidance: {' '.join(words[:GUIDANCE_WORDS])}{more}")
    return out


def _field(spec: FieldSpec) -> str:
    where = "front matter" if spec.front_matter else (
        f"in '{spec.section.title}'" if spec.section else "before the first section"
    )
    parts = [f"  {spec.name} ({where})"]
    parts.append(f"optional ({spec.optional_reason})" if spec.optional else "required")
    if spec.values:
        parts.append(f"one of: {', '.join(spec.values)}")
    if spec.placeholder:
        parts.append(f"placeholder: {spec.placeholder}")
    return "  ".join(parts)


def _depth(spec: SectionSpec) -> int:
    depth = 0
    while spec.parent is not None:
        spec = spec.parent
        depth += 1
    return depth
