"""Align a document's sections with the template's specs, globally, so one problem is one finding.

Matching runs in three passes over the document's sections in order: exact title keys, then near
misses (typos), then repeatable slots ("Component N"). Order is judged per group of siblings with
a longest increasing subsequence, so one misplaced section does not make every later one "out of
order".
"""

from __future__ import annotations

from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass, field

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
    offset: int  # document heading level minus template level
    matches: list[Match] = field(default_factory=list)  # document order
    duplicates: list[tuple[Section, Match]] = field(default_factory=list)  # (repeat, first)
    by_line: dict[int, Match] = field(default_factory=dict)
    present: dict[int, list[Match]] = field(default_factory=dict)  # spec.order -> its matches
    match_lines: list[int] = field(default_factory=list)  # heading line of each match, sorted

    def context_of(self, section: Section) -> Section | None:
        parent = section.parent
        while parent is not None and parent.heading.line not in self.by_line:
            parent = parent.parent
        return parent

    def first(self, spec: SectionSpec) -> Match | None:
        found = self.present.get(spec.order)
        return found[0] if found else None

    def wrong_level(self, match: Match) -> bool:
        return match.section.heading.level != match.spec.level + self.offset


def preorder(sections: list[Section]) -> list[Section]:
    out: list[Section] = []
    stack = list(reversed(sections))
    while stack:
        section = stack.pop()
        out.append(section)
        stack.extend(reversed(section.children))
    return out


def find_title(template: Template, document: Document) -> Section | None:
    """The document's first heading is its title when the template has one and it is an H1."""
    if template.title is None or not document.roots:
        return None
    first = document.roots[0]
    if first.heading is not document.headings[0] or first.heading.level != 1:
        return None
    if any(spec.key == title_key(first.heading.title) for spec in template.roots):
        return None  # "# Background": a section at the wrong level, not a title
    return first


def align(template: Template, document: Document) -> Alignment:
    title = find_title(template, document)
    sections = [s for s in preorder(document.roots) if s is not title]
    result = Alignment(title=title, offset=0)
    by_key: dict[str, list[SectionSpec]] = {}
    for spec in template.all_specs:
        by_key.setdefault(spec.key, []).append(spec)
    unmatched = _match_exact(result, sections, by_key)
    result.offset = _level_offset(result, title)
    unmatched = _match_near(result, unmatched, template)
    _match_slots(result, unmatched, template)
    result.matches.sort(key=lambda m: m.section.heading.line)
    result.match_lines = [m.section.heading.line for m in result.matches]
    for match in result.matches:
        match.context = result.context_of(match.section)
        result.present.setdefault(match.spec.order, []).append(match)
    _judge_order(result)
    return result


def _add(result: Alignment, section: Section, spec: SectionSpec, how: str) -> None:
    match = Match(section, spec, how, None)
    result.matches.append(match)
    result.by_line[section.heading.line] = match


def _choose(
    result: Alignment, section: Section, candidates: list[SectionSpec], used: set[int]
) -> SectionSpec | None:
    """Prefer an unused spec whose parent is the section's matched context."""
    context = result.context_of(section)
    context_spec = result.by_line[context.heading.line].spec if context else None
    free = [spec for spec in candidates if spec.order not in used]
    for spec in free:
        if spec.parent is context_spec:
            return spec
    return free[0] if free else None


def _match_exact(
    result: Alignment, sections: list[Section], by_key: dict[str, list[SectionSpec]]
) -> list[Section]:
    used: set[int] = set()
    first_of: dict[int, Match] = {}
    unmatched: list[Section] = []
    for section in sections:
        candidates = by_key.get(title_key(section.heading.title), [])
        spec = _choose(result, section, candidates, used)
        if spec is not None:
            _add(result, section, spec, "exact")
            if not spec.slot:
                used.add(spec.order)
            first_of.setdefault(spec.order, result.by_line[section.heading.line])
        elif candidates:
            first = first_of[candidates[0].order]
            if _siblings(result, section, first.section):
                result.duplicates.append((section, first))
            # else: the same title deeper down ("### Summary" of a sub-proposal) is the
            # author's own subsection, not a second copy of the template's section
        else:
            unmatched.append(section)
    return unmatched


def _siblings(result: Alignment, a: Section, b: Section) -> bool:
    return a.heading.level == b.heading.level and result.context_of(a) is result.context_of(b)


def _level_offset(result: Alignment, title: Section | None) -> int:
    """How much deeper the document's headings sit than the template's.

    With a title the template fixes the levels; without one (an RFC that starts at "#"), the
    most common shift among top-level sections is the document's convention, not an error.
    """
    if title is not None:
        return 0
    shifts = Counter(
        m.section.heading.level - m.spec.level for m in result.matches if m.spec.parent is None
    )
    return shifts.most_common(1)[0][0] if shifts else 0


def _match_near(result: Alignment, sections: list[Section], template: Template) -> list[Section]:
    taken = {m.spec.order for m in result.matches}
    unmatched: list[Section] = []
    specs = [spec for spec in template.all_specs if not spec.slot]
    near: dict[str, list[SectionSpec]] = {}  # key -> specs it nearly names (one pass per key)
    for section in sections:
        key = title_key(section.heading.title)
        if key not in near:
            near[key] = [spec for spec in specs if near_miss(key, spec.key)]
        candidates = [spec for spec in near[key] if spec.order not in taken]
        spec = _choose(result, section, candidates, taken)
        if spec is None:
            unmatched.append(section)
            continue
        _add(result, section, spec, "near")
        taken.add(spec.order)
    return unmatched


def _match_slots(result: Alignment, sections: list[Section], template: Template) -> None:
    for section in sections:
        context = result.context_of(section)
        siblings = result.by_line[context.heading.line].spec.children if context else template.roots
        level = section.heading.level - result.offset
        number = numbered(section.heading.title)
        stem = title_key(number[0]) if number else None
        slots = [spec for spec in siblings if spec.slot]
        by_stem = [spec for spec in slots if stem is not None and title_key(spec.slot_stem) == stem]
        at_level = [spec for spec in slots if spec.level == level]
        chosen = by_stem or at_level
        if chosen:
            _add(result, section, chosen[0], "slot")


def _judge_order(result: Alignment) -> None:
    """Mark matches out of place: under the wrong parent, or off the longest in-order run."""
    groups: dict[int, list[Match]] = {}
    for match in result.matches:
        parent = match.spec.parent
        context_spec = result.by_line[match.context.heading.line].spec if match.context else None
        parent_present = parent is None or parent.order in result.present
        if context_spec is not parent and parent_present and not result.wrong_level(match):
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

