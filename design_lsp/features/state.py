"""Per-document state: parse and analysis computed once per revision of the text, for every request.

Also holds the digest of the client's capabilities (`ClientProfile`) that every feature consults,
and the fix for pygls's line splitting (it uses `str.splitlines`, which breaks on form feeds and
other characters that are not LSP line breaks and would shift every later line of an edit).
"""

from __future__ import annotations

import logging
import os
import re
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import chain, count
from pathlib import Path
from typing import TYPE_CHECKING, Any

from lsprotocol import types
from pygls.uris import from_fs_path, to_fs_path
from pygls.workspace import TextDocument, Workspace

from design_lsp.features.positions import Encoder, normalize_encoding
from design_lsp.limits import MAX_DOCUMENT_BYTES

if TYPE_CHECKING:
    from design_lsp.analysis import Analysis, Finding
    from design_lsp.document import Document, Section
    from design_lsp.document.parse import Parsed
    from design_lsp.features.settings import SettingsManager
    from design_lsp.template import Template

log = logging.getLogger(__name__)

# LSP lines with their endings: \r\n, \r or \n only (never \f, \v, \x1c-\x1e, \x85, U+2028/9).
_LSP_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+\Z")
_EOL_SPLIT = re.compile(r"(\r\n|\r|\n)")


# The server's own change counter, shared by every document: a document gets a new revision when
# it is opened and on each change applied, so cached state never depends on the client's version
# number alone (a client may send the same version twice, or restart at 1 after a reopen).
_REVISIONS = count(1)


def _split(text: str) -> tuple[list[str], list[str]]:
    """LSP lines without their endings (a trailing ending yields a final empty line, as
    `design_lsp.text.split_lines`) and each line's ending ("" for the last)."""
    if "\r" not in text:  # the usual case, about five times faster than the regex
        bare = text.split("\n")
        return bare, [*(["\n"] * (len(bare) - 1)), ""]
    parts = _EOL_SPLIT.split(text)
    return parts[0::2], [*parts[1::2], ""]


