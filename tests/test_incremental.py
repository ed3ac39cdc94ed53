"""Incremental updates give exactly what a from-scratch parse and analysis give.

Random edit sequences (structural text: headings, setext underlines, fences, tables, lists, quotes,
link definitions, placeholders, CRLF) are applied through the server's line store
(`LspTextDocument`) and parsed incrementally by the `DocumentStore`; after every edit the lines,
the `Document` and the analysis must equal `parse_document` + `analyze` of the whole new text.
"""

from __future__ import annotations

import json
import random
import sys
from pathlib import Path
from typing import Any

import pytest
from lsprotocol import types
from pygls.workspace.position_codec import PositionCodec

from design_lsp.analysis import Finding, analyze
from design_lsp.config import Config, RuleConfig, Settings
from design_lsp.document import Document, Section, parse_document
from design_lsp.features.client_profile import ClientProfile
from design_lsp.features.diagnostics import WireCache, publish_body
from design_lsp.features.documents.change_log import merge_changes
from design_lsp.features.documents.document_store import DocumentStore
from design_lsp.features.documents.text_document import LspTextDocument
from design_lsp.template import Template, load_template
from design_lsp.text import split_lines, to_client_col

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
import gen_docs

FIXTURES = Path(__file__).parent / "fixtures"
DOCS = sorted(FIXTURES.rglob("*.md"))
PIECES = [
    "a", " ", "word ", "\n", "\n\n", "\r\n", "# ", "## Goals\n", "### x", "#", "```", "```\n",
    "~~~\n", "---", "---\n", "===\n", "Title\n", "| a | b |\n", "| --- | --- |\n", "|", "- ",
    "- [ ] ", "1. ", "> ", "    ", "\t", "[Your Name]", "[x]", "[ref]: /url\n", "[ref]",
    "<!-- ", " -->", "<div>\n", "**Status**: Draft", "`code [x]`", "\\[", "😀", "\f",
]


class _Settings:
    """Just enough of SettingsManager for `DocumentStore`: every document is checked against the
    built-in template, with a placeholder pattern and a severity change from a config."""

    generation = 0
    config = Config(
        Settings(placeholders=[r"\bTBD\b", "x"], rules={"empty-section": RuleConfig(severity="hint")})
    )
    template = load_template(None)

    def config_for(self, path: str | None) -> Config:
        return self.config

    def template_for(self, config: Config, path: str | None, document: Document) -> Template:
        return self.template

    def qualifies(self, config: Config, path: str | None, template: Template, doc: Document) -> bool:
        return True

    def problem_for(self, path: str | None) -> str | None:
        return None  # (the config is fine)


def _sections(roots: list[Section]) -> list[tuple[Any, ...]]:
    out: list[tuple[Any, ...]] = []
    stack = [(s, 0) for s in reversed(roots)]
    while stack:
        section, depth = stack.pop()
        out.append((section.heading, section.end_line, section.body_end_line, depth))
        stack.extend((c, depth + 1) for c in reversed(section.children))
    return out


def _same(got: Document, want: Document) -> None:
    for name in (
        "text", "lines", "eol", "front_matter", "front_matter_end", "headings", "fields",
        "brackets", "list_items", "prose", "link_labels",
    ):
        assert getattr(got, name) == getattr(want, name), name
    assert _sections(got.roots) == _sections(want.roots)


def _findings(document: Document, template: Any) -> list[tuple[Any, ...]]:
    return _facts(analyze(template, document).findings)


def _facts(findings: list[Finding]) -> list[tuple[Any, ...]]:
    return [(f.code, f.message, f.span, f.severity, f.section, f.data, f.fixes) for f in findings]


def _from_scratch(text: str) -> list[tuple[Any, ...]]:
    config = _Settings.config
    return _facts(
        analyze(
            _Settings.template,
            parse_document(text),
            severities=config.severities,
            extra_placeholders=config.settings.placeholders,
        ).findings
    )


