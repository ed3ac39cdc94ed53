"""parse_document: headings, front matter, the section tree and inline facts, with exact spans."""

from __future__ import annotations

import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from mistletoe import block_token, span_token, token

from design_lsp.document import Document, Section, Span, parse_document


def titles(doc: Document) -> list[tuple[int, int, str]]:
    return [(h.line, h.level, h.title) for h in doc.headings]


def bracket_texts(doc: Document) -> list[str]:
    return [b.text for b in doc.brackets]


def span_text(doc: Document, span: Span) -> str:
    assert span.line == span.end_line
    return doc.lines[span.line][span.col : span.end_col]


# --- lines --------------------------------------------------------------------------------------


def test_crlf_and_lone_cr_split_like_lsp() -> None:
    doc = parse_document("# A\r\n## B\r\ntext\r\n")
    assert doc.lines == ["# A", "## B", "text", ""]
    assert doc.eol == "\r\n"
    assert titles(doc) == [(0, 1, "A"), (1, 2, "B")]

    doc = parse_document("# A\r## B\rtext")
    assert doc.lines == ["# A", "## B", "text"]
    assert doc.eol == "\r"
    assert titles(doc) == [(0, 1, "A"), (1, 2, "B")]


@pytest.mark.parametrize("char", ["\f", "\v", "\u2028", "\u2029", "\x85", "\x1c"])
def test_other_separators_do_not_break_lines(char: str) -> None:
    doc = parse_document(f"# A{char}B\ntext{char}more [X]\n## C\n")
    assert len(doc.lines) == 4
    assert titles(doc) == [(0, 1, f"A{char}B"), (2, 2, "C")]
    assert [(b.text, b.span.line) for b in doc.brackets] == [("[X]", 1)]


# --- headings -----------------------------------------------------------------------------------


def test_atx_headings_markers_and_spans() -> None:
    text = "# Title ##\n## A #\n### B ###   \n#\n## \n   ### three\n# foo#\n#\tTab\n###### six\n"
    doc = parse_document(text)
    assert titles(doc) == [
        (0, 1, "Title"),
        (1, 2, "A"),
        (2, 3, "B"),
        (3, 1, ""),
        (4, 2, ""),
        (5, 3, "three"),
        (6, 1, "foo#"),
        (7, 1, "Tab"),
        (8, 6, "six"),
    ]
    for heading in doc.headings:
        assert span_text(doc, heading.title_span) == heading.title
    assert doc.headings[0].title_span == Span(0, 2, 0, 7)
    assert doc.headings[5].title_span == Span(5, 7, 5, 12)


def test_not_atx_headings() -> None:
    text = "#5 not\n#[derive(Debug)]\n#!foo\n####### seven\n    # indented code\n\\# escaped\n"
    doc = parse_document(text)
    assert doc.headings == []


def test_inline_markup_is_kept_in_titles() -> None:
    doc = parse_document("## **Bold** `code` [link](x)\n")
    assert doc.headings[0].title == "**Bold** `code` [link](x)"


def test_setext_headings() -> None:
    doc = parse_document("Title\n=====\n\nSub *x*\n---\n  Indented\n  ===\n")
    assert titles(doc) == [(0, 1, "Title"), (3, 2, "Sub *x*"), (5, 1, "Indented")]
    assert all(h.setext for h in doc.headings)
    assert doc.headings[0].last_line == 1
    assert doc.headings[2].title_span == Span(5, 2, 5, 10)


def test_thematic_breaks_and_container_lines_are_not_setext() -> None:
    doc = parse_document("Para\n\n---\n- item\n---\n> quote\n---\n- item\nlazy\n---\n***\n")
    assert doc.headings == []


def test_equals_under_a_list_item_is_text() -> None:
    doc = parse_document("- item\n===\n")
    assert doc.headings == []


@pytest.mark.parametrize(
    "text",
    [
        "```\n# no\n```\n# yes\n",
        "~~~md\n# no\n~~~\n# yes\n",
        "````python title\n```\n# no\n````\n# yes\n",
        "~~~\n# no\n```\n# no\n~~~~\n# yes\n",
        "- item\n\n  ```\n  # no\n  ```\n# yes\n",
        "<!--\n# no\n-->\n# yes\n",
        "<!-- one line --> \n# yes\n",
        "Para\n\n    # indented code\n# yes\n",
        "<div>\n# no\n\n# yes\n",
        "> ## quoted\n# yes\n",
    ],
)
def test_headings_hidden_in_code_html_and_quotes(text: str) -> None:
    doc = parse_document(text)
    assert [h.title for h in doc.headings] == ["yes"]


