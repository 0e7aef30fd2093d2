"""Polling a run until it settles: the delay rule (pure) and the watch loop with a deadline.

The server's ``openai-poll-after-ms`` is read again on every response. Without it the delay
starts short and grows to a cap, so an unknown status keeps being polled, gently, instead of
spinning. ``max_wait`` bounds the whole wait, requests included.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from functools import partial
from typing import Final, Protocol, TypeVar

from .._deadline import Deadline
from .._errors import RunTimeoutError
from .._http.transport import APIResponse
from ..models import Run


class _HasStatus(Protocol):
    @property
    def status(self) -> str | None: ...


S = TypeVar("S", bound=_HasStatus)

__all__ = [
    "TERMINAL_STATUSES",
    "MIN_POLL_INTERVAL",
    "INITIAL_POLL_INTERVAL",
    "MAX_POLL_INTERVAL",
    "poll_delay",
    "run_timeout",
    "watch_run",
    "watch_status",
]

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


def run_timeout(deadline: Deadline, last: Run | None) -> RunTimeoutError:
    """The error for a run that did not settle in time, with the last run seen."""
    status = last.status if last else "unknown"
    return RunTimeoutError(
        f"the run did not settle within max_wait={deadline.max_wait}s (last status {status!r})",
        run=last,
    )


async def watch_run(
    fetch: Callable[[], Awaitable[APIResponse[Run]]],
    *,
    interval: float | None = None,
    deadline: Deadline,
    first: APIResponse[Run] | None = None,
) -> AsyncIterator[Run]:
    """Yield the run each time its status changes; stop after a terminal status.

    Raises ``RunTimeoutError`` (with the last run seen) once the deadline passes; a request's
    own failure (an ``APITimeoutError`` after its retries included) is raised as it is.
    """
    async for run in watch_status(
        fetch,
        terminal=TERMINAL_STATUSES,
        interval=interval,
        deadline=deadline,
        expired=run_timeout,
        first=first,
    ):
        yield run


async def watch_status(
    fetch: Callable[[], Awaitable[APIResponse[S]]],
    *,
    terminal: frozenset[str],
    interval: float | None,
    deadline: Deadline,
    expired: Callable[[Deadline, S | None], BaseException],
    first: APIResponse[S] | None = None,
) -> AsyncIterator[S]:
    """Yield an object with a ``status`` each time it changes, until a ``terminal`` status.

    The one polling loop (runs, vector store files, file batches): the delay rule of
    ``poll_delay``, and ``expired(deadline, last seen)`` raised once the deadline passes.
    """
    last: S | None = None
    if first is None:
        first = await deadline.run(fetch(), partial(expired, deadline, last))
    response = first
    last_status: str | None = None
    delay: float | None = None
    while True:
        last = response.data
        status = last.status
        if status != last_status:
            last_status = status
            yield last
        if status in terminal:
            return
        delay = poll_delay(delay, response.headers, interval)
        remaining = deadline.remaining()
        if remaining is not None and remaining <= delay:
            # The next poll would land past the deadline: wait it out, then give up.
            await _sleep(max(remaining, 0))
            raise expired(deadline, last)
        await _sleep(delay)
        response = await deadline.run(fetch(), partial(expired, deadline, last))


async def _sleep(delay: float) -> None:
    """Wait between polls (a seam tests use to see the delays chosen)."""
    await asyncio.sleep(delay)
