"""User-supplied placeholder patterns, matched with a time bound.

A pattern from a config file (`placeholders = [...]`) could backtrack for hours on one line
(`(a|aa)+$`). Patterns are compiled with the `regex` package, whose matching takes a timeout;
each pattern gets a budget per analysis, and all of a config's patterns share a total one (a
config holds at most MAX_PATTERNS), so forty bad patterns cost what one does. A pattern that runs
out is skipped for the rest of that analysis (logged once): a fraction of a second, never a hang.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Iterator
from typing import Any

import regex  # type: ignore[import-untyped]

log = logging.getLogger(__name__)

BUDGET_SECONDS = 0.25  # per pattern and analysis
TOTAL_BUDGET_SECONDS = 0.5  # all of the config's patterns together, per analysis
MAX_PATTERN_CHARS = 1000
MAX_PATTERNS = 64  # per config: more is a config error


class Budget:
    """Seconds of matching left, shared by the patterns of one analysis."""

    def __init__(self, seconds: float = TOTAL_BUDGET_SECONDS) -> None:
        self.left = seconds


class PatternError(ValueError):
    """A placeholder pattern that cannot be used."""


def compile_pattern(pattern: str) -> Any:
    """Compile a user pattern (raises PatternError with a reason)."""
    if len(pattern) > MAX_PATTERN_CHARS:
        raise PatternError(f"pattern longer than {MAX_PATTERN_CHARS} characters")
    try:
        return regex.compile(pattern, regex.VERSION0)
    except (regex.error, ValueError, TypeError, OverflowError, RecursionError) as exc:
        raise PatternError(f"invalid regular expression: {exc}") from exc


class BoundedPattern:
    """`finditer` over lines with a shared time budget; empty once the budget is spent."""

    def __init__(self, pattern: str | re.Pattern[str], shared: Budget | None = None) -> None:
        self.source = pattern if isinstance(pattern, str) else pattern.pattern
        self._trusted = None if isinstance(pattern, str) else pattern  # compiled by our own code
        self._compiled: Any = compile_pattern(pattern) if isinstance(pattern, str) else None
        self._left = BUDGET_SECONDS
        self._shared = shared if shared is not None else Budget()
        self._exhausted = False

    @property
    def trusted(self) -> bool:
        """Compiled by the engine from the template itself, not taken from a user's config."""
        return self._trusted is not None

    def finditer(self, text: str) -> Iterator[Any]:
        if self._trusted is not None:
            yield from self._trusted.finditer(text)
            return
        left = min(self._left, self._shared.left)
        if self._exhausted or left <= 0:
            return
        started = time.perf_counter()
        try:
            found = list(self._compiled.finditer(text, timeout=max(left, 0.001)))
        except TimeoutError:
            self._exhausted = True
            log.warning("placeholder pattern %r too slow: skipped for this document", self.source)
            return
        finally:
            spent = time.perf_counter() - started
            self._left -= spent
            self._shared.left -= spent
        yield from found