def _random_edit(rng: random.Random, text: str, encoding: str) -> types.TextDocumentContentChangePartial:
    lines = split_lines(text)

    def point() -> tuple[int, int]:
        line = rng.randrange(len(lines))
        return line, rng.randint(0, len(lines[line]))

    (a, ac), (b, bc) = sorted([point(), point()])
    if rng.random() < 0.7:  # mostly small edits, near each other
        b, bc = a, min(len(lines[a]), ac + rng.randint(0, 3))
    new = "".join(rng.choice(PIECES) for _ in range(rng.randint(0, 3)))
    return types.TextDocumentContentChangePartial(
        range=types.Range(
            start=types.Position(line=a, character=to_client_col(lines[a], ac, encoding)),
            end=types.Position(line=b, character=to_client_col(lines[b], bc, encoding)),
        ),
        text=new,
    )


def _texts() -> list[tuple[str, str]]:
    out = [(p.name, p.read_text(encoding="utf-8")) for p in DOCS]
    default = gen_docs.TEMPLATE.read_text(encoding="utf-8")
    out.append(("generated-6k", gen_docs.generated_doc(default, 6_000)))
    out.append(("quotes", "# T\n\n> [a]: /x\n> - [b]\n\n## S\n\n[a] and [c]\n\n> ```\n> # x\n"))
    out.append(("front-matter", "---\ntemplate: x\n---\n# Title\n\nSetext\n---\n\n- **Status**: Draft\n"))
    return out


@pytest.mark.parametrize(("name", "text"), _texts(), ids=[n for n, _ in _texts()])
def test_random_edits_match_a_full_parse(name: str, text: str) -> None:
    rng = random.Random(name)
    template = load_template(None)
    for encoding in ("utf-16", "utf-8"):
        store = DocumentStore(_Settings())  # type: ignore[arg-type]
        doc = LspTextDocument(
            "file:///doc.md", source=text, version=0, position_codec=PositionCodec(encoding=encoding)
        )
        current = text
        store.parse("file:///doc.md", doc.snapshot())
        store.client = ClientProfile(encoding=encoding)
        wire = WireCache()
        alignment, reused = None, 0
        for step in range(120):
            # Several changes may arrive before the next parse (the worker drops stale versions).
            for _ in range(rng.choice((1, 1, 1, 2, 3))):
                change = _random_edit(rng, current, encoding)
                doc.apply_change(change)
                current = _apply(current, change, encoding)
            snap = doc.snapshot()
            assert snap.text == current
            assert snap.lines == split_lines(current)
            if step % 8 == 7:
                got = store.parse("file:///doc.md", snap)  # a parse the analysis never saw
            else:
                state = store.build("file:///doc.md", snap, step, ("open", step))
                got = state.document
                assert state.analysis is not None
                assert _facts(state.analysis.findings) == _from_scratch(current)
                # The pushed JSON re-uses unchanged diagnostics' text: it must equal a fresh one.
                fresh_store = DocumentStore(_Settings())  # type: ignore[arg-type]
                fresh_store.client = store.client
                fresh = fresh_store.build("file:///doc.md", current, step, ("open", step))
                assert json.loads(publish_body(state, store.client, wire)) == json.loads(
                    publish_body(fresh, store.client)
                )
                reused += state.analysis.alignment is alignment
                alignment = state.analysis.alignment
            want = parse_document(current)
            _same(got, want)
            if step % 10 == 9:
                assert _findings(got, template) == _findings(want, template)
        assert reused > 5  # edits inside paragraphs re-used the previous analysis


def _apply(text: str, change: types.TextDocumentContentChangePartial, encoding: str) -> str:
    """The change applied to the whole text by LSP rules (the reference for the line store)."""
    import re

    starts = [0] + [m.end() for m in re.finditer(r"\r\n|\r|\n", text)]
    lines = split_lines(text)

    def offset(position: types.Position) -> int:
        line = lines[position.line]
        col = 0
        while col < len(line) and to_client_col(line, col + 1, encoding) <= position.character:
            col += 1
        return starts[position.line] + col

    start, end = offset(change.range.start), offset(change.range.end)
    return text[:start] + change.text + text[end:]


def test_merged_changes_cover_both() -> None:
    assert merge_changes((5, 6, 8), (20, 21, 21)) == (5, 19, 21)
    assert merge_changes((5, 6, 8), (2, 3, 3)) == (2, 6, 8)
    assert merge_changes((5, 6, 8), (6, 7, 7)) == (5, 6, 8)
    assert merge_changes((5, 9, 6), (5, 6, 5)) == (5, 9, 5)


