"""Align a document's sections with the template's specs, globally, so one problem is one finding.

Matching runs in passes over the document's sections in order: exact titles where the template
puts them, then exact titles elsewhere (each template section once: a deeper heading that shares
a title found in its place is the author's own subsection), then near misses (typos) in place,
then repeatable slots ("Component N"). A section's context is the nearest matched heading above
it at a higher level: headings the template does not know are the author's own structure and do
not hide where a section sits. Levels are judged relative to that context, so a mislevelled
heading's children are not reported again; order is judged per group of siblings with a longest
increasing subsequence, so one misplaced section does not make every later one "out of order".
"""

from __future__ import annotations

from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass, field

from design_lsp.analysis.stand_ins import match_stand_ins
from design_lsp.document import Document, Section
from design_lsp.template import SectionSpec, Template
from design_lsp.template.normalize import near_miss, numbered, title_key


@dataclass(slots=True)
class Match:
    section: Section
    spec: SectionSpec
    how: str  # "exact", "near" or "slot"
    context: Section | None  # nearest matched ancestor section (None: top level)
    in_place: bool = True


@dataclass(slots=True)
class Alignment:
    title: Section | None  # the document's title section, when the template has a title
    offset: int  # document heading level minus template level, at the top level
    matches: list[Match] = field(default_factory=list)  # document order
    duplicates: list[tuple[Section, Match]] = field(default_factory=list)  # (repeat, first)
    by_line: dict[int, Match] = field(default_factory=dict)
    present: dict[int, list[Match]] = field(default_factory=dict)  # spec.order -> its matches
    match_lines: list[int] = field(default_factory=list)  # heading line of each match, sorted

    def context_of(self, section: Section) -> Section | None:
        """The nearest matched heading above `section` at a higher level (None: top level)."""
        index = bisect_right(self.match_lines, section.heading.line - 1) - 1
        level = section.heading.level
        while index >= 0:
            candidate = self.matches[index].section
            if candidate.heading.level < level:
                return candidate
            index -= 1
        return None

    def first(self, spec: SectionSpec) -> Match | None:
        found = self.present.get(spec.order)
        return found[0] if found else None

    def expected_level(self, match: Match) -> int:
        """The template's level, shifted as much as the heading of its template parent is
        (the one it sits under, else its first), or by the document's offset at the top."""
        spec = match.spec
        parent: Match | None = None
        if match.context is not None:
            parent = self.by_line.get(match.context.heading.line)
        if parent is None or parent.spec is not spec.parent:
            parent = self.first(spec.parent) if spec.parent is not None else None
        if parent is None:
            return spec.level + self.offset
        return spec.level + parent.section.heading.level - parent.spec.level

    def wrong_level(self, match: Match) -> bool:
        return match.section.heading.level != self.expected_level(match)


def preorder(sections: list[Section]) -> list[Section]:
    out: list[Section] = []
    stack = list(reversed(sections))
    while stack:
        section = stack.pop()
        out.append(section)
        stack.extend(reversed(section.children))
    return out


def document_title(template: Template, document: Document) -> Section | None:
    """The heading that fills the template's title in a document: its first heading, when the
    template has a title and the heading is an H1 that names none of the template's top-level
    sections.

    Not the template's own title (`template.read._title_section`), which is judged without a
    template to compare with: there a heading that names the slot ("Title", "RFC title") is the
    title at any level, and an H1 only when it is the template's only one (a template with
    several uses H1 for its sections). A document's title is always its first H1 (its fix
    inserts one), and a first H1 that names a section is that section at the wrong level.
    """
    if template.title is None or not document.roots:
        return None
    first = document.roots[0]
    if first.heading is not document.headings[0] or first.heading.level != 1:
        return None
    if any(spec.key == title_key(first.heading.title) for spec in template.roots):
        return None  # "# Background": a section at the wrong level, not a title
    return first


