"""Read a Markdown template into a `Template`: headings become section specs, the text under them
guidance, `**Field**: value` items fields, and `[...]` / numbered example items placeholders."""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources
from pathlib import Path

from design_lsp.document import Document, Section, parse_document
from design_lsp.template.model import FieldSpec, SectionSpec, Template, TitleSpec
from design_lsp.template.normalize import (
    OPTIONAL_MARKER,
    display_title,
    numbered,
    plain_text,
    strip_optional,
    title_key,
)

DEFAULT_TEMPLATE = "<built-in>"
_COMMENT_DELIMS = re.compile(r"<!--|-->")
_DIGITS = re.compile(r"\d+")
# Where the author's part of a title starts: a placeholder, a number to fill in, or a colon
# ("Design Document: [Name]", "ADR [number]: [Title]", "KEP-NNNN: Title", "RFC: Title").
_TITLE_FILL_IN = re.compile(r"\[[^\]]*\]|\{[^}]*\}|<[^>]*>|\b[NX]{3,}\b|:")
_HAS_NUMBERED_WORD = re.compile(r"[^\W\d_]+ \d+\b")
_BOLD_FIELD = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+(?:\*\*|__)")
_WRAPPED = re.compile(r"^(\[.*\]|\(.*\))$")
_MIN_GUIDANCE_WORDS = 3
_MIN_GUIDANCE_CHARS = 16


FRONT_MATTER_KEYS = ("template", "design-template", "design_template")


def front_matter_template(front_matter: dict[str, object] | None) -> str | None:
    """The template a document's front matter names (`template: docs/adr-template.md`)."""
    for key in FRONT_MATTER_KEYS:
        value = (front_matter or {}).get(key)
        if isinstance(value, str) and value.strip():
            return value.strip()
    return None


def named_template_path(
    front_matter: dict[str, object] | None, document_path: str | None, root: Path
) -> Path | None:
    """The template file named in front matter, looked up beside the document, then at `root`;
    None when it names none or no such file exists (the configured template applies)."""
    named = front_matter_template(front_matter)
    if named is None:
        return None
    folders = [Path(document_path).parent] if document_path else []
    for folder in [*folders, root]:
        candidate = folder / named
        if candidate.is_file():
            return candidate
    return None


class TemplateError(Exception):
    """A template that cannot be used; the message names its path and the reason."""


def load_template(path: str | Path | None = None) -> Template:
    if path is None:
        text = resources.files("design_lsp.template").joinpath("default.md").read_text("utf-8")
        return parse_template(text, DEFAULT_TEMPLATE)
    try:
        text = _read_regular(Path(path))
    except FileNotFoundError:
        raise TemplateError(f"{path}: template file not found") from None
    except UnicodeDecodeError as error:
        raise TemplateError(f"{path}: template is not UTF-8 text ({error.reason})") from None
    except OSError as error:
        raise TemplateError(f"{path}: cannot read template ({error.strerror})") from None
    return parse_template(text, str(path))


MAX_TEMPLATE_BYTES = 4 * 1024 * 1024


def _read_regular(path: Path) -> str:
    """A regular file's text: a FIFO or a device would block or never end, so they are refused
    (checked on the open file, so a swap after the check changes nothing)."""
    import os
    import stat

    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0)  # opening a FIFO must not wait
    fd = os.open(path, flags)
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(handle.fileno())
        if stat.S_ISDIR(info.st_mode):
            raise TemplateError(f"{path}: is a directory, not a template file")
        if not stat.S_ISREG(info.st_mode):
            raise TemplateError(f"{path}: not a regular file (a FIFO or a device?)")
        if info.st_size > MAX_TEMPLATE_BYTES:
            raise TemplateError(f"{path}: template larger than {MAX_TEMPLATE_BYTES} bytes")
        data = handle.read(MAX_TEMPLATE_BYTES + 1)
    return data.decode("utf-8")


def parse_template(text: str, path: str) -> Template:
    doc = parse_document(text)
    if not doc.headings:
        raise TemplateError(f"{path}: template has no headings, so it defines no sections")
    title_section = _title_section(doc)
    top = title_section.children if title_section else doc.roots
    all_specs: list[SectionSpec] = []
    roots = _specs(doc, top, None, all_specs)
    template = Template(
        path=path,
        title=_title_spec(title_section),
        roots=roots,
        fields=[],
        placeholders=[],
        example_patterns=[],
        guidance_lines=frozenset(),
        lines=doc.lines,
        heading_levels={h.line: h.level for h in doc.headings if not h.setext},
        all_specs=all_specs,
    )
    template.fields = _fields(doc, template)
    template.placeholders = _placeholders(doc, template.fields)
    template.example_patterns = _example_patterns(doc)
    template.guidance_lines = _guidance_lines(doc)
    return template


def _title_section(doc: Document) -> Section | None:
    """The first heading is the title pattern when it is the template's only H1."""
    first = doc.roots[0] if doc.roots else None
    if first is None or first.heading is not doc.headings[0] or first.heading.level != 1:
        return None
    if sum(1 for heading in doc.headings if heading.level == 1) != 1:
        return None
    return first


