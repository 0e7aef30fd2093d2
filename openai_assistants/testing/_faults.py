"""Fault injection: errors, latency, dropped connections and broken streams, armed by tests.

Arm with ``server.inject(Fault.error(503, retry_after=2), times=2, method="POST",
path=r"/runs$")``. A fault applies to the next ``times`` requests whose method and path (the raw
path, a regex searched with ``re.search``) match; ``times=None`` keeps it armed until
``server.clear_faults()``. Stream faults (``cut_stream``, ``stream_error``) apply to the next
matching streaming responses only.

Chaos: with ``probability=p`` a matching request draws from the armed fault's own
``random.Random(seed)`` and is hit with probability ``p`` (a miss does not use up ``times``);
``Fault.one_of(...)`` picks one of several faults, with the same generator, each time it hits::

    server.inject(Fault.one_of(Fault.error(503), Fault.drop_connection()), times=None,
                  probability=0.2, seed=7)

The same seed gives the same sequence of decisions; which request meets which decision still
depends on the order requests arrive in. Every fault that took effect is logged, in order, with
the request it hit, in ``server.applied_faults`` (a stream fault only once the stream was
actually cut).
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterator, Mapping, Sequence
from typing import Any, Literal

import attrs

from ._errors import error_body

__all__ = ["AppliedFault", "ArmedFault", "Fault", "FaultInjector", "FaultKind"]

FaultKind = Literal[
    "error", "latency", "drop", "cut_stream", "stream_error", "malformed_json", "one_of"
]
STREAM_KINDS: frozenset[FaultKind] = frozenset({"cut_stream", "stream_error"})

#: Default error bodies per status, as the API worded them.
_DEFAULT_ERRORS: dict[int, tuple[str, str, str | None]] = {
    400: ("Bad request.", "invalid_request_error", None),
    401: ("Incorrect API key provided.", "invalid_request_error", "invalid_api_key"),
    404: ("Not found.", "invalid_request_error", None),
    409: ("The request conflicted with another request.", "invalid_request_error", None),
    429: (
        "Rate limit reached for requests. Please try again later.",
        "requests",
        "rate_limit_exceeded",
    ),
    500: (
        "The server had an error while processing your request. Sorry about that!",
        "server_error",
        None,
    ),
    502: ("Bad gateway.", "server_error", None),
    503: ("The engine is currently overloaded, please try again later.", "server_error", None),
}

_HTML_PAGE = (
    "<html>\r\n<head><title>{status} Bad Gateway</title></head>\r\n<body>\r\n"
    "<center><h1>{status} Bad Gateway</h1></center>\r\n<hr><center>cloudflare</center>\r\n"
    "</body>\r\n</html>\r\n"
)


@attrs.frozen
class Fault:
    """One kind of misbehaviour; build it with the class methods."""

    kind: FaultKind
    status: int = 500
    body: Any = None  # a JSON-able object, or a str sent verbatim
    headers: Mapping[str, str] = attrs.field(factory=dict)
    content_type: str = "application/json"
    seconds: float = 0.0
    after_events: int = 0
    after_handling: bool = False
    choices: tuple[Fault, ...] = ()
    weights: tuple[float, ...] = ()

    @property
    def streaming(self) -> bool:
        """Whether this fault acts on a streaming response (taken once the stream starts)."""
        if self.kind == "one_of":
            return self.choices[0].streaming
        return self.kind in STREAM_KINDS

    @classmethod
    def error(
        cls,
        status: int = 500,
        message: str | None = None,
        *,
        type: str | None = None,
        code: str | None = None,
        param: str | None = None,
        retry_after: float | str | None = None,
        retry_after_ms: int | None = None,
        should_retry: bool | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> Fault:
        """Answer ``status`` with the API's error body and optional retry headers."""
        default_message, default_type, default_code = _DEFAULT_ERRORS.get(
            status,
            (f"HTTP {status}", "server_error" if status >= 500 else "invalid_request_error", None),
        )
        all_headers = dict(headers or {})
        if retry_after is not None:
            all_headers["Retry-After"] = str(retry_after)
        if retry_after_ms is not None:
            all_headers["retry-after-ms"] = str(retry_after_ms)
        if should_retry is not None:
            all_headers["x-should-retry"] = "true" if should_retry else "false"
        body = error_body(
            message or default_message,
            type=type or default_type,
            param=param,
            code=code if code is not None else default_code,
        )
        return cls("error", status=status, body=body, headers=all_headers)

    @classmethod
    def html(cls, status: int = 502, body: str | None = None) -> Fault:
        """Answer ``status`` with a non-JSON HTML page, like a proxy in front of the API."""
        page = body if body is not None else _HTML_PAGE.format(status=status)
        return cls("error", status=status, body=page, content_type="text/html")

    @classmethod
    def latency(cls, seconds: float) -> Fault:
        """Wait ``seconds`` before handling the request (before any header is sent).

        Each armed latency delays a request once (also when armed with ``times=None``), and the
        next armed fault still applies after it.
        """
        return cls("latency", seconds=seconds)

    @classmethod
    def drop_connection(cls, *, after_handling: bool = False) -> Fault:
        """Close the connection without sending a response.

        With ``after_handling`` the request is handled first, so its effects stay (an object is
        created, an ``Idempotency-Key`` response stored) and only the answer is lost, as when a
        proxy dies on the way back. A streaming response is sent as it is produced, so there
        this variant has nothing left to drop and does not take effect.
        """
        return cls("drop", after_handling=after_handling)

    @classmethod
    def malformed_json(cls, status: int = 200) -> Fault:
        """Answer ``status`` with a JSON content type and a truncated, unparsable body."""
        return cls("malformed_json", status=status, body='{"id": "asst_abc123", "object": "assis')

    @classmethod
    def cut_stream(cls, after_events: int) -> Fault:
        """Close a streaming response after ``after_events`` events, without ``done``."""
        return cls("cut_stream", after_events=after_events)

    @classmethod
    def stream_error(
        cls,
        after_events: int = 0,
        message: str = "The server had an error while processing your request.",
        *,
        type: str = "server_error",
        code: str | None = None,
    ) -> Fault:
        """Send ``event: error`` after ``after_events`` events and end the stream there."""
        data = {"message": message, "type": type, "param": None, "code": code}
        return cls("stream_error", body=data, after_events=after_events)

    @classmethod
    def one_of(cls, *faults: Fault, weights: Sequence[float] | None = None) -> Fault:
        """Each time it applies, apply one of ``faults``, drawn by ``weights`` (default: even).

        The draw uses the armed fault's generator (seeded by ``inject(..., seed=...)``). The
        faults must all be request faults or all stream faults: the two are taken at different
        points of a request.
        """
        if not faults:
            raise ValueError("one_of needs at least one fault")
        if len({fault.streaming for fault in faults}) > 1:
            raise ValueError(
                "one_of cannot mix stream faults (cut_stream, stream_error) with request "
                "faults: arm them separately"
            )
        chosen_weights = tuple(float(w) for w in weights) if weights is not None else ()
        if weights is not None and (
            len(chosen_weights) != len(faults)
            or any(w < 0 for w in chosen_weights)
            or not sum(chosen_weights) > 0
        ):
            raise ValueError("weights must be one non-negative number per fault, not all zero")
        return cls("one_of", choices=tuple(faults), weights=chosen_weights)


