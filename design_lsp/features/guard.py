"""Handlers never take the server down: failures are logged with a traceback, answers empty."""

from __future__ import annotations

import functools
import inspect
import logging
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar, cast

log = logging.getLogger("design_lsp.server")

F = TypeVar("F", bound=Callable[..., Any])


def guarded(default: Callable[[], Any] = lambda: None) -> Callable[[F], F]:
    """Wrap a handler (sync or async): exceptions are logged and `default()` is returned.

    `functools.wraps` keeps the signature, so pygls still injects the server into `ls`.
    """

    def decorate(fn: F) -> F:
        name = getattr(fn, "__name__", "handler")
        if inspect.iscoroutinefunction(fn):
            async_fn = cast(Callable[..., Awaitable[Any]], fn)

            @functools.wraps(fn)
            async def async_wrapper(*args: Any, **kwargs: Any) -> Any:
                try:
                    return await async_fn(*args, **kwargs)
                except Exception:
                    log.exception("%s failed", name)
                    return default()

            return cast(F, async_wrapper)

        @functools.wraps(fn)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            try:
                return fn(*args, **kwargs)
            except Exception:
                log.exception("%s failed", name)
                return default()

        return cast(F, wrapper)

    return decorate
