"""Every finding code, declared once: its default severity, what it means (SARIF's rule
metadata, the docs table), how the analysis and the editor features treat it, and its page.

A new code is one entry here, its rule module `rules/<code>.py` (dashes as underscores; listed
in `rules.RULES`, which `parts.collect` runs) and its page `docs/rules/<code>.md`; config
validation, SARIF, severities, code actions, hover and the output order all read this table.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"
    INFORMATION = "information"
    HINT = "hint"


@dataclass(frozen=True, slots=True)
class Code:
    code: str
    severity: Severity  # the default; a config may change it unless the code is a note
    summary: str  # one line (SARIF's shortDescription)
    description: str  # a few sentences (SARIF's fullDescription and help)
    # Where its findings come among those that start at the same place (lower first). Part of
    # the output order's key, so that order never depends on the order the rules run in.
    rank: int
    # A finding about a section: one inside an optional section is information at most.
    section: bool = False
    # Code actions: of several fixes at one place, the lowest rank is the editor's default;
    # None: its fix is never the default (a move: the author decides where a section goes).
    fix_rank: int | None = None
    insert_all: bool = False  # its fix is part of "Insert all missing sections"
    leftover: bool = False  # text left from the template: hover says what to put instead
    # About the check itself, made by the editor's document store, not by a template rule: its
    # severity is fixed and a config cannot name it.
    note: bool = False

    @property
    def page(self) -> str:
        return page(self.code)


def page(code: str) -> str:
    """The page that explains `code`, relative to the repository's top."""
    return f"docs/rules/{code}.md"


def _note(code: str, severity: Severity, summary: str, description: str) -> Code:
    """A note about the check itself: never sorted among a check's findings, fixed severity."""
    return Code(code, severity, summary, description, rank=-1, note=True)


_ALL = (
    Code(
        "missing-title",
        Severity.ERROR,
        "Document has no title",
        "The document has no title following the template's title pattern.",
        rank=0,
        fix_rank=3,
        insert_all=True,
    ),
    Code(
        "missing-section",
        Severity.ERROR,
        "Required section missing",
        "A required section of the template is absent. `design-lsp check --fix` inserts it, "
        "with its subsections, where the template puts it.",
        rank=1,
        fix_rank=3,
        insert_all=True,
    ),
    Code(
        "section-order",
        Severity.WARNING,
        "Section out of order",
        "A section appears somewhere other than where the template puts it.",
        rank=6,
        section=True,
    ),
    Code(
        "heading-level",
        Severity.WARNING,
        "Section at the wrong heading level",
        "A template section is present at the wrong heading level.",
        rank=5,
        section=True,
        fix_rank=2,
    ),
    Code(
        "misspelled-section",
        Severity.WARNING,
        "Section title misspelled",
        "A heading is a near miss of a template section's title.",
        rank=3,
        section=True,
        fix_rank=0,  # the correction of what the author wrote before an insertion next to it
    ),
    Code(
        "renamed-section",
        Severity.WARNING,
        "Section under another name",
        "A heading the template does not know stands for an absent template section under "
        "another name (an older template's, or the team's own).",
        rank=4,
        section=True,
        fix_rank=0,
    ),
    Code(
        "duplicate-section",
        Severity.WARNING,
        "Section appears twice",
        "The same template section appears twice under the same parent.",
        rank=8,
        section=True,
    ),
    Code(
        "empty-section",
        Severity.WARNING,
        "Empty section",
        "A section has a heading and nothing under it.",
        rank=7,
        section=True,
    ),
    Code(
        "placeholder",
        Severity.WARNING,
        "Placeholder left in",
        "A template placeholder or example item was left in.",
        rank=9,
        leftover=True,
    ),
    Code(
        "template-text",
        Severity.WARNING,
        "Template guidance left in",
        "The template's guidance text was left in unchanged.",
        rank=10,
        leftover=True,
    ),
    Code(
        "invalid-field",
        Severity.ERROR,
        "Field value not allowed",
        "A field's value is not one of the template's choices.",
        rank=12,
        fix_rank=1,  # (its fixes come nearest value first)
    ),
    Code(
        "missing-field",
        Severity.WARNING,
        "Field missing",
        "A field the template asks for is absent.",
        rank=11,
    ),
    Code(
        "emphasis-as-heading",
        Severity.HINT,
        "Section written as bold text",
        "A required section is written as a bold line or bold list item instead of a heading.",
        rank=2,
    ),
    # Notes about the check itself (features/notes.py makes them).
    _note(
        "template-error",
        Severity.ERROR,
        "Template cannot be used",
        "The template named in the document's front matter cannot be used.",
    ),
    _note(
        "config-error",
        Severity.ERROR,
        "Config is broken",
        "The config that governs the document is broken: the document is not checked until "
        "it loads.",
    ),
    _note(
        "document-too-large",
        Severity.WARNING,
        "Document too large to check",
        "The document is over the size an editor checks.",
    ),
    _note(
        "too-many-findings",
        Severity.INFORMATION,
        "Too many findings to show",
        "The document has more findings than the editor is set to show: the most severe are "
        "shown.",
    ),
    _note(
        "not-checked",
        Severity.INFORMATION,
        "Document not checked",
        "A file that looks like a design document is not checked against the template, and "
        "why.",
    ),
)

REGISTRY: dict[str, Code] = {entry.code: entry for entry in _ALL}
# The codes a template check reports, which a config may set: in the registry's order.
CODES: tuple[str, ...] = tuple(entry.code for entry in _ALL if not entry.note)
NOTES: tuple[str, ...] = tuple(entry.code for entry in _ALL if entry.note)
DEFAULT_SEVERITY: dict[str, Severity] = {entry.code: entry.severity for entry in _ALL}
_RANK = {entry.code: entry.rank for entry in _ALL}


def rank(code: str) -> int:
    """`Code.rank` (an unknown code after every known one)."""
    return _RANK.get(code, len(_RANK))
