"""Guidance text: what a template says to the author, compared by meaning rather than by line.

Text is compared normalised (markup gone, case folded, whitespace and typographic quotes
unified), per paragraph and per sentence, so guidance re-wrapped by an editor, or moved out of
an HTML comment, is still recognised.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from design_lsp.document.inline import plain_text

MIN_WORDS = 4  # shorter sentences ("Needs discussion.") are too common to be telling
MIN_CHARS = 20
LEFT_OVER = 0.6  # share of a paragraph's text that is guidance for it to count as left over

_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"'})
_SENTENCE = re.compile(r"(?<=[.!?])[\"')\]]*\s+")
_MORE_SENTENCES = re.compile(r"[.!?][\"')\]]*\s")


def normalize(text: str) -> str:
    """Plain, case-folded text with one space between words and straight quotes."""
    return fold(" ".join(plain_text(text).split()))


def fold(plain: str) -> str:
    """`normalize` for text that is plain already with one space between words (a document's
    prose facts): only quotes and case change."""
    return plain.translate(_QUOTES).casefold()


def sentences(normalized: str) -> list[str]:
    return [part for part in _SENTENCE.split(normalized) if part]


def telling(sentence: str) -> bool:
    """Whether a sentence is long enough to be recognised on its own."""
    return len(sentence) >= MIN_CHARS and sentence.count(" ") + 1 >= MIN_WORDS


@dataclass(frozen=True, slots=True)
class Guidance:
    paragraphs: frozenset[str]  # whole normalised paragraphs
    sentences: frozenset[str]  # their telling sentences
    heads: frozenset[str] = frozenset()  # the first two words of each of them
    # The template writes (some of) its guidance as quotations ("> Why are we doing this?"):
    # a quotation in a document may then be guidance left over, not the author citing.
    quoted: bool = False

    def left_over(self, normalized: str) -> tuple[bool, bool]:
        """(whether a document paragraph is mostly guidance, whether all of that is questions)."""
        if not normalized:
            return False, False
        if normalized in self.paragraphs:
            return True, normalized.endswith("?")
        if _head(normalized) not in self.heads and not _MORE_SENTENCES.search(normalized):
            return False, False  # one sentence that starts like no guidance: most paragraphs
        covered = 0
        questions = True
        for sentence in sentences(normalized):
            if sentence in self.sentences:
                covered += len(sentence)
                questions = questions and sentence.endswith("?")
        return covered >= LEFT_OVER * len(normalized), questions


def build(paragraphs: list[str], quoted: bool = False) -> Guidance:
    """Guidance from the template's normalised paragraphs."""
    kept = [p for p in paragraphs if telling(p) or len(p) >= MIN_CHARS]
    told = frozenset(s for p in kept for s in sentences(p) if telling(s))
    return Guidance(frozenset(kept), told, frozenset(map(_head, [*kept, *told])), quoted)


def _head(normalized: str) -> str:
    return " ".join(normalized.split(None, 2)[:2])
