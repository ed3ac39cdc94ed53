"""Hover: guidance on headings, allowed values on fields, what a placeholder wants."""

from __future__ import annotations

from lsp_client import RecordingClient
from lsp_docs import PARTIAL, README
from lsp_helpers import lsp_lines, position_at
from lsprotocol import types


async def _hover(client: RecordingClient, uri: str, needle: str, offset: int = 0) -> str | None:
    text = client.texts[uri].text
    lines = lsp_lines(text)
    line = next(i for i, value in enumerate(lines) if needle in value)
    col = lines[line].index(needle) + offset
    result = await client.text_document_hover_async(
        types.HoverParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            position=position_at(text, line, col, client.encoding),
        )
    )
    if result is None:
        return None
    assert isinstance(result.contents, types.MarkupContent)
    caps = client.capabilities
    formats = (
        caps.text_document.hover.content_format
        if caps and caps.text_document and caps.text_document.hover
        else None
    )
    assert formats is not None and result.contents.kind in formats
    return result.contents.value


async def test_hover_on_headings(client: RecordingClient) -> None:
    uri = client.open("docs/payments.md", PARTIAL)
    background = await _hover(client, uri, "## Background", 4)
    assert background is not None
    assert "Required" in background
    assert "Problem Statement" in background and "Non-Goals" in background
    assert "Missing: Non-Goals" in background
    goals = await _hover(client, uri, "### Goals", 5)
    assert goals is not None and "Goal 1" in goals
    rollout = await _hover(client, uri, "## Rollout Plan", 4)
    assert rollout is not None and "How to deploy this change safely." in rollout
    title = await _hover(client, uri, "# Design Document", 3)
    assert title is not None and "Technical Considerations" in title


async def test_hover_on_field_and_placeholder(client: RecordingClient) -> None:
    uri = client.open("docs/payments.md", PARTIAL)
    status = await _hover(client, uri, "**Status**", 3)
    assert status is not None
    for value in ("Draft", "In Review", "Approved", "Implemented"):
        assert value in status
    placeholder = await _hover(client, uri, "[Your Name]", 2)
    assert placeholder is not None
    assert "[Your Name]" in placeholder and "replace" in placeholder.lower()


async def test_no_template_hover_in_other_markdown(client: RecordingClient) -> None:
    uri = client.open("README.md", README)
    assert await _hover(client, uri, "## Install", 4) is None


LEFTOVERS = """\
# Design Document: Payment Retries

## Background

### Problem Statement

Describe the problem this design aims to solve.

### Goals

- Goal 1
- Recover transient failures automatically
"""


async def test_hover_says_what_kind_of_template_text_was_left_in(client: RecordingClient) -> None:
    uri = client.open("docs/leftovers.md", LEFTOVERS)
    guidance = await _hover(client, uri, "Describe the problem", 3)
    assert guidance is not None
    assert "Template guidance left in" in guidance and "your own content" in guidance
    assert "Placeholder" not in guidance
    example = await _hover(client, uri, "Goal 1", 2)
    assert example is not None
    assert "Placeholder left in" in example and "Goal 1" in example
    assert "guidance" not in example
