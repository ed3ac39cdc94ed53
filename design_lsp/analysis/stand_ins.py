"""Headings of the author's that stand for absent template sections under another name:
"## Effect on ABI stability" where the template now says "## ABI compatibility", or
"## Introduction" where it now opens with "## Summary of changes". Such a section is there,
renamed; calling it missing misnames it.

A heading of the author's own near a section that really is missing is just as common
("## References" where "## Security Considerations" belongs), so a pair needs more than a place:
- words that only this template section's title has (at least half of them), in the heading's
  title too (one heading to one section; where it sits is judged as for any section), unless
  the heading names another kind of the same thing ("Frequently asked questions"), holds
  another template section's whole title, or adds words of its own over subsections of its
  own where the section has others (`ties`);
- then the heading right after (or before) a paired one, named in the same pattern (the same
  first word: "Effect on ABI stability", "Effect on API resilience"), for the absent section
  right beside its pair in the template, with no section of the document between them: the
  document follows an older template's names there. A first word that most headings share is
  the document's subject ("Cache Layout", "Cache Eviction"), not a pattern;
- or the template's opening section, for a heading of the author's that opens the document,
  followed (past a table of contents) by the template's next section, and whose text starts
  with a sentence: whatever a team
  calls it (Summary, Abstract, Introduction), a design document opens with it. Not so under a
  parent heading: the first subsection of a "Proposal" has no such fixed role.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Container, Iterable, Sequence
from functools import lru_cache
from itertools import chain, pairwise
from typing import TYPE_CHECKING

from design_lsp.analysis.combined import joined_specs
from design_lsp.document import Document, Section
from design_lsp.document.inline import table_of_contents
from design_lsp.template import SectionSpec, Template
from design_lsp.template.normalize import display_title, title_key

if TYPE_CHECKING:
    from design_lsp.analysis.align import Alignment

_WORD = re.compile(r"[^\W_]+")
_COMMON = frozenset({"and", "for", "the", "with", "your", "this", "that", "other"})
_NOT_PROSE = re.compile(r"\s*(?:[-*+]\s|\d+[.)]\s|\||```|~~~)")


@lru_cache(maxsize=1 << 14)  # pure; asked for every unknown heading against each absent section
def words(title: str) -> frozenset[str]:
    return frozenset(_content_words(title))


@lru_cache(maxsize=1 << 14)
def _content_words(title: str) -> tuple[str, ...]:
    found = _WORD.findall(display_title(title).casefold())
    return tuple(word for word in found if len(word) >= 3 and word not in _COMMON)


_JOINED = re.compile(r"\band\b|[&,/+]")


def other_kind(section: str, heading: str) -> bool:
    """Whether `heading` names another kind of the thing `section` names: the same last word
    (the noun) after other words ("Frequently asked questions" and "Unresolved questions",
    "Privacy considerations" and "Security considerations"). Not so for titles that join
    two things ("Downsides and alternatives" is "Rationale and alternatives" renamed)."""
    ours, theirs = _content_words(section), _content_words(heading)
    if len(ours) < 2 or len(theirs) < 2 or ours[-1] != theirs[-1]:
        return False
    if _JOINED.search(display_title(section)) or _JOINED.search(display_title(heading)):
        return False
    return not set(ours[:-1]) & set(theirs[:-1])


def names_another(section: str, heading: str, titles: Iterable[frozenset[str]]) -> bool:
    """Whether `heading` holds every word of another template title that is not part of
    `section`'s ("Alternatives (Not Implemented) considered to support day-2 operations" is
    an alternative, whatever else it shares with "Support Procedures")."""
    mine, found = words(section), words(heading)
    return any(other and other <= found and not other <= mine for other in titles)


def distinctive_words(titles: Iterable[str]) -> dict[str, set[str]]:
    """Each title's words that no other title of the template has."""
    by_title = {title: words(title) for title in titles}
    counts = Counter(word for found in by_title.values() for word in found)
    return {title: {w for w in found if counts[w] == 1} for title, found in by_title.items()}


def pair_by_words(
    ties: Sequence[Sequence[bool]],
    adjacent: Sequence[bool],
    headings: Sequence[str],
    row: int,
) -> list[tuple[int, int]]:
    """Pairs (index i of an absent section, in template order; index j of an unknown heading,
    in document order): words in common first (`ties[i][j]`, see `ties`), then the chain beside
    each pair. `adjacent[i]`: no section of the document stands between absent sections i and
    i + 1 in the template; `row`: how many headings the group has."""
    absent = range(len(ties))
    shared = {j: [i for i in absent if ties[i][j]] for j in range(len(headings))}
    first = [_first_word(heading) for heading in headings]
    # a first word that three headings or more, a third of them, share is the document's habit
    # (its subject: "Cache Layout", "Cache Eviction"), not a pattern of names
    habit = {word for word, n in Counter(first).items() if n >= 3 and 3 * n >= row}
    claims = Counter(i for only in shared.values() for i in only)
    pairs = [(only[0], j) for j, only in shared.items() if len(only) == 1 and claims[only[0]] == 1]
    chained: list[tuple[int, int]] = []

    def beside(i: int, step: int) -> int | None:
        """The absent section right after (step 1) or before (-1) absent section i."""
        other = i + step
        if not 0 <= other < len(absent) or not adjacent[min(i, other)]:
            return None
        if any(p[0] == other for p in chain(pairs, chained)):
            return None
        return other

    for start in pairs:
        for step in (1, -1):  # the next heading, then the one before
            i, j = start
            direction: int | None = None  # of the template, once the chain has taken one
            while 0 <= j + step < len(headings):
                if any(p[1] == j + step for p in chain(pairs, chained)):
                    break
                if not first[j] or first[j] in habit or first[j] != first[j + step]:
                    break
                # the template's next section, or its previous one (the document has the
                # pair's neighbours the other way round), keeping that direction after
                options = (direction,) if direction else (step, -step)
                found_i = next((o for o in (beside(i, d) for d in options) if o is not None), None)
                if found_i is None:
                    break
                direction = found_i - i
                i, j = found_i, j + step
                chained.append((i, j))
    return sorted(pairs + chained)


