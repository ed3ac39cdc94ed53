"""Line-level inline helpers: plain text, `[...]` pairs, task boxes, fields, container prefixes.

Every regular expression here is linear in the line length (character classes stop at the next
delimiter), so a pathological multi-megabyte line costs no more than reading it.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Collection, Iterable
from typing import NamedTuple

# Leading block-quote markers, list markers and indentation of a line.
CONTAINER_PREFIX = re.compile(r"(?:[ \t]*(?:>|(?:[-+*]|\d{1,9}[.)])(?=[ \t]|$)))*[ \t]*")
TASK_BOX = re.compile(r"\[[ xX]\](?:[ \t]+|$)")

# (Patterns that open with a character class or literal let `re` skip ahead to a candidate; an
# opening lookbehind or `!?` makes it try every position, ~10 times slower on a long line. The
# lookbehinds of `_EMPHASIS` therefore look back past the first character of its run.)
_LINK = re.compile(r"(?:!\[|\[)([^\[\]]*)\](?:\([^()]*\)|\[[^\[\]]*\])")
_AUTOLINK = re.compile(r"<([A-Za-z][A-Za-z0-9+.-]{1,31}:[^\s<>]*|[^\s<>@]+@[^\s<>@]+)>")
_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?>|<!--[^<>]*-->")
_EMPHASIS = re.compile(  # a left-flanking or right-flanking run of `*`, `_` or `~`
    r"[*_~](?:(?<![\w\\][*_~])[*_~]*(?=\S)|(?<=[^\s\\][*_~])[*_~]*(?!\w))"
)
_TICKS = re.compile(r"`+")
_ESCAPE = re.compile(r"\\[!-/:-@\[-`{-~]")
_BRACKET = re.compile(r"[\[\]]")
_BOLD_NAME = re.compile(r"(\*\*|__)(?=[^\s*_])([^*_]+?)(?<=[^\s*_])\1")
_NAME_CHAR = r"(?:[^\W\d_]|['’&/#-])"  # a letter, or punctuation found inside names
_PLAIN_NAME = re.compile(rf"[^\W\d_]{_NAME_CHAR}*(?: {_NAME_CHAR}+){{0,3}}(?=:(?:[ \t]|$))")


def plain_text(text: str) -> str:
    """`text` without inline markup (emphasis, code ticks, links, tags, escapes), whitespace
    collapsed."""
    # (one substring test per character: many times faster than a set or regex scan)
    if not (
        "*" in text
        or "_" in text
        or "~" in text
        or "`" in text
        or "[" in text
        or "<" in text
        or "\\" in text
    ):
        return collapse_spaces(text)
    if "[" in text:
        text = _LINK.sub(r"\1", text)
    if "<" in text:
        text = _TAG.sub("", _AUTOLINK.sub(r"\1", text))
    if "`" in text:
        text = text.replace("`", "")
    if "*" in text or "_" in text or "~" in text:
        text = _EMPHASIS.sub("", text)
    if "\\" in text:
        text = _ESCAPE.sub(lambda match: match.group(0)[1], text)
    return collapse_spaces(text)


def collapse_spaces(text: str) -> str:
    """`" ".join(text.split())`: whitespace runs as one space, none at either end."""
    if (
        text.isascii()
        and text.isprintable()  # (then its only whitespace character is the space)
        and "  " not in text
        and text[:1] != " "
        and text[-1:] != " "
    ):
        return text  # nothing to collapse: no need to split a long line into words
    return " ".join(text.split())


def normalize_label(label: str) -> str:
    """Link label normalization (CommonMark: case-fold, collapse whitespace)."""
    return " ".join(label.split()).casefold()


# --- brackets -------------------------------------------------------------------------------


def bracket_pairs(
    line: str, start: int, end: int, excluded: Iterable[tuple[int, int]]
) -> list[tuple[int, int]]:
    """Outermost balanced `[...]` pairs in line[start:end] as (start, end) columns, outside the
    `excluded` ranges."""
    skips = _merge(excluded)
    skip = 0
    openers: list[int] = []
    pairs: list[tuple[int, int]] = []
    for match in _BRACKET.finditer(line, start, end):
        col = match.start()
        while skip < len(skips) and skips[skip][1] <= col:
            skip += 1
        if skip < len(skips) and skips[skip][0] <= col:
            continue
        if line[col] == "[":
            openers.append(col)
        elif openers:
            pairs.append((openers.pop(), col + 1))
    pairs.sort()
    outer: list[tuple[int, int]] = []
    for pair in pairs:
        if not outer or pair[0] >= outer[-1][1]:
            outer.append(pair)
    return outer


def is_placeholder(
    line: str, pair: tuple[int, int], labels: Collection[str], task_col: int
) -> bool:
    """Whether a bracket pair is prose: no link syntax, footnote, defined label or task box."""
    start, end = pair
    if line[end : end + 1] in ("(", "[") or (start > 0 and line[start - 1] == "]"):
        return False  # [x](y), [x][y], [x][] (defined or not: the author meant a link)
    inner = line[start + 1 : end - 1]
    if inner.startswith("^"):
        return False  # footnote reference or definition
    if start == task_col and inner in (" ", "x", "X"):
        return False
    return not (labels and normalize_label(inner) in labels)


def line_exclusions(line: str, start: int, end: int) -> list[tuple[int, int]]:
    """Ranges of line[start:end] that hold no literal brackets, found without a parser:
    backslash escapes, code spans, autolinks and HTML tags (fallback for huge or deep chunks)."""
    found = [match.span() for match in _ESCAPE.finditer(line, start, end)]
    found += code_spans(line, start, end)
    found += [match.span() for match in _AUTOLINK.finditer(line, start, end)]
    found += [match.span() for match in _TAG.finditer(line, start, end)]
    return found


def code_spans(line: str, start: int, end: int) -> list[tuple[int, int]]:
    """Code spans on one line: a backtick run up to the next run of the same length."""
    runs = [match.span() for match in _TICKS.finditer(line, start, end)]
    by_length: dict[int, list[int]] = {}
    for index, (run_start, run_end) in enumerate(runs):
        by_length.setdefault(run_end - run_start, []).append(index)
    spans: list[tuple[int, int]] = []
    index = 0
    while index < len(runs):
        run_start, run_end = runs[index]
        same = by_length[run_end - run_start]
        nxt = bisect_right(same, index)
        if nxt < len(same):
            spans.append((run_start, runs[same[nxt]][1]))
            index = same[nxt] + 1
        else:
            index += 1
    return spans


def _merge(ranges: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(ranges):
        if merged and start <= merged[-1][1]:
            if end > merged[-1][1]:
                merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return merged


# --- fields ---------------------------------------------------------------------------------


class FieldMatch(NamedTuple):
    name: str
    name_start: int
    name_end: int
    value_start: int
    value_end: int


def _has_upper(text: str, end: int) -> bool:
    """Whether the first word of `text[:end]` has a capital letter."""
    word = text[: min(end, text.find(" ") % (len(text) + 1))]
    return not word.islower()


def parse_field(text: str, plain: bool = True) -> FieldMatch | None:
    """`**Name**: value`, `**Name:** value`, `__Name__: value` or (if `plain`) `Name: value`.

    Columns are offsets in `text`; an empty value gets an empty range right after colon and space.
    """
    bold = _BOLD_NAME.match(text)
    if bold is not None:
        name_start, name_end, after = bold.start(2), bold.end(2), bold.end()
        if text[name_end - 1] == ":" and text[after : after + 1] != ":":
            name_end -= 1
        elif text[after : after + 1] == ":":
            after += 1
        else:
            return None
        while name_end > name_start and text[name_end - 1] in " \t":
            name_end -= 1
        name = plain_text(text[name_start:name_end])
    elif plain:
        match = _PLAIN_NAME.match(text)
        # (a name is capitalised, or a word like "iOS" is: prose "note: ..." is not a field)
        if match is None or not (text[0].isupper() or _has_upper(text, match.end())):
            return None
        name_start, name_end, after = 0, match.end(), match.end() + 1
        name = text[:name_end]
    else:
        return None
    if not name:
        return None
    value_end = len(text.rstrip())
    value_start = len(text) - len(text[after:].lstrip())
    if value_start >= value_end:
        value_start = value_end = after + (1 if text[after : after + 1] in (" ", "\t") else 0)
    return FieldMatch(name, name_start, name_end, value_start, value_end)


# One entry of a table of contents: a link to one of the document's own headings, listed or not.
_CONTENTS_LINE = re.compile(r"\s*(?:(?:[-*+]|\d+[.)])\s+)?\[[^\]]*\]\(#[^)]*\)\s*")


def table_of_contents(lines: Iterable[str]) -> bool:
    """Whether text (its lines) is only a table of contents: links to the document's own
    headings, one per line, listed or not (HTML comments such as `<!-- toc -->` aside)."""
    found = False
    for line in lines:
        text = _TAG.sub("", line).strip()
        if not text:
            continue
        if _CONTENTS_LINE.fullmatch(text) is None:
            return False
        found = True
    return found
