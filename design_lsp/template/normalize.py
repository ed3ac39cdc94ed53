"""Forgiving title matching: the one definition of when two headings name the same section."""

from __future__ import annotations

import re
import unicodedata
from difflib import SequenceMatcher
from functools import lru_cache

from design_lsp.template.markers import strip_marker

# Inner classes exclude the opening delimiter too: a scan from one `[` or `<` stops at the next,
# so "[[[[..." or "<a <a <a..." costs linear time instead of quadratic (5 MB lines exist).
_LINK = re.compile(r"!?\[([^\[\]]*)\]\([^)\[]*\)|!?\[([^\[\]]*)\]\[[^\[\]]*\]")
_HTML_TAG = re.compile(r"</?[A-Za-z][^<>]*>|<!--.*?-->")
_MARKUP = re.compile(r"[*`~]|(?<!\w)_+|_+(?!\w)")
# Leading numbering: "3.", "3.1", "3.1.", "3)", "A.", "IV.", "(a)", "§2".
_NUMBERING = re.compile(
    r"^\s*(?:§\s*)?(?:\d+(?:\.\d+)*[.)]?|[A-Za-z][.)]|[IVXLCDMivxlcdm]+[.)]|\([A-Za-z0-9]+\))\s+"
)
_CLOSING = re.compile(r"(?<![\s:#])[\s:#]+$")  # from a run's start only: linear
_SEPARATORS = re.compile("[\\s\\-_\u2010-\u2015]+")
# A numbered title: "Component 1", "Phase 2: Core Features", "Alternative 3".
_NUMBERED = re.compile(r"^(?P<stem>.*?\S)\s+#?(?P<number>\d+)\b(?P<rest>.*)$")

NEAR_MISS_RATIO = 0.85


_MARKUP_CHARS = frozenset("[<*`~_")
# Characters that show nothing (zero-width space, non-joiner and joiner, word joiner, BOM),
# and the typographic forms an editor or a word processor puts for ASCII ones: an arrow for
# "->", curly quotes, an ellipsis.
_TYPED: dict[int, str | None] = {
    **dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff")),
    ord("\u2192"): "->",
    ord("\u21d2"): "=>",
    ord("\u2018"): "'",
    ord("\u2019"): "'",
    ord("\u201c"): '"',
    ord("\u201d"): '"',
    ord("\u2026"): "...",
}


def canonical(text: str) -> str:
    """`text` as matching compares it: composed (NFC), zero-width characters dropped, typographic
    arrows, quotes and ellipses as their ASCII forms. "é" typed as "e" plus a combining accent,
    or pasted with a stray U+200B, is the same "é"; "Dev Preview → Tech Preview" is the same
    title as "Dev Preview -> Tech Preview"."""
    if text.isascii():
        return text
    return unicodedata.normalize("NFC", text.translate(_TYPED))


def plain_text(markdown: str) -> str:
    """Inline Markdown to plain text: links to their text, markup and tags removed."""
    if _MARKUP_CHARS.isdisjoint(markdown):
        return " ".join(markdown.split())  # nothing for the expressions below to match
    text = _LINK.sub(lambda m: m.group(1) if m.group(1) is not None else m.group(2), markdown)
    text = _HTML_TAG.sub("", text)
    text = _MARKUP.sub("", text)
    return " ".join(text.split())


def strip_numbering(title: str) -> str:
    return _NUMBERING.sub("", title, count=1)


# A heading's attributes at its end, as Pandoc, kramdown and markdown-it write them: an anchor
# id or a class ("## Objective {#objective}", "## Alternatives { #alternatives }"), not its name.
_ATTRIBUTES = re.compile(r"\s*\{\s*[#.][^{}]*\}\s*$")


def display_title(heading_text: str) -> str:
    """What a heading says, for messages: plain text, no leading numbering, no trailing ':' and
    no trailing `{#id}` attributes."""
    text = plain_text(heading_text)
    if "{" in text:
        text = _ATTRIBUTES.sub("", text)
    return _CLOSING.sub("", strip_numbering(text)).strip()


