"""The parsed and analysed versions of documents: open ones cached by (uri, revision, config
generation), closed ones read from disk and not kept. Builds run on the scheduler's threads."""

from __future__ import annotations

import logging
import os
from typing import TYPE_CHECKING

from pygls.workspace import TextDocument, Workspace

from design_lsp.features import notes
from design_lsp.features.client_profile import ClientProfile
from design_lsp.features.documents.disk import read_text
from design_lsp.features.documents.doc_state import DocState
from design_lsp.features.documents.size_limit import too_large
from design_lsp.features.documents.text_document import LspTextDocument, Snapshot, snapshot
from design_lsp.features.positions import Encoder
from design_lsp.features.uris import unquote, uri_to_path

if TYPE_CHECKING:
    from design_lsp.analysis import Analysis
    from design_lsp.document import Document
    from design_lsp.document.parse import Parsed
    from design_lsp.features.settings import SettingsManager

log = logging.getLogger(__name__)


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
        doc = workspace.text_documents.get(uri) or workspace.text_documents.get(unquote(uri))
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
            state.config_problem = notes.config_error(state.document, problem)
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
        state.notice = notes.refusal(text)
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
            state.notice = notes.template_error(state.document, str(error))
            return
        if template is None:
            return
        if path is not None and is_template_file(path, template.path):
            state.template_in_use = template  # not a document: help for writing it instead
            return
        state.base_template = template
        if not self.settings.qualifies(config, path, template, state.document):
            state.notice = notes.not_selected(template, state.document)
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
