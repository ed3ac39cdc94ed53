"""What a rule declares: the one code it reports, and its checks, each with what it depends on.

What a check depends on is what lets the next version of a document re-run only the checks an
edit may have changed (`parts.collect`):

- `WholeDocument`: the whole document; re-run on every version, after the other checks (it may
  read their results in `analysis.parts`).
- `EachSection`: one matched section (its lines, and for a section out of place the lines just
  above where it would move); re-run for the sections an edit touches.
- `EachRepeat`: one section that repeats a template section (its heading); re-run for the
  repeats whose heading an edit touches.
- `InFacts`: the document's facts of one kind (`BRACKETS`, `LIST_ITEMS`, `PROSE`) on some lines;
  re-run on the facts of the changed lines only.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from operator import attrgetter
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from design_lsp.document import Bracket, Document, ListItem, Paragraph

if TYPE_CHECKING:
    from design_lsp.analysis.align import Match
    from design_lsp.analysis.analyze import Analysis
    from design_lsp.analysis.model import Finding
    from design_lsp.document import Section

F = TypeVar("F")


@dataclass(frozen=True, slots=True)
class FactKind(Generic[F]):
    """One kind of inline fact a check reads: the document's list of them, in line order."""

    name: str  # the `Document` attribute that lists them
    line: Callable[[F], int]  # the line a fact starts on

    def of(self, document: Document) -> Sequence[F]:
        return attrgetter(self.name)(document)  # type: ignore[no-any-return]


BRACKETS: FactKind[Bracket] = FactKind("brackets", attrgetter("span.line"))
LIST_ITEMS: FactKind[ListItem] = FactKind("list_items", attrgetter("line"))
PROSE: FactKind[Paragraph] = FactKind("prose", attrgetter("line"))  # one per line of text


@dataclass(frozen=True, slots=True)
class WholeDocument:
    run: Callable[[Analysis], list[Finding]]


@dataclass(frozen=True, slots=True)
class EachSection:
    run: Callable[[Analysis, Match], list[Finding]]


@dataclass(frozen=True, slots=True)
class EachRepeat:
    run: Callable[[Analysis, Section, Match], list[Finding]]  # the repeat, and the first


@dataclass(frozen=True, slots=True)
class InFacts(Generic[F]):
    facts: FactKind[F]
    run: Callable[[Analysis, Sequence[F]], list[Finding]]  # the facts on the lines to check


Check = WholeDocument | EachSection | EachRepeat | InFacts[Any]


@dataclass(frozen=True, slots=True)
class Rule:
    """A finding code (an entry of `codes.py`, page `docs/rules/<code>.md`) and the checks that
    report it. The output is sorted by place, then by code (`analyze.ORDER`): only findings of
    one rule at one place keep the order `parts.collect` gathers them in (the whole-document
    checks', then each section's, each repeat's, and each fact kind's, in the rule's order)."""

    code: str
    checks: tuple[Check, ...]