@attrs.define
class ArmedFault:
    """A fault with its match rule, how many more requests it applies to, and its odds."""

    fault: Fault
    remaining: int | None
    method: str | None = None
    path: re.Pattern[str] | None = None
    probability: float = 1.0
    rng: random.Random = attrs.field(factory=random.Random, repr=False)

    def matches(self, method: str, path: str) -> bool:
        """Whether this fault applies to a request."""
        if self.method is not None and self.method.upper() != method.upper():
            return False
        return self.path is None or self.path.search(path) is not None

    def hits(self) -> bool:
        """Draw whether a matching request is hit (always, at ``probability`` 1)."""
        return self.probability >= 1.0 or self.rng.random() < self.probability

    def resolve(self, fault: Fault | None = None) -> Fault:
        """The concrete fault to apply now (``one_of`` draws its member)."""
        fault = self.fault if fault is None else fault
        if fault.kind != "one_of":
            return fault
        weights = fault.weights or None
        return self.resolve(self.rng.choices(fault.choices, weights=weights)[0])


@attrs.frozen
class AppliedFault:
    """A fault that took effect, and the method and raw path (no query) of its request."""

    fault: Fault
    method: str
    path: str


class FaultInjector:
    """The armed faults, consumed in arming order, and the log of those that took effect."""

    def __init__(self) -> None:
        self.armed: list[ArmedFault] = []
        self.applied: list[AppliedFault] = []

    def arm(
        self,
        fault: Fault,
        *,
        times: int | None = 1,
        method: str | None = None,
        path: str | None = None,
        probability: float = 1.0,
        seed: int | None = None,
    ) -> ArmedFault:
        """Arm ``fault`` for the next ``times`` matching requests (``None``: until cleared).

        With ``probability`` below 1 each matching request is hit with that probability, drawn
        from a generator seeded with ``seed``.
        """
        if not 0.0 <= probability <= 1.0:
            raise ValueError(f"probability must be between 0 and 1, got {probability}")
        armed = ArmedFault(
            fault,
            times,
            method,
            re.compile(path) if path is not None else None,
            probability,
            random.Random(seed),
        )
        self.armed.append(armed)
        return armed

    def clear(self) -> None:
        """Disarm everything (the log of applied faults stays)."""
        self.armed.clear()

    def take(self, method: str, path: str, *, stream: bool) -> Fault | None:
        """Consume the first armed fault of the wanted family that matches and hits the request.

        The caller applies the returned fault and then calls ``record`` with it.
        """
        return next(self.each(method, path, stream=stream), None)

    def each(self, method: str, path: str, *, stream: bool) -> Iterator[Fault]:
        """The faults for one request, in arming order, each armed fault at most once.

        An armed fault is drawn and consumed only when the iteration reaches it, so a caller
        that applies latencies and stops at the first other fault consumes just those.
        """
        for armed in list(self.armed):
            if armed not in self.armed:  # disarmed while an earlier fault was applied
                continue
            if armed.fault.streaming != stream or not armed.matches(method, path):
                continue
            if not armed.hits():
                continue
            if armed.remaining is not None:
                armed.remaining -= 1
                if armed.remaining <= 0:
                    self.armed.remove(armed)
            yield armed.resolve()

    def record(self, fault: Fault, method: str, path: str) -> None:
        """Log that ``fault`` took effect on a request (``path`` raw, a query is dropped)."""
        self.applied.append(AppliedFault(fault, method, path.partition("?")[0]))
