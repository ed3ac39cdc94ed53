"""Plain data derived from a Markdown template: the section tree, fields, title and placeholders."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from design_lsp.template.guidance import Guidance


@dataclass(slots=True)
class SectionSpec:
    title: str  # display title, with optional markers ("(optional)", "[optional]") removed
    key: str  # normalized title used for matching (see template.normalize)
    level: int
    guidance: str  # text under the heading (HTML comments unwrapped), up to the first subsection
    optional: bool
    optional_reason: str  # the template's words that made it optional ("" when required)
    block: list[str]  # template lines of the heading, its guidance and all its subsections
    line: int  # the heading's line in the template file
    order: int  # preorder index across the whole template
    sibling_index: int = 0  # position among its parent's children (or the roots)
    aliases: tuple[str, ...] = ()  # other keys that name this section (from the config)
    # keys of the names its title joins ("Rationale and alternatives": "rationale",
    # "alternatives"): they name it only where the template puts it
    parts: tuple[str, ...] = ()
    slot: bool = False  # a repeatable slot ("Component 1", "Component 2", ...)
    slot_stem: str = ""  # for slots: the title without its number ("Component")
    children: list[SectionSpec] = field(default_factory=list)
    parent: SectionSpec | None = field(default=None, repr=False)
    _path: list[str] | None = field(default=None, repr=False, compare=False)

    @property
    def within_optional(self) -> bool:
        """Whether this section or one it sits in is optional."""
        spec: SectionSpec | None = self
        while spec is not None:
            if spec.optional:
                return True
            spec = spec.parent
        return False

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
    key: str  # normalized name (see template.normalize.field_key)
    values: tuple[str, ...]  # enum values; empty when free text
    placeholder: str | None  # the template's value when the author must replace it ("[Your Name]")
    section: SectionSpec | None  # section the field list sits in (None: before the first section)
    line: int = 0  # the field's line in the template
    value_col: int = 0  # where its value starts on that line (after the colon and a space)
    optional_reason: str = ""  # the template's words that made it optional ("" when required)
    front_matter: bool = False  # a key of the template's front matter
    blank: bool = False  # the template leaves its value empty (filled in later, if ever)

    @property
    def optional(self) -> bool:
        return bool(self.optional_reason)


@dataclass(frozen=True, slots=True)
class TitleSpec:
    text: str  # "Design Document: [Feature/Component Name]"
    prefix: str  # the fixed start a document title must share, normalized ("designdocument");
    # "" when the whole title is an example to replace ("Feature name", "Title of RFC")
    placeholder: str  # "[Feature/Component Name]" or ""
    level: int = 1  # the title heading's level


@dataclass(slots=True)
class Template:
    path: str  # where it was read from ("<built-in>" for the default)
    title: TitleSpec | None
    roots: list[SectionSpec]
    fields: list[FieldSpec]
    placeholders: list[str]  # literal placeholder texts ("[Your Name]", "(fill me in ...)")
    example_patterns: list[re.Pattern[str]]  # whole-item patterns for example items ("Goal 1")
    guidance: Guidance  # the template's guidance text, for finding it left in a document
    # the template's own `<...>` and `(...)` placeholders, to find in prose (its `[...]` ones
    # are found among the document's brackets); None when it has none
    placeholder_pattern: re.Pattern[str] | None
    lines: list[str]  # the template's own lines
    heading_levels: dict[int, int]  # template line -> level, for every ATX heading line
    all_specs: list[SectionSpec] = field(default_factory=list)  # preorder
