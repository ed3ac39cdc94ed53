"""Completion: missing sections at a heading line, slot instances, field values, whole template."""

from __future__ import annotations

from lsp_client import RecordingClient
from lsp_docs import PARTIAL, PARTIAL_CRLF, README
from lsp_helpers import apply_text_edits, lsp_lines, position_at
from lsprotocol import types


def _line_of(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(lsp_lines(text)) if needle in line)


async def _complete(
    client: RecordingClient, uri: str, line: int, col: int, trigger: str | None
) -> list[types.CompletionItem]:
    text = client.texts[uri].text
    context = (
        types.CompletionContext(
            trigger_kind=types.CompletionTriggerKind.TriggerCharacter, trigger_character=trigger
        )
        if trigger
        else types.CompletionContext(trigger_kind=types.CompletionTriggerKind.Invoked)
    )
    result = await client.text_document_completion_async(
        types.CompletionParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            position=position_at(text, line, col, client.encoding),
            context=context,
        )
    )
    if result is None:
        return []
    items = result.items if isinstance(result, types.CompletionList) else result
    return sorted(items, key=lambda i: (i.sort_text or "", i.label))


def _snippets(client: RecordingClient) -> bool:
    caps = client.capabilities
    item = caps.text_document.completion.completion_item if caps and caps.text_document else None
    return bool(item and item.snippet_support)


def _insert_line(client: RecordingClient, uri: str, before_line: int, text: str) -> int:
    """Insert `text` as a new line before `before_line`; returns that line's number."""
    pos = types.Position(line=before_line, character=0)
    eol = "\r\n" if "\r\n" in client.texts[uri].text else "\n"
    client.change(uri, [(types.Range(start=pos, end=pos), text + eol)])
    return before_line


def _apply(client: RecordingClient, uri: str, item: types.CompletionItem) -> str:
    assert isinstance(item.text_edit, types.TextEdit)
    new_text = item.text_edit.new_text
    if item.insert_text_format == types.InsertTextFormat.Snippet:
        import re

        new_text = re.sub(r"\$\{\d+:((?:[^}\\]|\\.)*)\}", r"\1", new_text)
        new_text = re.sub(r"\$\d+", "", new_text)
        new_text = re.sub(r"\\([$}\\])", r"\1", new_text)
    edit = types.TextEdit(range=item.text_edit.range, new_text=new_text)
    return apply_text_edits(client.texts[uri].text, [edit], client.encoding)


async def test_top_level_sections_next_expected_first(client: RecordingClient) -> None:
    uri = client.open("docs/payments.md", PARTIAL)
    last = len(lsp_lines(PARTIAL)) - 1  # the empty line after the final line break
    _insert_line(client, uri, last, "")
    line = _insert_line(client, uri, last + 1, "## ")
    items = await _complete(client, uri, line, 3, None)
    labels = [i.label for i in items]
    assert labels, "no completions on a heading line"
    assert labels[0] == "Monitoring and Metrics"
    assert "Background" not in labels and "Rollout Plan" not in labels
    assert "Non-Goals" not in labels  # a level-3 section is not offered at level 2
    assert {"Technical Considerations", "Appendix"} <= set(labels)
    first = items[0]
    assert isinstance(first.text_edit, types.TextEdit)
    assert first.text_edit.range.start == types.Position(line=line, character=0)
    assert first.text_edit.new_text.startswith("## Monitoring and Metrics")
    if _snippets(client):
        assert first.insert_text_format == types.InsertTextFormat.Snippet
        assert "${1:" in first.text_edit.new_text
    else:
        assert first.insert_text_format == types.InsertTextFormat.PlainText
        assert "${" not in first.text_edit.new_text and "$0" not in first.text_edit.new_text
    applied = _apply(client, uri, first)
    assert "## Monitoring and Metrics" in applied and "- Metric 1: Description" in applied


async def test_subsections_come_from_the_enclosing_section(client: RecordingClient) -> None:
    uri = client.open("docs/payments.md", PARTIAL)
    goals = _line_of(PARTIAL, "- Recover transient failures")
    _insert_line(client, uri, goals + 1, "")
    line = _insert_line(client, uri, goals + 2, "### Non")
    items = await _complete(client, uri, line, len("### Non"), None)
    labels = [i.label for i in items]
    assert labels[0] == "Non-Goals"
    assert "Goals" not in labels and "Problem Statement" not in labels
    assert "Monitoring and Metrics" not in labels
    assert items[0].filter_text is not None and items[0].filter_text.startswith("### ")