def align(template: Template, document: Document) -> Alignment:
    title = document_title(template, document)
    sections = [s for s in preorder(document.roots) if s is not title]
    result = Alignment(title=title, offset=0)
    by_key: dict[str, list[SectionSpec]] = {}  # what names a section anywhere
    in_place: dict[str, list[SectionSpec]] = {}  # ... and what names it only in its place
    for spec in template.all_specs:
        for key in (spec.key, *spec.aliases):
            by_key.setdefault(key, []).append(spec)
            in_place.setdefault(key, []).append(spec)
        for key in spec.parts:
            in_place.setdefault(key, []).append(spec)
    keys = [title_key(section.heading.title) for section in sections]
    unmatched = _match_exact(result, sections, keys, by_key, in_place)
    result.offset = _level_offset(result, title)
    _index(result)
    _match_rest(result, sections, unmatched, template)
    _index(result)
    if _match_renamed(result, sections, template):
        _index(result)
    stand_ins = match_stand_ins(result, document, sections, template, in_place)
    for section, spec in stand_ins:
        _add(result, section, spec, "stand-in")
    if stand_ins:
        _index(result)
    _judge_order(result)
    return result


def _index(result: Alignment) -> None:
    """Sort the matches into document order and give each its context."""
    result.matches.sort(key=lambda m: m.section.heading.line)
    result.match_lines = [m.section.heading.line for m in result.matches]
    result.present = {}
    contexts = _Contexts()
    for match in result.matches:
        above = contexts.match_above(match.section)
        match.context = above.section if above else None
        contexts.push(match)
        result.present.setdefault(match.spec.order, []).append(match)


def _add(result: Alignment, section: Section, spec: SectionSpec, how: str) -> None:
    match = Match(section, spec, how, None)
    result.matches.append(match)
    result.by_line[section.heading.line] = match


class _Contexts:
    """Contexts while matching in document order: a stack of matched sections."""

    def __init__(self) -> None:
        self.stack: list[Match] = []

    def match_above(self, section: Section) -> Match | None:
        level = section.heading.level
        for match in reversed(self.stack):
            if match.section.heading.level < level:
                return match
        return None

    def push(self, match: Match) -> None:
        level = match.section.heading.level
        while self.stack and self.stack[-1].section.heading.level >= level:
            self.stack.pop()
        self.stack.append(match)


def _match_exact(
    result: Alignment,
    sections: list[Section],
    keys: list[str],
    by_key: dict[str, list[SectionSpec]],
    in_place: dict[str, list[SectionSpec]],
) -> list[Section]:
    used: set[int] = set()
    # In place first: a title under the heading the template puts it under, at its level
    # relative to that heading (at the top, when a title fixes the levels, at its own).
    contexts = _Contexts()
    for section, key in zip(sections, keys, strict=True):
        candidates = in_place.get(key)
        if not candidates:
            continue
        context = contexts.match_above(section)
        above = context.spec if context else None
        shift: int | None = 0 if result.title is not None else None  # (unknown yet: None)
        if context is not None:
            shift = context.section.heading.level - context.spec.level
        spec = next(
            (
                s
                for s in candidates
                if s.parent is above
                and (s.slot or s.order not in used)
                and (shift is None or section.heading.level == s.level + shift)
            ),
            None,
        )
        if spec is not None:
            _add(result, section, spec, "exact")
            if not spec.slot:
                used.add(spec.order)
            contexts.push(result.by_line[section.heading.line])
    # Then elsewhere: a template section found nowhere in place, wherever it is; but a title
    # repeated under several headings of the author's ("### Motivation" of each feature) is the
    # author's own structure.
    unmatched: list[Section] = []
    first_of = {m.spec.order: m for m in reversed(result.matches)}
    parents: dict[str, set[int]] = {}
    for section, key in zip(sections, keys, strict=True):
        if section.heading.line not in result.by_line and key in by_key:
            parents.setdefault(key, set()).add(id(section.parent))
    for section, key in zip(sections, keys, strict=True):
        if section.heading.line in result.by_line:
            continue
        candidates = by_key.get(key)
        if not candidates:
            unmatched.append(section)
            continue
        if len(parents[key]) > 1 and not any(s.order in first_of for s in candidates):
            continue
        spec = next((s for s in candidates if s.slot or s.order not in used), None)
        if spec is not None:
            _add(result, section, spec, "exact")
            if not spec.slot:
                used.add(spec.order)
            first_of.setdefault(spec.order, result.by_line[section.heading.line])
            continue
        first = min(
            (first_of[s.order] for s in candidates if s.order in first_of),
            key=lambda m: m.section.heading.line,
        )
        if _siblings(section, first.section) and title_key(first.section.heading.title) == key:
            result.duplicates.append((section, first))
        # else: the same title elsewhere ("### Motivation" of a sub-feature), or another of the
        # section's names ("## Rationale" after "## Alternatives"), is the author's own section
    result.matches.sort(key=lambda m: m.section.heading.line)
    return unmatched


