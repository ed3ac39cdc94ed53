"""Text from files and file names made safe to print.

A file name or heading can hold control characters: a newline starts a fake line (in CI, a fake
`::error::` workflow command), an escape sequence hides or rewrites what the terminal shows.
"""

from __future__ import annotations

import re

# C0 and C1 controls, DEL, line/paragraph separators, bidirectional overrides and isolates (they
# reorder what is shown), and lone surrogates (an undecodable file name; printing them fails).
_UNSAFE = re.compile(
    "[\x00-\x1f\x7f-\x9f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff]"
)


def printable(text: str) -> str:
    """`text` with every unsafe character written as a Python-style escape (`\\x1b`, `\\u202e`)."""
    return _UNSAFE.sub(_escape, text)


def printable_lines(text: str) -> str:
    """A message of several lines: each line made printable, the line breaks kept."""
    return "\n".join(printable(line) for line in text.split("\n"))


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"
