"""How a template says that a section or a field may be left out.

Templates say it in many ways: a marker in the heading ("(optional)", "[optional]", "*if
applicable*"), or a sentence of guidance, visible or inside an HTML comment ("This section is
optional.", "Optional, but suggested for first drafts", "This section may be omitted if there
are none", "Omit this section if it's not applicable", "Only required for ...", "Section not
required until ..."). Words that merely mention the idea ("optionally", "non-optional",
"If applicable, describe ...") do not count.
"""

from __future__ import annotations

import re

# Put before a pattern that starts with whitespace used with search, sub, split or finditer:
# a match never starts inside a run of whitespace (one starting at the run's first character is
# found first anyway), so each run is scanned once, not once per character (100,000 spaces in a
# template line took minutes).
RUN_START = r"(?:(?<!\s)|(?!\s))"

# What a marker may say, inside brackets, parentheses or emphasis.
_MARKER_WORDS = (
    r"optional|if applicable|when applicable|where applicable|if any|if needed|if relevant"
    r"|as needed|as applicable|not required"
)
# A heading or field marker: "(optional)", "[Optional]", "\[optional\]", "*if applicable*",
# "_(optional)_", "<!-- optional -->"; a closing bracket lost at the very end still counts.
MARKER = re.compile(
    rf"{RUN_START}\s*[*_]{{0,2}}(?:\\?[\[(]\s*(?:{_MARKER_WORDS})\s*(?:\\?[\])]|$)"
    rf"|(?<![\w*_])[*_]{{1,2}}(?:{_MARKER_WORDS})[*_]{{1,2}}(?![\w*_])"
    rf"|<!--\s*(?:{_MARKER_WORDS})\s*-->)[*_]{{0,2}}\s*",
    re.IGNORECASE,
)
# "Optional: Appendix", "Appendix - optional", "Appendix (Optional section)".
_AFFIX = re.compile(
    rf"^\s*optional\s*[:\u2013\u2014-]\s+|{RUN_START}\s+[\u2013\u2014-]\s+optional\s*$"
    rf"|{RUN_START}\s*\((?:optional|if applicable) (?:section|subsection|field)\)\s*",
    re.IGNORECASE,
)

_PART = (
    r"(?:section|subsection|sub-section|field|header|heading|part|chapter|paragraph|entry"
    r"|element|item)"
)
_SUBJECT = rf"(?:this|the|that|these|such)\s+(?:[\w-]+\s+){{0,3}}?{_PART}s?"
# Sentences of guidance that make the section (or field) optional.
_OPTIONAL_SENTENCES = [
    # "This section is optional.", "This subsection is optional for non-Core proposals."
    rf"\b{_SUBJECT}\s+(?:is|are)\s+(?:\w+\s+)?optional\b",
    # "Optional, but suggested for first drafts", "Optional." (a sentence that starts so)
    r"^(?:note:\s*)?optional\s*(?:[,.:;!)\]\u2013\u2014-]|$)",
    # "This section may be omitted if there are none", "The field can be left out"
    rf"\b{_SUBJECT}\s+(?:\w+\s+)?(?:may|can|could|might|should)\s+(?:\w+\s+)?be\s+"
    r"(?:omitted|skipped|removed|deleted|dropped|left\s+out|left\s+blank|left\s+empty)\b",
    # "Omit this section if it's not applicable", "else remove this header"
    rf"(?<!not )(?<!n't )(?<!never )\b(?:omit|skip|remove|delete|drop|leave\s+out)\s+{_SUBJECT}\b",
    # "Section not required until targeted at a release", "This section is not required"
    rf"(?:^(?:note:\s*)?(?:{_PART}\s+)?|\b{_SUBJECT}\s+(?:is|are)\s+)not\s+"
    r"(?:required|mandatory|needed)\b",
    # "This is an optional element.", "This is an optional section. Feel free to remove."
    rf"^(?:note:\s*)?(?:this|it)\s+is\s+an?\s+optional\s+{_PART}\b",
    # "This is optional." as a sentence of its own
    r"^(?:note:\s*)?(?:this|it)\s+is\s+(?:entirely\s+)?optional\s*[.!]?$",
    # "Only required for Standards Track", "Required only when ..."
    r"^(?:note:\s*)?(?:this\s+is\s+)?(?:only\s+required|required\s+only)\b",
    rf"\b{_SUBJECT}\s+(?:is|are)\s+only\s+(?:required|needed|necessary)\b",
]
# "(optional)" anywhere in a sentence
_OPTIONAL_SENTENCES.append(r"\\?[\[(]\s*(?:optional|if applicable)\s*\\?[\])]")
_OPTIONAL = re.compile("|".join(f"(?:{p})" for p in _OPTIONAL_SENTENCES), re.IGNORECASE)
# A sentence ends at . ! ? followed by a space or line end (not "e.g." inside a word run).
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n\s*\n|\n\s*(?=[-*+] |\d+[.)] )")
_INLINE_MARKUP = re.compile(r"[*_`]+")


def strip_marker(title: str) -> tuple[str, str]:
    """The title without an optional marker, and the marker's words ("" when none)."""
    found = MARKER.search(title) or _AFFIX.search(title)
    if found is None:
        return title.strip(), ""
    stripped = (title[: found.start()] + " " + title[found.end() :]).strip()
    return stripped, _words(found.group(0))


def optional_sentence(guidance: str) -> str:
    """The sentence of `guidance` that makes its section optional ("" when none)."""
    text = _INLINE_MARKUP.sub("", guidance)
    for sentence in _SENTENCE_END.split(text):
        sentence = " ".join(sentence.split()).lstrip("-*+> ")
        if sentence and _OPTIONAL.search(sentence):
            return sentence
    return ""


# A section that exists for a case: its guidance opens with the case and what to do then ("If
# significant changes were suggested by others, take a moment here to thank them."). Not "If
# applicable, ..." and not a question ("If applicable, how will it be upgraded?").
_LIST_START = re.compile(r"\s*(?:[-*+]|\d+[.)])\s")
_FOR_A_CASE = re.compile(r"^if\s+(?!applicable\b)[^?]{8,}?,\s+[^?]*[.!]$", re.IGNORECASE)


def for_a_case(guidance: str) -> str:
    """The guidance's first sentence when it makes the section one for a case only (in a
    paragraph: a listed "If ..., ..." is one prompt among others)."""
    if _LIST_START.match(guidance):
        return ""
    text = " ".join(_INLINE_MARKUP.sub("", guidance).split())
    first = _SENTENCE_END.split(text, maxsplit=1)[0]
    return first if _FOR_A_CASE.match(first) else ""


def _words(marker: str) -> str:
    return " ".join(marker.replace("\\", "").split())
