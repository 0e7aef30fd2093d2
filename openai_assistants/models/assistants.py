"""Assistants and (v1) assistant files."""

from __future__ import annotations

import attrs

from .shared import ResponseFormat, Tool, ToolResources

__all__ = ["Assistant", "AssistantFile"]


@attrs.frozen
class Assistant:
    """An assistant; ``file_ids`` is v1 only, ``tool_resources`` and later fields are v2."""

    id: str
    object: str = "assistant"
    created_at: int | None = None
    name: str | None = None
    description: str | None = None
    model: str | None = None
    instructions: str | None = None
    tools: list[Tool] = attrs.Factory(list)
    metadata: dict[str, str] | None = None
    file_ids: list[str] | None = None
    tool_resources: ToolResources | None = None
    temperature: float | None = None
    top_p: float | None = None
    response_format: ResponseFormat | None = None
    reasoning_effort: str | None = None


@attrs.frozen
class AssistantFile:
    """A file attached to an assistant (v1)."""

    id: str
    object: str = "assistant.file"
    created_at: int | None = None
    assistant_id: str | None = None
