"""Threads, and the message and thread inputs of create-thread and create-and-run."""

from __future__ import annotations

from typing import Any

import attrs

from .messages import ContentPartParam
from .shared import Attachment, Deviation, ToolResources

__all__ = ["Thread", "MessageParam", "ThreadParam"]


@attrs.frozen
class Thread:
    """A conversation thread."""

    id: str
    object: str = "thread"
    created_at: int | None = None
    #: As sent: the spec says strings, servers send any JSON (requests still take strings).
    metadata: dict[str, Any] | None = None
    tool_resources: ToolResources | None = None
    #: How this object left the spec, as read (see ``Deviation``); never sent, never compared.
    deviations: tuple[Deviation, ...] = attrs.field(default=(), init=False, eq=False, repr=False)


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