def test_unterminated_fence_and_comment_run_to_the_end() -> None:
    assert titles(parse_document("# A\n```\n# no\n## no\n")) == [(0, 1, "A")]
    assert titles(parse_document("# A\n<!-- open\n# no\n")) == [(0, 1, "A")]


def test_fence_inside_a_list_item_ends_with_the_item() -> None:
    doc = parse_document("- step\n  ```bash\n- next\n# Yes\n\n- a\n  ```\n  # no\n  ```\n# Also\n")
    assert [h.title for h in doc.headings] == ["Yes", "Also"]
    assert [i.text for i in doc.list_items] == ["step", "next", "a"]


def test_empty_sibling_item_and_lazy_lines() -> None:
    doc = parse_document("- foo\n-\n- bar\nlazy [x]\n")
    assert [(i.text, i.line) for i in doc.list_items] == [("foo", 0), ("", 1), ("bar", 2)]
    assert [(p.text, p.line, p.span.col) for p in doc.prose] == [
        ("foo", 0, 2),
        ("bar", 2, 2),
        ("lazy [x]", 3, 0),
    ]
    assert [(b.text, b.span.line) for b in doc.brackets] == [("[x]", 3)]


def test_heading_inside_list_item_is_not_a_section() -> None:
    doc = parse_document("- item\n\n  ## nested\n\n## top\n")
    assert titles(doc) == [(4, 2, "top")]


def test_emoji_and_cjk_titles_span_code_points() -> None:
    doc = parse_document("# 🎉 Emoji 日本語 title ##\n## Ü\n")
    assert doc.headings[0].title == "🎉 Emoji 日本語 title"
    assert doc.headings[0].title_span == Span(0, 2, 0, 19)
    assert doc.headings[1].title_span == Span(1, 3, 1, 4)


# --- front matter -------------------------------------------------------------------------------


def test_front_matter() -> None:
    text = (
        "---\ntitle: Hello: world\nstatus: 'Draft'\ntags:\n  - a\n# comment\nempty:\n---\n# Doc\n"
    )
    doc = parse_document(text)
    assert doc.front_matter == {"title": "Hello: world", "status": "Draft", "empty": ""}
    assert doc.front_matter_end == 8
    assert titles(doc) == [(8, 1, "Doc")]
    assert doc.prose == []


def test_front_matter_closed_by_dots_and_absent_cases() -> None:
    doc = parse_document("---\ntemplate: rfc\n...\n# Doc\n")
    assert doc.front_matter == {"template": "rfc"}
    assert doc.front_matter_end == 3

    unclosed = parse_document("---\ntitle: x\n# Doc\n")
    assert unclosed.front_matter is None
    assert unclosed.front_matter_end == 0
    assert titles(unclosed) == [(2, 1, "Doc")]

    late = parse_document("\n---\ntitle: x\n---\n")
    assert late.front_matter is None


# --- section tree -------------------------------------------------------------------------------


def test_section_tree_lines_and_nesting() -> None:
    text = "intro\n# Title\n## A\ntext\n#### Deep\n### C\n## B\nbody\n"
    doc = parse_document(text)
    (title,) = doc.roots
    assert title.heading.title == "Title"
    assert (title.end_line, title.body_end_line, title.parent) == (9, 2, None)
    a, b = title.children
    assert (a.heading.title, a.end_line, a.body_end_line) == ("A", 6, 4)
    deep, c = a.children
    assert (deep.heading.title, deep.end_line, deep.body_end_line) == ("Deep", 5, 5)
    assert (c.heading.title, c.end_line, c.body_end_line) == ("C", 6, 6)
    assert deep.parent is a and c.parent is a and a.parent is title and b.parent is title
    assert (b.heading.title, b.end_line, b.body_end_line) == ("B", 9, 9)


def test_sections_without_title_are_all_roots() -> None:
    doc = parse_document("## A\n### A1\n## B\n# C\n")
    assert [s.heading.title for s in doc.roots] == ["A", "B", "C"]
    assert [s.end_line for s in doc.roots] == [2, 3, 5]


def test_setext_section_body_starts_after_underline() -> None:
    doc = parse_document("Title\n=====\nSub\n---\ntext\n")
    (title,) = doc.roots
    assert title.body_end_line == 2
    assert title.children[0].end_line == 6


