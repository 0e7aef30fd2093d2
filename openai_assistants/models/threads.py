"""Threads, and the message and thread inputs of create-thread and create-and-run."""

from __future__ import annotations

import attrs

from .messages import ContentPartParam
from .shared import Attachment, ToolResources

__all__ = ["Thread", "MessageParam", "ThreadParam"]


@attrs.frozen
class Thread:
    """A conversation thread."""

    id: str
    object: str = "thread"
    created_at: int | None = None
    metadata: dict[str, str] | None = None
    tool_resources: ToolResources | None = None


@attrs.frozen
class MessageParam:
    """A message to create: in ``ThreadParam.messages`` and in a run's ``additional_messages``."""

    role: str
    content: str | list[ContentPartParam]
    attachments: list[Attachment] | None = None
    metadata: dict[str, str] | None = None
    file_ids: list[str] | None = None


@attrs.frozen
class ThreadParam:
    """The ``thread`` to create in create-and-run."""

    messages: list[MessageParam] | None = None
    tool_resources: ToolResources | None = None
    metadata: dict[str, str] | None = None
