"""Assistants and (v1) assistant files."""

from __future__ import annotations

from typing import Any

import attrs

from .shared import Deviation, ResponseFormat, Tool, ToolResources

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
    #: As sent: the spec says strings, servers send any JSON (requests still take strings).
    metadata: dict[str, Any] | None = None
    file_ids: list[str] | None = None
    tool_resources: ToolResources | None = None
    temperature: float | None = None
    top_p: float | None = None
    response_format: ResponseFormat | None = None
    reasoning_effort: str | None = None
    #: How this object left the spec, as read (see ``Deviation``); never sent, never compared.
    deviations: tuple[Deviation, ...] = attrs.field(default=(), init=False, eq=False, repr=False)


@attrs.frozen
class AssistantFile:
    """A file attached to an assistant (v1)."""

    id: str
    object: str = "assistant.file"
    created_at: int | None = None
    assistant_id: str | None = None
    #: How this object left the spec, as read (see ``Deviation``); never sent, never compared.
    deviations: tuple[Deviation, ...] = attrs.field(default=(), init=False, eq=False, repr=False)
