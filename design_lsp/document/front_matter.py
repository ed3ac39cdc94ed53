"""YAML front matter: the leading `---` block, read as top-level keys without a YAML library.

Keys become fields (`Field`) like `**Name**: value` list items, so templates that keep their
metadata in front matter get the same field rules. A key's value is its scalar, or the items of
the sequence under it joined with ", "; a `# comment` after it is kept as the field's note
(templates say "remove this field" there).
"""

from __future__ import annotations

import re

from design_lsp.document.model import Field, Span

_KEY = re.compile(r"[A-Za-z_][\w .-]*")
_ITEM = re.compile(r"^[ \t]+-[ \t]+|^-[ \t]+")


def front_matter(lines: list[str]) -> tuple[dict[str, object] | None, int, list[Field]]:
    """(key -> scalar value, first line after the block, fields); (None, 0, []) without one.

    The block opens with a first line `---` and closes with `---` or `...`; unclosed means none.
    """
    if not lines or lines[0].rstrip(" \t") != "---":
        return None, 0, []
    for end in range(1, len(lines)):
        if lines[end].rstrip(" \t") in ("---", "..."):
            values, fields = _read(lines, 1, end)
            return values, end + 1, fields
    return None, 0, []


def _read(lines: list[str], start: int, end: int) -> tuple[dict[str, object], list[Field]]:
    values: dict[str, object] = {}
    fields: list[Field] = []
    index = start
    while index < end:
        key_line, line = index, lines[index]
        index += 1
        if not line or line[0] in " \t#-":
            continue
        key, colon, raw = line.partition(":")
        key = key.rstrip(" \t")
        if not colon or raw[:1] not in ("", " ", "\t") or not _KEY.fullmatch(key):
            continue
        value, note = _scalar(raw)
        col = len(line) - len(raw.lstrip()) if value else len(key) + 1
        value_span = Span(key_line, col, key_line, col + len(value))
        items: list[tuple[int, str]] = []  # (line, text) of a sequence or mapping under the key
        while index < end and (not lines[index].strip() or lines[index][:1] in " \t-"):
            item = _ITEM.match(lines[index])
            if item is not None:
                items.append((index, lines[index][item.end() :]))
            index += 1
        nested = value in ("", "|", ">", "|-", ">-") and index > key_line + 1
        if nested and not items:  # a plain scalar on the lines below: `status:\n  implemented`
            below = [(n, lines[n]) for n in range(key_line + 1, index) if lines[n].strip()]
            if below and all(text[:1] in " \t" and ":" not in text for _, text in below):
                value = " ".join(_scalar(text)[0] for _, text in below)
                first_line, text = below[0]
                col = len(text) - len(text.lstrip())
                value_span = Span(first_line, col, first_line, len(text.rstrip()))
                values[key] = value
        if nested and items:  # a sequence: its items are the value
            texts = [_scalar(text)[0] for _, text in items]
            value = ", ".join(text for text in texts if text)
            item_line, first = items[0]
            col = len(lines[item_line]) - len(first)
            value_span = Span(item_line, col, item_line, col + len(texts[0]))
        elif not nested:
            values[key] = value
        name_span = Span(key_line, 0, key_line, len(key))
        fields.append(Field(key, value, key_line, name_span, value_span, note))
    return values, fields


def _scalar(raw: str) -> tuple[str, str]:
    """A scalar's text without quotes, and the comment after it."""
    value = raw.strip()
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
        return value[1:-1], ""
    comment = value.find(" #")
    if value.startswith("#"):
        return "", value[1:].strip()
    if comment >= 0:
        return value[:comment].rstrip(), value[comment + 2 :].strip()
    return value, ""