@lru_cache(maxsize=1 << 16)  # pure; a server re-analyses the same headings on every edit
def title_key(heading_text: str) -> str:
    """The matching key: case, numbering, markup, ':', closing #s, -/_/space, optional markers,
    Unicode composition, zero-width characters, typographic arrows and quotes, and British or
    American spelling ignored."""
    text, _ = strip_marker(display_title(canonical(heading_text)))
    return _SEPARATORS.sub("", _SPELLING.sub(_american, text.casefold()))


@lru_cache(maxsize=1 << 12)
def field_key(name: str) -> str:
    """A field name's key: as `title_key`, singular and plural alike ("Author(s)", "Authors")."""
    key = title_key(name)
    key = key.removesuffix("(s)")
    return key[:-1] if len(key) > 3 and key.endswith("s") else key


# English spelling variants name the same section: "Acknowledgements", "Behaviour", "Organise".
_SPELLING = re.compile(
    r"(?<=dg)ement|(?<=[ilvmnb])our\b|(?<=[a-z]{2})is(?=e[sd]?\b|ing\b|ation)|(?<=[a-z]{2})yse\b"
    r"|(?<=licen|defen|offen)ce\b|(?<=[a-z]{3})tre\b|(?<=[a-z]{3})ogue\b|(?<=program)me\b"
)
_AMERICAN = {"ement": "ment", "our": "or", "is": "iz", "yse": "yze", "ce": "se", "tre": "ter",
             "ogue": "og", "me": ""}


def _american(match: re.Match[str]) -> str:
    return _AMERICAN[match.group(0)]


@lru_cache(maxsize=1 << 16)
def numbered(title: str) -> tuple[str, int] | None:
    """("Component", 1) for "Component 1"; None when the title carries no number."""
    match = _NUMBERED.match(display_title(title))
    if match is None:
        return None
    return match.group("stem"), int(match.group("number"))


@lru_cache(maxsize=1 << 16)
def near_miss(a: str, b: str) -> bool:
    """Whether two keys differ only by a typo: one letter changed, added, dropped or swapped
    (in a title of five letters or more), or most letters alike in a longer one."""
    if not a or not b or abs(len(a) - len(b)) > max(2, len(b) // 5):
        return False
    if len(a) != len(b) and (a.endswith(b) or b.endswith(a)):
        return False  # a word put in front ("Demotivation", "Non-goals"): not a typo
    if min(len(a), len(b)) >= 5 and _one_edit(a, b):
        return True
    # The characters the two share (as multisets) bound the ratio from above, cheaply: most
    # pairs stop here (a document with 100,000 headings compares each with every template key).
    if 2 * _shared_chars(a, b) < NEAR_MISS_RATIO * (len(a) + len(b)):
        return False
    return SequenceMatcher(None, a, b, autojunk=False).ratio() >= NEAR_MISS_RATIO


def _one_edit(a: str, b: str) -> bool:
    """Whether `a` and `b` differ by exactly one substitution, insertion, deletion or swap of
    neighbours."""
    if a == b:
        return False
    if len(a) > len(b):
        a, b = b, a
    start = 0
    while start < len(a) and a[start] == b[start]:
        start += 1
    if len(a) == len(b):
        if a[start + 1 :] == b[start + 1 :]:
            return True
        pair = b[start + 1 : start + 2] + b[start : start + 1]
        return a[start : start + 2] == pair and a[start + 2 :] == b[start + 2 :]
    return len(b) - len(a) == 1 and a[start:] == b[start + 1 :]


def _shared_chars(a: str, b: str) -> int:
    counts: dict[str, int] = {}
    for ch in b:
        counts[ch] = counts.get(ch, 0) + 1
    shared = 0
    for ch in a:
        left = counts.get(ch, 0)
        if left:
            counts[ch] = left - 1
            shared += 1
    return shared
