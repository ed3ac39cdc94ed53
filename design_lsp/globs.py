"""Path globs (`include = ["docs/**/*.md"]`) matched in time linear in the path for each glob.

A translation to a regex backtracks: `*a*a*a*a*a*a*a*a*b.md` against one 60-character name took
a minute. Here a glob is a small automaton, and matching follows every state it can be in at
once (each state visited once per character), so no glob can make a name slow to match.

`**/` spans directories (or none), `**` spans anything, `*` and `?` stay within one directory,
`[abc]`, `[a-z]` and `[!a-z]` (or `[^a-z]`) match one character within a directory.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

MAX_GLOB_LENGTH = 1000


class GlobError(ValueError):
    """A glob that cannot be used (the message says why)."""


Test = Callable[[str], bool]


def _within(ch: str) -> bool:
    return ch != "/"


def _anything(ch: str) -> bool:
    return True


@dataclass(slots=True)
class _State:
    test: Test | None = None  # consumes one character that passes, then goes to `next`
    next: int = -1
    empty: list[int] = field(default_factory=list)  # states reached without a character


@dataclass(slots=True)
class Glob:
    text: str
    states: list[_State]

    def matches(self, path: str) -> bool:
        """Whether the whole of `path` (relative, `/`-separated) matches."""
        accept = len(self.states)
        current = self._closure({0})
        for ch in path:
            following = {
                state.next
                for index in current
                if index < accept
                and (state := self.states[index]).test is not None
                and state.test(ch)
            }
            if not following:
                return False
            current = self._closure(following)
        return accept in current

    def _closure(self, start: set[int]) -> set[int]:
        seen, stack = set(start), list(start)
        while stack:
            index = stack.pop()
            if index == len(self.states):
                continue
            for target in self.states[index].empty:
                if target not in seen:
                    seen.add(target)
                    stack.append(target)
        return seen


def compile_glob(text: str) -> Glob:
    """The automaton of `text`; GlobError for a glob that cannot match as meant."""
    if len(text) > MAX_GLOB_LENGTH:
        raise GlobError(f"glob longer than {MAX_GLOB_LENGTH} characters")
    glob = text.removeprefix("./")
    states: list[_State] = []
    i = 0
    while i < len(glob):
        if glob.startswith("**/", i):
            _any_directories(states)
            i += 3
        elif glob.startswith("**", i):
            _loop(states, _anything)
            i += 2
        elif glob[i] == "*":
            _loop(states, _within)
            i += 1
        elif glob[i] == "?":
            _step(states, _within)
            i += 1
        elif glob[i] == "[" and (end := glob.find("]", i + 2)) != -1:
            _step(states, _character_class(glob[i + 1 : end]))
            i = end + 1
        else:
            _step(states, _literal(glob[i]))
            i += 1
    return Glob(text, states)


def _literal(expected: str) -> Test:
    return lambda ch: ch == expected


def _step(states: list[_State], test: Test) -> None:
    """One character passing `test`."""
    states.append(_State(test, len(states) + 1))


def _loop(states: list[_State], test: Test) -> None:
    """Any number of characters passing `test`: a choice (stop, or take one more) and the
    state that takes one and comes back to the choice."""
    choice = len(states)
    states.append(_State(None, -1, [choice + 2, choice + 1]))
    states.append(_State(test, choice))


def _any_directories(states: list[_State]) -> None:
    """`**/`: nothing, or any characters up to and including a '/'."""
    skip = len(states)
    choice, any_char, slash, after = skip + 1, skip + 2, skip + 3, skip + 4
    states.append(_State(None, -1, [after, choice]))
    states.append(_State(None, -1, [any_char, slash]))
    states.append(_State(_anything, choice))
    states.append(_State(_literal("/"), after))


def _character_class(body: str) -> Test:
    negated = body[:1] in ("!", "^") and len(body) > 1
    if negated:
        body = body[1:]
    singles: set[str] = set()
    ranges: list[tuple[str, str]] = []
    i = 0
    while i < len(body):
        if i + 2 < len(body) and body[i + 1] == "-":
            low, high = body[i], body[i + 2]
            if low > high:
                raise GlobError(f"bad character range {low}-{high} in [{body}]")
            ranges.append((low, high))
            i += 3
        else:
            singles.add(body[i])
            i += 1

    def test(ch: str) -> bool:
        inside = ch in singles or any(low <= ch <= high for low, high in ranges)
        return ch != "/" and inside != negated

    return test
