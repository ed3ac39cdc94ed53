"""Template blocks as text to insert: heading levels shifted, snippet tab stops, line endings."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from design_lsp.template import Template

_ATX = re.compile(r"^( {0,3})(#{1,6})(?=[ \t]|$)")
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_BRACKET = re.compile(r"\[[^\]\n]*\]")


def heading_flags(lines: Sequence[str]) -> list[int]:
    """The ATX heading level of each line (0 for other lines), fenced code skipped."""
    flags: list[int] = []
    fence: str | None = None
    for line in lines:
        match = _FENCE.match(line)
        if fence is not None:
            if match and match.group(1)[0] == fence[0] and len(match.group(1)) >= len(fence):
                fence = None
            flags.append(0)
            continue
        if match:
            fence = match.group(1)
            flags.append(0)
            continue
        atx = _ATX.match(line)
        flags.append(len(atx.group(2)) if atx else 0)
    return flags


def shift_levels(lines: Sequence[str], delta: int) -> list[str]:
    """Every heading in `lines` moved `delta` levels (kept within 1..6)."""
    if delta == 0:
        return list(lines)
    out: list[str] = []
    for line, level in zip(lines, heading_flags(lines), strict=True):
        if level:
            atx = _ATX.match(line)
            assert atx is not None
            new = max(1, min(6, level + delta))
            line = atx.group(1) + "#" * new + line[atx.end(2) :]
        out.append(line)
    return out


def template_lines(template: Template, file_stem: str | None = None) -> list[str]:
    """The whole template as a new document starts (see `template.render`: the title from the
    file's name, today's date, first choices), trailing blank lines dropped."""
    from datetime import date

    from design_lsp.template.render import humanize, render_new

    spec = template.title
    title = humanize(file_stem) if file_stem else (spec.placeholder if spec else "") or ""
    lines = render_new(template, title, date.today()).split("\n")
    while lines and not lines[-1].strip():
        lines.pop()
    return lines


def file_stem(uri: str) -> str | None:
    """The document's file name without its extension (None for an untitled buffer)."""
    from pathlib import Path

    from design_lsp.features.uris import uri_to_path

    path = uri_to_path(uri)
    return Path(path).stem or None if path else None


def escape_snippet(text: str) -> str:
    return text.replace("\\", "\\\\").replace("$", "\\$").replace("}", "\\}")


def to_snippet(lines: Sequence[str], eol: str) -> str:
    """A snippet: each run of body text between headings is a tab stop, the title's
    `[placeholder]` too; the cursor ends after the block."""
    flags = heading_flags(lines)
    parts: list[str] = []
    stop = 1
    index = 0
    while index < len(lines):
        if flags[index]:
            line = lines[index]
            bracket = _BRACKET.search(line) if flags[index] == 1 else None
            if bracket is not None:
                parts.append(
                    escape_snippet(line[: bracket.start()])
                    + f"${{{stop}:{escape_snippet(bracket.group(0))}}}"
                    + escape_snippet(line[bracket.end() :])
                )
                stop += 1
            else:
                parts.append(escape_snippet(line))
            index += 1
            continue
        end = index
        while end < len(lines) and not flags[end]:
            end += 1
        run = list(lines[index:end])
        lead = 0
        while lead < len(run) and not run[lead].strip():
            lead += 1
        trail = len(run)
        while trail > lead and not run[trail - 1].strip():
            trail -= 1
        parts.extend(escape_snippet(line) for line in run[:lead])
        if trail > lead:
            body = eol.join(escape_snippet(line) for line in run[lead:trail])
            parts.append(f"${{{stop}:{body}}}")
            stop += 1
        parts.extend(escape_snippet(line) for line in run[trail:])
        index = end
    return eol.join(parts) + "$0"
