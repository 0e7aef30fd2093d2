"""The rate-limit coordinator: one view of a server's request budget, shared by every call.

Without it, each call discovers a limit on its own: in a batch, hundreds of calls are refused
together, sleep the same few milliseconds and are refused together again. With it (the default;
one per client, shared by ``with_options`` clones), the client keeps a mirror of the server's
request bucket and holds a call before sending it when the bucket is empty:

* ``x-ratelimit-remaining-requests``, ``-limit-requests`` and ``-reset-requests`` on any answer
  tell how many requests are left and how fast they come back (``limit - remaining`` return over
  ``reset``). Answers are read in the order their requests were sent: an older answer does not
  overwrite a newer one, and the requests sent after the one answered are counted as spent.
* A 429 with a wait (``retry-after-ms``, ``Retry-After``) empties the bucket until then.
* A call that finds the bucket empty takes the next token that will come back and waits for it,
  so waiting calls are released one token apart (at the server's rate), not all at once.
* A call is never held longer than its own budget (``timeout``): it raises ``RateLimitError``
  with ``retry_after`` instead.

Without rate headers, a 429's wait still holds every call; the rate after it is estimated from
the answers that succeeded in the second before.

Pure bookkeeping: the transport asks ``reserve`` how long to wait, and reports each answer.
"""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Mapping
from typing import Final

__all__ = ["Coordinator", "parse_duration"]

#: The shortest hold after a 429, whatever wait it asked for.
MIN_PAUSE: Final = 0.01
_DURATION: Final = re.compile(r"(\d+(?:\.\d+)?)(ms|s|m|h)")
_UNIT: Final = {"ms": 0.001, "s": 1.0, "m": 60.0, "h": 3600.0}


def parse_duration(text: str | None) -> float | None:
    """``"1.5s"``, ``"6m0s"``, ``"20ms"`` (the API's ``x-ratelimit-reset-*``) in seconds."""
    if not text:
        return None
    text = text.strip()
    try:
        return max(float(text), 0.0)  # plain seconds
    except ValueError:
        pass
    parts = _DURATION.findall(text)
    if not parts or "".join(n + u for n, u in parts) != text:
        return None
    return sum(float(number) * _UNIT[unit] for number, unit in parts)


def _int(text: str | None) -> int | None:
    try:
        return int(text) if text is not None else None
    except ValueError:
        return None


class Coordinator:
    """A mirror of one server's request bucket (see the module docstring)."""

    def __init__(self) -> None:
        #: Tokens left at ``_stamp`` (may go below zero: tokens promised to waiting calls).
        self._tokens: float | None = None  # None: nothing known, every call goes
        #: Tokens that come back per second (None: unknown).
        self._rate: float | None = None
        self._capacity: float | None = None
        self._stamp = 0.0
        #: No call leaves before this (a 429's wait).
        self._hold_until = 0.0
        #: Sequence numbers: of the last request sent, and of the request whose answer the
        #: bucket was last set from.
        self._sent = 0
        self._known = -1
        #: When recent answers succeeded (to estimate a rate when the server sends none).
        self._successes: deque[float] = deque()

    # -- before sending ---------------------------------------------------------------------

    def reserve(self, now: float) -> tuple[float, int]:
        """Take a token for a call about to be sent: ``(seconds to wait first, sequence)``."""
        self._sent += 1
        wait = max(self._hold_until - now, 0.0)
        if self._tokens is not None and self._rate:
            tokens = self._level(now)
            self._tokens = tokens - 1
            self._stamp = now
            if tokens < 1:
                wait = max(wait, (1 - tokens) / self._rate)
        return wait, self._sent

    def give_back(self) -> None:
        """A reserved call was not sent after all (held past its budget, or cancelled)."""
        if self._tokens is not None:
            self._tokens += 1

    def _level(self, now: float) -> float:
        assert self._tokens is not None
        assert self._rate
        tokens = self._tokens + (now - self._stamp) * self._rate
        return min(tokens, self._capacity) if self._capacity is not None else tokens

    # -- after the answer -------------------------------------------------------------------

    def observe(
        self, now: float, sequence: int, status: int, headers: Mapping[str, str], wait: float | None
    ) -> None:
        """An answer to request ``sequence``: its status, headers and the wait a 429 asked for."""
        if status < 400:
            self._successes.append(now)
            while self._successes and self._successes[0] < now - 1.0:
                self._successes.popleft()
        remaining = _int(headers.get("x-ratelimit-remaining-requests"))
        limit = _int(headers.get("x-ratelimit-limit-requests"))
        reset = parse_duration(headers.get("x-ratelimit-reset-requests"))
        if remaining is not None and sequence > self._known:
            self._known = sequence
            # The calls sent after this one are not in the server's count yet.
            self._tokens = remaining - (self._sent - sequence)
            self._stamp = now
            if limit is not None and reset:
                self._capacity = float(limit)
                if limit > remaining:
                    self._rate = (limit - remaining) / reset
        if status == 429:
            # No wait given: a second. A wait of (almost) nothing still gets a short pause, so
            # a server that keeps refusing is not asked again in a tight loop.
            pause = max(wait, MIN_PAUSE) if wait is not None else 1.0
            self._hold_until = max(self._hold_until, now + pause)
            if remaining is None:
                # No headers: one call may go when the wait is over (the calls sent after the
                # refused one are still out), then the rest at the rate that recently succeeded.
                self._rate = float(max(len(self._successes), 1))
                self._tokens = 1.0 - (self._sent - sequence)
                self._stamp = now + pause