def test_many_headings() -> None:
    text = "".join(f"{'#' * (i % 6 + 1)} H{i}\n" for i in range(20_000))
    doc = parse_document(text)
    assert len(doc.headings) == 20_000

    def count(sections: list[Section]) -> int:
        return sum(1 + count(s.children) for s in sections)

    assert count(doc.roots) == 20_000


# --- fields -------------------------------------------------------------------------------------


def test_fields_bold_plain_and_empty() -> None:
    text = (
        "- **Author**: [Your Name]\n"
        "- **Date:** 2024-01-01\n"
        "- __Owner__: team\n"
        "- Status: Draft | Final\n"
        "- Reviewers:\n"
        "- **Empty**: \n"
        "* **Due date**:   soon  \n"
    )
    doc = parse_document(text)
    got = [
        (f.name, f.value, span_text(doc, f.name_span), span_text(doc, f.value_span))
        for f in doc.fields
    ]
    assert got == [
        ("Author", "[Your Name]", "Author", "[Your Name]"),
        ("Date", "2024-01-01", "Date", "2024-01-01"),
        ("Owner", "team", "Owner", "team"),
        ("Status", "Draft | Final", "Status", "Draft | Final"),
        ("Reviewers", "", "Reviewers", ""),
        ("Empty", "", "Empty", ""),
        ("Due date", "soon", "Due date", "soon"),
    ]
    assert doc.fields[0].name_span == Span(0, 4, 0, 10)
    assert doc.fields[0].value_span == Span(0, 14, 0, 25)
    assert doc.fields[4].value_span == Span(4, 12, 4, 12)  # end of line right after the colon
    assert doc.fields[5].value_span == Span(5, 13, 5, 13)  # right after colon and space


def test_not_fields() -> None:
    text = (
        "- Goal 1: x\n- lower: x\n- Five Words Are Too Many: x\n- Time:12\n"
        "- http://example.com\n**Bold**: in a paragraph\n"
    )
    assert parse_document(text).fields == []


def test_fields_written_as_lines_of_text() -> None:
    # two or more "**Name:** value" lines, as one paragraph or one paragraph each
    joined = parse_document("# Doc\n\n**Author:** Ada\n**Status:** Draft\n\n## Goals\n")
    assert [(f.name, f.value, f.line) for f in joined.fields] == [
        ("Author", "Ada", 2),
        ("Status", "Draft", 3),
    ]
    apart = parse_document("# Doc\n\n**Author:** Ada\n\n__Status__: Draft\n")
    assert [(f.name, f.value_span) for f in apart.fields] == [
        ("Author", Span(2, 12, 2, 15)),
        ("Status", Span(4, 12, 4, 17)),
    ]
    # a lone bold line, or bold lines among sentences, are prose
    assert parse_document("**Note:** the cache is per user.\n").fields == []
    assert parse_document("**Note:** one.\nAnd more text.\n**Also:** two.\n").fields == []
    assert parse_document("**Note:** one.\n\nText between.\n\n**Also:** two.\n").fields == []


# --- brackets -----------------------------------------------------------------------------------


def test_placeholder_bracket_exact_span() -> None:
    doc = parse_document("# Doc\n\n- **Author**: [Your Name]\n")
    (bracket,) = doc.brackets
    assert bracket.text == "[Your Name]"
    assert bracket.span == Span(2, 14, 2, 25)


def test_brackets_that_are_not_placeholders() -> None:
    text = (
        "See [docs](http://x), [ref][r], [coll][], [r], ![img](a.png), [^1], `[code]`,\n"
        '<http://a[b]>, <a href="[attr]">, \\[escaped\\], [later], [^note] and [Keep].\n'
        "\n"
        "[r]: http://example.com\n"
        "[^1]: A footnote.\n"
        "\n"
        "## Later\n"
        "\n"
        "[later]: /defined/after/use\n"
    )
    doc = parse_document(text)
    assert bracket_texts(doc) == ["[Keep]"]
    assert doc.link_labels == frozenset({"r", "later"})


def test_brackets_in_headings_code_and_html_blocks_are_ignored() -> None:
    text = "# [Title]\n\n```\n[code]\n```\n\n    [indented]\n\n<!--\n[comment]\n-->\n\n<div>\n[html]\n</div>\n"
    assert parse_document(text).brackets == []


