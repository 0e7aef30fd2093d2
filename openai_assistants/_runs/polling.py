"""Polling a run until it settles: the delay rule (pure) and the watch loop with a deadline.

The server's ``openai-poll-after-ms`` is read again on every response. Without it the delay
starts short and grows to a cap, so an unknown status keeps being polled, gently, instead of
spinning. ``max_wait`` bounds the whole wait, requests included.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from typing import Final, TypeVar

from .._errors import APITimeoutError, RunTimeoutError
from .._http.transport import APIResponse
from ..models import Run

__all__ = [
    "TERMINAL_STATUSES",
    "MIN_POLL_INTERVAL",
    "INITIAL_POLL_INTERVAL",
    "MAX_POLL_INTERVAL",
    "poll_delay",
    "watch_run",
]

T = TypeVar("T")

#: Statuses a run stops in until someone acts: polling ends at any of them.
TERMINAL_STATUSES: Final = frozenset(
    {"requires_action", "completed", "failed", "cancelled", "expired", "incomplete"}
)
MIN_POLL_INTERVAL: Final = 0.01
INITIAL_POLL_INTERVAL: Final = 0.25
MAX_POLL_INTERVAL: Final = 5.0
_BACKOFF: Final = 1.5


def poll_delay(
    previous: float | None, headers: Mapping[str, str], interval: float | None = None
) -> float:
    """Seconds to wait before the next poll.

    A fixed ``interval`` wins; then the server's ``openai-poll-after-ms``; otherwise the delay
    grows from ``INITIAL_POLL_INTERVAL`` by half each time up to ``MAX_POLL_INTERVAL``. Never
    below ``MIN_POLL_INTERVAL``, whatever the server says.
    """
    if interval is not None:
        return max(interval, MIN_POLL_INTERVAL)
    hint = headers.get("openai-poll-after-ms")
    if hint is not None:
        try:
            return max(float(hint) / 1000, MIN_POLL_INTERVAL)
        except ValueError:
            pass
    if previous is None:
        return INITIAL_POLL_INTERVAL
    return min(max(previous, INITIAL_POLL_INTERVAL) * _BACKOFF, MAX_POLL_INTERVAL)


class _Deadline:
    def __init__(self, max_wait: float | None) -> None:
        loop = asyncio.get_running_loop()
        self._loop = loop
        self.max_wait = max_wait
        self._end = None if max_wait is None else loop.time() + max_wait

    def remaining(self) -> float | None:
        return None if self._end is None else self._end - self._loop.time()

    async def run(self, awaitable: Awaitable[T], last: Run | None) -> T:
        remaining = self.remaining()
        if remaining is None:
            return await awaitable
        try:
            return await asyncio.wait_for(awaitable, max(remaining, 0))
        except (asyncio.TimeoutError, APITimeoutError):
            raise self.expired(last) from None

    def expired(self, last: Run | None) -> RunTimeoutError:
        status = last.status if last else "unknown"
        return RunTimeoutError(
            f"the run did not settle within max_wait={self.max_wait}s (last status {status!r})",
            run=last,
        )


async def watch_run(
    fetch: Callable[[], Awaitable[APIResponse[Run]]],
    *,
    interval: float | None = None,
    max_wait: float | None,
    first: APIResponse[Run] | None = None,
) -> AsyncIterator[Run]:
    """Yield the run each time its status changes; stop after a terminal status.

    Raises ``RunTimeoutError`` (with the last run seen) once ``max_wait`` seconds have passed.
    """
    deadline = _Deadline(max_wait)
    response = first if first is not None else await deadline.run(fetch(), None)
    last_status: str | None = None
    delay: float | None = None
    while True:
        run = response.data
        if run.status != last_status:
            last_status = run.status
            yield run
        if run.status in TERMINAL_STATUSES:
            return
        delay = poll_delay(delay, response.headers, interval)
        remaining = deadline.remaining()
        if remaining is not None and remaining <= delay:
            # The next poll would land past the deadline: wait it out, then give up.
            await _sleep(max(remaining, 0))
            raise deadline.expired(run)
        await _sleep(delay)
        response = await deadline.run(fetch(), run)


async def _sleep(delay: float) -> None:
    """Wait between polls (a seam tests use to see the delays chosen)."""
    await asyncio.sleep(delay)