def _title_spec(section: Section | None) -> TitleSpec | None:
    if section is None:
        return None
    title = section.heading.title
    bracket = re.search(r"\[[^\]]*\]", title)
    return TitleSpec(
        text=plain_text(title),
        prefix=title_key(_TITLE_FILL_IN.split(title, maxsplit=1)[0]),
        placeholder=bracket.group(0) if bracket else "",
    )


def _specs(
    doc: Document, sections: list[Section], parent: SectionSpec | None, out: list[SectionSpec]
) -> list[SectionSpec]:
    specs: list[SectionSpec] = []
    slots: dict[str, SectionSpec] = {}
    for section in sections:
        number = numbered(section.heading.title)
        stem_key = title_key(number[0]) if number else ""
        if number and stem_key in slots:
            continue  # "Component 2" is another example of the "Component 1" slot
        spec = _spec(doc, section, parent, len(out))
        if number:
            spec.slot, spec.slot_stem = True, number[0]
            slots[stem_key] = spec
        out.append(spec)
        spec.children = _specs(doc, section.children, spec, out)
        specs.append(spec)
    return specs


def _spec(doc: Document, section: Section, parent: SectionSpec | None, order: int) -> SectionSpec:
    heading = section.heading
    title, marked = strip_optional(display_title(heading.title))
    guidance = _guidance(doc.lines[heading.last_line + 1 : section.body_end_line])
    block = doc.lines[heading.line : section.end_line]
    while block and not block[-1].strip():
        block = block[:-1]
    return SectionSpec(
        title=title,
        key=title_key(heading.title),
        level=heading.level,
        guidance=guidance,
        optional=marked or bool(OPTIONAL_MARKER.search(guidance)),
        block=block,
        line=heading.line,
        order=order,
        parent=parent,
    )


def _guidance(lines: list[str]) -> str:
    """Body text of a section, HTML comment delimiters removed (templates hide guidance there)."""
    text = "\n".join(_COMMENT_DELIMS.sub("", line).rstrip() for line in lines)
    return text.strip()


def _spec_at(template: Template, line: int) -> SectionSpec | None:
    """The innermost spec whose template section contains `line` (specs are in line order)."""
    found: SectionSpec | None = None
    for spec in template.all_specs:
        if spec.line > line:
            break
        found = spec
    return found


def _fields(doc: Document, template: Template) -> list[FieldSpec]:
    fields: list[FieldSpec] = []
    for item in doc.fields:
        if _DIGITS.search(item.name):
            continue  # "**Term 1**: Definition" is an example, not a field
        if not _BOLD_FIELD.match(doc.lines[item.line]) and not _all_fields(doc, item.line):
            continue  # "- Papers: Are there any ..." is guidance in a list, not a field
        values = tuple(plain_text(v) for v in item.value.split("|")) if "|" in item.value else ()
        fields.append(
            FieldSpec(
                name=item.name,
                key=title_key(item.name),
                values=tuple(v for v in values if v),
                placeholder=item.value if _WRAPPED.match(item.value) else None,
                section=_spec_at(template, item.line),
            )
        )
    return fields


def _all_fields(doc: Document, line: int) -> bool:
    """Whether the list around `line` is a list of `Name: value` items and nothing else."""
    field_lines = {item.line for item in doc.fields}
    items = sorted(item.line for item in doc.list_items)
    index = items.index(line) if line in items else -1
    if index < 0:
        return False
    first = last = index
    while first > 0 and items[first - 1] >= items[first] - 2:
        first -= 1
    while last + 1 < len(items) and items[last + 1] <= items[last] + 2:
        last += 1
    return all(items[i] in field_lines for i in range(first, last + 1))


def _placeholders(doc: Document, fields: list[FieldSpec]) -> list[str]:
    found = [bracket.text for bracket in doc.brackets]
    found += [spec.placeholder for spec in fields if spec.placeholder]
    return list(dict.fromkeys(found))


def _example_patterns(doc: Document) -> list[re.Pattern[str]]:
    """"Goal 1", "Task 4", "Metric 1: Description": the item with any number in place of its own."""
    patterns: dict[str, re.Pattern[str]] = {}
    for item in doc.list_items:
        text = " ".join(item.text.casefold().split())
        if _HAS_NUMBERED_WORD.search(text) and text not in patterns:
            parts = [re.escape(part) for part in _DIGITS.split(text)]
            patterns[text] = re.compile(r"\d+".join(parts))
    return list(patterns.values())


def _guidance_lines(doc: Document) -> frozenset[str]:
    lines = set()
    field_lines = {item.line for item in doc.fields}
    for prose in doc.prose:
        if prose.line in field_lines:
            continue  # a field's example value is judged by the field rules
        text = normalized_prose(prose.text)
        if "[" in text or _HAS_NUMBERED_WORD.search(text):
            continue  # placeholders and example items have rules of their own
        if len(text) >= _MIN_GUIDANCE_CHARS and len(text.split()) >= _MIN_GUIDANCE_WORDS:
            lines.add(text)
    return frozenset(lines)


@lru_cache(maxsize=1 << 16)  # pure; a server re-analyses the same lines on every edit
def normalized_prose(text: str) -> str:
    return " ".join(plain_text(text).casefold().split())
