"""Property tests of the engine over hostile documents: it never raises, every span lies inside
the document, and every offered fix keeps what the author wrote.

Budget: see conftest.py (150 derandomized examples per property in CI; DESIGN_LSP_FUZZ_EXAMPLES
raises it).
"""

from __future__ import annotations

import sys
import time

import pytest
from conftest import STATS
from hostile import (
    DEFAULT_TEMPLATE,
    TEMPLATES,
    check_edits_keep_text,
    documents,
    junk,
    lost_lines,
    span_inside,
)
from hypothesis import example, given
from hypothesis import strategies as st

from design_lsp.analysis import analyze, apply_edits
from design_lsp.analysis.align import preorder
from design_lsp.document import parse_document
from design_lsp.template import TemplateError, parse_template

any_text = st.one_of(
    documents(),
    st.text(),  # any code points, lone surrogates included
    st.binary().map(junk),
    st.lists(st.sampled_from(["#", " ", "\n", "\r", "[", "]", "`", "<!--", "-", ">", "*"]))
    .map("".join),
)
PLACEHOLDERS = (r"\bTBD\b", r"\?\?\?", r"(a|aa)+$")  # the last one backtracks badly on 'aaaa…b'


def check_document(text: str) -> None:
    document = parse_document(text)
    lines = document.lines
    assert lines, "a document has at least one line"
    assert "".join(lines) == "".join(text.replace("\r\n", "").replace("\r", "").split("\n"))
    for heading in document.headings:
        assert 0 <= heading.line <= heading.last_line < len(lines)
        assert span_inside(heading.title_span, lines)
        assert 1 <= heading.level <= 6
    for section in preorder(document.roots):
        assert section.heading.line < section.end_line <= len(lines)
        assert section.body_end_line <= section.end_line
    for item in (*document.fields, *document.brackets, *document.list_items, *document.prose):
        for name in ("span", "name_span", "value_span"):
            span = getattr(item, name, None)
            if span is not None:
                assert span_inside(span, lines), (item, name)
    STATS["documents"] += 1
    for template in TEMPLATES:
        analysis = analyze(template, document, extra_placeholders=PLACEHOLDERS)
        for finding in analysis.findings:
            assert span_inside(finding.span, lines), finding
            for _title, edits in finding.fixes:
                check_edits_keep_text(text, document, edits)
                STATS["fixes applied"] += 1
        for section in preorder(document.roots):
            analysis.missing_under(section)
            analysis.spec_for(section)
        analysis.missing_under(None)
        all_edits = analysis.fix_all()
        if all_edits:
            fixed = check_edits_keep_text(text, document, all_edits)
            STATS["fix-all applied"] += 1
            analyze(template, parse_document(fixed))  # the fixed text is checked again


@given(any_text)
def test_engine_accepts_any_text(text: str) -> None:
    check_document(text)


@given(documents(max_blocks=80))
# found by a long run: a field whose value is on the next line, a setext heading's text
@example("# Document Information\n- **Status**: \nDocument Information\n=====\n")
def test_fixes_keep_every_line_of_template_shaped_docs(text: str) -> None:
    check_document(text)


@given(st.text(), st.text())
def test_any_template_text_loads_or_is_rejected_with_a_reason(text: str, doc: str) -> None:
    try:
        template = parse_template(text, "hostile.md")
    except TemplateError as error:
        assert "hostile.md" in str(error)
        return
    analyze(template, parse_document(doc))


@pytest.mark.parametrize(
    "tail",
    ["```\ncode\n", "~~~~ python\n\n~~~\n", "<!-- draft\n\n", "<pre>\n## x\n", "```\n\n\n"],
)
def test_insertions_at_the_end_are_not_swallowed_by_an_open_block(tail: str) -> None:
    text = "# Design Document: Open block\n\n## Document Information\n\n" + tail
    analysis = analyze(DEFAULT_TEMPLATE, parse_document(text))
    fixed = check_edits_keep_text(text, analysis.document, analysis.fix_all())
    again = analyze(DEFAULT_TEMPLATE, parse_document(fixed))
    assert not [f for f in again.findings if f.code in ("missing-section", "missing-title")]


# ---- big documents: fixed examples, CI-sized -----------------------------------------------------

BIG = {
    "5 MB single line": lambda: "x[y] " * 1_000_000,
    "100,000 headings": lambda: "".join(f"## Section {i}\n" for i in range(100_000)),
    "lists 10,000 deep": lambda: "".join("  " * i + "- item\n" for i in range(10_000)),
    "quotes 10,000 deep": lambda: ">" * 10_000 + " quote\n",
    "quote lines 10,000 deep": lambda: "".join("> " * i + "q\n" for i in range(0, 10_000, 7)),
    "list markers 10,000 on a line": lambda: "- " * 10_000 + "x\n",
    "unterminated fence": lambda: "# Design Document: x\n```\n" + "## Background\n" * 1000,
    "unterminated comment": lambda: "# Design Document: x\n<!--\n" + "## Goals\n" * 1000,
    "brackets": lambda: "[" * 200_000 + "\n" + "[a](" * 50_000,
    "html tags": lambda: "<a " * 100_000,
    "comment openers": lambda: "## Goals\n" + "<!--" * 100_000,
    "link definitions": lambda: "## Goals\n" + "[x\n" * 50_000,
    "binary": lambda: junk(bytes(range(256)) * 20_000),
    "NULs and odd breaks": lambda: ("\x00\f\v\u2028\u2029\x85\x1c# H\r" * 50_000),
    "CJK and emoji": lambda: "# Design Document: 設計 🚀\n" + "## 背景 👩‍👩‍👧\n中文[名前]\n" * 20_000,
}


@pytest.mark.parametrize("name", list(BIG))
def test_big_documents(name: str) -> None:
    text = BIG[name]()
    started = time.perf_counter()
    limit = sys.getrecursionlimit()
    document = parse_document(text)
    analysis = analyze(DEFAULT_TEMPLATE, document, extra_placeholders=PLACEHOLDERS)
    for finding in analysis.findings:
        assert span_inside(finding.span, document.lines)
    edits = analysis.fix_all()
    if edits:
        assert not lost_lines(text, apply_edits(text, edits))
    assert sys.getrecursionlimit() == limit, "the recursion limit must not be raised for good"
    # Not a benchmark: a bound that catches quadratic blow-ups (each took minutes before).
    assert time.perf_counter() - started < 60
    STATS["big documents"] += 1
