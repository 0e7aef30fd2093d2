"""Run steps, their details and tool calls, code-interpreter outputs, and run-step deltas."""

from __future__ import annotations

from typing import Any, Literal, TypeAlias

import attrs

from .runs import LastError, Usage
from .shared import Deviation, FileSearchRankingOptions

__all__ = [
    "ImageFileRef",
    "CodeInterpreterLogs",
    "CodeInterpreterImage",
    "UnknownCodeInterpreterOutput",
    "CodeInterpreterOutput",
    "CodeInterpreterCall",
    "CodeInterpreterToolCall",
    "FileSearchResultContent",
    "FileSearchResult",
    "FileSearchCall",
    "FileSearchToolCall",
    "RetrievalToolCall",
    "FunctionToolCallFunction",
    "FunctionToolCall",
    "UnknownToolCall",
    "ToolCall",
    "MessageCreation",
    "MessageCreationStepDetails",
    "ToolCallsStepDetails",
    "UnknownStepDetails",
    "StepDetails",
    "RunStep",
    "ImageFileRefDelta",
    "CodeInterpreterLogsDelta",
    "CodeInterpreterImageDelta",
    "UnknownCodeInterpreterOutputDelta",
    "CodeInterpreterOutputDelta",
    "CodeInterpreterCallDelta",
    "CodeInterpreterToolCallDelta",
    "FileSearchToolCallDelta",
    "RetrievalToolCallDelta",
    "FunctionToolCallFunctionDelta",
    "FunctionToolCallDelta",
    "UnknownToolCallDelta",
    "ToolCallDelta",
    "MessageCreationDelta",
    "MessageCreationStepDetailsDelta",
    "ToolCallsStepDetailsDelta",
    "UnknownStepDetailsDelta",
    "StepDetailsDelta",
    "RunStepDeltaBody",
    "RunStepDelta",
]


# --- code interpreter outputs ------------------------------------------------------------------


@attrs.frozen
class ImageFileRef:
    """A file produced by a tool."""

    file_id: str


@attrs.frozen
class CodeInterpreterLogs:
    """Text output of ``code_interpreter``."""

    logs: str
    type: Literal["logs"] = "logs"


@attrs.frozen
class CodeInterpreterImage:
    """An image produced by ``code_interpreter``."""

    image: ImageFileRef
    type: Literal["image"] = "image"


@attrs.frozen
class UnknownCodeInterpreterOutput:
    """An output type this SDK does not know; ``raw`` is the complete original object.

    ``type`` is always ``"unknown"`` (so a check of ``type`` narrows the union); the
    server's own tag is ``raw["type"]``.
    """

    raw: dict[str, Any]
    type: Literal["unknown"] = "unknown"


CodeInterpreterOutput: TypeAlias = (
    CodeInterpreterLogs | CodeInterpreterImage | UnknownCodeInterpreterOutput
)


# --- tool calls --------------------------------------------------------------------------------


@attrs.frozen
class CodeInterpreterCall:
    """The code that ran and what it produced."""

    input: str
    outputs: list[CodeInterpreterOutput] = attrs.Factory(list)


@attrs.frozen
class CodeInterpreterToolCall:
    """A ``code_interpreter`` call."""

    id: str
    code_interpreter: CodeInterpreterCall
    type: Literal["code_interpreter"] = "code_interpreter"


@attrs.frozen
class FileSearchResultContent:
    """A piece of a file-search result's content (requested with ``include[]``)."""

    text: str | None = None
    type: Literal["text"] = "text"


@attrs.frozen
class FileSearchResult:
    """One file-search hit."""

    file_id: str
    file_name: str | None = None
    score: float | None = None
    content: list[FileSearchResultContent] | None = None


@attrs.frozen
class FileSearchCall:
    """The ranking used and, when requested, the results of a file search (v2)."""

    ranking_options: FileSearchRankingOptions | None = None
    results: list[FileSearchResult] | None = None


@attrs.frozen
class FileSearchToolCall:
    """A ``file_search`` call (v2)."""

    id: str
    file_search: FileSearchCall
    type: Literal["file_search"] = "file_search"


