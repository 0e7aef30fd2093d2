"""``client.messages``: the messages of a thread."""

from __future__ import annotations

from typing_extensions import Unpack

from .._http.sansio import build_path
from .._types import NOT_GIVEN, NotGiven, RequestOptions
from ..models import DeletionStatus, Message
from ._base import Service
from ._inputs import AttachmentsInput, ContentInput, Metadata, Order
from ._pagination import AsyncPager

__all__ = ["Messages"]

_ALL = "/threads/{thread_id}/messages"
_ONE = "/threads/{thread_id}/messages/{message_id}"


class Messages(Service):
    """The ``/threads/{thread_id}/messages`` endpoints."""

    __slots__ = ()

    async def create(
        self,
        thread_id: str,
        *,
        role: str,
        content: ContentInput,
        attachments: AttachmentsInput | NotGiven | None = NOT_GIVEN,
        file_ids: list[str] | NotGiven = NOT_GIVEN,
        metadata: Metadata | NotGiven | None = NOT_GIVEN,
        **options: Unpack[RequestOptions],
    ) -> Message:
        """Add a message to a thread (``createMessage``)."""
        body = {
            "role": role,
            "content": content,
            "attachments": attachments,
            "file_ids": file_ids,
            "metadata": metadata,
        }
        path = build_path(_ALL, thread_id=thread_id)
        return await self._call("POST", path, Message, options, body=body)

    async def retrieve(
        self, thread_id: str, message_id: str, **options: Unpack[RequestOptions]
    ) -> Message:
        """Retrieve a message (``getMessage``)."""
        path = build_path(_ONE, thread_id=thread_id, message_id=message_id)
        return await self._call("GET", path, Message, options)

    async def update(
        self,
        thread_id: str,
        message_id: str,
        *,
        metadata: Metadata | NotGiven | None = NOT_GIVEN,
        **options: Unpack[RequestOptions],
    ) -> Message:
        """Change a message's metadata (``modifyMessage``)."""
        path = build_path(_ONE, thread_id=thread_id, message_id=message_id)
        return await self._call("POST", path, Message, options, body={"metadata": metadata})

    async def delete(
        self, thread_id: str, message_id: str, **options: Unpack[RequestOptions]
    ) -> DeletionStatus:
        """Delete a message (``deleteMessage``, v2 only)."""
        self._require("v2", "messages.delete")
        path = build_path(_ONE, thread_id=thread_id, message_id=message_id)
        return await self._call("DELETE", path, DeletionStatus, options)

    def list(
        self,
        thread_id: str,
        *,
        limit: int | NotGiven = NOT_GIVEN,
        order: Order | NotGiven = NOT_GIVEN,
        after: str | NotGiven = NOT_GIVEN,
        before: str | NotGiven = NOT_GIVEN,
        run_id: str | NotGiven = NOT_GIVEN,
        max_items: int | None = None,
        prefetch: bool = False,
        **options: Unpack[RequestOptions],
    ) -> AsyncPager[Message]:
        """Every message of a thread, following cursors (``listMessages``)."""
        return self._list(
            build_path(_ALL, thread_id=thread_id),
            Message,
            options,
            limit=limit,
            order=order,
            after=after,
            before=before,
            max_items=max_items,
            prefetch=prefetch,
            query={"run_id": run_id},
        )
