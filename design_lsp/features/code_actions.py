"""Code actions from the findings' fixes, "insert all missing", and the whole template in an
empty document. Every edit only inserts text or changes a heading line or a field value."""

from __future__ import annotations

from typing import TYPE_CHECKING

from lsprotocol import types

from design_lsp.analysis.codes import REGISTRY
from design_lsp.features.blocks import file_stem, template_lines
from design_lsp.features.diagnostics import to_diagnostic

if TYPE_CHECKING:
    from design_lsp.analysis import Finding, TextEdit
    from design_lsp.document import Span
    from design_lsp.features.client_profile import ClientProfile
    from design_lsp.features.documents.doc_state import DocState

FIX_ALL_KIND = "source.fixAll.design-lsp"
INSERT_ALL_TITLE = "Insert all missing sections"
SCAFFOLD_TITLE = "Insert the design document template"


def _wanted(only: list[str] | None, kind: str) -> bool:
    if not only:
        return True
    return any(kind == o or kind.startswith(f"{o}.") for o in only)


def _touches(span: Span, start: tuple[int, int], end: tuple[int, int]) -> bool:
    return (span.line, span.col) <= end and start <= (span.end_line, span.end_col)


def workspace_edit(
    state: DocState, edits: list[TextEdit], client: ClientProfile
) -> types.WorkspaceEdit:
    lsp_edits = [
        types.TextEdit(range=state.encoder.range(edit.span), new_text=edit.text) for edit in edits
    ]
    if client.document_changes:
        return types.WorkspaceEdit(
            document_changes=[
                types.TextDocumentEdit(
                    text_document=types.OptionalVersionedTextDocumentIdentifier(
                        uri=state.uri, version=state.version
                    ),
                    edits=list(lsp_edits),
                )
            ]
        )
    return types.WorkspaceEdit(changes={state.uri: lsp_edits})


class _Context:
    """What a request is about: its range. Built once per request, then asked about each
    finding (tens of thousands in a big document)."""

    def __init__(self, state: DocState, params: types.CodeActionParams) -> None:
        span = state.encoder.to_span(params.range)
        self.start, self.end = (span.line, span.col), (span.end_line, span.end_col)

    def covers(self, finding: Finding) -> bool:
        """Whether the request's range touches `finding`. A client may send every diagnostic of
        the buffer in the context (eglot does): only the range says what the author points at."""
        return _touches(finding.span, self.start, self.end)

    def rewrites(self, edits: list[TextEdit]) -> bool:
        """Whether a fix rewrites text of the author's that the range touches: such a fix is
        offered there too ("Rename 'Observability' to ..." on that heading, for a section
        reported missing where it would be inserted)."""
        return any(
            _touches(edit.span, self.start, self.end)
            for edit in edits
            if edit.span.line != edit.span.end_line or edit.span.col != edit.span.end_col
        )


def code_actions(
    state: DocState, params: types.CodeActionParams, client: ClientProfile
) -> list[types.CodeAction | types.Command]:
    only = [str(k) for k in params.context.only] if params.context.only else None
    actions: list[types.CodeAction | types.Command] = []
    findings = state.findings
    context = _Context(state, params)
    if _wanted(only, types.CodeActionKind.QuickFix):
        quick: list[tuple[int | None, types.CodeAction]] = []
        for finding in findings:
            if not finding.fixes:
                continue
            whole = context.covers(finding)
            diagnostic = to_diagnostic(state, finding, client)
            # Which fix an editor applies by default when several are offered at one place
            # (codes.Code.fix_rank); None: no obvious default.
            entry = REGISTRY.get(finding.code)
            rank = entry.fix_rank if entry is not None else None
            for index, (title, edits) in enumerate(finding.fixes):
                if not edits or not (whole or context.rewrites(edits)):
                    continue
                action = types.CodeAction(
                    title=title,
                    kind=types.CodeActionKind.QuickFix,
                    diagnostics=[diagnostic],
                    edit=workspace_edit(state, edits, client),
                )
                quick.append((rank if index == 0 else None, action))
        actions.extend(_preferred_first(quick))
    missing = [f for f in findings if _in_insert_all(f)]
    if missing and state.analysis is not None:
        all_edits = state.analysis.fix_all()
        if all_edits:
            diagnostics = [to_diagnostic(state, f, client) for f in missing]
            if (
                len(missing) > 1
                and _wanted(only, types.CodeActionKind.QuickFix)
                and any(context.covers(f) for f in missing)
            ):
                actions.append(
                    types.CodeAction(
                        title=INSERT_ALL_TITLE,
                        kind=types.CodeActionKind.QuickFix,
                        diagnostics=diagnostics,
                        edit=workspace_edit(state, all_edits, client),
                    )
                )
            if only and _wanted(only, FIX_ALL_KIND):  # asked for by kind (on save), else a twin
                actions.append(
                    types.CodeAction(
                        title=INSERT_ALL_TITLE,
                        kind=FIX_ALL_KIND,
                        diagnostics=diagnostics,
                        edit=workspace_edit(state, all_edits, client),
                    )
                )
    scaffold = _scaffold(state, client)
    if scaffold is not None and _wanted(only, types.CodeActionKind.Source):
        actions.append(scaffold)
    return actions


def _in_insert_all(finding: Finding) -> bool:
    entry = REGISTRY.get(finding.code)
    return entry is not None and entry.insert_all


def _preferred_first(
    ranked: list[tuple[int | None, types.CodeAction]],
) -> list[types.CodeAction]:
    """The actions with the one obvious default marked `isPreferred` and listed first (an editor
    that asks which to apply offers the first preferred one as its default)."""
    best = min((rank for rank, _ in ranked if rank is not None), default=None)
    if best is None:
        return [action for _, action in ranked]
    chosen = next(action for rank, action in ranked if rank == best)
    chosen.is_preferred = True
    return [chosen, *(action for _, action in ranked if action is not chosen)]


def _scaffold(state: DocState, client: ClientProfile) -> types.CodeAction | None:
    """The whole template, in a document with nothing but (optional) front matter."""
    template = state.template or state.base_template
    if template is None or not state.is_blank:
        return None
    lines = template_lines(template, file_stem(state.uri))
    if not lines:
        return None
    from design_lsp.analysis import TextEdit
    from design_lsp.document import Span

    eol = state.document.eol
    line = state.document.front_matter_end
    if line >= len(state.lines):  # front matter without a final line ending
        last = len(state.lines) - 1
        end = len(state.lines[last])
        edit = TextEdit(Span(last, end, last, end), eol + eol.join(lines) + eol)
    else:
        edit = TextEdit(Span(line, 0, line, 0), eol.join(lines) + eol)
    return types.CodeAction(
        title=SCAFFOLD_TITLE,
        kind=types.CodeActionKind.Source,
        edit=workspace_edit(state, [edit], client),
    )