@attrs.frozen
class RetrievalToolCall:
    """A ``retrieval`` call (v1); ``retrieval`` is always an empty object."""

    id: str
    retrieval: dict[str, Any] = attrs.Factory(dict)
    type: Literal["retrieval"] = "retrieval"


@attrs.frozen
class FunctionToolCallFunction:
    """The function called, its arguments and, once submitted, its output."""

    name: str
    arguments: str
    output: str | None = None


@attrs.frozen
class FunctionToolCall:
    """A ``function`` call."""

    id: str
    function: FunctionToolCallFunction
    type: Literal["function"] = "function"


@attrs.frozen
class UnknownToolCall:
    """A tool-call type this SDK does not know; ``raw`` is the complete original object.

    ``type`` is always ``"unknown"`` (so a check of ``type`` narrows the union); the
    server's own tag is ``raw["type"]``.
    """

    raw: dict[str, Any]
    type: Literal["unknown"] = "unknown"


ToolCall: TypeAlias = (
    CodeInterpreterToolCall
    | FileSearchToolCall
    | RetrievalToolCall
    | FunctionToolCall
    | UnknownToolCall
)


# --- step details ------------------------------------------------------------------------------


@attrs.frozen
class MessageCreation:
    """The message a ``message_creation`` step created."""

    message_id: str


@attrs.frozen
class MessageCreationStepDetails:
    """Details of a ``message_creation`` step."""

    message_creation: MessageCreation
    type: Literal["message_creation"] = "message_creation"


@attrs.frozen
class ToolCallsStepDetails:
    """Details of a ``tool_calls`` step."""

    tool_calls: list[ToolCall] = attrs.Factory(list)
    type: Literal["tool_calls"] = "tool_calls"


@attrs.frozen
class UnknownStepDetails:
    """Step details of a type this SDK does not know; ``raw`` is the complete original object.

    ``type`` is always ``"unknown"`` (so a check of ``type`` narrows the union); the
    server's own tag is ``raw["type"]``.
    """

    raw: dict[str, Any]
    type: Literal["unknown"] = "unknown"


StepDetails: TypeAlias = MessageCreationStepDetails | ToolCallsStepDetails | UnknownStepDetails


@attrs.frozen
class RunStep:
    """A step of a run; ``status`` and ``type`` are plain strings so new values parse."""

    id: str
    thread_id: str
    run_id: str
    type: str
    status: str
    object: str = "thread.run.step"
    created_at: int | None = None
    assistant_id: str | None = None
    step_details: StepDetails | None = None
    last_error: LastError | None = None
    expired_at: int | None = None
    # Not in the schema, but the API's stream events carry it.
    expires_at: int | None = None
    cancelled_at: int | None = None
    failed_at: int | None = None
    completed_at: int | None = None
    #: As sent: the spec says strings, servers send any JSON (requests still take strings).
    metadata: dict[str, Any] | None = None
    usage: Usage | None = None
    #: How this object left the spec, as read (see ``Deviation``); never sent, never compared.
    deviations: tuple[Deviation, ...] = attrs.field(default=(), init=False, eq=False, repr=False)


# --- deltas ------------------------------------------------------------------------------------


@attrs.frozen
class ImageFileRefDelta:
    """The part of an ``ImageFileRef`` that changed."""

    file_id: str | None = None


@attrs.frozen
class CodeInterpreterLogsDelta:
    """Streamed ``logs`` output."""

    index: int
    logs: str | None = None
    type: Literal["logs"] = "logs"


@attrs.frozen
class CodeInterpreterImageDelta:
    """Streamed ``image`` output."""

    index: int
    image: ImageFileRefDelta | None = None
    type: Literal["image"] = "image"


@attrs.frozen
class UnknownCodeInterpreterOutputDelta:
    """Streamed output of unknown type; ``raw`` is authoritative, ``index`` read from it.

    ``type`` is always ``"unknown"`` (so a check of ``type`` narrows the union); the
    server's own tag is ``raw["type"]``.
    """

    raw: dict[str, Any]
    type: Literal["unknown"] = "unknown"
    index: int | None = None


