"""Shapes shared by several resources: tools, tool resources, formats, errors, deletions."""

from __future__ import annotations

import reprlib
from typing import Any, Literal, TypeAlias

import attrs

__all__ = [
    "Deviation",
    "OtherChunkingStrategy",
    "FunctionDefinition",
    "FunctionTool",
    "CodeInterpreterTool",
    "FileSearchRankingOptions",
    "FileSearchSettings",
    "FileSearchTool",
    "RetrievalTool",
    "UnknownTool",
    "Tool",
    "CodeInterpreterResources",
    "AutoChunkingStrategy",
    "StaticChunkingConfig",
    "StaticChunkingStrategy",
    "UnknownChunkingStrategy",
    "ChunkingStrategy",
    "VectorStoreParam",
    "FileSearchResources",
    "ToolResources",
    "ResponseFormatText",
    "ResponseFormatJsonObject",
    "JsonSchema",
    "ResponseFormatJsonSchema",
    "UnknownResponseFormat",
    "ResponseFormat",
    "NamedFunction",
    "NamedToolChoice",
    "ToolChoice",
    "TruncationStrategy",
    "Attachment",
    "ErrorObject",
    "DeletionStatus",
    "IncompleteDetails",
]


# --- reading responses ---------------------------------------------------------------------------


@attrs.frozen
class Deviation:
    """One place where a server's response left the spec, and how the SDK read it.

    The API's top-level objects (``Assistant``, ``Message``, ``Run``, ...) carry the deviations
    found in them in a read-only ``deviations`` tuple, empty for a response that follows the spec.
    """

    #: Where, as a JSON path from the object: ``$.tools``, ``$.content[1]``, ``$.usage``.
    path: str
    #: What was wrong and what the SDK did: ``expected an array, got null; read as []``.
    problem: str
    #: The value as the server sent it (absent keys: ``None``).
    value: Any = attrs.field(default=None, repr=reprlib.repr)


# --- tools -------------------------------------------------------------------------------------


@attrs.frozen
class FunctionDefinition:
    """A function the model may call; ``parameters`` is a JSON Schema object."""

    name: str
    description: str | None = None
    parameters: dict[str, Any] | None = None
    strict: bool | None = None


@attrs.frozen
class FunctionTool:
    """A ``function`` tool."""

    function: FunctionDefinition
    type: Literal["function"] = "function"


@attrs.frozen
class CodeInterpreterTool:
    """The ``code_interpreter`` tool."""

    type: Literal["code_interpreter"] = "code_interpreter"


@attrs.frozen
class FileSearchRankingOptions:
    """How file-search results are ranked (v2)."""

    score_threshold: float
    ranker: str | None = None


@attrs.frozen
class FileSearchSettings:
    """Overrides for the ``file_search`` tool (v2)."""

    max_num_results: int | None = None
    ranking_options: FileSearchRankingOptions | None = None


@attrs.frozen
class FileSearchTool:
    """The ``file_search`` tool (v2); also the type-only form used in attachments."""

    file_search: FileSearchSettings | None = None
    type: Literal["file_search"] = "file_search"


@attrs.frozen
class RetrievalTool:
    """The ``retrieval`` tool (v1)."""

    type: Literal["retrieval"] = "retrieval"


@attrs.frozen
class UnknownTool:
    """A tool type this SDK does not know; ``raw`` is the complete original object.

    ``type`` is always ``"unknown"`` (so a check of ``type`` narrows the union); the
    server's own tag is ``raw["type"]``.
    """

    raw: dict[str, Any]
    type: Literal["unknown"] = "unknown"


Tool: TypeAlias = FunctionTool | CodeInterpreterTool | FileSearchTool | RetrievalTool | UnknownTool


# --- tool resources (v2) -----------------------------------------------------------------------


@attrs.frozen
class CodeInterpreterResources:
    """Files made available to ``code_interpreter``."""

    file_ids: list[str] = attrs.Factory(list)


@attrs.frozen
class AutoChunkingStrategy:
    """Let the server choose how to chunk files."""

    type: Literal["auto"] = "auto"


@attrs.frozen
class StaticChunkingConfig:
    """Fixed chunk size and overlap, in tokens."""

    max_chunk_size_tokens: int
    chunk_overlap_tokens: int


@attrs.frozen
class StaticChunkingStrategy:
    """Chunk files with a fixed size and overlap."""

    static: StaticChunkingConfig
    type: Literal["static"] = "static"


