"""How a parsed Markdown template is read: its sections, title, fields, placeholders and guidance.

Every rule here is about templates in general, written in their authors' own conventions:
guidance in visible text or in HTML comments, optional sections said in words, fields in lists
or in front matter, placeholders in brackets, angle brackets or parentheses.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator

from design_lsp.document import Document, Section, parse_document
from design_lsp.document.inline import table_of_contents
from design_lsp.template import guidance as guidance_text
from design_lsp.template.markers import RUN_START, for_a_case, optional_sentence, strip_marker
from design_lsp.template.model import FieldSpec, SectionSpec, Template, TitleSpec
from design_lsp.template.normalize import (
    display_title,
    field_key,
    numbered,
    plain_text,
    title_key,
)

_COMMENT_DELIMS = re.compile(r"<!--|-->")
_DIGITS = re.compile(r"\d+")
# Where the author's part of a title starts: a placeholder, a number to fill in, or a colon
# ("Design Document: [Name]", "ADR [number]: [Title]", "EP-NNNN: Title", "RFC: Title").
_TITLE_FILL_IN = re.compile(r"\[[^\]]*\]|\{[^}]*\}|<[^>]*>|\b[NX]{3,}\b|:")
# A heading that only names the title slot: "Title", "RFC title", "Your title", "Title of RFC".
_TITLE_SLOT = re.compile(
    r"^(?:(?:your|the|document|doc|[\w-]+)\s+)?title(?:\s+(?:of|for)\s+.+|\s+here)?$",
    re.IGNORECASE,
)
_HAS_NUMBERED_WORD = re.compile(r"[^\W\d_]+ \d+\b")
_BOLD_FIELD = re.compile(r"^\s*(?:(?:[-*+]|\d+[.)])\s+)?(?:\*\*|__)")  # (a field line too)
# A value the author must replace: wrapped in brackets, a number or date mask, a generic marker.
_WRAPPED = re.compile(r"^(?:\[.*\]|\(.*\)|<.*>|\{.*\})$", re.DOTALL)
_OPENERS, _CLOSERS = "[({<", "])}>"  # a value wrapped in one pair: "{a | b}"
_MASK = re.compile(r"\b(?:N{3,}|X{3,}|0000|YYYY-MM-DD)\b|\bTBD\b|\bTODO\b", re.IGNORECASE)
# `<...>` that is prose for the author, not an HTML tag or autolink.
_ANGLE = re.compile(r"<([^<>\n]*[^\W\d_][^<>\n]*)>")
_BRACES = re.compile(r"\{[^{}\n\"':=]*[^\W\d_][^{}\n\"':=]*\s[^{}\n\"':=]*\}")  # "{short title}"
_HTML_ELEMENTS = frozenset(  # (element names: `<details>` is a tag, `<package>` is not)
    re.split(
        r"\s+",
        "a abbr address article aside audio b bdi bdo blockquote body br button caption cite "
        "code col colgroup data dd del details dfn div dl dt em embed fieldset figcaption figure "
        "footer form h1 h2 h3 h4 h5 h6 head header hr html i iframe img input ins kbd label "
        "legend li link main mark meta nav ol p picture pre q s samp script section small source "
        "span strong style sub summary sup table tbody td template th thead time tr u ul var "
        "video wbr",
    )
)
# "(fill me in ...)", "(leave this empty)", "(update when ...)": instructions in parentheses.
_PAREN = re.compile(r"\(([^()\n]+)\)")
_FILL_IN_VERB = re.compile(
    r"^(?:fill|leave|insert|enter|replace|put|write|add|update|your|link to|tbd|todo)\b",
    re.IGNORECASE,
)
# A path or link to another document: a field of such values is a cross-reference, which most
# documents have none of ("see-also", "replaces", "Previous proposal").
_REFERENCE = re.compile(
    r"^[\"']?(?:\S*/)?[\w.-]+\.md(?:#\S*)?[\"']?$|^\[[^\]]*\]\([^)]*\.md[^)]*\)$"
)
# Paragraphs that are only links (a table of contents, quoted examples from elsewhere).
_ONLY_LINK = re.compile(r"^!?\[.*\]\s*(?:\([^()]*\)|\[[^\]]*\])[.,;:]?$", re.DOTALL)


def read_template(doc: Document, path: str) -> Template:
    from design_lsp.template.load import TemplateError

    if not doc.headings:
        raise TemplateError(f"{path}: template has no headings, so it defines no sections")
    title_section = _title_section(doc)
    top = doc.roots
    if title_section is not None:  # its subsections, and any heading beside it ("# Title")
        top = title_section.children + [s for s in doc.roots if s is not title_section]
    all_specs: list[SectionSpec] = []
    roots = _specs(doc, top, None, all_specs)
    _name_parts(all_specs)
    fields = _fields(doc, all_specs)
    placeholders = _placeholders(doc, fields)
    return Template(
        path=path,
        title=_title_spec(title_section),
        roots=roots,
        fields=fields,
        placeholders=placeholders,
        example_patterns=_example_patterns(doc, {spec.line for spec in fields}, placeholders),
        guidance=_guidance(doc, all_specs, placeholders),
        placeholder_pattern=_placeholder_pattern(placeholders),
        lines=doc.lines,
        heading_levels={h.line: h.level for h in doc.headings if not h.setext},
        all_specs=all_specs,
    )


# --- title and sections ---------------------------------------------------------------------


def _title_section(doc: Document) -> Section | None:
    """The title pattern: the template's only H1 when it comes first, or a first heading that
    only names the title slot ("Title", "RFC title").

    Which heading of a document fills it is another question, answered against the template
    (`analysis.align.document_title`)."""
    first = doc.roots[0] if doc.roots else None
    if first is None or first.heading is not doc.headings[0]:
        return None
    if _TITLE_SLOT.match(display_title(first.heading.title)):
        return first
    if first.heading.level != 1:
        return None
    if sum(1 for heading in doc.headings if heading.level == 1) != 1:
        return None
    return first


def _title_spec(section: Section | None) -> TitleSpec | None:
    if section is None:
        return None
    title = section.heading.title
    bracket = re.search(r"\[[^\]]*\]", title)
    fill_in = _TITLE_FILL_IN.search(title)
    # Without a part to fill in, the whole title is an example ("Feature name"): no fixed words.
    prefix = title_key(title[: fill_in.start()]) if fill_in else ""
    if _TITLE_SLOT.match(display_title(title)):
        prefix = ""
    return TitleSpec(
        text=plain_text(title),
        prefix=prefix,
        placeholder=bracket.group(0) if bracket else "",
        level=section.heading.level,
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
        spec.sibling_index = len(specs)
        if number:
            spec.slot, spec.slot_stem = True, number[0]
            slots[stem_key] = spec
        out.append(spec)
        spec.children = _specs(doc, section.children, spec, out)
        specs.append(spec)
    return specs


def _spec(doc: Document, section: Section, parent: SectionSpec | None, order: int) -> SectionSpec:
    heading = section.heading
    raw, marker = strip_marker(heading.title)  # (before markup goes: "<!-- optional -->")
    title, _ = strip_marker(display_title(raw))
    above = _comment_above(doc.lines, heading.line)
    body_end = _comment_above(doc.lines, section.body_end_line) or section.body_end_line
    guidance = _body(
        doc.lines[above or heading.line : heading.line]
        + doc.lines[heading.last_line + 1 : body_end]
    )
    end = _comment_above(doc.lines, section.end_line) or section.end_line
    block = doc.lines[heading.line : end]
    while block and not block[-1].strip():
        block = block[:-1]
    reason = marker or optional_sentence(guidance) or for_a_case(guidance)
    if not reason and not section.children and table_of_contents(
        doc.lines[heading.last_line + 1 : section.body_end_line]
    ):
        reason = "a table of contents: links to the template's own headings"
    return SectionSpec(
        title=title,
        key=title_key(heading.title),
        level=heading.level,
        guidance=guidance,
        optional=bool(reason),
        optional_reason=reason,
        block=block,
        line=heading.line,
        order=order,
        parent=parent,
    )


_PART_SEPARATORS = re.compile(rf"{RUN_START}(?:\s*/\s*|\s*,\s*|\s+(?:and|&|or)\s+)", re.IGNORECASE)
MIN_PART_KEY = 8  # shorter parts ("Notes", "Upgrade") name too many other things


def _name_parts(specs: list[SectionSpec]) -> None:
    """A title that joins names ("Rationale and alternatives", "Implementation Details/Notes/
    Constraints") also matches each long enough name of its own, where the template puts the
    section and no other section has that name: documents written to an older or shorter form
    ("## Alternatives") name the section."""
    keys = {spec.key for spec in specs}
    parts: dict[str, list[SectionSpec]] = {}
    for spec in specs:
        names = _PART_SEPARATORS.split(spec.title)
        if spec.slot or len(names) < 2 or "?" in spec.title or spec.title.count(" ") > 5:
            continue  # (a question or a sentence joins clauses, not names)
        for part in names:
            key = title_key(part)
            if len(key) >= MIN_PART_KEY and key not in keys:
                parts.setdefault(key, []).append(spec)
    for key, owners in parts.items():
        if len(owners) == 1:
            owners[0].parts = (*owners[0].parts, key)


def _comment_above(lines: list[str], line: int) -> int | None:
    """Where an HTML comment starts that ends right above `line` (a heading's), with no blank
    line between: templates put a note about a section there ("<!-- This is an optional
    element. Feel free to remove. -->" above "## Decision Drivers"); it is that section's, not
    the text of the one before."""
    if line <= 0 or line > len(lines) or not lines[line - 1].rstrip().endswith("-->"):
        return None
    for start in range(line - 1, max(-1, line - 1 - _COMMENT_ABOVE_LINES), -1):
        text = lines[start].lstrip()
        if "<!--" in text:
            return start if text.startswith("<!--") else None
    return None


_COMMENT_ABOVE_LINES = 20  # longer comments are a section's guidance, not a note on the next


def _body(lines: list[str]) -> str:
    """Body text of a section, HTML comment delimiters removed (templates hide guidance there)."""
    text = "\n".join(_COMMENT_DELIMS.sub("", line).rstrip() for line in lines)
    return text.strip()


def _spec_at(specs: list[SectionSpec], lines: list[int], line: int) -> SectionSpec | None:
    """The innermost spec whose template section contains `line` (specs are in line order;
    `lines` are their heading lines, computed once: a template may have thousands)."""
    index = bisect_right(lines, line) - 1
    return specs[index] if index >= 0 else None


# --- fields ---------------------------------------------------------------------------------


def _unwrapped(value: str) -> str:
    """The value inside one pair of brackets around it, else the value (sliced, not matched:
    a regex for it backtracked cubically on a bracket followed by thousands of spaces)."""
    if len(value) >= 2 and value[0] in _OPENERS and value[-1] in _CLOSERS:
        return value[1:-1].strip()
    return value


def _fields(doc: Document, specs: list[SectionSpec]) -> list[FieldSpec]:
    fields: list[FieldSpec] = []
    spec_lines = [spec.line for spec in specs]
    listed = {item.line for item in doc.list_items}
    for item in doc.fields:
        front = item.line < doc.front_matter_end
        if _DIGITS.search(item.name):
            continue  # "**Term 1**: Definition" is an example, not a field
        if (
            not front
            and not _BOLD_FIELD.match(doc.lines[item.line])
            and not _all_fields(doc, item.line)
        ):
            continue  # "- Papers: Are there any ..." is guidance in a list, not a field
        value, marker = strip_marker(item.value)
        if "?" in plain_text(value):
            continue  # "Dependent projects: are there other areas ...?" asks, it is no field
        if not front and item.line not in listed and _sentence(value):
            continue  # "**Note:** *Not required until ...*" on a line of text says, it is no field
        choices = _unwrapped(value)  # "{proposed | accepted}": the braces wrap
        values = tuple(plain_text(v) for v in choices.split("|")) if "|" in value else ()
        reason = marker or optional_sentence(item.note)
        if not reason and value and all(_REFERENCE.match(v.strip()) for v in value.split(",")):
            reason = "its example value only points at other documents"
        fields.append(
            FieldSpec(
                name=item.name,
                key=field_key(item.name),
                values=tuple(v for v in values if v),
                placeholder=value if not values and _unfilled(value) else None,
                section=None if front else _spec_at(specs, spec_lines, item.line),
                line=item.line,
                value_col=item.value_span.col,
                optional_reason=reason,
                front_matter=front,
                blank=not value,
            )
        )
    return fields


def _sentence(value: str) -> bool:
    """Whether a value reads as a sentence (four words or more, none of it to fill in) rather
    than as a field's value ("[Name]", "Draft | Final", "YYYY-MM-DD", "Platform team")."""
    return len(value.split()) >= 4 and not _unfilled(value) and "|" not in value


def _unfilled(value: str) -> bool:
    """Whether a template's field value is there to be replaced ("[Your Name]", "yyyy-mm-dd",
    "(fill me in ...)", "<URL>", "TBD") rather than a value to keep ("Draft")."""
    return bool(value) and (_WRAPPED.match(value) is not None or _MASK.search(value) is not None)


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


# --- placeholders ---------------------------------------------------------------------------


def _placeholders(doc: Document, fields: list[FieldSpec]) -> list[str]:
    """What the template leaves for the author to fill in: its own `[...]` texts, `<...>`
    texts, "(fill me in ...)" texts, and its fields' unfilled values."""
    found = [bracket.text for bracket in doc.brackets]
    for line in _prose_lines(doc):
        text = doc.lines[line]
        found += [m.group(0) for m in _ANGLE.finditer(text) if _prose_in_angles(m.group(1))]
        found += [m.group(0) for m in _BRACES.finditer(text)]
        found += [m.group(0) for m in _PAREN.finditer(text) if _FILL_IN_VERB.match(m.group(1))]
    found += [spec.placeholder for spec in fields if spec.placeholder]
    return list(dict.fromkeys(found))


def _placeholder_pattern(placeholders: list[str]) -> re.Pattern[str] | None:
    literals = sorted((p for p in placeholders if p[:1] in "<({" and "\n" not in p), key=len)
    return re.compile("|".join(map(re.escape, reversed(literals)))) if literals else None


def _prose_in_angles(inner: str) -> bool:
    """`<...>` that asks for text (`<package>`, `<link to test coverage>`, `<URL>`), not an
    HTML tag (`<br/>`, `<a href="x">`, `</details>`) or an autolink (`<a@b.org>`)."""
    if "@" in inner or "://" in inner or "=" in inner or inner[:1] in "/!" or inner.endswith("/"):
        return False
    return " " in inner.strip() or inner.casefold() not in _HTML_ELEMENTS


def _prose_lines(doc: Document) -> Iterator[int]:
    yield from sorted({prose.line for prose in doc.prose} | {f.line for f in doc.fields})


def _example_patterns(
    doc: Document, field_lines: set[int], placeholders: list[str]
) -> list[re.Pattern[str]]:
    """ "Goal 1", "Task 4", "Metric 1: Description": the item with any number in place of its own
    (fields aside: their values have rules of their own, and so have items that are a
    placeholder, "{title of option 1}")."""
    patterns: dict[str, re.Pattern[str]] = {}
    whole = set(placeholders)
    for item in doc.list_items:
        if item.line in field_lines or item.text.strip() in whole:
            continue
        text = " ".join(item.text.casefold().split())
        if _HAS_NUMBERED_WORD.search(text) and text not in patterns:
            parts = [re.escape(part) for part in _DIGITS.split(text)]
            patterns[text] = re.compile(r"\d+".join(parts))
    return list(patterns.values())


# --- guidance -------------------------------------------------------------------------------


def _guidance(
    doc: Document, specs: list[SectionSpec], placeholders: list[str]
) -> guidance_text.Guidance:
    """The template's guidance paragraphs: its HTML comments, and its visible text unless that
    is content to keep. Visible text is content to keep in a section whose guidance is in a
    comment (a licence line, a default sentence), and everywhere in a template that keeps its
    guidance in comments."""
    spec_lines = [spec.line for spec in specs]
    ends = _section_ends(doc)
    comments = list(_comments(doc))
    commented = set()
    for first, _last, _inner in comments:
        # Only the innermost spec starting above a comment can hold it in its own body.
        spec = _spec_at(specs, spec_lines, first)
        if spec is not None and spec.line < first < _own_end(spec, ends):
            commented.add(spec.order)
    with_body = [spec for spec in specs if spec.guidance]
    comment_style = len(commented) * 2 > len(with_body)
    paragraphs: list[str] = []
    quoted = 0  # visible guidance paragraphs written as quotations
    for text, lines in _paragraphs(doc):
        spec = _spec_at(specs, spec_lines, lines[0])
        keep = comment_style or (spec is not None and spec.order in commented)
        if not keep:
            told = _guidance_paragraph(doc, text, lines, placeholders)
            paragraphs += told
            quoted += bool(told) and doc.lines[lines[0]].lstrip().startswith(">")
    # (a template that quotes an example here and there still writes its guidance plainly)
    quotes_guidance = quoted * 2 > len(paragraphs)
    for _first, _last, inner in comments:
        inner_doc = parse_document(inner)
        for text, lines in _paragraphs(inner_doc):
            paragraphs += _guidance_paragraph(inner_doc, text, lines, placeholders)
    return guidance_text.build(paragraphs, quotes_guidance)


def _paragraphs(doc: Document) -> Iterator[tuple[str, list[int]]]:
    """(plain text, lines) of each paragraph or list item of `doc`, fields left out."""
    field_lines = {item.line for item in doc.fields}
    group: list[int] = []
    texts: list[str] = []
    start = -1
    for prose in doc.prose:
        if prose.start != start and group:
            yield " ".join(texts), group
            group, texts = [], []
        start = prose.start
        if prose.line in field_lines:
            continue  # a field's example value is judged by the field rules
        group.append(prose.line)
        texts.append(prose.text)
    if group:
        yield " ".join(texts), group


def _guidance_paragraph(
    doc: Document, text: str, lines: list[int], placeholders: list[str]
) -> list[str]:
    raw = " ".join(doc.lines[line].strip() for line in lines).lstrip("-*+> ")
    if _ONLY_LINK.match(raw):
        return []  # a link or a list of anchors: a reference, not guidance
    if "[" in text and any(p in raw for p in placeholders):
        return []  # placeholders have a rule of their own
    if _HAS_NUMBERED_WORD.search(text) and text.count(" ") < 6:
        return []  # and so have example items ("Goal 1")
    return [guidance_text.normalize(text)]


def _comments(doc: Document) -> Iterator[tuple[int, int, str]]:
    """(first line, last line, inner text) of each HTML comment in the template."""
    text = "\n".join(doc.lines)
    start = text.find("<!--")
    line, counted = 0, 0  # newlines are counted once, from where the last count stopped
    while start >= 0:
        end = text.find("-->", start + 4)
        stop = len(text) if end < 0 else end
        line += text.count("\n", counted, start)
        last = line + text.count("\n", start, stop)
        yield line, last, _dedent(text[start + 4 : stop])
        if end < 0:
            return
        line, counted = last, stop
        start = text.find("<!--", end + 3)


def _own_end(spec: SectionSpec, ends: dict[int, int]) -> int:
    """Where the spec's own body ends: at its first subsection, else at its section's end."""
    return spec.children[0].line if spec.children else ends[spec.line]


def _section_ends(doc: Document) -> dict[int, int]:
    """Heading line -> the line of the next heading at its level or above (or the end), in one
    pass with a stack of the headings still open."""
    ends: dict[int, int] = {}
    open_headings: list[tuple[int, int]] = []  # (level, line)
    for heading in doc.headings:
        while open_headings and open_headings[-1][0] >= heading.level:
            ends[open_headings.pop()[1]] = heading.line
        open_headings.append((heading.level, heading.line))
    for _level, line in open_headings:
        ends[line] = len(doc.lines)
    return ends


def _dedent(text: str) -> str:
    lines = text.split("\n")
    indents = [len(line) - len(line.lstrip()) for line in lines if line.strip()]
    cut = min(indents, default=0)
    return "\n".join(line[cut:] for line in lines)
