"""Whether the author wrote something of their own after a line, before the next heading."""

from __future__ import annotations

from design_lsp.document import Document


def answered(document: Document, last: int, guidance: set[int]) -> bool:
    """Whether anything but guidance follows line `last` before the next heading."""
    return NextOwnText(document, guidance).after(last) < document.section_end(last)


class NextOwnText:
    """The first line after a given one that holds the author's own text (not blank, not
    guidance, not a comment delimiter): each line is looked at once, however many prompts ask."""

    def __init__(self, document: Document, guidance: set[int]) -> None:
        self._lines = document.lines
        self._guidance = guidance
        self._known: dict[int, int] = {}  # line -> first own line at or after it

    def after(self, line: int) -> int:
        start = line + 1
        walked: list[int] = []
        at = start
        while at < len(self._lines) and at not in self._known:
            text = self._lines[at].strip()
            if text and at not in self._guidance and not text.startswith(("<!--", "-->")):
                break
            walked.append(at)
            at += 1
        found = self._known.get(at, at)
        for skipped in walked:
            self._known[skipped] = found
        self._known[start] = found
        return found


def only_blank(document: Document, start: int, end: int) -> bool:
    return all(not document.lines[line].strip() for line in range(start, end))
