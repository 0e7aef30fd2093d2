"""``client.assistant_files`` and ``client.message_files``: the v1-only file attachments."""

from __future__ import annotations

from typing_extensions import Unpack

from .._http.sansio import build_path
from .._types import NOT_GIVEN, NotGiven, RequestOptions
from ..models import AssistantFile, DeletionStatus, MessageFile
from ._base import Service
from ._inputs import Order
from ._pagination import AsyncPager

__all__ = ["AssistantFiles", "MessageFiles"]

_A_ALL = "/assistants/{assistant_id}/files"
_A_ONE = "/assistants/{assistant_id}/files/{file_id}"
_M_ALL = "/threads/{thread_id}/messages/{message_id}/files"
_M_ONE = "/threads/{thread_id}/messages/{message_id}/files/{file_id}"


class AssistantFiles(Service):
    """The v1 ``/assistants/{assistant_id}/files`` endpoints (v2 uses ``tool_resources``)."""

    __slots__ = ()

    async def create(
        self, assistant_id: str, *, file_id: str, **options: Unpack[RequestOptions]
    ) -> AssistantFile:
        """Attach a file to an assistant (``createAssistantFile``, v1 only)."""
        self._require("v1", "assistant_files.create")
        path = build_path(_A_ALL, assistant_id=assistant_id)
        return await self._call("POST", path, AssistantFile, options, body={"file_id": file_id})

    async def retrieve(
        self, assistant_id: str, file_id: str, **options: Unpack[RequestOptions]
    ) -> AssistantFile:
        """Retrieve an assistant file (``getAssistantFile``, v1 only)."""
        self._require("v1", "assistant_files.retrieve")
        path = build_path(_A_ONE, assistant_id=assistant_id, file_id=file_id)
        return await self._call("GET", path, AssistantFile, options)

    async def delete(
        self, assistant_id: str, file_id: str, **options: Unpack[RequestOptions]
    ) -> DeletionStatus:
        """Detach a file from an assistant (``deleteAssistantFile``, v1 only)."""
        self._require("v1", "assistant_files.delete")
        path = build_path(_A_ONE, assistant_id=assistant_id, file_id=file_id)
        return await self._call("DELETE", path, DeletionStatus, options)

    def list(
        self,
        assistant_id: str,
        *,
        limit: int | NotGiven = NOT_GIVEN,
        order: Order | NotGiven = NOT_GIVEN,
        after: str | NotGiven = NOT_GIVEN,
        before: str | NotGiven = NOT_GIVEN,
        max_items: int | None = None,
        prefetch: bool = False,
        **options: Unpack[RequestOptions],
    ) -> AsyncPager[AssistantFile]:
        """Every file of an assistant, following cursors (``listAssistantFiles``, v1 only)."""
        self._require("v1", "assistant_files.list")
        return self._list(
            build_path(_A_ALL, assistant_id=assistant_id),
            AssistantFile,
            options,
            limit=limit,
            order=order,
            after=after,
            before=before,
            max_items=max_items,
            prefetch=prefetch,
        )


class MessageFiles(Service):
    """The v1 ``/threads/{thread_id}/messages/{message_id}/files`` endpoints."""

    __slots__ = ()

    async def retrieve(
        self, thread_id: str, message_id: str, file_id: str, **options: Unpack[RequestOptions]
    ) -> MessageFile:
        """Retrieve a message file (``getMessageFile``, v1 only)."""
        self._require("v1", "message_files.retrieve")
        path = build_path(_M_ONE, thread_id=thread_id, message_id=message_id, file_id=file_id)
        return await self._call("GET", path, MessageFile, options)

    def list(
        self,
        thread_id: str,
        message_id: str,
        *,
        limit: int | NotGiven = NOT_GIVEN,
        order: Order | NotGiven = NOT_GIVEN,
        after: str | NotGiven = NOT_GIVEN,
        before: str | NotGiven = NOT_GIVEN,
        max_items: int | None = None,
        prefetch: bool = False,
        **options: Unpack[RequestOptions],
    ) -> AsyncPager[MessageFile]:
        """Every file of a message, following cursors (``listMessageFiles``, v1 only)."""
        self._require("v1", "message_files.list")
        return self._list(
            build_path(_M_ALL, thread_id=thread_id, message_id=message_id),
            MessageFile,
            options,
            limit=limit,
            order=order,
            after=after,
            before=before,
            max_items=max_items,
            prefetch=prefetch,
        )