def test_task_boxes_only_at_item_start() -> None:
    text = "- [ ] Task [A]\n- [x] done\n- [X] Big\n- text [ ] box\n1. [ ] ordered\n[ ] para\n"
    doc = parse_document(text)
    assert [(b.text, b.span.line, b.span.col) for b in doc.brackets] == [
        ("[A]", 0, 11),
        ("[ ]", 3, 7),
        ("[ ]", 5, 0),
    ]


def test_nested_and_repeated_brackets() -> None:
    doc = parse_document("[a [b] c] then [x] and [x] and `[x]` and [x]\n")
    assert [(b.text, b.span.col) for b in doc.brackets] == [
        ("[a [b] c]", 0),
        ("[x]", 15),
        ("[x]", 23),
        ("[x]", 41),
    ]


def test_brackets_in_multiline_paragraphs_and_tables() -> None:
    text = (
        "First [one]\n  second [two] [link\ntext](http://x)\n\n"
        "| Col | Other |\n| --- | --- |\n| [Fill] | `[no]` |\n| a \\| [b] | [c](x) |\n"
    )
    doc = parse_document(text)
    assert [(b.text, b.span) for b in doc.brackets] == [
        ("[one]", Span(0, 6, 0, 11)),
        ("[two]", Span(1, 9, 1, 14)),
        ("[Fill]", Span(6, 2, 6, 8)),
        ("[b]", Span(7, 7, 7, 10)),
    ]


def test_code_spans_and_links_across_lines() -> None:
    text = "A `code span\n[inside]` and [link\n[also inside]\ntext](http://x) and [out].\n"
    doc = parse_document(text)
    assert [(b.text, b.span.line) for b in doc.brackets] == [("[out]", 3)]


def test_brackets_in_link_destinations() -> None:
    doc = parse_document("[a](x[y]z) and [b](<c [d]>) and [Keep]\n")
    assert bracket_texts(doc) == ["[Keep]"]


def test_emoji_and_cjk_bracket_columns_are_code_points() -> None:
    doc = parse_document("Ünïcödé 🎉 [Your Name] and [名前]\n")
    assert [(b.text, b.span.col, b.span.end_col) for b in doc.brackets] == [
        ("[Your Name]", 10, 21),
        ("[名前]", 26, 30),
    ]


# --- list items and prose -----------------------------------------------------------------------


def test_list_items_text_and_spans() -> None:
    text = (
        "- Goal 1\n"
        "- **Term 1**: Definition\n"
        "  - nested *emph* `code` __strong__\n"
        "1. Step 1\n"
        "2) Step   two\n"
        "- [ ] Task 4\n"
        "-\n"
    )
    doc = parse_document(text)
    assert [(i.text, i.line, span_text(doc, i.span)) for i in doc.list_items] == [
        ("Goal 1", 0, "Goal 1"),
        ("Term 1: Definition", 1, "**Term 1**: Definition"),
        ("nested emph code strong", 2, "nested *emph* `code` __strong__"),
        ("Step 1", 3, "Step 1"),
        ("Step two", 4, "Step   two"),
        ("Task 4", 5, "Task 4"),
        ("", 6, ""),
    ]


def test_prose_lines() -> None:
    text = (
        "---\nkey: v\n---\n# Title\nBrief *summary* of the\n  design (2-3 `paragraphs`).\n\n"
        "- Item [link](x)\n\n```\ncode\n```\n<!-- comment -->\n"
    )
    doc = parse_document(text)
    assert [(p.line, p.text, span_text(doc, p.span)) for p in doc.prose] == [
        (4, "Brief summary of the", "Brief *summary* of the"),
        (5, "design (2-3 paragraphs).", "design (2-3 `paragraphs`)."),
        (7, "Item link", "Item [link](x)"),
    ]


def test_block_quotes_go_through_mistletoe_with_the_same_facts() -> None:
    plain = "- **Status**: [Value]\n  - Goal 1\n\ntext [q]\n"
    quoted = "\n".join("> " + line if line else ">" for line in plain.split("\n"))
    a, b = parse_document(plain), parse_document(quoted)
    assert [(f.name, f.value) for f in a.fields] == [(f.name, f.value) for f in b.fields]
    assert [i.text for i in a.list_items] == [i.text for i in b.list_items]
    assert bracket_texts(a) == bracket_texts(b) == ["[Value]", "[q]"]
    assert [p.text for p in a.prose] == [p.text for p in b.prose]
    assert [(x.span.col + 2) for x in a.brackets] == [x.span.col for x in b.brackets]


