"""Async client for the Assistants API (v1 and v2) and compatible servers.

Public names are re-exported here; everything else lives in private modules.
"""

from typing import TYPE_CHECKING

from ._batch import Batch, BatchProgress, BatchResults
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
    FileProcessingError,
    InternalServerError,
    NotFoundError,
    PaginationError,
    PermissionDeniedError,
    RateLimitError,
    ResponseValidationError,
    RunTimeoutError,
    StreamError,
    StreamInterruptedError,
    StreamNotSupportedError,
    StreamTimeoutError,
    ToolCallError,
    UnprocessableEntityError,
    UnsupportedError,
    WaitTimeoutError,
)
from ._http.hooks import (
    Hook,
    HookEvent,
    RateLimitHold,
    RequestFailed,
    RequestSent,
    ResponseReceived,
    RetryScheduled,
    StreamClosed,
    StreamOpened,
)
from ._http.sansio import RateLimit
from ._http.transport import APIResponse
from ._lazy import lazy_names
from ._runs.function_schema import function_tool
from ._runs.polling import TERMINAL_STATUSES
from ._runs.tools import ToolHandler
from ._streaming.events import (
    EVENT_MODELS,
    MessageDeltaEvent,
    MessageEvent,
    RunEvent,
    RunStepDeltaEvent,
    RunStepEvent,
    StreamEvent,
    ThreadEvent,
    UnknownEvent,
)
from ._streaming.sse import ServerSentEvent, SSEDecoder
from ._streaming.stream import AssistantStream
from ._types import NOT_GIVEN, ListParams, NotGiven, RequestOptions
from ._version import __version__
from .models import Deviation
from .resources._inputs import (
    ComparisonFilter,
    CompoundFilter,
    RunCreateParams,
    SearchFilter,
    SearchRankingOptions,
    ThreadRunCreateParams,
)
from .resources._pagination import AsyncPager, Page

__all__ = [
    "AssistantsClient",
    "ClientConfig",
    "NOT_GIVEN",
    "NotGiven",
    "RequestOptions",
    "ListParams",
    "RunCreateParams",
    "ThreadRunCreateParams",
    "ComparisonFilter",
    "CompoundFilter",
    "SearchFilter",
    "SearchRankingOptions",
    "APIResponse",
    "RateLimit",
    "AsyncPager",
    "Page",
    "Deviation",
    # hooks
    "Hook",
    "HookEvent",
    "RequestSent",
    "ResponseReceived",
    "RequestFailed",
    "RetryScheduled",
    "RateLimitHold",
    "StreamOpened",
    "StreamClosed",
    # files and vector stores
    "ByteStream",
    "FileBatchResult",
    # batches
    "Batch",
    "BatchProgress",
    "BatchResults",
    # streaming, polling, tools
    "AssistantStream",
    "StreamEvent",
    "ThreadEvent",
    "RunEvent",
    "RunStepEvent",
    "RunStepDeltaEvent",
    "MessageEvent",
    "MessageDeltaEvent",
    "UnknownEvent",
    "EVENT_MODELS",
    "SSEDecoder",
    "ServerSentEvent",
    "TERMINAL_STATUSES",
    "ToolHandler",
    "function_tool",
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
    "StreamNotSupportedError",
    "PaginationError",
    "StreamError",
    "StreamInterruptedError",
    "StreamTimeoutError",
    "RunTimeoutError",
    "WaitTimeoutError",
    "FileProcessingError",
    "ToolCallError",
    "UnsupportedError",
    "__version__",
]

if TYPE_CHECKING:  # imported on first use (see ``__getattr__``)
    from .resources._transfers import ByteStream
    from .resources.vector_stores import FileBatchResult

#: Names of the files and vector-store part, each imported from its module on first use.
_LAZY: dict[str, str] = {
    "ByteStream": ".resources._transfers",
    "FileBatchResult": ".resources.vector_stores",
}

__getattr__ = lazy_names(_LAZY, __name__, globals())