CodeInterpreterOutputDelta: TypeAlias = (
    CodeInterpreterLogsDelta | CodeInterpreterImageDelta | UnknownCodeInterpreterOutputDelta
)


@attrs.frozen
class CodeInterpreterCallDelta:
    """The next piece of a code-interpreter call."""

    input: str | None = None
    outputs: list[CodeInterpreterOutputDelta] | None = None


@attrs.frozen
class CodeInterpreterToolCallDelta:
    """A streamed ``code_interpreter`` call."""

    index: int
    id: str | None = None
    code_interpreter: CodeInterpreterCallDelta | None = None
    type: Literal["code_interpreter"] = "code_interpreter"


@attrs.frozen
class FileSearchToolCallDelta:
    """A streamed ``file_search`` call (v2); ``file_search`` is free-form."""

    index: int
    id: str | None = None
    file_search: dict[str, Any] | None = None
    type: Literal["file_search"] = "file_search"


@attrs.frozen
class RetrievalToolCallDelta:
    """A streamed ``retrieval`` call (v1)."""

    index: int
    id: str | None = None
    retrieval: dict[str, Any] | None = None
    type: Literal["retrieval"] = "retrieval"


@attrs.frozen
class FunctionToolCallFunctionDelta:
    """The next piece of a function call."""

    name: str | None = None
    arguments: str | None = None
    output: str | None = None


@attrs.frozen
class FunctionToolCallDelta:
    """A streamed ``function`` call."""

    index: int
    id: str | None = None
    function: FunctionToolCallFunctionDelta | None = None
    type: Literal["function"] = "function"


@attrs.frozen
class UnknownToolCallDelta:
    """A streamed tool call of unknown type; ``raw`` is authoritative, ``index`` read from it.

    ``type`` is always ``"unknown"`` (so a check of ``type`` narrows the union); the
    server's own tag is ``raw["type"]``.
    """

    raw: dict[str, Any]
    type: Literal["unknown"] = "unknown"
    index: int | None = None


ToolCallDelta: TypeAlias = (
    CodeInterpreterToolCallDelta
    | FileSearchToolCallDelta
    | RetrievalToolCallDelta
    | FunctionToolCallDelta
    | UnknownToolCallDelta
)


@attrs.frozen
class MessageCreationDelta:
    """The part of a ``MessageCreation`` that changed."""

    message_id: str | None = None


@attrs.frozen
class MessageCreationStepDetailsDelta:
    """Streamed details of a ``message_creation`` step."""

    message_creation: MessageCreationDelta | None = None
    type: Literal["message_creation"] = "message_creation"


@attrs.frozen
class ToolCallsStepDetailsDelta:
    """Streamed details of a ``tool_calls`` step."""

    tool_calls: list[ToolCallDelta] | None = None
    type: Literal["tool_calls"] = "tool_calls"


@attrs.frozen
class UnknownStepDetailsDelta:
    """Streamed step details of unknown type; ``raw`` is the complete original object.

    ``type`` is always ``"unknown"`` (so a check of ``type`` narrows the union); the
    server's own tag is ``raw["type"]``.
    """

    raw: dict[str, Any]
    type: Literal["unknown"] = "unknown"


StepDetailsDelta: TypeAlias = (
    MessageCreationStepDetailsDelta | ToolCallsStepDetailsDelta | UnknownStepDetailsDelta
)


@attrs.frozen
class RunStepDeltaBody:
    """What changed in a run step."""

    step_details: StepDetailsDelta | None = None


@attrs.frozen
class RunStepDelta:
    """The ``thread.run.step.delta`` stream event payload."""

    id: str
    delta: RunStepDeltaBody
    object: str = "thread.run.step.delta"
    #: How this object left the spec, as read (see ``Deviation``); never sent, never compared.
    deviations: tuple[Deviation, ...] = attrs.field(default=(), init=False, eq=False, repr=False)
