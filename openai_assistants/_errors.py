"""The exception tree. Every failure the SDK raises is one of these::

    AssistantsError                      anything raised on purpose by this SDK
    ├── APIConnectionError               no usable HTTP response (DNS, refused, reset, TLS, ...)
    │   └── APITimeoutError              the exchange or the wait for a pooled connection timed out
    ├── APIStatusError                   the server answered with a 4xx/5xx status
    │   ├── BadRequestError              400
    │   ├── AuthenticationError          401
    │   ├── PermissionDeniedError        403
    │   ├── NotFoundError                404
    │   ├── ConflictError                409
    │   ├── UnprocessableEntityError     422
    │   ├── RateLimitError               429 (``retry_after`` in seconds, when the server said)
    │   └── InternalServerError          >= 500
    ├── ResponseValidationError          a 2xx body that does not fit the model (with JSON paths)
    ├── PaginationError                  a list cursor came back twice: the server is looping
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
    "PaginationError",
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
    """A successful response whose body does not fit the expected model."""

    def __init__(
        self, message: str, *, errors: list[str], body: JSON, request_id: str | None = None
    ) -> None:
        super().__init__(message)
        #: One readable line per problem, each with its JSON path (``... @ $.data[3].created_at``).
        self.errors = errors
        self.body = body
        self.request_id = request_id


class PaginationError(AssistantsError):
    """A list endpoint returned a cursor it had returned before."""


class UnsupportedError(AssistantsError, ValueError):
    """The operation or parameter does not exist in the client's ``api_version``."""
