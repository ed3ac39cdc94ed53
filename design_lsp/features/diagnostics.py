"""Findings as LSP diagnostics: pushed with the document version, or answered to a pull."""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from itertools import chain, repeat
from json.encoder import encode_basestring_ascii as _quote
from typing import TYPE_CHECKING, Any

from lsprotocol import types

from design_lsp.features import pygls_internals, wire

if TYPE_CHECKING:
    from pygls.lsp.server import LanguageServer

    from design_lsp.analysis import Finding
    from design_lsp.features.client_profile import ClientProfile
    from design_lsp.features.documents.doc_state import DocState

log = logging.getLogger(__name__)
PUBLISH = "textDocument/publishDiagnostics"

SOURCE = "design-lsp"
# Each finding code has a page of its own in the repository (codes.page).
REPOSITORY_URL = "https://github.com/design-lsp/design-lsp/blob/main"

_SEVERITY = {
    "error": types.DiagnosticSeverity.Error,
    "warning": types.DiagnosticSeverity.Warning,
    "information": types.DiagnosticSeverity.Information,
    "hint": types.DiagnosticSeverity.Hint,
}


def code_url(code: str) -> str:
    """The web page that explains `code` (the diagnostic's `codeDescription`)."""
    # (imported here: the analysis package imports the parser, which `initialize` must not
    # wait for; this runs on the worker, after an analysis)
    from design_lsp.analysis.codes import page

    return f"{REPOSITORY_URL}/{page(code)}"


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
    return result_id_of(state.key)


def result_id_of(key: tuple[object, ...]) -> str:
    """The result id of a state with cache key `key`: equal ids, equal findings."""
    return ":".join(str(part) for part in key)


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


# ---- push and pull, serialised once --------------------------------------------------------
# A big document has thousands of findings: lsprotocol objects unstructured through cattrs cost
# about five times what plain dicts cost, and formatting the JSON directly half that again.


_SEVERITY_NUMBER = {name: value.value for name, value in _SEVERITY.items()}
_CODE_DESCRIPTIONS: dict[str, dict[str, str]] = {}  # shared by every diagnostic of a code


def diagnostic_dict(state: DocState, finding: Finding, client: ClientProfile) -> dict[str, Any]:
    """`to_diagnostic(...)` as the JSON the client receives (None-valued fields left out): the
    readable form of what `diagnostic_json` writes (tests hold the two equal)."""
    severity = getattr(finding.severity, "value", finding.severity)
    out: dict[str, Any] = {
        "range": state.encoder.range_dict(finding.span),
        "message": finding.message,
        "severity": _SEVERITY_NUMBER.get(str(severity), 2),
        "code": finding.code,
    }
    if client.code_description:
        description = _CODE_DESCRIPTIONS.get(finding.code)
        if description is None:
            description = _CODE_DESCRIPTIONS[finding.code] = {"href": code_url(finding.code)}
        out["codeDescription"] = description
    out["source"] = SOURCE
    out["data"] = finding.data  # only serialised, never changed
    return out


class WireCache:
    """The JSON of each diagnostic in a document's last push, by finding.

    An edit inside a paragraph leaves most findings the same objects, on unchanged lines
    (`design_lsp.analysis.parts`), so their JSON is the same too: only new findings are
    serialised. The cache keeps its findings alive, so no `id` in it can name a new object.
    """

    def __init__(self) -> None:
        self.key: tuple[object, ...] = ()
        self.findings: list[Finding] = []
        self.texts: dict[int, bytes] = {}  # id(finding) -> its diagnostic as JSON


_ENCODE = json.JSONEncoder(separators=(",", ":"), check_circular=False).encode


def diagnostic_json(state: DocState, finding: Finding, client: ClientProfile) -> bytes:
    """`diagnostic_dict(...)` as compact JSON, formatted directly: a big document opens with
    thousands of findings, and this is about three times as fast as building and encoding
    dicts. What depends only on the code and severity is formatted once."""
    line, col, end_line, end_col = state.encoder.points(finding.span)
    key = (finding.code, finding.severity, client.code_description)
    middle = _MIDDLES.get(key)
    if middle is None:
        middle = _MIDDLES[key] = _middle(finding, client)
    return (
        f'{{"range":{{"start":{{"line":{line},"character":{col}}},'
        f'"end":{{"line":{end_line},"character":{end_col}}}}},'
        f'"message":{_quote(finding.message)}{middle}{_ENCODE(finding.data)}}}'
    ).encode()


_MIDDLES: dict[tuple[str, object, bool], str] = {}


