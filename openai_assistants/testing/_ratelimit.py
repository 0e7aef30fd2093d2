"""A realistic rate limiter for the fake: a token bucket, with the API's headers.

``FakeAssistantsServer(rate_limit=N)`` admits ``N`` requests per second on average, with bursts of
up to ``N`` (the bucket holds one second's worth). Every answer carries
``x-ratelimit-limit-requests``, ``x-ratelimit-remaining-requests`` and
``x-ratelimit-reset-requests`` (the time until the bucket is full again, as the API writes it:
``"1.5s"``, ``"20ms"``); a request beyond the limit gets 429 with ``retry-after-ms``,
``Retry-After`` (whole seconds, rounded up) and the API's ``rate_limit_exceeded`` error.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable

__all__ = ["TokenBucket", "duration"]


def duration(seconds: float) -> str:
    """A duration as the API writes it in ``x-ratelimit-reset-*``: ``"20ms"``, ``"1.5s"``."""
    if seconds < 1:
        return f"{max(math.ceil(seconds * 1000), 0)}ms"
    return f"{round(seconds, 3):g}s"


class TokenBucket:
    """``rate`` tokens a second, holding at most ``rate``; one token per request."""

    def __init__(self, rate: float, clock: Callable[[], float] = time.monotonic) -> None:
        if not rate > 0:
            raise ValueError(f"rate_limit must be a positive number of requests per second: {rate}")
        self.rate = rate
        self.capacity = max(rate, 1.0)
        self._clock = clock
        self._tokens = self.capacity
        self._stamp = clock()
        #: Requests admitted and refused so far.
        self.admitted = 0
        self.refused = 0

    def _refill(self) -> None:
        now = self._clock()
        self._tokens = min(self.capacity, self._tokens + (now - self._stamp) * self.rate)
        self._stamp = now

    def take(self) -> tuple[bool, dict[str, str]]:
        """Admit one request or not, with the headers its answer carries."""
        self._refill()
        admitted = self._tokens >= 1
        if admitted:
            self._tokens -= 1
            self.admitted += 1
        else:
            self.refused += 1
        headers = {
            "x-ratelimit-limit-requests": str(math.floor(self.capacity)),
            "x-ratelimit-remaining-requests": str(math.floor(self._tokens)),
            "x-ratelimit-reset-requests": duration((self.capacity - self._tokens) / self.rate),
        }
        if not admitted:
            wait = (1 - self._tokens) / self.rate
            headers["retry-after-ms"] = str(max(math.ceil(wait * 1000), 1))
            headers["Retry-After"] = str(max(math.ceil(wait), 1))
        return admitted, headers
