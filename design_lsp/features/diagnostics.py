"""Findings as LSP diagnostics: pushed with the document version, or answered to a pull."""

from __future__ import annotations

from typing import TYPE_CHECKING

from lsprotocol import types

if TYPE_CHECKING:
    from design_lsp.analysis import Finding
    from design_lsp.features.state import ClientProfile, DocState

SOURCE = "design-lsp"
# Each finding code has an entry (a heading anchor) in the README.
README_URL = "https://github.com/design-lsp/design-lsp/blob/main/README.md"

_SEVERITY = {
    "error": types.DiagnosticSeverity.Error,
    "warning": types.DiagnosticSeverity.Warning,
    "information": types.DiagnosticSeverity.Information,
    "hint": types.DiagnosticSeverity.Hint,
}


def code_url(code: str) -> str:
    return f"{README_URL}#{code}"


def to_diagnostic(state: DocState, finding: Finding, client: ClientProfile) -> types.Diagnostic:
    severity = getattr(finding.severity, "value", finding.severity)
    return types.Diagnostic(
        range=state.encoder.range(finding.span),
        message=finding.message,
        severity=_SEVERITY.get(str(severity), types.DiagnosticSeverity.Warning),
        code=finding.code,
        code_description=(
            types.CodeDescription(href=code_url(finding.code)) if client.code_description else None
        ),
        source=SOURCE,
        data=dict(finding.data),
    )


def diagnostics(state: DocState, client: ClientProfile) -> list[types.Diagnostic]:
    return [to_diagnostic(state, finding, client) for finding in state.findings]


def result_id(state: DocState) -> str:
    return ":".join(str(part) for part in state.key)


def document_report(
    state: DocState | None, client: ClientProfile, previous: str | None
) -> types.DocumentDiagnosticReport:
    if state is None:
        return types.RelatedFullDocumentDiagnosticReport(items=[])
    rid = result_id(state)
    if previous is not None and previous == rid:
        return types.RelatedUnchangedDocumentDiagnosticReport(result_id=rid)
    return types.RelatedFullDocumentDiagnosticReport(
        items=diagnostics(state, client), result_id=rid
    )


def workspace_item(
    state: DocState, client: ClientProfile, previous: str | None
) -> types.WorkspaceDocumentDiagnosticReport:
    rid = result_id(state)
    if previous is not None and previous == rid:
        return types.WorkspaceUnchangedDocumentDiagnosticReport(
            uri=state.uri, version=state.version, result_id=rid
        )
    return types.WorkspaceFullDocumentDiagnosticReport(
        uri=state.uri, version=state.version, items=diagnostics(state, client), result_id=rid
    )


def publish_params(state: DocState, client: ClientProfile) -> types.PublishDiagnosticsParams:
    return types.PublishDiagnosticsParams(
        uri=state.uri, diagnostics=diagnostics(state, client), version=state.version
    )