def _middle(finding: Finding, client: ClientProfile) -> str:
    """The members between `message` and `data`'s value, in `diagnostic_dict`'s order."""
    severity = _SEVERITY_NUMBER.get(str(getattr(finding.severity, "value", finding.severity)), 2)
    description = (
        f',"codeDescription":{{"href":{_quote(code_url(finding.code))}}}'
        if client.code_description
        else ""
    )
    return (
        f',"severity":{severity},"code":{_quote(finding.code)}{description},'
        f'"source":"{SOURCE}","data":'
    )


# The JSON made once per version, cached on the version by type (as `snapshots.derived` does),
# with the one client flag that shapes it.
@dataclass(frozen=True, slots=True)
class _Fragments:
    described: bool  # with codeDescription
    texts: list[bytes]


@dataclass(frozen=True, slots=True)
class _PublishBody:
    described: bool
    data: bytes


@dataclass(frozen=True, slots=True)
class _Report:
    described: bool
    data: bytes


def _fragments(state: DocState, client: ClientProfile, cache: WireCache | None) -> list[bytes]:
    """Each finding's diagnostic as JSON, once per version; with `cache` (only ever passed by
    the analysis worker), the text of findings the edit left alone is reused."""
    memo = state.memo.get(_Fragments)
    if isinstance(memo, _Fragments) and memo.described == client.code_description:
        return memo.texts
    key = (client.code_description, state.encoder.encoding)
    known = cache.texts if cache is not None and cache.key == key else {}
    findings = state.findings
    get = known.get
    texts = [
        get(id(finding)) or diagnostic_json(state, finding, client) for finding in findings
    ]
    if cache is not None:
        cache.key, cache.findings = key, findings
        cache.texts = dict(zip(map(id, findings), texts, strict=True))
    state.memo[_Fragments] = _Fragments(client.code_description, texts)
    return texts


def _framed(head: str, texts: list[bytes], tail: str) -> bytes:
    """`head` + the texts as a JSON array's members + `tail`, in one join (joining the
    members first would copy megabytes twice)."""
    parts = [head.encode(), *chain.from_iterable(zip(repeat(b","), texts)), tail.encode()]
    if texts:
        parts[1] = b""  # no comma before the first member
    return b"".join(parts)


def publish_body(
    state: DocState, client: ClientProfile, cache: WireCache | None = None
) -> bytes:
    """The whole publishDiagnostics message as (ASCII) JSON, serialised once per version by
    the analysis worker, so the event loop only writes it."""
    cached = state.memo.get(_PublishBody)
    if isinstance(cached, _PublishBody) and cached.described == client.code_description:
        return cached.data
    version = "" if state.version is None else f',"version":{state.version}'
    body = _framed(
        f'{{"method":"{PUBLISH}","params":{{"uri":{_ENCODE(state.uri)},"diagnostics":[',
        _fragments(state, client, cache),
        f']{version}}},"jsonrpc":"2.0"}}',
    )
    state.memo[_PublishBody] = _PublishBody(client.code_description, body)
    return body


def report_json(
    state: DocState, client: ClientProfile, cache: WireCache | None = None
) -> bytes:
    """The full document diagnostic report (the answer to a pull) as JSON, once per version."""
    cached = state.memo.get(_Report)
    if isinstance(cached, _Report) and cached.described == client.code_description:
        return cached.data
    head = f'{{"kind":"full","resultId":{_quote(result_id(state))},"items":['
    report = _framed(head, _fragments(state, client, cache), "]}")
    state.memo[_Report] = _Report(client.code_description, report)
    return report


def pull_response(
    ls: LanguageServer, state: DocState | None, client: ClientProfile, previous: str | None
) -> types.DocumentDiagnosticReport | wire.JsonText:
    """The answer to textDocument/diagnostic: unchanged since `previous`, or the full report,
    serialised once and written as it is (see `wire`)."""
    if state is None or (previous is not None and previous == result_id(state)):
        return document_report(state, client, previous)
    return wire.result(ls, report_json(state, client))  # type: ignore[no-any-return]


def push(ls: LanguageServer, state: DocState, client: ClientProfile) -> None:
    """Send publishDiagnostics for `state`: pre-serialised JSON written as pygls frames it
    (cattrs and the event loop's share of the serialising skipped)."""
    protocol: Any = ls.protocol
    if not pygls_internals.can_frame(protocol):
        ls.text_document_publish_diagnostics(publish_params(state, client))  # the typed way
        return
    try:
        wire.write(protocol, publish_body(state, client))
    except Exception:
        log.exception("could not send diagnostics for %s", state.uri)
