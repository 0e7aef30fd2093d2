"""Fault injection: errors, latency, dropped connections and broken streams, armed by tests.

Arm with ``server.inject(Fault.error(503, retry_after=2), times=2, method="POST",
path=r"/runs$")``. A fault applies to the next ``times`` requests whose method and path (the raw
path, a regex searched with ``re.search``) match; ``times=None`` keeps it armed until
``server.clear_faults()``. Stream faults (``cut_stream``, ``stream_error``) apply to the next
matching streaming responses only.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, Literal

import attrs

from ._errors import error_body

__all__ = ["ArmedFault", "Fault", "FaultInjector", "FaultKind"]

FaultKind = Literal["error", "latency", "drop", "cut_stream", "stream_error", "malformed_json"]
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
        """Wait ``seconds`` before handling the request (before any header is sent)."""
        return cls("latency", seconds=seconds)

    @classmethod
    def drop_connection(cls) -> Fault:
        """Close the connection without sending a response."""
        return cls("drop")

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


@attrs.define
class ArmedFault:
    """A fault with its match rule and how many more requests it applies to."""

    fault: Fault
    remaining: int | None
    method: str | None = None
    path: re.Pattern[str] | None = None

    def matches(self, method: str, path: str) -> bool:
        """Whether this fault applies to a request."""
        if self.method is not None and self.method.upper() != method.upper():
            return False
        return self.path is None or self.path.search(path) is not None


class FaultInjector:
    """The armed faults, consumed in arming order."""

    def __init__(self) -> None:
        self.armed: list[ArmedFault] = []

    def arm(
        self,
        fault: Fault,
        *,
        times: int | None = 1,
        method: str | None = None,
        path: str | None = None,
    ) -> ArmedFault:
        """Arm ``fault`` for the next ``times`` matching requests (``None``: until cleared)."""
        armed = ArmedFault(fault, times, method, re.compile(path) if path is not None else None)
        self.armed.append(armed)
        return armed

    def clear(self) -> None:
        """Disarm everything."""
        self.armed.clear()

    def take(self, method: str, path: str, *, stream: bool) -> Fault | None:
        """Consume the first armed fault of the wanted family that matches the request."""
        for armed in self.armed:
            if (armed.fault.kind in STREAM_KINDS) == stream and armed.matches(method, path):
                if armed.remaining is not None:
                    armed.remaining -= 1
                    if armed.remaining <= 0:
                        self.armed.remove(armed)
                return armed.fault
        return None