def test_fenced_code_inside_a_quote_has_no_facts() -> None:
    doc = parse_document("> text\n>\n> ```\n> let x = a[0];\n> - not an item\n> ```\n")
    assert doc.brackets == []
    assert doc.list_items == []


def test_link_labels_are_normalized() -> None:
    doc = parse_document("[Foo  Bar]: /x\n[ÄB]: </y> 'title'\n")
    assert doc.link_labels == frozenset({"foo bar", "äb"})


# --- robustness ---------------------------------------------------------------------------------


def test_mistletoe_state_is_restored() -> None:
    before = (list(block_token._token_types), list(span_token._token_types))
    parse_document("> - [a] `b`\n>\n> [c]: /d\n\nText [e]\n")
    assert (list(block_token._token_types), list(span_token._token_types)) == before
    assert token._root_node is None
    assert block_token.Paragraph.parse_setext is True


def test_deeply_nested_quote_does_not_crash() -> None:
    doc = parse_document("# A\n" + ">" * 10_000 + " deep [x]\n## B\n")
    assert titles(doc) == [(0, 1, "A"), (2, 2, "B")]
    assert bracket_texts(doc) == ["[x]"]


def test_deeply_nested_lists_do_not_crash() -> None:
    text = "> q\n" + "".join("  " * i + "- item [x]\n" for i in range(500))
    doc = parse_document(text)
    assert len(doc.list_items) == 500
    assert len(doc.brackets) == 500


@pytest.mark.parametrize(
    "line",
    ["a" * 5_000_000, "[" * 5_000_000, "[a](" * 1_250_000, "- " * 100_000 + "x", "`a" * 2_500_000],
)
def test_huge_single_line_does_not_crash(line: str) -> None:
    started = time.process_time()
    doc = parse_document("# T\n" + line + "\n")
    assert len(doc.lines) == 3
    assert time.process_time() - started < 30  # linear, not quadratic (seconds at most)


def test_nul_and_lone_surrogates() -> None:
    doc = parse_document("# A\x00B \ud800\n- **\udfff**: [\ud83d]\n")
    assert doc.headings[0].title == "A\x00B \ud800"
    assert doc.fields[0].value == "[\ud83d]"


def test_one_megabyte_is_fast() -> None:
    template = (
        "## Section\n\nSome *prose* with a [Placeholder] and a [link](http://x).\n\n"
        "- **Status**: Draft | Final\n- Goal 1\n  - nested `code`\n\n```\ncode\n```\n"
    )
    text = "# Title\n" + template * (1_000_000 // len(template))
    started = time.process_time()
    doc = parse_document(text)
    elapsed = time.process_time() - started
    assert len(doc.brackets) == text.count("[Placeholder]")
    assert elapsed < 3  # ~0.3 s here; generous for slow CI machines


_PIECES = st.sampled_from(
    [
        "#", "# ", "## ", "=", "-", "---", "*", "**", "_", "`", "```", "~~~", ">", "> ", "- ",
        "1. ", "[", "]", "(", ")", "[x]", "[ ]", "[^1]", "[a]: /u", "<!--", "-->", "<div>", "|",
        "| --- |", "\\", "\t", "    ", " ", "\n", "\n", "\r\n", "\r", "\f", "\x00", "\ud800",
        "🎉", "日本", "word", "Name", ": ", "**Name**: ", "&amp;", "<http://x>", "---\n",
    ]
)  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.lists(_PIECES, max_size=60).map("".join))
def test_any_text_parses_with_consistent_spans(text: str) -> None:
    doc = parse_document(text)
    for heading in doc.headings:
        assert span_text(doc, heading.title_span) == heading.title
    for bracket in doc.brackets:
        assert span_text(doc, bracket.span) == bracket.text
        assert bracket.text.startswith("[") and bracket.text.endswith("]")
    for found in doc.fields:
        assert span_text(doc, found.value_span) == found.value
    for item in [*doc.list_items, *doc.prose]:
        assert 0 <= item.span.col <= item.span.end_col <= len(doc.lines[item.line])

    def check(sections: list[Section], parent: Section | None) -> None:
        for section in sections:
            assert section.parent is parent
            assert section.heading.last_line < section.body_end_line <= section.end_line
            assert section.end_line <= len(doc.lines)
            check(section.children, section)

    check(doc.roots, None)
