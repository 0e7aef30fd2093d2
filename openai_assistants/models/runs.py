"""Runs, their required action, usage and errors, and tool outputs to submit."""

from __future__ import annotations

from typing import Any, Literal

import attrs

from .shared import (
    Deviation,
    IncompleteDetails,
    ResponseFormat,
    Tool,
    ToolChoice,
    ToolResources,
    TruncationStrategy,
)

__all__ = [
    "FunctionCall",
    "RequiredToolCall",
    "SubmitToolOutputs",
    "RequiredAction",
    "LastError",
    "Usage",
    "Run",
    "ToolOutput",
]


@attrs.frozen
class FunctionCall:
    """The function and JSON-encoded arguments the model wants called."""

    name: str
    arguments: str


@attrs.frozen
class RequiredToolCall:
    """A tool call whose output the run is waiting for."""

    id: str
    function: FunctionCall
    type: Literal["function"] = "function"


@attrs.frozen
class SubmitToolOutputs:
    """The tool calls to answer with ``submit_tool_outputs``."""

    tool_calls: list[RequiredToolCall] = attrs.Factory(list)


@attrs.frozen
class RequiredAction:
    """What a ``requires_action`` run waits for."""

    submit_tool_outputs: SubmitToolOutputs
    type: Literal["submit_tool_outputs"] = "submit_tool_outputs"


@attrs.frozen
class LastError:
    """The error that ended a run or run step."""

    code: str
    message: str


@attrs.frozen
class Usage:
    """Token usage of a run or run step."""

    prompt_tokens: int
    completion_tokens: int
    total_tokens: int


@attrs.frozen
class Run:
    """A run; ``status`` is a plain string so new statuses parse; ``file_ids`` is v1 only."""

    id: str
    thread_id: str
    assistant_id: str
    status: str
    object: str = "thread.run"
    created_at: int | None = None
    required_action: RequiredAction | None = None
    last_error: LastError | None = None
    expires_at: int | None = None
    started_at: int | None = None
    cancelled_at: int | None = None
    failed_at: int | None = None
    completed_at: int | None = None
    incomplete_details: IncompleteDetails | None = None
    model: str | None = None
    instructions: str | None = None
    tools: list[Tool] = attrs.Factory(list)
    # Not in RunObject's schema, but the v2 example responses carry it.
    tool_resources: ToolResources | None = None
    #: As sent: the spec says strings, servers send any JSON (requests still take strings).
    metadata: dict[str, Any] | None = None
    usage: Usage | None = None
    temperature: float | None = None
    top_p: float | None = None
    max_prompt_tokens: int | None = None
    max_completion_tokens: int | None = None
    truncation_strategy: TruncationStrategy | None = None
    tool_choice: ToolChoice | None = None
    parallel_tool_calls: bool | None = None
    response_format: ResponseFormat | None = None
    file_ids: list[str] | None = None
    #: How this object left the spec, as read (see ``Deviation``); never sent, never compared.
    deviations: tuple[Deviation, ...] = attrs.field(default=(), init=False, eq=False, repr=False)


@attrs.frozen
class ToolOutput:
    """The output of one tool call, for ``submit_tool_outputs``."""

    tool_call_id: str | None = None
    output: str | None = None