def ties(
    spec: SectionSpec, section: Section, key: set[str], titles: Iterable[frozenset[str]]
) -> bool:
    """Whether words in common tie a heading of the author's to an absent template section:
    at least half of `key` (the words only this section's title has in the template), unless
    the heading names another kind of the same thing or another section of the template
    (`titles`: the words of every template title), or, sharing only some words and adding its
    own, has subsections of its own where the section has others."""
    title = section.heading.title
    if not key or 2 * len(key & words(title)) < len(key):
        return False
    if other_kind(spec.title, title) or names_another(spec.title, title, titles):
        return False
    mine, found = words(spec.title), words(title)
    if mine <= found or found <= mine:  # the whole title, or part of it and nothing else
        return True
    return not _other_subsections(spec, section)


def _other_subsections(spec: SectionSpec, section: Section) -> bool:
    """Both hold subsections and none of the heading's is one of the section's ("### Endpoints
    topology" over "#### AWS" is not "Topology Considerations" over "Standalone Clusters")."""
    if not spec.children or not section.children:
        return False
    theirs = {title_key(child.heading.title) for child in section.children}
    return not any(child.key in theirs for child in spec.children)


def _first_word(title: str) -> str:
    found = _WORD.findall(display_title(title).casefold())
    return found[0] if found else ""


def match_stand_ins(
    result: Alignment,
    document: Document,
    sections: list[Section],
    template: Template,
    known: Container[str],
) -> list[tuple[Section, SectionSpec]]:
    """The (heading, absent required section) pairs among the direct children of each matched
    heading, and at the top. `known`: the title keys that name a template section (its title,
    aliases, or a name its title joins), as the alignment read them."""
    distinctive = distinctive_words(spec.title for spec in template.all_specs)
    all_words = [words(spec.title) for spec in template.all_specs]
    groups: dict[int, list[Section]] = {}  # parent heading line (-1: the top) -> its children
    for section in sections:
        parent = section.parent
        if parent is None or parent is result.title:
            groups.setdefault(-1, []).append(section)
        elif parent.heading.line in result.by_line:
            groups.setdefault(parent.heading.line, []).append(section)
    found: list[tuple[Section, SectionSpec]] = []
    for line, children in groups.items():
        parent_match = result.by_line.get(line)
        parent_spec = parent_match.spec if parent_match else None
        if parent_match is not None:
            shift = parent_match.section.heading.level - parent_match.spec.level
        else:
            shift = result.offset
        specs = [s for s in (parent_spec.children if parent_spec else template.roots) if not s.slot]
        absent = [s for s in specs if not s.optional and s.order not in result.present]
        if not absent:
            continue
        by_key = {spec.key: spec for spec in specs}
        level = absent[0].level + shift
        # the children in document order: the template's (their order) or the author's (None)
        row: list[tuple[Section, int | None]] = []
        for child in children:
            match = result.by_line.get(child.heading.line)
            if match is not None:
                if match.spec.parent is parent_spec and not match.spec.slot:
                    row.append((child, match.spec.order))
            elif (
                child.heading.level == level
                and title_key(child.heading.title) not in known
                and not joined_specs(child.heading.title, by_key)
            ):
                row.append((child, None))
        taken: set[int] = set()
        if parent_spec is None and absent[0] is specs[0]:
            opening = _opening(document, row)
            if opening is not None:
                found.append((opening, absent[0]))
                taken.add(absent[0].order)
        # words in common tie a heading to its section wherever it sits (its place is then
        # judged as any section's: a window around the place would let the fixes that insert
        # the sections around it untie it)
        rest = [s for s in absent if s.order not in taken]
        waiting = [c for c, order in row if order is None and all(c is not f for f, _ in found)]
        position = {s.order: n for n, s in enumerate(specs)}
        adjacent = [
            not any(
                specs[n].order in result.present
                for n in range(position[a.order] + 1, position[b.order])
            )
            for a, b in pairwise(rest)
        ]
        headings = [c.heading.title for c in waiting]
        matrix = [[ties(s, c, distinctive[s.title], all_words) for c in waiting] for s in rest]
        for i, j in pair_by_words(matrix, adjacent, headings, len(row)):
            found.append((waiting[j], rest[i]))
    return found


def _opening(document: Document, row: list[tuple[Section, int | None]]) -> Section | None:
    """The first heading at the top when it is the author's, a known section follows it, it
    holds no subsections and its text starts with a sentence (a checklist or a table in that
    place is something else)."""
    following = [entry for entry in row[1:] if not _is_contents(document, entry)]
    if not following or row[0][1] is not None or following[0][1] is None:
        return None
    section = row[0][0]
    if section.children:
        return None
    for text in document.lines[section.heading.line + 1 : section.body_end_line]:
        if text.strip():
            return None if _NOT_PROSE.match(text) else section
    return None


def _is_contents(document: Document, entry: tuple[Section, int | None]) -> bool:
    """A heading of the author's over a table of contents: only links to the document's own
    headings, listed or not. It stands between the opening section and the next one."""
    section, order = entry
    if order is not None or section.children:
        return False
    return table_of_contents(document.lines[section.heading.line + 1 : section.body_end_line])
