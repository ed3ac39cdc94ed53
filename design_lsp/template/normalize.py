"""Forgiving title matching: the one definition of when two headings name the same section."""

from __future__ import annotations

import re
from difflib import SequenceMatcher

# "(optional)" / "(if applicable)" in any case, with the spaces around it.
OPTIONAL_MARKER = re.compile(r"\s*\((?:if applicable|optional)\)\s*", re.IGNORECASE)
_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)|!?\[([^\]]*)\]\[[^\]]*\]")
_HTML_TAG = re.compile(r"</?[A-Za-z][^>]*>")
_MARKUP = re.compile(r"[*`~]|(?<!\w)_+|_+(?!\w)")
# Leading numbering: "3.", "3.1", "3.1.", "3)", "A.", "IV.", "(a)", "§2".
_NUMBERING = re.compile(
    r"^\s*(?:§\s*)?(?:\d+(?:\.\d+)*[.)]?|[A-Za-z][.)]|[IVXLCDMivxlcdm]+[.)]|\([A-Za-z0-9]+\))\s+"
)
_CLOSING = re.compile(r"[\s:#]+$")
_SEPARATORS = re.compile("[\\s\\-_\u2010-\u2015]+")
# A numbered title: "Component 1", "Phase 2: Core Features", "Alternative 3".
_NUMBERED = re.compile(r"^(?P<stem>.*?\S)\s+#?(?P<number>\d+)\b(?P<rest>.*)$")

NEAR_MISS_RATIO = 0.85


def plain_text(markdown: str) -> str:
    """Inline Markdown to plain text: links to their text, markup and tags removed."""
    text = _LINK.sub(lambda m: m.group(1) if m.group(1) is not None else m.group(2), markdown)
    text = _HTML_TAG.sub("", text)
    text = _MARKUP.sub("", text)
    return " ".join(text.split())


def strip_optional(title: str) -> tuple[str, bool]:
    """The title without its optional marker, and whether it had one."""
    stripped = OPTIONAL_MARKER.sub(" ", title).strip()
    return stripped, stripped != title.strip()


def strip_numbering(title: str) -> str:
    return _NUMBERING.sub("", title, count=1)


def display_title(heading_text: str) -> str:
    """What a heading says, for messages: plain text, no leading numbering, no trailing ':'."""
    return _CLOSING.sub("", strip_numbering(plain_text(heading_text))).strip()


def title_key(heading_text: str) -> str:
    """The matching key: case, numbering, markup, ':', closing #s and -/_/space ignored."""
    text, _ = strip_optional(display_title(heading_text))
    return _SEPARATORS.sub("", text.casefold())


def numbered(title: str) -> tuple[str, int] | None:
    """("Component", 1) for "Component 1"; None when the title carries no number."""
    match = _NUMBERED.match(display_title(title))
    if match is None:
        return None
    return match.group("stem"), int(match.group("number"))


def near_miss(a: str, b: str) -> bool:
    """Whether two keys differ only by a typo."""
    if not a or not b or abs(len(a) - len(b)) > max(2, len(b) // 5):
        return False
    return SequenceMatcher(None, a, b, autojunk=False).ratio() >= NEAR_MISS_RATIO
