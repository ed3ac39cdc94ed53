"""Turn an alignment into findings, and answer what features ask of the analysis."""

from __future__ import annotations

import logging
import re
from bisect import bisect_left, bisect_right
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from operator import attrgetter

from design_lsp.analysis.align import Alignment, Match, align, preorder
from design_lsp.analysis.bold import bold_titles
from design_lsp.analysis.codes import DEFAULT_SEVERITY
from design_lsp.analysis.combined import joined_headings
from design_lsp.analysis.edits import insertion
from design_lsp.analysis.model import Finding, Severity, TextEdit
from design_lsp.analysis.parts import Parts, collect
from design_lsp.analysis.patterns import BoundedPattern, Budget, PatternError
from design_lsp.analysis.rules.fields import Written, written_fields
from design_lsp.document import Document, Heading, Section, Span
from design_lsp.template import SectionSpec, Template
from design_lsp.template.load import front_matter_template
from design_lsp.template.model import FieldSpec
from design_lsp.template.normalize import title_key

log = logging.getLogger(__name__)

_BLOCKING = (Severity.ERROR, Severity.WARNING)
# The output order: by position, then by the code's declared rank (codes.Code.rank); findings
# of one code at one place keep the order their rule gives (template order). Never the order
# the rules run in. (C-level attribute reads: ~60k findings in a 5 MB document.)
ORDER = attrgetter("span.line", "span.col", "rank")


