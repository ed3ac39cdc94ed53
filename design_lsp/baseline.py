"""A baseline: the findings a repository already had when it adopted design-lsp, so that a
check fails only on new ones.

A finding is known by its file (relative to the repository's top, '/' separators), code,
section path and subject (the first name the message quotes), never by its line: an edit
above it does not make it new. The baseline is a multiset: two identical findings need two
entries. The file is JSON, one finding a line, sorted, so that a change to it reads well in a
diff and in review.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import Literal, NamedTuple

from pydantic import BaseModel, ConfigDict, ValidationError

FORMAT_VERSION = 1

# A quoted name ends at a quote that no letter follows: "'Don't panic' is empty" quotes
# "Don't panic".
_QUOTED = re.compile(r"'(.+?)'(?!\w)")
_NUMBER = re.compile(r"\d+")


class BaselineError(Exception):
    """The baseline file cannot be used; the message names it."""


class Key(NamedTuple):
    path: str
    code: str
    section: tuple[str, ...] | None
    subject: str


class _Entry(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    path: str
    code: str
    section: tuple[str, ...] | None
    subject: str


class _File(BaseModel):
    model_config = ConfigDict(extra="forbid")
    version: Literal[1]
    findings: list[_Entry]


def subject(message: str) -> str:
    """What the message is about: the first name it quotes, else the message with its numbers
    left out (a line number in it moves with edits)."""
    quoted = _QUOTED.search(message)
    if quoted:
        return quoted.group(1)
    return _NUMBER.sub("#", " ".join(message.split()))


def key(path: str, code: str, section: Iterable[str] | None, message: str) -> Key:
    """`path` relative to the repository's top, with '/' separators."""
    return Key(path, code, tuple(section) if section is not None else None, subject(message))


def relative(path: str, root: str) -> str:
    """`path` as the baseline names it: relative to `root`, with '/' separators."""
    return os.path.relpath(os.path.abspath(path), root).replace(os.sep, "/")


def read(file: str) -> Counter[Key]:
    try:
        text = Path(file).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise BaselineError(
            f"{file}: no such baseline file (write one with --write-baseline {file})"
        ) from None
    except (OSError, UnicodeDecodeError) as error:
        raise BaselineError(f"{file}: cannot read the baseline: {error}") from None
    try:
        data = _File.model_validate_json(text)
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(map(str, first["loc"])) or "the file"
        raise BaselineError(
            f"{file}: not a design-lsp baseline (version {FORMAT_VERSION}): {where}: {first['msg']}"
        ) from None
    return Counter(Key(e.path, e.code, e.section, e.subject) for e in data.findings)


def write(file: str, keys: Iterable[Key]) -> None:
    """Replace `file` with these findings, all at once (a failed write leaves the old one)."""
    rows = sorted(keys, key=lambda k: (k.path, k.code, k.section or (), k.subject))
    entries = [
        json.dumps(
            {"path": k.path, "code": k.code, "section": k.section, "subject": k.subject},
            ensure_ascii=False,
        )
        for k in rows
    ]
    body = ",\n".join(f"    {entry}" for entry in entries)
    text = f'{{\n  "version": {FORMAT_VERSION},\n  "findings": [\n{body}\n  ]\n}}\n'
    if not entries:
        text = f'{{\n  "version": {FORMAT_VERSION},\n  "findings": []\n}}\n'
    # An undecodable file name holds lone surrogates: kept as JSON escapes, as in --format json.
    data = text.encode("utf-8", "backslashreplace")
    target = Path(file)
    try:
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(data)
            os.replace(tmp, target)
        except BaseException:
            os.unlink(tmp)
            raise
    except OSError as error:
        reason = error.strerror or error
        raise BaselineError(f"{file}: cannot write the baseline: {reason}") from None


def compare(baseline: Counter[Key], found: list[Key]) -> tuple[list[bool], Counter[Key]]:
    """Which of `found` are new (not in the baseline, counting repeats), and the baseline's
    entries no finding used: fixed since, or in files this run did not check."""
    left = baseline.copy()
    new = []
    for k in found:
        if left[k] > 0:
            left[k] -= 1
            new.append(False)
        else:
            new.append(True)
    return new, +left
