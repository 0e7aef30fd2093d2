"""The exception tree. Every failure the SDK raises is one of these::

    AssistantsError                      anything raised on purpose by this SDK
    ├── APIConnectionError               no usable HTTP response (DNS, refused, reset, TLS, ...)
    │   ├── APITimeoutError              the exchange or the wait for a pooled connection timed out
    │   └── StreamInterruptedError       a stream ended before ``done`` (``partial`` = what came)
    │       └── StreamTimeoutError       ... because it went silent (also an APITimeoutError)
    ├── APIStatusError                   the server answered with a 4xx/5xx status
    │   ├── BadRequestError              400
    │   ├── AuthenticationError          401
    │   ├── PermissionDeniedError        403
    │   ├── NotFoundError                404
    │   ├── ConflictError                409
    │   ├── UnprocessableEntityError     422
    │   ├── RateLimitError               429 (``retry_after`` in seconds, when the server said)
    │   └── InternalServerError          >= 500
    ├── ResponseValidationError          a 2xx body that cannot be read (strict: any deviation)
    │   └── StreamNotSupportedError      a stream request answered without streaming (``body``)
    ├── PaginationError                  a list cursor came back twice: the server is looping
    ├── StreamError                      the stream carried an ``error`` event (``error``)
    ├── WaitTimeoutError                 polling passed ``max_wait`` (``last`` = the last one seen)
    │   └── RunTimeoutError              ... for a run (``run`` = the last one seen)
    ├── FileProcessingError              vector store files failed to process (``failed``)
    ├── ToolCallError                    strict tool loop: a handler failed (``call``, cause)
    └── UnsupportedError                 an operation or parameter the client's api_version lacks

``UnsupportedError`` is also a ``ValueError``, so it sits with the other bad-input errors that are
raised before any request is sent. Errors never carry the API key.
"""

from __future__ import annotations

from typing import Any

from ._types import JSON

__all__ = [
    "AssistantsError",
    "APIConnectionError",
    "APITimeoutError",
    "APIStatusError",
    "BadRequestError",
    "AuthenticationError",
    "PermissionDeniedError",
    "NotFoundError",
    "ConflictError",
    "UnprocessableEntityError",
    "RateLimitError",
    "InternalServerError",
    "ResponseValidationError",
    "StreamNotSupportedError",
    "PaginationError",
    "StreamError",
    "StreamInterruptedError",
    "StreamTimeoutError",
    "WaitTimeoutError",
    "RunTimeoutError",
    "FileProcessingError",
    "ToolCallError",
    "UnsupportedError",
]


class AssistantsError(Exception):
    """Base class of every error this SDK raises on purpose."""


class APIConnectionError(AssistantsError):
    """The request did not get an HTTP response."""

    def __init__(self, message: str, *, method: str = "", url: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.method = method
        self.url = url


class APITimeoutError(APIConnectionError):
    """The HTTP exchange, or the wait for a free pooled connection, timed out."""


class APIStatusError(AssistantsError):
    """The server answered with an error status; the subclass names the status."""

    def __init__(
        self,
        message: str,
        *,
        status_code: int,
        request_id: str | None,
        body: JSON,
        error: Any = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.status_code = status_code
        self.request_id = request_id
        #: The decoded JSON body, or the raw text when the body was not JSON.
        self.body = body
        #: The API's ``error`` object as an ``ErrorObject`` when the body had one, else ``None``.
        self.error = error
        self.headers = headers or {}

    def __str__(self) -> str:
        rid = f" (request id {self.request_id})" if self.request_id else ""
        return f"{self.status_code}: {self.message}{rid}"


class BadRequestError(APIStatusError):
    """400: the server rejected the request."""


class AuthenticationError(APIStatusError):
    """401: the key is missing or wrong."""


class PermissionDeniedError(APIStatusError):
    """403: the key may not do this."""


class NotFoundError(APIStatusError):
    """404: no such object (or path)."""


class ConflictError(APIStatusError):
    """409: the object is in a state that forbids this (e.g. a run already active)."""


class UnprocessableEntityError(APIStatusError):
    """422: the request was understood but cannot be processed."""


class RateLimitError(APIStatusError):
    """429: too many requests; ``retry_after`` is the server's wait in seconds, if given."""

    def __init__(self, *args: Any, retry_after: float | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.retry_after = retry_after


class InternalServerError(APIStatusError):
    """5xx: the server failed."""


class ResponseValidationError(AssistantsError):
    """A successful response whose body cannot be read as the expected model.

    By default responses are read leniently and only an unusable body raises this (not JSON, an
    object without an ``id``, a list that is not a list); with ``strict=True`` every deviation
    from the spec does.
    """

    def __init__(
        self, message: str, *, errors: list[str], body: JSON, request_id: str | None = None
    ) -> None:
        super().__init__(message)
        #: One readable line per problem, each with its JSON path (``... @ $.data[3].created_at``).
        self.errors = errors
        self.body = body
        self.request_id = request_id


class StreamNotSupportedError(ResponseValidationError):
    """A stream request was answered with a plain body (say, the run as JSON) instead of
    server-sent events: the server does not stream. ``body`` is what it answered; the request
    may still have taken effect (a run created), which the message names."""


class PaginationError(AssistantsError):
    """A list endpoint returned a cursor it had returned before."""


class UnsupportedError(AssistantsError, ValueError):
    """The operation or parameter does not exist in the client's ``api_version``."""


class StreamInterruptedError(APIConnectionError):
    """A stream closed before its ``done`` event or a final run event.

    ``partial`` is the stream's accumulator at that moment: ``current_run``, ``messages`` and
    ``run_steps`` as far as they were built, so nothing that arrived is lost.
    """

    def __init__(self, message: str, *, partial: Any = None, **kwargs: Any) -> None:
        super().__init__(message, **kwargs)
        self.partial = partial


class StreamTimeoutError(StreamInterruptedError, APITimeoutError):
    """A stream went silent for longer than the timeout."""


class StreamError(AssistantsError):
    """The server sent an ``error`` event; ``error`` is the ``ErrorObject``, ``raw`` its data."""

    def __init__(self, message: str, *, error: Any, raw: Any = None) -> None:
        super().__init__(message)
        self.error = error
        self.raw = raw


class WaitTimeoutError(AssistantsError, TimeoutError):
    """Waiting for an object to settle (a run, a vector store file, a file batch) passed its
    ``max_wait``; ``last`` is the last state seen."""

    def __init__(self, message: str, *, last: Any) -> None:
        super().__init__(message)
        self.last = last


class RunTimeoutError(WaitTimeoutError):
    """Polling a run passed its ``max_wait``; ``run`` is the last state seen."""

    def __init__(self, message: str, *, run: Any) -> None:
        super().__init__(message, last=run)
        self.run = run


class FileProcessingError(AssistantsError):
    """Files attached to a vector store failed to process; ``failed`` holds each one (a
    ``VectorStoreFile`` with its ``last_error``)."""

    def __init__(self, message: str, *, failed: Any) -> None:
        super().__init__(message)
        self.failed = failed


class ToolCallError(AssistantsError):
    """In a strict tool loop, a tool call could not be answered (the run was cancelled)."""

    def __init__(self, message: str, *, call: Any, run: Any = None) -> None:
        super().__init__(message)
        self.call = call
        self.run = run
