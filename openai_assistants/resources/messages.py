"""``client.messages``: the messages of a thread."""

from __future__ import annotations

from typing_extensions import Unpack

from .._http.sansio import build_path
from .._types import NOT_GIVEN, ListParams, NotGiven, RequestOptions
from ..models import DeletionStatus, Message
from ._base import Call, ResponseView, Service, endpoint
from ._inputs import AttachmentsInput, ContentInput, Metadata
from ._pagination import AsyncPager

__all__ = ["Messages", "MessagesWithResponse"]

_ALL = "/threads/{thread_id}/messages"
_ONE = "/threads/{thread_id}/messages/{message_id}"


class Messages(Service):
    """The ``/threads/{thread_id}/messages`` endpoints."""

    __slots__ = ()

    @property
    def with_response(self) -> MessagesWithResponse:
        """The same methods, each returning an ``APIResponse`` (model, status, headers)."""
        return MessagesWithResponse(self._t)

    @endpoint
    def create(
        self,
        thread_id: str,
        *,
        role: str,
        content: ContentInput,
        attachments: AttachmentsInput | NotGiven | None = NOT_GIVEN,
        file_ids: list[str] | NotGiven = NOT_GIVEN,
        metadata: Metadata | NotGiven | None = NOT_GIVEN,
        **options: Unpack[RequestOptions],
    ) -> Call[Message]:
        """Add a message to a thread (``createMessage``)."""
        body = {
            "role": role,
            "content": content,
            "attachments": attachments,
            "file_ids": file_ids,
            "metadata": metadata,
        }
        path = build_path(_ALL, thread_id=thread_id)
        return self._call("POST", path, Message, options, body=body)

    @endpoint
    def retrieve(
        self, thread_id: str, message_id: str, **options: Unpack[RequestOptions]
    ) -> Call[Message]:
        """Retrieve a message (``getMessage``)."""
        path = build_path(_ONE, thread_id=thread_id, message_id=message_id)
        return self._call("GET", path, Message, options)

    @endpoint
    def update(
        self,
        thread_id: str,
        message_id: str,
        *,
        metadata: Metadata | NotGiven | None = NOT_GIVEN,
        **options: Unpack[RequestOptions],
    ) -> Call[Message]:
        """Change a message's metadata (``modifyMessage``)."""
        path = build_path(_ONE, thread_id=thread_id, message_id=message_id)
        return self._call("POST", path, Message, options, body={"metadata": metadata})

    @endpoint
    def delete(
        self, thread_id: str, message_id: str, **options: Unpack[RequestOptions]
    ) -> Call[DeletionStatus]:
        """Delete a message (``deleteMessage``, v2 only)."""
        self._require("v2", "messages.delete")
        path = build_path(_ONE, thread_id=thread_id, message_id=message_id)
        return self._call("DELETE", path, DeletionStatus, options)

    def list(
        self,
        thread_id: str,
        *,
        run_id: str | NotGiven = NOT_GIVEN,
        **params: Unpack[ListParams],
    ) -> AsyncPager[Message]:
        """Every message of a thread, following cursors (``listMessages``)."""
        return self._list(
            build_path(_ALL, thread_id=thread_id),
            Message,
            params,
            query={"run_id": run_id},
        )


class MessagesWithResponse(ResponseView, Messages):
    """``client.messages.with_response``: each endpoint returns an ``APIResponse``."""

    __slots__ = ()