@dataclass(slots=True)
class Analysis:
    template: Template
    document: Document
    alignment: Alignment
    findings: list[Finding] = field(default_factory=list)
    parts: Parts | None = None  # what the next version's analysis may reuse
    options: tuple[object, ...] = ()  # the severities and patterns the findings were made with
    # The placeholder patterns to find in prose: the template's own, then the config's.
    patterns: Sequence[BoundedPattern] = ()
    _as_text: dict[int, Span] | None = None
    _joined: set[int] | None = None
    _placed: dict[int, list[int]] | None = None  # parent order (-1: roots) -> sibling indices
    _fields: list[tuple[FieldSpec, Written | None]] | None = None

    @property
    def matches(self) -> dict[int, SectionSpec]:
        """Document heading line -> the template spec it matched."""
        return {line: match.spec for line, match in self.alignment.by_line.items()}

    @property
    def missing(self) -> list[SectionSpec]:
        return [spec for spec in self.template.all_specs if self.is_missing(spec)]

    def is_missing(self, spec: SectionSpec) -> bool:
        """Required, absent (not even as bold text), and its parent present: one finding covers
        the whole subtree."""
        if spec.optional or spec.order in self.alignment.present:
            return False
        if spec.parent is not None and spec.parent.order not in self.alignment.present:
            return False
        return spec.order not in self.written_as_text() and spec.order not in self.joined()

    def joined(self) -> set[int]:
        """Absent sections answered under a heading of the author's that names them with a
        sibling ("Best Practices, Tutorials and Examples"), by spec order."""
        if self._joined is None:
            self._joined = set()
            present = self.alignment.present
            by_key = {spec.key: spec for spec in self.template.all_specs if not spec.slot}
            unmatched = [h for h in self.document.headings if h.line not in self.alignment.by_line]
            for heading, specs in joined_headings(unmatched, by_key):
                self._joined.update(
                    spec.order
                    for spec in specs
                    if spec.order not in present and self._fits(spec, heading.line)
                )
        return self._joined

    def fields_written(self) -> list[tuple[FieldSpec, Written | None]]:
        """Each template field, in template order, as the document writes it (None: absent)."""
        if self._fields is None:
            self._fields = written_fields(self.document, self.template)
        return self._fields

    def written_as_text(self) -> dict[int, Span]:
        """Absent sections whose title the document has as a bold line or bold list item
        (an older template's form, the answer below it), by spec order."""
        if self._as_text is None:
            absent = {
                spec.key: spec
                for spec in self.template.all_specs
                if spec.order not in self.alignment.present and not spec.slot
            }
            openers = self.parts.bold if self.parts is not None else []
            found = bold_titles(self.document, openers, absent, self.template) if absent else {}
            self._as_text = {
                order: span
                for order, span in found.items()
                if self._fits(self.template.all_specs[order], span.line)
            }
        return self._as_text

    def _fits(self, spec: SectionSpec, line: int) -> bool:
        """Whether `line` lies where the template puts `spec`: inside its parent's section,
        after the sibling before it (in that sibling's text, or the parent's own) and before
        the sibling after it. A bold label inside some other section is that section's."""
        if spec.parent is not None:
            parent = self.alignment.first(spec.parent)
            if parent is None or not parent.section.heading.line < line < parent.section.end_line:
                return False
        before = self.neighbour(spec, None, before=True)
        after = self.neighbour(spec, None, before=False)
        if before is not None and line < before.heading.line:
            return False
        if after is not None and line > after.heading.line:
            return False
        within = self.spec_at(line)
        return within is spec.parent or (
            before is not None and within is self.spec_for(before)
        )

    def spec_at(self, line: int) -> SectionSpec | None:
        """The template section a document line falls in (by its innermost matched heading)."""
        alignment = self.alignment
        index = bisect_right(alignment.match_lines, line) - 1
        match = alignment.matches[index] if index >= 0 else None
        while match is not None and line >= match.section.end_line:
            context = match.context
            match = alignment.by_line[context.heading.line] if context else None
        return match.spec if match else None

    def spec_for(self, section: Section) -> SectionSpec | None:
        match = self.alignment.by_line.get(section.heading.line)
        return match.spec if match else None

    def expected_under(self, section: Section | None) -> list[SectionSpec]:
        """The template's sections directly under a document section (None: the top level)."""
        if section is None or section is self.alignment.title:
            return self.template.roots
        spec = self.spec_for(section)
        return spec.children if spec else []

    def missing_under(self, section: Section | None) -> list[SectionSpec]:
        """Specs still absent directly under `section`, optional ones included, template order."""
        return [s for s in self.expected_under(section) if s.order not in self.alignment.present]

    def block_for(self, spec: SectionSpec) -> list[str]:
        """The template block of `spec`, its headings shifted to the document's levels."""
        offset = self.alignment.offset
        if offset == 0:
            return list(spec.block)
        out = []
        for index, line in enumerate(spec.block):
            level = self.template.heading_levels.get(spec.line + index)
            if level is not None:
                new_level = max(1, min(6, level + offset))
                line = "#" * new_level + line.lstrip()[level:]
            out.append(line)
        return out

    def insertion_line(self, spec: SectionSpec, moving: Section | None = None) -> int:
        """Where `spec` belongs: after its previous present sibling's subtree, else before the
        next present sibling, else at the end of its parent section (or of the document)."""
        previous = self.neighbour(spec, moving, before=True)
        if previous is not None:
            return previous.end_line
        following = self.neighbour(spec, moving, before=False)
        if following is not None:
            return following.heading.line
        parent = self.alignment.first(spec.parent) if spec.parent else None
        if parent is not None:
            return parent.section.end_line
        if self.alignment.title is not None:
            return self.alignment.title.end_line
        return len(self.document.lines)

    def neighbour(self, spec: SectionSpec, moving: Section | None, before: bool) -> Section | None:
        """The nearest sibling of `spec` before it (its last section in place) or after it (its
        first), `moving` aside. Found by bisection: a template may have thousands of siblings."""
        siblings = spec.parent.children if spec.parent else self.template.roots
        indices = self._placed_siblings(spec.parent)
        if before:
            at, step = bisect_left(indices, spec.sibling_index) - 1, -1
        else:
            at, step = bisect_right(indices, spec.sibling_index), 1
        # Setting `moving` aside empties at most one sibling: the loop runs at most twice.
        while 0 <= at < len(indices):
            found = self.placed(siblings[indices[at]], moving, last=before)
            if found is not None:
                return found
            at += step
        return None

    def heading_in_place_of(self, spec: SectionSpec) -> Heading | None:
        """The one heading of the author's where absent `spec` belongs, when `spec` is the only
        absent section there: between the present siblings it would follow and precede (or its
        parent's heading, or the title, and the sibling it precedes), at their level. Likely the
        section under another name: a rename is worth offering, not claiming."""
        after = self.neighbour(spec, None, before=False)
        if after is None:
            return None  # after the last known section, the author's own sections are common
        before = self.neighbour(spec, None, before=True)
        parent = self.alignment.first(spec.parent) if spec.parent else None
        if before is not None:
            start = before.heading.line
        elif parent is not None:
            start = parent.section.heading.line
        elif spec.parent is None and self.alignment.title is not None:
            start = self.alignment.title.heading.line
        else:
            return None
        level = after.heading.level
        headings = self.document.headings  # (by line: bisected, not copied, per missing section)
        line = attrgetter("line")
        between = headings[
            bisect_right(headings, start, key=line) : bisect_left(
                headings, after.heading.line, key=line
            )
        ]
        if any(h.level < level for h in between):
            return None  # another parent in between: not the same siblings
        unknown = [
            h for h in between if h.level == level and h.line not in self.alignment.by_line
        ]
        if len(unknown) != 1:
            return None
        siblings = spec.parent.children if spec.parent else self.template.roots
        first = self.spec_for(before) if before is not None else None
        last = self.spec_for(after)
        if last is None:
            return None
        low = first.sibling_index if first is not None else -1
        for sibling in siblings[low + 1 : last.sibling_index]:  # (stops at a second absent one)
            if sibling is not spec and self.is_missing(sibling):
                return None
        return unknown[0]

    def _placed_siblings(self, parent: SectionSpec | None) -> list[int]:
        """Sibling indices, ascending, of the children of `parent` (None: the roots) that have a
        section in place."""
        if self._placed is None:
            self._placed = {}
            for order, matches in self.alignment.present.items():
                if any(match.in_place for match in matches):
                    spec = self.template.all_specs[order]
                    key = spec.parent.order if spec.parent else -1
                    self._placed.setdefault(key, []).append(spec.sibling_index)
            for indices in self._placed.values():
                indices.sort()
        return self._placed.get(parent.order if parent else -1, [])

    def placed(self, spec: SectionSpec, moving: Section | None, last: bool) -> Section | None:
        """The last (or first) section in place that matched `spec`, `moving` aside."""
        found = [
            m.section
            for m in self.alignment.present.get(spec.order, [])
            if m.in_place and m.section is not moving
        ]
        if not found:
            return None
        return found[-1] if last else found[0]

    def insert_edit(self, specs: list[SectionSpec]) -> list[TextEdit]:
        """One insertion per place, blocks in template order."""
        by_line: dict[int, list[SectionSpec]] = {}
        for spec in specs:
            by_line.setdefault(self.insertion_line(spec), []).append(spec)
        return [
            insertion(self.document, line, [self.block_for(s) for s in group])
            for line, group in sorted(by_line.items())
        ]

    def fix_all(self) -> list[TextEdit]:
        """Insert every missing section (the title too) as its template block, in place."""
        edits = self.insert_edit(self.missing)
        title_fix = next((f for f in self.findings if f.code == "missing-title"), None)
        if title_fix and title_fix.fixes:
            edits = _merge(title_fix.fixes[0][1] + edits)
        return edits


