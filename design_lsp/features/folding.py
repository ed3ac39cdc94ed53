"""Folding ranges: one per section (heading to its last non-blank line), and the front matter."""

from __future__ import annotations

from typing import TYPE_CHECKING

from lsprotocol import types

from design_lsp.features.symbols import symbol_name

if TYPE_CHECKING:
    from design_lsp.features.client_profile import ClientProfile
    from design_lsp.features.documents.doc_state import DocState


def folding_ranges(state: DocState, client: ClientProfile) -> list[types.FoldingRange]:
    lines = state.lines
    out: list[types.FoldingRange] = []
    fm_end = state.document.front_matter_end
    if fm_end >= 2:
        out.append(
            types.FoldingRange(
                start_line=0,
                end_line=min(fm_end, len(lines)) - 1,
                kind=types.FoldingRangeKind.Region,
                collapsed_text="front matter" if client.folding_collapsed_text else None,
            )
        )
    for section in state.sections:
        start = section.heading.line
        end = min(section.end_line, len(lines)) - 1
        while end > start and not lines[end].strip():
            end -= 1
        if end <= section.heading.last_line:
            continue
        out.append(
            types.FoldingRange(
                start_line=start,
                end_line=end,
                kind=types.FoldingRangeKind.Region,
                collapsed_text=symbol_name(section) if client.folding_collapsed_text else None,
            )
        )
    return out
