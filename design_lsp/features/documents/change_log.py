"""Which lines each change of an open document touched, so that a reparse takes the rest of the
document from the previous parse."""

from __future__ import annotations

# A change: (first line, old end line, new end line), end lines exclusive; None for a change
# of the whole text.
Change = tuple[int, int, int]

_KEPT = 4096  # changes remembered; a parse older than that is redone whole
_TRIM = 2048


class ChangeLog:
    def __init__(self) -> None:
        self._entries: list[Change | None] = []
        self._base = 0  # how many changes were trimmed from the front

    @property
    def count(self) -> int:
        """How many changes were recorded so far."""
        return self._base + len(self._entries)

    def record(self, change: Change | None) -> None:
        self._entries.append(change)
        if len(self._entries) > _KEPT:
            del self._entries[:_TRIM]
            self._base += _TRIM

    def between(self, since: int, until: int) -> Change | None:
        """The lines changes `since`..`until` touched, as one change in the lines of version
        `until`; None when unknown (a whole-text change, a trimmed log)."""
        if since < self._base or since >= until or until > self.count:
            return None
        merged: Change | None = None
        for change in self._entries[since - self._base : until - self._base]:
            if change is None:
                return None
            merged = change if merged is None else merge_changes(merged, change)
        return merged


def merge_changes(first: Change, then: Change) -> Change:
    """One change covering `first` followed by `then`."""
    s1, oe1, ne1 = first
    s2, oe2, ne2 = then
    if ne1 <= s2:
        e1 = ne1
    elif ne1 >= oe2:
        e1 = ne1 + ne2 - oe2
    else:
        e1 = ne2
    start, end = min(s1, s2), max(e1, ne2)
    return start, end - (ne1 - oe1) - (ne2 - oe2), end