def _merge(edits: list[TextEdit]) -> list[TextEdit]:
    """Join insertions at the same point, so no two edits touch one position."""
    merged: dict[Span, str] = {}
    for edit in edits:
        merged[edit.span] = merged.get(edit.span, "") + edit.text
    return [TextEdit(span, text) for span, text in merged.items()]


def analyze(
    template: Template,
    document: Document,
    severities: Mapping[str, Severity | None] | None = None,
    extra_placeholders: Sequence[str | re.Pattern[str]] = (),
    previous: Analysis | None = None,
    changed: tuple[int, int] | None = None,
) -> Analysis:
    """All findings for `document`, sorted by position. A severity of None turns a code off.

    `previous` and `changed`: the analysis of the previous version of the same document, when
    only the lines `changed` [start, end) differ and the section tree is the same objects (an
    incremental parse's `unchanged_outside`); what the edit cannot have changed is reused.
    """
    chosen = {**DEFAULT_SEVERITY, **(severities or {})}
    options = (tuple(sorted(chosen.items())), tuple(map(_source, extra_placeholders)))
    reusable = (
        previous is not None
        and changed is not None
        and previous.parts is not None
        and previous.template is template
        and previous.document.roots is document.roots
        and previous.options == options
    )
    if reusable and previous is not None:
        analysis = Analysis(template, document, previous.alignment, options=options)
    else:
        analysis = Analysis(template, document, align(template, document), options=options)
    own = template.placeholder_pattern
    patterns = [BoundedPattern(own)] if own is not None else []
    shared = Budget()  # the config's patterns together
    for pattern in extra_placeholders:
        try:
            patterns.append(BoundedPattern(pattern, shared))
        except PatternError as error:  # the config rejects these; a direct caller may not
            log.warning("placeholder pattern %r skipped: %s", pattern, error)
    analysis.patterns = patterns

    def settle(findings: list[Finding]) -> list[Finding]:
        kept = []
        for finding in findings:
            severity = chosen[finding.code]
            if severity is None:
                continue
            if finding.within_optional and severity in _BLOCKING:
                severity = Severity.INFORMATION  # optional sections never warn
            finding.severity = severity
            kept.append(finding)
        return kept

    old_parts = previous.parts if reusable and previous is not None else None
    analysis.parts, findings = collect(analysis, settle, old_parts, changed)
    if is_stub(document):
        findings = []  # a redirect or placeholder file, not a design document
    findings.sort(key=ORDER)
    analysis.findings = findings
    return analysis


