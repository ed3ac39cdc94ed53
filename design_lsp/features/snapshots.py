"""What a handler asks for when it wants a document: its freshness, declared (`Fresh`), and the
results derived from one analysed version, cached on that version by their type (`derived`).

A `DocState` (features/documents/doc_state.py) is one analysed version of one document:
handlers read it and never change it, apart from the derived results cached here.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:
    from design_lsp.features.documents.doc_state import DocState

T = TypeVar("T")


class Fresh(enum.Enum):
    """How fresh a handler needs a document's snapshot."""

    # The newest version analysed so far, at once: while the worker analyses an edit, the
    # previous version (hover, which must answer while the user types). Waits only when
    # nothing was analysed yet.
    NEWEST_ANALYSED = "newest analysed"
    # The version the client had when it sent the request, or a newer one (completion, code
    # actions, folding, the outline, diagnostics): waits for the worker, never blocking the loop.
    CURRENT = "current"


def derived(state: DocState, kind: type[T], build: Callable[[DocState], T]) -> T:
    """`build(state)`, once per version: cached on the version under the result's type."""
    found = state.memo.get(kind)
    if isinstance(found, kind):
        return found
    made = build(state)
    state.memo[kind] = made
    return made
