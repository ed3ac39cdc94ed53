"""One analysed version of one document: what every request about that version reads."""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from design_lsp.features.notes import capped
from design_lsp.features.positions import Encoder

if TYPE_CHECKING:
    from design_lsp.analysis import Analysis, Finding
    from design_lsp.document import Document, Section
    from design_lsp.template import Template


@dataclass
class DocState:
    """One version of one document, parsed once and analysed once (when it qualifies)."""

    uri: str
    version: int | None
    text: str
    document: Document
    encoder: Encoder
    template: Template | None = None  # set when the document qualifies for template checks
    base_template: Template | None = None  # the template that would apply (for scaffolding)
    analysis: Analysis | None = None
    off: frozenset[str] = frozenset()  # codes the config turned off
    limit: int = 0  # most findings shown (0: all); one more says how many were left out
    key: tuple[object, ...] = ()
    _findings: list[Finding] | None = field(default=None, repr=False)
    # results derived from this version (responses): by type (`snapshots.derived`)
    memo: dict[object, object] = field(default_factory=dict, repr=False)
    _sections: list[Section] | None = field(default=None, repr=False)
    # why it was not checked (too large, its template cannot be used, not selected), shown
    # as its one finding
    notice: Finding | None = None
    # a broken config, shown on the first line for as long as it is broken (else a user sees
    # one transient message, then quiet documents)
    config_problem: Finding | None = None
    template_in_use: Template | None = None  # set when this file is the configured template

    @property
    def lines(self) -> list[str]:
        return self.document.lines

    @property
    def findings(self) -> list[Finding]:
        if self._findings is None:
            first = [self.config_problem] if self.config_problem is not None else []
            if self.notice is not None:
                self._findings = [*first, self.notice]
            elif self.analysis is None:
                self._findings = first
            else:
                kept = [f for f in self.analysis.findings if f.code not in self.off]
                self._findings = [*first, *(capped(kept, self.limit) if self.limit else kept)]
        return self._findings

    @property
    def sections(self) -> list[Section]:
        """Every section in document order (preorder)."""
        if self._sections is None:
            out: list[Section] = []
            stack = list(reversed(self.document.roots))
            while stack:
                section = stack.pop()
                out.append(section)
                stack.extend(reversed(section.children))
            self._sections = out
        return self._sections

    def section_at(self, line: int) -> Section | None:
        """The innermost section containing `line` (its heading included)."""
        found: Section | None = None
        sections = self.document.roots
        while sections:
            # Siblings are in line order: the candidate is the last one starting at or before.
            index = bisect_right(sections, line, key=_heading_line) - 1
            if index < 0 or not sections[index].heading.line <= line < sections[index].end_line:
                break
            found = sections[index]
            sections = found.children
        return found

    def section_of_heading(self, line: int) -> Section | None:
        for candidate in (line, line - 1):  # (a setext heading's underline is line + 1)
            section = self.section_at(candidate)
            while section is not None and section.heading.line > candidate:
                section = section.parent
            if section is not None and line in (section.heading.line, section.heading.last_line):
                return section
        return None

    @property
    def is_blank(self) -> bool:
        """No text besides front matter and whitespace."""
        start = self.document.front_matter_end
        return all(not line.strip() for line in self.document.lines[start:])


def _heading_line(section: Section) -> int:
    return section.heading.line
