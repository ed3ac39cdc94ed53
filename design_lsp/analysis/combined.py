"""Headings that name several template sections at once: "### Best Practices, Tutorials and
Examples" for the template's "Best Practices" and "Tutorials and Examples". The author answered
them together; none of them is missing."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from design_lsp.document import Heading
from design_lsp.template import SectionSpec
from design_lsp.template.markers import RUN_START
from design_lsp.template.normalize import display_title, title_key

# where one title ends and the next begins: ", ", ", and ", " and ", " & ", " / ", "; "
_JOINT = re.compile(
    rf"{RUN_START}(?:\s*[,;]\s*(?:and\s+|&\s*)?|\s+and\s+|\s*&\s*|\s*/\s*)", re.IGNORECASE
)


def joined_specs(title: str, by_key: Mapping[str, SectionSpec]) -> list[SectionSpec]:
    """The template sections `title` joins, in template order, when all of it is two or more
    of their titles; else []. `by_key`: the candidate sections by title key."""
    text = display_title(title)
    joints = list(_JOINT.finditer(text))
    if not joints:
        return []
    starts = [0, *(joint.end() for joint in joints)]
    ends = [*(joint.start() for joint in joints), len(text)]
    # reached[i]: the sections read so far when the pieces before piece i are consumed
    reached: dict[int, list[SectionSpec]] = {0: []}
    for first in range(len(starts)):
        so_far = reached.get(first)
        if so_far is None:
            continue
        for last in range(first, len(ends)):
            spec = by_key.get(title_key(text[starts[first] : ends[last]]))
            if spec is not None and (not so_far or spec.order > so_far[-1].order):
                reached.setdefault(last + 1, [*so_far, spec])
    found = reached.get(len(starts), [])
    return found if len(found) >= 2 else []


def joined_headings(
    headings: Sequence[Heading], by_key: Mapping[str, SectionSpec]
) -> list[tuple[Heading, list[SectionSpec]]]:
    """The headings among `headings` that join sibling sections, with those sections."""
    found = []
    for heading in headings:
        specs = joined_specs(heading.title, by_key)
        if specs and all(spec.parent is specs[0].parent for spec in specs):
            found.append((heading, specs))
    return found
