"""Event hooks: what the client does, told to your callables as it happens.

``AssistantsClient(hooks=[on_event])`` calls ``on_event(event)`` for each of these events, in
order, from the task making the call:

* ``RequestSent``: an attempt goes out (``attempt`` 0 is the first try);
* ``ResponseReceived``: its answer arrived (any status), with the request id and the seconds it
  took; or ``RequestFailed``: it got none (a timeout, a broken connection, cancellation);
* ``RetryScheduled``: an attempt failed and another follows after ``wait`` seconds (``reason``:
  the error, in words);
* ``RateLimitHold``: the rate-limit coordinator holds a call ``wait`` seconds before sending it;
* ``StreamOpened`` / ``StreamClosed``: a run stream started, and ended (``reason``: ``"done"``,
  ``"error"`` or ``"closed"``, with the number of events).

``operation`` is the spec's operation id (``getAssistant``, ``createRun``, ...). No event holds
a credential or a request or response body. A hook must be quick (it runs inline); an exception
it raises is logged and does not fail the call. Without hooks, nothing is built.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Sequence
from typing import Final, TypeAlias

import attrs

__all__ = [
    "Hook",
    "HookEvent",
    "RateLimitHold",
    "RequestFailed",
    "RequestSent",
    "ResponseReceived",
    "RetryScheduled",
    "StreamClosed",
    "StreamOpened",
    "emit",
    "operation_of",
]

logger = logging.getLogger("openai_assistants")


@attrs.frozen
class RequestSent:
    method: str
    path: str
    operation: str
    attempt: int
    #: The base URL and path (never the query, which may hold a key).
    url: str = ""


@attrs.frozen
class RequestFailed:
    """An attempt that got no answer: a timeout, a broken connection, or cancellation."""

    method: str
    path: str
    operation: str
    attempt: int
    #: The exception's class name (``APITimeoutError``, ``APIConnectionError``, ...).
    error: str
    reason: str


@attrs.frozen
class ResponseReceived:
    method: str
    path: str
    operation: str
    attempt: int
    status_code: int
    request_id: str | None
    elapsed: float


@attrs.frozen
class RetryScheduled:
    method: str
    path: str
    operation: str
    attempt: int
    reason: str
    wait: float


@attrs.frozen
class RateLimitHold:
    method: str
    path: str
    operation: str
    wait: float


@attrs.frozen
class StreamOpened:
    request_id: str | None


@attrs.frozen
class StreamClosed:
    request_id: str | None
    events: int
    reason: str


HookEvent: TypeAlias = (
    RequestSent
    | ResponseReceived
    | RequestFailed
    | RetryScheduled
    | RateLimitHold
    | StreamOpened
    | StreamClosed
)
Hook: TypeAlias = Callable[[HookEvent], object]


def emit(hooks: Sequence[Hook], event: HookEvent) -> None:
    """Tell every hook; one that raises is logged, and the call goes on."""
    for hook in hooks:
        try:
            hook(event)
        except Exception:
            logger.exception("a hook raised on %s", type(event).__name__)


_ID: Final = r"[^/]+"
#: (method, path pattern, the spec's operationId): one row per operation of v1 and v2.
_OPERATIONS: Final = [
    (method, re.compile(f"{path.replace('{id}', _ID)}$"), operation)
    for method, path, operation in [
        ("POST", "/assistants", "createAssistant"),
        ("GET", "/assistants", "listAssistants"),
        ("GET", "/assistants/{id}", "getAssistant"),
        ("POST", "/assistants/{id}", "modifyAssistant"),
        ("DELETE", "/assistants/{id}", "deleteAssistant"),
        ("POST", "/assistants/{id}/files", "createAssistantFile"),
        ("GET", "/assistants/{id}/files", "listAssistantFiles"),
        ("GET", "/assistants/{id}/files/{id}", "getAssistantFile"),
        ("DELETE", "/assistants/{id}/files/{id}", "deleteAssistantFile"),
        ("POST", "/threads", "createThread"),
        ("POST", "/threads/runs", "createThreadAndRun"),
        ("GET", "/threads/{id}", "getThread"),
        ("POST", "/threads/{id}", "modifyThread"),
        ("DELETE", "/threads/{id}", "deleteThread"),
        ("POST", "/threads/{id}/messages", "createMessage"),
        ("GET", "/threads/{id}/messages", "listMessages"),
        ("GET", "/threads/{id}/messages/{id}", "getMessage"),
        ("POST", "/threads/{id}/messages/{id}", "modifyMessage"),
        ("DELETE", "/threads/{id}/messages/{id}", "deleteMessage"),
        ("GET", "/threads/{id}/messages/{id}/files", "listMessageFiles"),
        ("GET", "/threads/{id}/messages/{id}/files/{id}", "getMessageFile"),
        ("POST", "/threads/{id}/runs", "createRun"),
        ("GET", "/threads/{id}/runs", "listRuns"),
        ("GET", "/threads/{id}/runs/{id}", "getRun"),
        ("POST", "/threads/{id}/runs/{id}", "modifyRun"),
        ("POST", "/threads/{id}/runs/{id}/cancel", "cancelRun"),
        ("POST", "/threads/{id}/runs/{id}/submit_tool_outputs", "submitToolOuputsToRun"),
        ("GET", "/threads/{id}/runs/{id}/steps", "listRunSteps"),
        ("GET", "/threads/{id}/runs/{id}/steps/{id}", "getRunStep"),
    ]
]


def operation_of(method: str, path: str) -> str:
    """The spec's operation id of a request (``"getAssistant"``), or ``"METHOD path"``."""
    for wanted, pattern, operation in _OPERATIONS:
        if wanted == method and pattern.match(path):
            return operation
    return f"{method} {path}"
