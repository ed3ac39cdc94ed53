"""A team's corrections to how its template is read: other names for a section, and whether it
is optional (`[sections."Adoption strategy"]` in the config)."""

from __future__ import annotations

import copy
from collections.abc import Mapping
from dataclasses import dataclass

from design_lsp.template.model import Template
from design_lsp.template.normalize import title_key


@dataclass(frozen=True, slots=True)
class SectionOverride:
    aliases: tuple[str, ...] = ()  # other titles the team uses for the section
    optional: bool | None = None  # None: as the template says


class UnknownSection(ValueError):
    """An override names a section the template does not have."""

    def __init__(self, name: str, template: str) -> None:
        super().__init__(f"no section titled '{name}' in the template ({template})")
        self.name = name


def apply_overrides(template: Template, overrides: Mapping[str, SectionOverride]) -> Template:
    """A copy of `template` with the overrides applied (by title, matched as headings are)."""
    if not overrides:
        return template
    result = copy.deepcopy(template)
    for name, override in overrides.items():
        specs = [spec for spec in result.all_specs if spec.key == title_key(name)]
        if not specs:
            raise UnknownSection(name, template.path)
        for spec in specs:
            spec.aliases = tuple(dict.fromkeys((*spec.aliases, *map(title_key, override.aliases))))
            if override.optional is not None:
                spec.optional = override.optional
                spec.optional_reason = "the config says so" if override.optional else ""
    return result