def test_large_generated_document_edit_in_the_middle() -> None:
    text = gen_docs.generated_doc(gen_docs.TEMPLATE.read_text(encoding="utf-8"), 200_000)
    store = DocumentStore(_Settings())  # type: ignore[arg-type]
    doc = LspTextDocument("file:///big.md", source=text, version=0)
    store.parse("file:///big.md", doc.snapshot())
    lines = split_lines(text)
    middle = len(lines) // 2
    for new in ("x", "\n", "```\n", "# Heading\n", "===\n"):
        doc.apply_change(
            types.TextDocumentContentChangePartial(
                range=types.Range(
                    start=types.Position(line=middle, character=0),
                    end=types.Position(line=middle, character=0),
                ),
                text=new,
            )
        )
        snap = doc.snapshot()
        _same(store.parse("file:///big.md", snap), parse_document(snap.text))


def test_bench_generator_makes_realistic_documents_of_the_asked_size() -> None:
    text = gen_docs.document("10k")
    assert 10_000 <= len(text) < 20_000
    document = parse_document(text)
    assert any(h.setext for h in document.headings)  # setext headings
    assert "```sh\n# step 0: not a heading" in text  # fenced `#` lines...
    assert all(h.title != "step 0: not a heading" for h in document.headings)  # ...not headings
    assert "| --- | --- | --- |" in text and document.list_items  # tables and lists


MOVED = """# Design Document: Rate Limiter

## Executive Summary

Limits requests per key.

## Proposed Solution

Token buckets.

## Background

### Goals

- Cap each key

## Technical Considerations

Redis.
"""


def test_every_line_edited_in_a_document_with_a_section_to_move() -> None:
    """A move's fix reads the lines above where the section goes: an edit there, far from the
    misplaced section, changes it (the incremental analysis must see that)."""
    lines = split_lines(MOVED)
    findings = analyze(_Settings.template, parse_document(MOVED)).findings
    assert any(f.code == "section-order" for f in findings)
    for target in range(len(lines)):
        if lines[target].startswith("#"):
            continue
        for new in ("", "more text", "[Your Name]"):
            store = DocumentStore(_Settings())  # type: ignore[arg-type]
            doc = LspTextDocument("file:///m.md", source=MOVED, version=0)
            store.build("file:///m.md", doc.snapshot(), 0, ("open", 0))
            end = types.Position(line=target, character=len(lines[target]))
            doc.apply_change(
                types.TextDocumentContentChangePartial(
                    range=types.Range(start=types.Position(line=target, character=0), end=end),
                    text=new,
                )
            )
            snap = doc.snapshot()
            state = store.build("file:///m.md", snap, 1, ("open", 1))
            assert state.analysis is not None
            assert _facts(state.analysis.findings) == _from_scratch(snap.text), (target, new)


def test_edits_leave_no_reference_cycles() -> None:
    """The server tunes the collector to run rarely: an edit that left cyclic garbage would
    make memory grow with every keystroke (it did: ~1 MB per edit of a 1 MB document)."""
    import gc

    text = gen_docs.generated_doc(gen_docs.TEMPLATE.read_text(encoding="utf-8"), 50_000)
    store = DocumentStore(_Settings())  # type: ignore[arg-type]
    doc = LspTextDocument("file:///cycles.md", source=text, version=0)
    store.put("file:///cycles.md", store.build("file:///cycles.md", doc.snapshot(), 0, ("open", 0)))
    middle = len(split_lines(text)) // 2
    gc.collect()
    enabled = gc.isenabled()
    gc.disable()
    try:
        for version, new in enumerate(("x", "\n", "# Heading\n", "y"), start=1):
            at = types.Position(line=middle, character=0)
            doc.apply_change(
                types.TextDocumentContentChangePartial(range=types.Range(start=at, end=at), text=new)
            )
            state = store.build("file:///cycles.md", doc.snapshot(), version, ("open", version))
            store.put("file:///cycles.md", state)
            assert gc.collect() == 0, new
    finally:
        if enabled:
            gc.enable()
