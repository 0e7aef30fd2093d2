"""Async client for the Assistants API (v1 and v2) and compatible servers.

Public names are re-exported here; everything else lives in private modules.
"""

from ._client import AssistantsClient
from ._config import ClientConfig
from ._errors import (
    APIConnectionError,
    APIStatusError,
    APITimeoutError,
    AssistantsError,
    AuthenticationError,
    BadRequestError,
    ConflictError,
    InternalServerError,
    NotFoundError,
    PaginationError,
    PermissionDeniedError,
    RateLimitError,
    ResponseValidationError,
    UnprocessableEntityError,
    UnsupportedError,
)
from ._pagination import AsyncPager, Page
from ._sansio import RateLimit
from ._transport import APIResponse
from ._types import NOT_GIVEN, NotGiven, RequestOptions
from ._version import __version__

__all__ = [
    "AssistantsClient",
    "ClientConfig",
    "NOT_GIVEN",
    "NotGiven",
    "RequestOptions",
    "APIResponse",
    "RateLimit",
    "AsyncPager",
    "Page",
    # errors
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
    "__version__",
]