@attrs.frozen
class UnknownChunkingStrategy:
    """A chunking strategy this SDK does not know; ``raw`` is the complete original object.

    ``type`` is always ``"unknown"`` (so a check of ``type`` narrows the union); the
    server's own tag is ``raw["type"]``.
    """

    raw: dict[str, Any]
    type: Literal["unknown"] = "unknown"


@attrs.frozen
class OtherChunkingStrategy:
    """How a file indexed before chunking strategies existed was chunked (responses only)."""

    type: Literal["other"] = "other"


ChunkingStrategy: TypeAlias = (
    AutoChunkingStrategy | StaticChunkingStrategy | OtherChunkingStrategy | UnknownChunkingStrategy
)


@attrs.frozen
class VectorStoreParam:
    """Request-only helper that creates a vector store from ``file_ids`` on the fly."""

    file_ids: list[str] | None = None
    chunking_strategy: ChunkingStrategy | None = None
    metadata: dict[str, str] | None = None


@attrs.frozen
class FileSearchResources:
    """Vector stores for ``file_search``: ``vector_store_ids`` or new ``vector_stores``."""

    vector_store_ids: list[str] | None = None
    vector_stores: list[VectorStoreParam] | None = None


@attrs.frozen
class ToolResources:
    """Per-tool resources of an assistant, thread or run (v2)."""

    code_interpreter: CodeInterpreterResources | None = None
    file_search: FileSearchResources | None = None


# --- response_format ---------------------------------------------------------------------------


@attrs.frozen
class ResponseFormatText:
    """Plain-text output."""

    type: Literal["text"] = "text"


@attrs.frozen
class ResponseFormatJsonObject:
    """JSON-mode output."""

    type: Literal["json_object"] = "json_object"


@attrs.frozen
class JsonSchema:
    """A named JSON Schema for structured outputs."""

    name: str
    description: str | None = None
    schema: dict[str, Any] | None = None
    strict: bool | None = None


@attrs.frozen
class ResponseFormatJsonSchema:
    """Structured output that follows ``json_schema``."""

    json_schema: JsonSchema
    type: Literal["json_schema"] = "json_schema"


@attrs.frozen
class UnknownResponseFormat:
    """A response format this SDK does not know; ``raw`` is the complete original object.

    ``type`` is always ``"unknown"`` (so a check of ``type`` narrows the union); the
    server's own tag is ``raw["type"]``.
    """

    raw: dict[str, Any]
    type: Literal["unknown"] = "unknown"


#: The string form is ``"auto"`` (and ``"none"`` in v1).
ResponseFormat: TypeAlias = (
    str
    | ResponseFormatText
    | ResponseFormatJsonObject
    | ResponseFormatJsonSchema
    | UnknownResponseFormat
)


# --- tool_choice, truncation -------------------------------------------------------------------


@attrs.frozen
class NamedFunction:
    """The function a ``NamedToolChoice`` forces."""

    name: str


@attrs.frozen
class NamedToolChoice:
    """Force one tool: ``type`` is ``function``, ``code_interpreter``, ``file_search``..."""

    type: str
    function: NamedFunction | None = None


#: The string form is ``"none"``, ``"auto"`` or ``"required"`` (v2).
ToolChoice: TypeAlias = str | NamedToolChoice


@attrs.frozen
class TruncationStrategy:
    """How the thread is truncated before a run: ``auto`` or ``last_messages``."""

    type: str
    last_messages: int | None = None


# --- misc ---------------------------------------------------------------------------------------


@attrs.frozen
class Attachment:
    """A file attached to a message and the tools it is added to (v2)."""

    file_id: str
    tools: list[Tool] = attrs.Factory(list)


@attrs.frozen
class ErrorObject:
    """The API's error object, as in error responses and the ``error`` stream event."""

    message: str
    type: str | None = None
    param: str | None = None
    code: str | None = None


@attrs.frozen
class DeletionStatus:
    """The answer to every delete request."""

    id: str
    deleted: bool
    object: str | None = None
    #: How this object left the spec, as read (see ``Deviation``); never sent, never compared.
    deviations: tuple[Deviation, ...] = attrs.field(default=(), init=False, eq=False, repr=False)


@attrs.frozen
class IncompleteDetails:
    """Why a run or message ended incomplete."""

    reason: str | None = None
