"""Sections written as bold text: `**Alternatives considered**` opening a paragraph or list
item where the template has a heading (an older template's form, the answer below it)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import NamedTuple

from design_lsp.document import Document, Paragraph, Span
from design_lsp.template import SectionSpec, Template
from design_lsp.template.normalize import title_key

_BOLD_START = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1")


class BoldOpener(NamedTuple):
    key: str  # the bold text's title key
    span: Span  # the bold text, markers included


def bold_openers(document: Document, prose: Sequence[Paragraph]) -> list[BoldOpener]:
    """The paragraphs and list items among `prose` that open with bold text, in order."""
    lines = document.lines
    found = []
    for line in prose:
        span = line.span
        if line.line != line.start or not lines[span.line].startswith(("**", "__"), span.col):
            continue
        bold = _BOLD_START.match(lines[span.line], span.col)
        if bold is not None:
            where = Span(span.line, bold.start(), span.line, bold.end())
            found.append(BoldOpener(title_key(bold.group(2)), where))
    return found


def bold_titles(
    document: Document,
    openers: Sequence[BoldOpener],
    absent: dict[str, SectionSpec],
    template: Template,
) -> dict[int, Span]:
    """The specs among `absent` (by key) that a bold opener names, by spec order, where the
    bold openers of that part of the document mostly name template sections: bold labels of
    the author's own ("**SWC definition**" beside "**Test cases**") are not the template's
    form."""
    keys = {spec.key for spec in template.all_specs}
    parts: dict[int, list[BoldOpener]] = {}  # the heading after -> the bold openers above it
    for opener in openers:
        parts.setdefault(document.section_end(opener.span.line), []).append(opener)
    found: dict[int, Span] = {}
    for group in parts.values():
        if 2 * sum(opener.key in keys for opener in group) <= len(group):
            continue
        for opener in group:
            spec = absent.get(opener.key)
            if spec is not None and spec.order not in found:
                found[spec.order] = opener.span
    return found