def _siblings(a: Section, b: Section) -> bool:
    return a.heading.level == b.heading.level and a.parent is b.parent


def _level_offset(result: Alignment, title: Section | None) -> int:
    """How much deeper the document's headings sit than the template's.

    With a title the template fixes the levels; without one (an RFC that starts at "#"), the
    most common shift among top-level sections is the document's convention, not an error.
    """
    if title is not None:
        return 0
    shifts = Counter(
        m.section.heading.level - m.spec.level
        for m in result.matches
        if m.spec.parent is None and m.section.parent is None
    )
    if not shifts:
        return 0
    top = max(shifts.values())
    return min((shift for shift, count in shifts.items() if count == top), key=abs)  # ties: 0


def _match_renamed(result: Alignment, sections: list[Section], template: Template) -> bool:
    """A heading the template does not know that holds two or more subsections of one absent
    template section is that section under another name ("## Proposal" holding "Design
    Proposal"'s subsections)."""
    found = False
    by_line, present = result.by_line, result.present
    for section in sections:
        if not section.children or section.heading.line in by_line:
            continue
        parents: Counter[int] | None = None
        for child in section.children:
            match = by_line.get(child.heading.line)
            if match is not None and match.spec.parent is not None:
                order = match.spec.parent.order
                if order not in present:
                    parents = parents or Counter()
                    parents[order] += 1
        if parents:
            order, count = parents.most_common(1)[0]
            if count >= 2:
                _add(result, section, template.all_specs[order], "renamed")
                result.present.setdefault(order, [])  # (filled by the next _index)
                found = True
    return found


def _match_rest(
    result: Alignment, sections: list[Section], unmatched: list[Section], template: Template
) -> None:
    """Near misses (typos), then repeatable slots, in one pass in document order.

    A typo counts only where the template puts the section and at its level: a heading
    elsewhere that looks like a title is more likely the author's own."""
    waiting = {id(section) for section in unmatched}
    taken = {m.spec.order for m in result.matches}
    specs = [spec for spec in template.all_specs if not spec.slot]
    near: dict[str, list[SectionSpec]] = {}  # key -> specs it nearly names (one pass per key)
    contexts = _Contexts()
    for section in sections:
        line = section.heading.line
        if id(section) in waiting:
            context = contexts.match_above(section)
            above = context.spec if context else None
            key = title_key(section.heading.title)
            if key not in near:
                near[key] = [
                    spec
                    for spec in specs
                    if near_miss(key, spec.key) or any(_typo_of_part(key, p) for p in spec.parts)
                ]
            spec = next(
                (
                    s
                    for s in near[key]
                    if s.order not in taken and _may_sit(result, s, context, section)
                ),
                None,
            )
            part = None
            if spec is None:
                part = _part_in_place(result, specs, section, key, taken, context)
            if spec is not None:
                _add(result, section, spec, "near")
                taken.add(spec.order)
            elif part is not None:
                _add(result, section, part, "exact")
                taken.add(part.order)
            else:
                slot = _slot(result, section, above, template)
                if slot is not None:
                    _add(result, section, slot, "slot")
        if line in result.by_line:
            contexts.push(result.by_line[section.heading.line])


