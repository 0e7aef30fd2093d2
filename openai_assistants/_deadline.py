"""The one deadline rule: an overall time limit that says, when it passes, what passed.

A ``Deadline`` is fixed when it is made (``max_wait`` seconds on the loop's clock; ``None`` means
no limit) and shared by everything one call awaits: the polls and sleeps of ``runs.poll``, every
request and tool round of a tool loop, the opening and continuing of a stream. ``run`` awaits one
step under it without a task per step (``asyncio.timeout_at``, or ``async_timeout`` before 3.11)
and raises the caller's error only when it was this deadline that fired: a timeout from inside
(a request's own ``timeout``, the pool's wait) comes out unchanged. A stream's reading is bounded
by ``at_expiry`` instead, a single timer for the whole stream rather than a wait per chunk.
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

if sys.version_info >= (3, 11):
    from asyncio import timeout_at as _timeout_at
else:  # pragma: no cover - exercised by the 3.10 leg of CI
    from async_timeout import timeout_at as _timeout_at

__all__ = ["Deadline"]

T = TypeVar("T")


class Deadline:
    """An overall time limit starting now; ``max_wait=None`` never passes."""

    __slots__ = ("_end", "_loop", "max_wait")

    def __init__(self, max_wait: float | None) -> None:
        self.max_wait = max_wait
        self._loop = asyncio.get_running_loop()
        self._end = None if max_wait is None else self._loop.time() + max_wait

    def __repr__(self) -> str:
        return f"<Deadline max_wait={self.max_wait} remaining={self.remaining()}>"

    def remaining(self) -> float | None:
        """Seconds left (negative once passed), or ``None`` without a limit."""
        return None if self._end is None else self._end - self._loop.time()

    def passed(self) -> bool:
        return self._end is not None and self._loop.time() >= self._end

    async def run(self, awaitable: Awaitable[T], expired: Callable[[], BaseException]) -> T:
        """Await ``awaitable``; if the deadline passes first, cancel it and raise ``expired()``.

        Anything ``awaitable`` raises itself, a transport timeout included, is raised unchanged.
        """
        if self._end is None:
            return await awaitable
        cm = _timeout_at(self._end)
        try:
            async with cm:
                return await awaitable
        except asyncio.TimeoutError:
            if _fired(cm):
                raise expired() from None
            raise

    def at_expiry(self, callback: Callable[[], Any]) -> asyncio.TimerHandle | None:
        """Call ``callback`` once when the deadline passes (cancel the handle to stop it)."""
        if self._end is None:
            return None
        return self._loop.call_at(self._end, callback)


def _fired(cm: Any) -> bool:
    """Whether this timeout context (``asyncio.Timeout`` or ``async_timeout``'s) expired."""
    expired = cm.expired
    return bool(expired() if callable(expired) else expired)