STUB_WORDS = 60


def is_stub(document: Document) -> bool:
    """A file with a few words and no heading at all ("This file was moved to ..."): there is
    nothing in it to hold the template's sections. An empty file is not a stub: it gets the
    findings (and the fixes) that start a document."""
    if document.headings:
        return False
    words = 0
    for line in document.lines[document.front_matter_end :]:
        words += len(line.split())
        if words > STUB_WORDS:
            return False
    return words > 0


def _source(pattern: str | re.Pattern[str]) -> object:
    return pattern if isinstance(pattern, str) else (pattern.pattern, pattern.flags)


def follows_template(template: Template, document: Document) -> bool:
    """Whether a document not named explicitly should get template findings."""
    if front_matter_template(document.front_matter) is not None:
        return True
    if not document.headings:
        return False
    if template.title is None or not template.title.prefix:
        # No fixed title words to recognise it by (an RFC template, or a title that is an
        # example as a whole): most of its top-level sections will do.
        return has_most_sections(template, document)
    # The first heading at any level, not `align.document_title`: a document whose title is at
    # the wrong level follows the template too (and gets missing-title for it).
    return title_key(document.headings[0].title).startswith(template.title.prefix)


def sections_present(template: Template, document: Document) -> tuple[int, int]:
    """How many of the template's required top-level sections the document has, of how many."""
    required = {spec.key for spec in template.roots if not spec.optional}
    present = {title_key(heading.title) for heading in document.headings} & required
    return len(present), len(required)


def has_most_sections(template: Template, document: Document) -> bool:
    """At least half of the template's required top-level sections (and two)."""
    present, required = sections_present(template, document)
    return present >= max(2, (required + 1) // 2)


__all__ = [
    "Analysis",
    "Match",
    "analyze",
    "follows_template",
    "has_most_sections",
    "preorder",
    "sections_present",
]
