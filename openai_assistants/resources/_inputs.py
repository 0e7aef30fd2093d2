"""Type aliases for nested inputs: each accepts the SDK's attrs class or the plain JSON dict."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Literal, TypeAlias

from typing_extensions import TypedDict

from .._types import RequestOptions
from ..models import (
    Attachment,
    ContentPartParam,
    MessageParam,
    NamedToolChoice,
    ResponseFormatJsonObject,
    ResponseFormatJsonSchema,
    ResponseFormatText,
    ThreadParam,
    Tool,
    ToolOutput,
    ToolResources,
    TruncationStrategy,
)

__all__ = [
    "JSONDict",
    "Metadata",
    "ToolsInput",
    "ToolResourcesInput",
    "MessagesInput",
    "ThreadInput",
    "AttachmentsInput",
    "ContentInput",
    "ToolChoiceInput",
    "ResponseFormatInput",
    "TruncationInput",
    "ToolOutputsInput",
    "Order",
    "RunCreateParams",
    "ComparisonFilter",
    "CompoundFilter",
    "SearchFilter",
    "SearchRankingOptions",
    "ThreadRunCreateParams",
]

JSONDict: TypeAlias = Mapping[str, Any]
Metadata: TypeAlias = Mapping[str, str]
Order: TypeAlias = Literal["asc", "desc"]
ToolsInput: TypeAlias = Sequence["Tool | JSONDict"]
ToolResourcesInput: TypeAlias = "ToolResources | JSONDict"
MessagesInput: TypeAlias = Sequence["MessageParam | JSONDict"]
ThreadInput: TypeAlias = "ThreadParam | JSONDict"
AttachmentsInput: TypeAlias = Sequence["Attachment | JSONDict"]
ContentInput: TypeAlias = "str | Sequence[ContentPartParam | JSONDict]"
ToolChoiceInput: TypeAlias = "str | NamedToolChoice | JSONDict"
ResponseFormatInput: TypeAlias = (
    "str | ResponseFormatText | ResponseFormatJsonObject | ResponseFormatJsonSchema | JSONDict"
)
TruncationInput: TypeAlias = "TruncationStrategy | JSONDict"
ToolOutputsInput: TypeAlias = Sequence["ToolOutput | JSONDict"]


class RunCreateParams(RequestOptions, total=False):
    """``runs.create``'s keyword arguments after ``assistant_id`` (for the tool loops)."""

    include: Sequence[str]
    model: str | None
    instructions: str | None
    additional_instructions: str | None
    additional_messages: MessagesInput | None
    tools: ToolsInput | None
    metadata: Metadata | None
    temperature: float | None
    top_p: float | None
    max_prompt_tokens: int | None
    max_completion_tokens: int | None
    truncation_strategy: TruncationInput | None
    tool_choice: ToolChoiceInput | None
    parallel_tool_calls: bool
    response_format: ResponseFormatInput | None
    reasoning_effort: str | None


class ThreadRunCreateParams(RequestOptions, total=False):
    """``threads.create_and_run``'s keyword arguments after ``assistant_id``."""

    thread: ThreadInput
    model: str | None
    instructions: str | None
    tools: ToolsInput | None
    tool_resources: ToolResourcesInput | None
    metadata: Metadata | None
    temperature: float | None
    top_p: float | None
    max_prompt_tokens: int | None
    max_completion_tokens: int | None
    truncation_strategy: TruncationInput | None
    tool_choice: ToolChoiceInput | None
    parallel_tool_calls: bool
    response_format: ResponseFormatInput | None


class ComparisonFilter(TypedDict):
    """A search filter comparing the file attribute ``key`` with ``value``."""

    type: Literal["eq", "ne", "gt", "gte", "lt", "lte", "in", "nin"]
    key: str
    value: str | float | bool | list[str | float]


class CompoundFilter(TypedDict):
    """Search filters combined with ``and`` / ``or``."""

    type: Literal["and", "or"]
    filters: list[ComparisonFilter | CompoundFilter]


SearchFilter: TypeAlias = ComparisonFilter | CompoundFilter


class SearchRankingOptions(TypedDict, total=False):
    """How search results are ranked: ``ranker`` and the lowest ``score_threshold`` (0..1)."""

    ranker: Literal["none", "auto", "default-2024-11-15"]
    score_threshold: float