def _part_in_place(
    result: Alignment,
    specs: list[SectionSpec],
    section: Section,
    key: str,
    taken: set[int],
    context: Match | None,
) -> SectionSpec | None:
    """A name a title joins, under its template parent, when that parent is known only now
    (a near miss: "### Implementation Details" under "## Propsal"): the exact pass could not
    place it yet."""
    above = context.spec if context else None
    if context is None or context.how != "near":
        return None
    return next(
        (
            s
            for s in specs
            if key in s.parts
            and s.parent is above
            and s.order not in taken
            and _may_sit(result, s, context, section)
        ),
        None,
    )


def _typo_of_part(key: str, part: str) -> bool:
    """A typo of a name a title joins ("Altebnatives" for "Rationale and alternatives"): it
    counts in place, as the name does. The name itself out of its place stays the author's
    heading, and so does one word for several ("Example" in place of "... and Examples")."""
    return key.rstrip("s") != part.rstrip("s") and near_miss(key, part)


def _may_sit(result: Alignment, spec: SectionSpec, context: Match | None, section: Section) -> bool:
    """Whether a near miss of `spec` may be that section where `section` sits: under its
    template parent (or anywhere when that parent is absent), or above its template place, and
    not deeper than the template's level: a deeper heading is more likely the author's own."""
    above = context.spec if context else None
    parent = spec.parent
    if parent is above or (parent is not None and parent.order not in result.present):
        probe = Match(section, spec, "near", context.section if context else None)
        return section.heading.level <= result.expected_level(probe)
    ancestor = spec.parent
    while ancestor is not None and ancestor is not above:
        ancestor = ancestor.parent
    return ancestor is above and section.heading.level <= spec.level + result.offset


def _slot(
    result: Alignment, section: Section, above: SectionSpec | None, template: Template
) -> SectionSpec | None:
    """The repeatable slot among the context's children that `section` is an instance of."""
    slots = [spec for spec in (above.children if above else template.roots) if spec.slot]
    if not slots:
        return None
    number = numbered(section.heading.title)
    if number is not None:
        stem = title_key(number[0])
        for spec in slots:
            if title_key(spec.slot_stem) == stem:
                return spec
    level = section.heading.level - result.offset
    return next((spec for spec in slots if spec.level == level), None)


def _judge_order(result: Alignment) -> None:
    """Mark matches out of place: under the wrong parent, or off the longest in-order run."""
    groups: dict[int, list[Match]] = {}
    for match in result.matches:
        if result.wrong_level(match):
            continue  # its level is the finding; among the siblings it would blame others
        parent = match.spec.parent
        context_spec = result.by_line[match.context.heading.line].spec if match.context else None
        parent_present = parent is None or parent.order in result.present
        if context_spec is not parent and parent_present:
            match.in_place = False
            continue
        key = match.context.heading.line if match.context else -1
        groups.setdefault(key, []).append(match)
    for group in groups.values():
        keep = _longest_run(group)
        for index, match in enumerate(group):
            match.in_place = index in keep


def _longest_run(group: list[Match]) -> set[int]:
    """Indexes of a longest non-decreasing subsequence of template order (O(n log n))."""
    tails: list[int] = []  # spec order at the end of the best run of each length
    tail_index: list[int] = []
    previous: list[int] = [-1] * len(group)
    for index, match in enumerate(group):
        order = match.spec.order
        length = bisect_right(tails, order)
        if length == len(tails):
            tails.append(order)
            tail_index.append(index)
        else:
            tails[length] = order
            tail_index[length] = index
        previous[index] = tail_index[length - 1] if length else -1
    keep: set[int] = set()
    cursor = tail_index[-1] if tail_index else -1
    while cursor != -1:
        keep.add(cursor)
        cursor = previous[cursor]
    return keep
