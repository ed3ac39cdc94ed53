"""Plain data derived from a Markdown template: the section tree, fields, title and placeholders."""

from __future__ import annotations

import re
from dataclasses import dataclass, field


@dataclass(slots=True)
class SectionSpec:
    title: str  # display title, with "(optional)" markers removed
    key: str  # normalized title used for matching (see template.normalize)
    level: int
    guidance: str  # text under the heading (HTML comments unwrapped), up to the first subsection
    optional: bool
    block: list[str]  # template lines of the heading, its guidance and all its subsections
    line: int  # the heading's line in the template file
    order: int  # preorder index across the whole template
    slot: bool = False  # a repeatable slot ("Component 1", "Component 2", ...)
    slot_stem: str = ""  # for slots: the title without its number ("Component")
    children: list[SectionSpec] = field(default_factory=list)
    parent: SectionSpec | None = field(default=None, repr=False)
    _path: list[str] | None = field(default=None, repr=False, compare=False)

    @property
    def path(self) -> list[str]:
        """Template titles from the top (document title excluded). Shared by every finding
        about this section (thousands in a big document): read it, never change it."""
        if self._path is None:
            out: list[str] = []
            spec: SectionSpec | None = self
            while spec is not None:
                out.append(spec.title)
                spec = spec.parent
            self._path = out[::-1]
        return self._path


@dataclass(frozen=True, slots=True)
class FieldSpec:
    name: str
    key: str  # normalized name
    values: tuple[str, ...]  # enum values; empty when free text
    placeholder: str | None  # the template's example value when it is a placeholder ("[Your Name]")
    section: SectionSpec | None  # section the field list sits in (None: before the first section)


@dataclass(frozen=True, slots=True)
class TitleSpec:
    text: str  # "Design Document: [Feature/Component Name]"
    prefix: str  # the fixed start a document title must share, normalized ("designdocument")
    placeholder: str  # "[Feature/Component Name]" or ""


@dataclass(slots=True)
class Template:
    path: str  # where it was read from ("<built-in>" for the default)
    title: TitleSpec | None
    roots: list[SectionSpec]
    fields: list[FieldSpec]
    placeholders: list[str]  # literal placeholder texts ("[Your Name]", "(fill me in ...)")
    example_patterns: list[re.Pattern[str]]  # whole-item patterns for example items ("Goal 1")
    guidance_lines: frozenset[str]  # normalized guidance sentences that must not be left in
    lines: list[str]  # the template's own lines
    heading_levels: dict[int, int]  # template line -> level, for every ATX heading line
    all_specs: list[SectionSpec] = field(default_factory=list)  # preorder
