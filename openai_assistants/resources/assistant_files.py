"""``client.assistant_files`` and ``client.message_files``: the v1-only file attachments."""

from __future__ import annotations

from typing_extensions import Unpack

from .._http.sansio import build_path
from .._types import ListParams, RequestOptions
from ..models import AssistantFile, DeletionStatus, MessageFile
from ._base import Call, ResponseView, Service, endpoint
from ._pagination import AsyncPager

__all__ = [
    "AssistantFiles",
    "MessageFiles",
    "AssistantFilesWithResponse",
    "MessageFilesWithResponse",
]

_A_ALL = "/assistants/{assistant_id}/files"
_A_ONE = "/assistants/{assistant_id}/files/{file_id}"
_M_ALL = "/threads/{thread_id}/messages/{message_id}/files"
_M_ONE = "/threads/{thread_id}/messages/{message_id}/files/{file_id}"


class AssistantFiles(Service):
    """The v1 ``/assistants/{assistant_id}/files`` endpoints (v2 uses ``tool_resources``)."""

    __slots__ = ()

    @property
    def with_response(self) -> AssistantFilesWithResponse:
        """The same methods, each returning an ``APIResponse`` (model, status, headers)."""
        return AssistantFilesWithResponse(self._t)

    @endpoint
    def create(
        self, assistant_id: str, *, file_id: str, **options: Unpack[RequestOptions]
    ) -> Call[AssistantFile]:
        """Attach a file to an assistant (``createAssistantFile``, v1 only)."""
        self._require("v1", "assistant_files.create")
        path = build_path(_A_ALL, assistant_id=assistant_id)
        return self._call("POST", path, AssistantFile, options, body={"file_id": file_id})

    @endpoint
    def retrieve(
        self, assistant_id: str, file_id: str, **options: Unpack[RequestOptions]
    ) -> Call[AssistantFile]:
        """Retrieve an assistant file (``getAssistantFile``, v1 only)."""
        self._require("v1", "assistant_files.retrieve")
        path = build_path(_A_ONE, assistant_id=assistant_id, file_id=file_id)
        return self._call("GET", path, AssistantFile, options)

    @endpoint
    def delete(
        self, assistant_id: str, file_id: str, **options: Unpack[RequestOptions]
    ) -> Call[DeletionStatus]:
        """Detach a file from an assistant (``deleteAssistantFile``, v1 only)."""
        self._require("v1", "assistant_files.delete")
        path = build_path(_A_ONE, assistant_id=assistant_id, file_id=file_id)
        return self._call("DELETE", path, DeletionStatus, options)

    def list(
        self,
        assistant_id: str,
        **params: Unpack[ListParams],
    ) -> AsyncPager[AssistantFile]:
        """Every file of an assistant, following cursors (``listAssistantFiles``, v1 only)."""
        self._require("v1", "assistant_files.list")
        return self._list(
            build_path(_A_ALL, assistant_id=assistant_id),
            AssistantFile,
            params,
        )


class MessageFiles(Service):
    """The v1 ``/threads/{thread_id}/messages/{message_id}/files`` endpoints."""

    __slots__ = ()

    @property
    def with_response(self) -> MessageFilesWithResponse:
        """The same methods, each returning an ``APIResponse`` (model, status, headers)."""
        return MessageFilesWithResponse(self._t)

    @endpoint
    def retrieve(
        self, thread_id: str, message_id: str, file_id: str, **options: Unpack[RequestOptions]
    ) -> Call[MessageFile]:
        """Retrieve a message file (``getMessageFile``, v1 only)."""
        self._require("v1", "message_files.retrieve")
        path = build_path(_M_ONE, thread_id=thread_id, message_id=message_id, file_id=file_id)
        return self._call("GET", path, MessageFile, options)

    def list(
        self,
        thread_id: str,
        message_id: str,
        **params: Unpack[ListParams],
    ) -> AsyncPager[MessageFile]:
        """Every file of a message, following cursors (``listMessageFiles``, v1 only)."""
        self._require("v1", "message_files.list")
        return self._list(
            build_path(_M_ALL, thread_id=thread_id, message_id=message_id),
            MessageFile,
            params,
        )


class AssistantFilesWithResponse(ResponseView, AssistantFiles):
    """``client.assistant_files.with_response``: each endpoint returns an ``APIResponse``."""

    __slots__ = ()


class MessageFilesWithResponse(ResponseView, MessageFiles):
    """``client.message_files.with_response``: each endpoint returns an ``APIResponse``."""

    __slots__ = ()
