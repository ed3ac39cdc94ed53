"""The event loop's thread: the only one that writes to the client.

A frame is written in several writes (header, then parts: see `wire.write`); a message sent from
another thread could land between them and corrupt the stream. Code off the loop hands its
messages over with `call_on_loop`; the writers call `check_on_loop`, which logs loudly (and
raises under `DESIGN_LSP_STRICT_THREADS=1`, which the tests set) when a write comes from elsewhere.
"""

from __future__ import annotations

import asyncio
import logging
import os
import threading
from collections.abc import Callable
from typing import Any

log = logging.getLogger(__name__)

_loop: asyncio.AbstractEventLoop | None = None
_thread: int | None = None


class OffLoopWrite(RuntimeError):
    """A message to the client was about to be written from a thread other than the loop's
    (or a document parsed, or the config files read, on the loop)."""


def bind(loop: asyncio.AbstractEventLoop) -> None:
    """Record the serving loop; called on it, once it runs."""
    global _loop, _thread
    _loop, _thread = loop, threading.get_ident()


def on_loop() -> bool:
    """True on the loop's thread, and when no loop is bound (unit tests, the CLI)."""
    return _thread is None or threading.get_ident() == _thread


def is_loop_thread() -> bool:
    """True only on the bound loop's thread (False when none is bound)."""
    return _thread is not None and threading.get_ident() == _thread


def check_off_loop(what: str) -> None:
    """Parsing, analysing and reading files belong to the scheduler's threads: on the loop it
    is logged as a bug (and raises in strict mode); the loop would stop receiving for as long
    as it takes."""
    if is_loop_thread():
        log.error("BUG: %s on the event loop", what)
        if strict():
            raise OffLoopWrite(f"{what} on the event loop")


def call_on_loop(fn: Callable[..., Any], *args: Any) -> None:
    """Run `fn(*args)` on the loop: now when already there, else as soon as the loop can."""
    if on_loop() or _loop is None or _loop.is_closed():
        fn(*args)
        return
    _loop.call_soon_threadsafe(fn, *args)


def strict() -> bool:
    return os.environ.get("DESIGN_LSP_STRICT_THREADS") == "1"


def check_on_loop(what: str) -> bool:
    """Whether a write may go ahead here; off the loop it is logged as the bug it is, and
    raises `OffLoopWrite` in strict mode."""
    if on_loop():
        return True
    name = threading.current_thread().name
    log.error("BUG: %s written from thread %r, not the event loop's", what, name)
    if strict():
        raise OffLoopWrite(f"{what} written from thread {name!r}")
    return False