class LspTextDocument(TextDocument):
    """A pygls document whose lines follow LSP line breaks, kept as a line store.

    An incremental change re-splits only the lines it touches (plus the line before, so a
    `\r` + `\n` pair that an edit joins is seen) and splices them in: new lists each time, so
    a snapshot taken for a version (`snapshot()`) stays valid while later edits arrive. The
    text is joined only when someone asks for `source`.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._bare: list[str] | None = None
        self._eols: list[str] | None = None
        # One entry per change applied: (start, old end, new end) lines, None for a whole-text
        # change; entries before `log_base` were trimmed.
        self.change_log: list[tuple[int, int, int] | None] = []
        self.log_base = 0
        self.revision = next(_REVISIONS)

    @property
    def edits(self) -> int:
        """How many changes were applied so far."""
        return self.log_base + len(self.change_log)

    def _log(self, change: tuple[int, int, int] | None) -> None:
        self.revision = next(_REVISIONS)
        self.change_log.append(change)
        if len(self.change_log) > 4096:
            del self.change_log[:2048]
            self.log_base += 2048

    def changes_between(self, since: int, until: int) -> tuple[int, int, int] | None:
        """The lines changes `since`..`until` touched, as one (start, old end, new end) in
        the lines of version `until`; None when unknown (a whole-text change, a trimmed log)."""
        if since < self.log_base or since >= until or until > self.edits:
            return None
        merged: tuple[int, int, int] | None = None
        for change in self.change_log[since - self.log_base : until - self.log_base]:
            if change is None:
                return None
            merged = change if merged is None else merge_changes(merged, change)
        return merged

    def _store(self) -> tuple[list[str], list[str]]:
        if self._bare is None or self._eols is None:
            self._bare, self._eols = _split(super().source)
        return self._bare, self._eols

    @property
    def source(self) -> str:
        bare, eols = self._bare, self._eols
        if self._source is None and bare is not None and eols is not None:
            eol = eols[0]
            if eols.count(eol) == len(eols) - 1:  # one line ending throughout: a faster join
                self._source = eol.join(bare)
            else:
                self._source = "".join(chain.from_iterable(zip(bare, eols, strict=True)))
        return super().source

    @property
    def lines(self) -> Sequence[str]:
        bare, eols = self._store()
        out = [b + e for b, e in zip(bare, eols, strict=True)]
        if out and out[-1] == "":
            out.pop()  # pygls's lines have no final empty line
        return out

    def snapshot(self) -> Snapshot:
        """Text, lines without endings and change count of this version."""
        if too_large(self.source):  # it is not analysed: not split into lines either
            return Snapshot(self.source, None, self, self.edits)
        bare, _ = self._store()
        return Snapshot(self.source, bare, self, self.edits)

    def _apply_full_change(self, change: types.TextDocumentContentChangeEvent) -> None:
        super()._apply_full_change(change)
        self._bare = self._eols = None
        self._log(None)

    def _apply_incremental_change(self, change: types.TextDocumentContentChangePartial) -> None:
        from design_lsp.text import edit_columns

        bare, eols = self._store()
        encoding = normalize_encoding(self._position_codec.encoding)
        last = len(bare) - 1

        def point(position: types.Position) -> tuple[int, int]:
            """(line, client column), clamped to the document."""
            if position.line > last:
                return last, 1 << 62
            return max(position.line, 0), max(position.character, 0)

        (start, start_units), (end, end_units) = point(change.range.start), point(change.range.end)
        start_col, end_col = edit_columns(
            bare[start],
            start_units,
            bare[end],
            end_units,
            (start, start_units) == (end, end_units),
            encoding,
        )
        if (end, end_col) < (start, start_col):
            end, end_col = start, start_col
        first = start - 1 if start > 0 and eols[start - 1] == "\r" else start
        head = "".join([b + e for b, e in zip(bare[first:start], eols[first:start], strict=True)])
        segment = head + bare[start][:start_col] + change.text + bare[end][end_col:] + eols[end]
        new_bare, new_eols = _split(segment)
        if eols[end]:  # the segment ended with a line ending: no partial line after it
            new_bare.pop()
            new_eols.pop()
        else:
            new_eols[-1] = ""
        self._bare = bare[:first] + new_bare + bare[end + 1 :]
        self._eols = eols[:first] + new_eols + eols[end + 1 :]
        self._source = None
        self._log((first, end + 1, first + len(new_bare)))


def merge_changes(
    first: tuple[int, int, int], then: tuple[int, int, int]
) -> tuple[int, int, int]:
    """One change covering `first` followed by `then` (each (start, old end, new end))."""
    s1, oe1, ne1 = first
    s2, oe2, ne2 = then
    if ne1 <= s2:
        e1 = ne1
    elif ne1 >= oe2:
        e1 = ne1 + ne2 - oe2
    else:
        e1 = ne2
    start, end = min(s1, s2), max(e1, ne2)
    return start, end - (ne1 - oe1) - (ne2 - oe2), end


@dataclass(frozen=True)
class Snapshot:
    """One version of an open document, as the parser takes it."""

    text: str
    lines: list[str] | None  # None: split from `text`
    source: object = None  # the LspTextDocument it came from (parses are reused within it)
    edits: int = 0


class LspWorkspace(Workspace):
    def _create_text_document(
        self,
        doc_uri: str,
        source: str | None = None,
        version: int | None = None,
        language_id: str | None = None,
    ) -> TextDocument:
        return LspTextDocument(
            doc_uri,
            source=source,
            version=version,
            language_id=language_id,
            sync_kind=self._sync_kind,
            position_codec=self._position_codec,
        )


def install_lsp_lines(workspace: Workspace) -> None:
    """Make `workspace` create documents that split lines by LSP rules (see `pygls_internals`:
    the `_apply_*` hooks `LspTextDocument` overrides, and the class swap)."""
    from design_lsp.features.pygls_internals import swap_workspace_class

    swap_workspace_class(workspace, LspWorkspace)


def _get(obj: Any, path: str, default: Any = None) -> Any:
    for name in path.split("."):
        obj = getattr(obj, name, None)
        if obj is None:
            return default
    return obj


@dataclass(frozen=True)
class ClientProfile:
    """What the client declared, reduced to the questions the features ask."""

    encoding: str = "utf-16"
    pull_diagnostics: bool = False
    diagnostic_refresh: bool = False
    code_description: bool = True
    snippets: bool = False
    completion_markdown: bool = False
    hover_markdown: bool = False
    hierarchical_symbols: bool = False
    document_changes: bool = False
    code_action_literals: bool = False
    work_done_progress: bool = False
    configuration: bool = False
    config_dynamic: bool = False
    watch_dynamic: bool = False
    watch_relative: bool = False
    line_folding_only: bool = False
    folding_collapsed_text: bool = False
    label_details: bool = False

    @classmethod
    def from_capabilities(cls, caps: types.ClientCapabilities, encoding: object) -> ClientProfile:
        td = caps.text_document
        ws = caps.workspace
        completion_formats = _get(td, "completion.completion_item.documentation_format", []) or []
        hover_formats = _get(td, "hover.content_format", []) or []
        return cls(
            encoding=normalize_encoding(encoding),
            pull_diagnostics=_get(td, "diagnostic") is not None,
            diagnostic_refresh=bool(_get(ws, "diagnostics.refresh_support", False)),
            code_description=bool(
                _get(td, "publish_diagnostics.code_description_support", False)
                or _get(td, "diagnostic") is not None
            ),
            snippets=bool(_get(td, "completion.completion_item.snippet_support", False)),
            completion_markdown=types.MarkupKind.Markdown in completion_formats,
            hover_markdown=types.MarkupKind.Markdown in hover_formats,
            hierarchical_symbols=bool(
                _get(td, "document_symbol.hierarchical_document_symbol_support", False)
            ),
            document_changes=bool(_get(ws, "workspace_edit.document_changes", False)),
            code_action_literals=_get(td, "code_action.code_action_literal_support") is not None,
            work_done_progress=bool(_get(caps, "window.work_done_progress", False)),
            configuration=bool(_get(ws, "configuration", False)),
            config_dynamic=bool(_get(ws, "did_change_configuration.dynamic_registration", False)),
            watch_dynamic=bool(_get(ws, "did_change_watched_files.dynamic_registration", False)),
            watch_relative=bool(
                _get(ws, "did_change_watched_files.relative_pattern_support", False)
            ),
            line_folding_only=bool(_get(td, "folding_range.line_folding_only", False)),
            folding_collapsed_text=bool(
                _get(td, "folding_range.folding_range.collapsed_text", False)
            ),
            label_details=bool(_get(td, "completion.completion_item.label_details_support", False)),
        )


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


def too_large(text: str) -> bool:
    """More than `MAX_DOCUMENT_BYTES` in UTF-8 (encoded only when the length cannot tell)."""
    if len(text) > MAX_DOCUMENT_BYTES:
        return True
    if len(text) * 4 <= MAX_DOCUMENT_BYTES:
        return False
    return len(text.encode("utf-8", "surrogatepass")) > MAX_DOCUMENT_BYTES


def refusal_message(text: str) -> str:
    size = len(text.encode("utf-8", "surrogatepass")) / (1024 * 1024)
    limit = MAX_DOCUMENT_BYTES // (1024 * 1024)
    return (
        f"design-lsp does not check this document: it is {size:.0f} MB, over the {limit} MB "
        f"limit for one document. Split it into smaller documents to have it checked."
    )


def _refusal(message: str) -> Finding:
    from design_lsp.analysis.model import Finding, Severity
    from design_lsp.document.model import Span

    return Finding("document-too-large", Severity.WARNING, message, Span(0, 0, 0, 0), None)


def capped(findings: list[Finding], limit: int) -> list[Finding]:
    """At most `limit` findings, the most severe first chosen, in document order, and one more
    on the first line saying how many are left out (an editor freezes on thousands)."""
    if len(findings) <= limit:
        return findings
    from design_lsp.analysis.model import Finding, Severity
    from design_lsp.document.model import Span

    rank = {severity: n for n, severity in enumerate(Severity)}  # (declared most severe first)
    order = sorted(range(len(findings)), key=lambda i: (rank[findings[i].severity], i))
    kept = [findings[i] for i in sorted(order[:limit])]
    left = len(findings) - limit
    message = (
        f"{len(findings):,} findings: the {limit:,} most severe are shown, {left:,} more are "
        "not (the max-diagnostics setting); `design-lsp check` lists them all"
    )
    return [Finding("too-many-findings", Severity.INFORMATION, message, Span(0, 0, 0, 0), None),
            *kept]


def not_selected(template: Template, document: Document) -> Finding | None:
    """For a file that is not checked but has most of the template's sections: one note on its
    first heading saying why, and how to opt in (otherwise it would be ignored without a word)."""
    from design_lsp.analysis.analyze import has_most_sections, sections_present
    from design_lsp.analysis.model import Finding, Severity
    from design_lsp.document.model import Span

    if not document.headings or not has_most_sections(template, document):
        return None
    present, required = sections_present(template, document)
    heading = document.headings[0]
    title = template.title
    why = "it is not selected"
    if title is not None and title.prefix:
        fixed = title.text.split(title.placeholder)[0].strip() if title.placeholder else title.text
        why = f"its first heading does not start with '{fixed}'"
    message = (
        f"Not checked against the template, though it has {present} of its {required} required "
        f"sections: {why}. To check it, start the title that way, list it in `include` in "
        "the config, or name the template in front matter (`template: ...`)."
    )
    line = heading.line
    return Finding("not-checked", Severity.INFORMATION, message,
                   Span(line, 0, line, len(document.lines[line])), None)


def config_error(document: Document, message: str) -> Finding:
    """The finding of an open document while the config that governs it is broken: on its
    first line, where it is seen whatever the document holds."""
    from design_lsp.analysis.model import Finding, Severity
    from design_lsp.document.model import Span

    end = len(document.lines[0]) if document.lines else 0
    return Finding("config-error", Severity.ERROR, message, Span(0, 0, 0, end), None)


def template_error(document: Document, message: str) -> Finding:
    """The one finding of a document whose front matter names a template that cannot be used,
    on its `template:` line: checking it against another template would only mislead."""
    from design_lsp.analysis.model import Finding, Severity
    from design_lsp.document.model import Span

    key = next(
        (f for f in document.fields if f.name == "template" and f.line < document.front_matter_end),
        None,
    )
    line = key.line if key is not None else 0
    span = Span(line, 0, line, len(document.lines[line]) if document.lines else 0)
    return Finding("template-error", Severity.ERROR, message, span, None)


def _heading_line(section: Section) -> int:
    return section.heading.line


def uri_to_path(uri: str) -> str | None:
    try:
        return to_fs_path(uri) if uri.startswith("file:") else None
    except Exception:  # noqa: BLE001 - odd URIs are simply not files
        return None


def path_to_uri(path: str) -> str:
    return from_fs_path(path) or Path(path).as_uri()


def _release(state: DocState) -> None:
    """Cut the parent links of a replaced version's section tree, so that reference counting
    frees it at once: the collector, tuned to run rarely, would keep it (and what hangs off it)
    for many more edits. Nothing reads a replaced version's tree afterwards: requests get the
    cached (newer) state, and the incremental parser reuses only lines, scan and facts."""
    for section in state.sections:
        section.parent = None


class DocumentStore:
    """Parsed and analysed documents, cached by (uri, revision, config generation)."""

    def __init__(self, settings: SettingsManager) -> None:
        self.settings = settings
        self.client = ClientProfile()
        self._cache: dict[str, DocState] = {}
        self._parsed: dict[str, tuple[object, int, Parsed]] = {}  # uri -> (doc, edits, parse)
        # uri -> the analysis of the parse in `_parsed`, which the next version's analysis reuses
        self._analysed: dict[str, Analysis] = {}

    def forget(self, uri: str) -> None:
        self._cache.pop(uri, None)
        self._parsed.pop(uri, None)
        self._analysed.pop(uri, None)

    def clear(self) -> None:
        self._cache.clear()

    def get(self, workspace: Workspace, uri: str) -> DocState | None:
        """The state of an open document (None when it is not open)."""
        doc = workspace.text_documents.get(uri) or workspace.text_documents.get(_unquote(uri))
        if doc is None:
            return None
        key = self.key_of(doc)
        cached = self._cache.get(uri)
        if cached is not None and cached.key == key:
            return cached
        state = self.build(uri, snapshot(doc), doc.version, key)
        self.put(uri, state)
        return state

    def key_of(self, doc: TextDocument) -> tuple[object, ...]:
        """What a cached state must match to answer for `doc` now: the server's revision of
        the text (the client's version alone can repeat), and the configuration generation."""
        revision = getattr(doc, "revision", None) or id(doc)
        return ("open", doc.version, revision, self.settings.generation)

    def cached(self, uri: str) -> DocState | None:
        """The newest state built for `uri`, whatever its version (None if none)."""
        return self._cache.get(uri)

    def put(self, uri: str, state: DocState) -> None:
        old = self._cache.get(uri)
        self._cache[uri] = state
        if old is not None and old.document.roots is not state.document.roots:
            _release(old)

    def disk_key(self, uri: str) -> tuple[object, ...] | None:
        """What a closed file's state depends on: its mtime, size and the configuration."""
        path = uri_to_path(uri)
        if path is None:
            return None
        try:
            info = os.stat(path)
        except OSError:
            return None
        return ("disk", info.st_mtime_ns, info.st_size, self.settings.generation)

    def read(self, uri: str) -> DocState | None:
        """A closed file's state, read from disk and not kept: the workspace may hold
        thousands. Safe on any thread (it leaves the open documents' caches alone)."""
        from design_lsp.features.event_loop import check_off_loop

        check_off_loop("a parse")
        from design_lsp.document.parse import parse_document

        path = uri_to_path(uri)
        key = self.disk_key(uri)
        text = None if path is None or key is None else read_text(path)
        if text is None or key is None:
            return None
        return self._checked(uri, None, text, parse_document(text), key, None)

    def build(
        self, uri: str, snap: Snapshot | str, version: int | None, key: tuple[object, ...]
    ) -> DocState:
        """Parse and analyse one version (`snap` may be plain text); safe to call from a
        worker thread (mistletoe is serialized by `design_lsp.document.mdparse.LOCK`)."""
        from design_lsp.features.event_loop import check_off_loop

        check_off_loop("a parse")
        if isinstance(snap, str):
            snap = Snapshot(snap, None)
        if too_large(snap.text):
            return self._refused(uri, snap.text, version, key)
        previous = self._analysed.pop(uri, None)
        entry = self._parsed.get(uri)
        if previous is not None and (entry is None or entry[2].document is not previous.document):
            previous = None  # parsed again since without an analysis: not the parse's base
        state = self._checked(uri, version, snap.text, self.parse(uri, snap), key, previous)
        problem = self.settings.problem_for(uri_to_path(uri))  # (open documents only)
        if problem is not None:
            state.config_problem = config_error(state.document, problem)
        if state.analysis is not None and uri in self._parsed:
            self._analysed[uri] = state.analysis
        return state

    def _state(
        self, uri: str, version: int | None, text: str, document: Document, key: tuple[object, ...]
    ) -> DocState:
        encoder = Encoder(document.lines, self.client.encoding)
        return DocState(uri=uri, version=version, text=text, document=document, encoder=encoder,
                        key=key)

    def _checked(
        self,
        uri: str,
        version: int | None,
        text: str,
        document: Document,
        key: tuple[object, ...],
        previous: Analysis | None,
    ) -> DocState:
        """The state of one version, analysed (`previous`: see `_analyse`)."""
        state = self._state(uri, version, text, document, key)
        try:
            self._analyse(state, previous)
        except Exception:
            log.exception("analysis of %s failed", uri)
            state.analysis = None
        return state

    def _refused(
        self, uri: str, text: str, version: int | None, key: tuple[object, ...]
    ) -> DocState:
        """A document over the size cap: not parsed, not analysed (a 200 MB one took minutes
        and gigabytes); its state is an empty document that carries one finding saying so."""
        from design_lsp.document.parse import parse_document

        self._parsed.pop(uri, None)
        self._analysed.pop(uri, None)
        state = self._state(uri, version, "", parse_document(""), key)
        state.notice = _refusal(refusal_message(text))
        return state

    def parse(self, uri: str, snap: Snapshot) -> Document:
        """Parse a version, re-using the previous parse of the same open document for what
        the changes since did not touch."""
        from design_lsp.document.parse import parse, reparse

        entry = self._parsed.get(uri)
        parsed = None
        if entry is not None and snap.source is not None and entry[0] is snap.source:
            _, edits, previous = entry
            if edits == snap.edits:
                parsed = previous
            elif isinstance(snap.source, LspTextDocument) and snap.lines is not None:
                change = snap.source.changes_between(edits, snap.edits)
                if change is not None:
                    parsed = reparse(previous, snap.text, snap.lines, *change)
        if parsed is None:
            parsed = parse(snap.text, snap.lines)
        if snap.source is not None:
            self._parsed[uri] = (snap.source, snap.edits, parsed)
        else:
            self._parsed.pop(uri, None)
        return parsed.document

    def _changed_lines(self, uri: str, document: Document) -> tuple[int, int] | None:
        """The lines that differ from the previous parse, when it left the section tree as is."""
        entry = self._parsed.get(uri)
        if entry is None or entry[2].document is not document:
            return None
        return entry[2].unchanged_outside

    def _analyse(self, state: DocState, previous: Analysis | None) -> None:
        """`previous`: the analysis of the parse this version was parsed from, if any."""
        from design_lsp.analysis import analyze
        from design_lsp.template import TemplateError
        from design_lsp.template.load import is_template_file

        path = uri_to_path(state.uri)
        config = self.settings.config_for(path)
        try:
            template = self.settings.template_for(config, path, state.document)
        except TemplateError as error:
            state.notice = template_error(state.document, str(error))
            return
        if template is None:
            return
        if path is not None and is_template_file(path, template.path):
            state.template_in_use = template  # not a document: help for writing it instead
            return
        state.base_template = template
        if not self.settings.qualifies(config, path, template, state.document):
            state.notice = not_selected(template, state.document)
            return
        state.template = template
        state.off = config.off
        state.limit = config.settings.max_diagnostics
        state.analysis = analyze(
            template,
            state.document,
            severities=config.severities,
            extra_placeholders=tuple(config.settings.placeholders),
            previous=previous,
            changed=self._changed_lines(state.uri, state.document),
        )


def snapshot(doc: TextDocument) -> Snapshot:
    """A document's current version, as the parser takes it."""
    if isinstance(doc, LspTextDocument):
        return doc.snapshot()
    return Snapshot(doc.source, None)


def _unquote(uri: str) -> str:
    from urllib.parse import unquote

    return unquote(uri)


MAX_FILE_BYTES = 8 * 1024 * 1024


def read_text(path: str) -> str | None:
    """A regular file's text (None for special files, huge or unreadable ones)."""
    import stat as stat_mod

    try:
        info = os.stat(path)
        if not stat_mod.S_ISREG(info.st_mode) or info.st_size > MAX_FILE_BYTES:
            return None
        with open(path, encoding="utf-8", errors="replace", newline="") as handle:
            return handle.read()
    except OSError:
        return None
