"""Type aliases for nested inputs: each accepts the SDK's attrs class or the plain JSON dict."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Literal, TypeAlias

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