async def test_next_instance_of_a_repeatable_slot(client: RecordingClient) -> None:
    uri = client.open("docs/payments.md", PARTIAL)
    anchor = _line_of(PARTIAL, "The gateway client wraps")
    _insert_line(client, uri, anchor + 1, "")
    line = _insert_line(client, uri, anchor + 2, "#### ")
    items = await _complete(client, uri, line, 5, None)
    labels = [i.label for i in items]
    assert "Component 3" in labels
    assert "Component 1" not in labels and "Component 2" not in labels


async def test_level_from_context_when_nothing_is_typed(client: RecordingClient) -> None:
    uri = client.open("docs/payments.md", PARTIAL)
    goals = _line_of(PARTIAL, "- Recover transient failures")
    _insert_line(client, uri, goals + 1, "")
    line = _insert_line(client, uri, goals + 2, "")
    items = await _complete(client, uri, line, 0, None)
    labels = [i.label for i in items]
    assert labels and labels[0] == "Non-Goals"
    first = items[0]
    assert isinstance(first.text_edit, types.TextEdit)
    assert first.text_edit.new_text.startswith("### Non-Goals")


async def test_enum_field_values(client: RecordingClient) -> None:
    uri = client.open("docs/payments.md", PARTIAL_CRLF)
    line = _line_of(PARTIAL_CRLF, "**Status**")
    text = lsp_lines(PARTIAL_CRLF)[line]
    start = position_at(PARTIAL_CRLF, line, text.index("Drafty"), client.encoding)
    end = position_at(PARTIAL_CRLF, line, len(text), client.encoding)
    client.change(uri, [(types.Range(start=start, end=end), "")])
    items = await _complete(client, uri, line, text.index("Drafty"), None)
    assert [i.label for i in items] == ["Draft", "In Review", "Approved", "Implemented"]
    applied = _apply(client, uri, items[2])
    assert "- **Status**: Approved\r\n" in applied


async def test_empty_document_offers_the_whole_template(client: RecordingClient) -> None:
    uri = client.open("docs/new.md", "")
    items = await _complete(client, uri, 0, 0, None)
    assert len(items) == 1
    applied = _apply(client, uri, items[0])
    # As `design-lsp new` fills it: the title from the file name, the first Status choice.
    assert applied.startswith("# Design Document: New\n")
    assert "- **Status**: Draft\n" in applied and "Draft | In Review" not in applied
    assert "## Appendix" in applied and "### Detailed Examples" in applied
    # Typing '#' first still offers it.
    client.replace_all(uri, "#")
    items = await _complete(client, uri, 0, 1, "#")
    assert any(_apply(client, uri, i).startswith("# Design Document") for i in items)


async def test_no_section_noise_outside_design_docs_or_in_code(client: RecordingClient) -> None:
    uri = client.open("README.md", README)
    line = _insert_line(client, uri, 2, "## ")
    assert await _complete(client, uri, line, 3, None) == []
    fenced = PARTIAL.replace("Ship behind a flag", "```bash\n# \n```\n\nShip behind a flag")
    uri = client.open("docs/fenced.md", fenced)
    line = _line_of(fenced, "```bash") + 1
    assert await _complete(client, uri, line, 2, None) == []
    prose = _line_of(fenced, "Ship behind a flag")
    assert await _complete(client, uri, prose, 5, None) == []


async def test_a_single_hash_inserts_at_the_template_level(client: RecordingClient) -> None:
    uri = client.open("docs/one-hash.md", PARTIAL)
    last = len(lsp_lines(PARTIAL)) - 1
    _insert_line(client, uri, last, "")
    line = _insert_line(client, uri, last + 1, "#")
    items = await _complete(client, uri, line, 1, "#")
    assert items, "typing '#' on a new line offers the missing sections"
    first = _apply(client, uri, items[0])
    assert lsp_lines(first)[line] == f"## {items[0].label}"
