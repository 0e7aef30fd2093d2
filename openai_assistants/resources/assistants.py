"""``client.assistants``: create, retrieve, update, delete and list assistants."""

from __future__ import annotations

from typing_extensions import Unpack

from .._http.sansio import build_path
from .._types import NOT_GIVEN, ListParams, NotGiven, RequestOptions
from ..models import Assistant, DeletionStatus
from ._base import Call, ResponseView, Service, endpoint
from ._inputs import Metadata, ResponseFormatInput, ToolResourcesInput, ToolsInput
from ._pagination import AsyncPager

__all__ = ["Assistants", "AssistantsWithResponse"]

_ONE = "/assistants/{assistant_id}"


class Assistants(Service):
    """The ``/assistants`` endpoints."""

    __slots__ = ()

    @property
    def with_response(self) -> AssistantsWithResponse:
        """The same methods, each returning an ``APIResponse`` (model, status, headers)."""
        return AssistantsWithResponse(self._t)

    @endpoint
    def create(
        self,
        *,
        model: str,
        name: str | NotGiven | None = NOT_GIVEN,
        description: str | NotGiven | None = NOT_GIVEN,
        instructions: str | NotGiven | None = NOT_GIVEN,
        tools: ToolsInput | NotGiven = NOT_GIVEN,
        tool_resources: ToolResourcesInput | NotGiven | None = NOT_GIVEN,
        file_ids: list[str] | NotGiven = NOT_GIVEN,
        metadata: Metadata | NotGiven | None = NOT_GIVEN,
        temperature: float | NotGiven | None = NOT_GIVEN,
        top_p: float | NotGiven | None = NOT_GIVEN,
        response_format: ResponseFormatInput | NotGiven | None = NOT_GIVEN,
        reasoning_effort: str | NotGiven | None = NOT_GIVEN,
        **options: Unpack[RequestOptions],
    ) -> Call[Assistant]:
        """Create an assistant (``createAssistant``)."""
        body = {
            "model": model,
            "name": name,
            "description": description,
            "instructions": instructions,
            "tools": tools,
            "tool_resources": tool_resources,
            "file_ids": file_ids,
            "metadata": metadata,
            "temperature": temperature,
            "top_p": top_p,
            "response_format": response_format,
            "reasoning_effort": reasoning_effort,
        }
        return self._call("POST", "/assistants", Assistant, options, body=body)

    @endpoint
    def retrieve(self, assistant_id: str, **options: Unpack[RequestOptions]) -> Call[Assistant]:
        """Retrieve an assistant (``getAssistant``)."""
        path = build_path(_ONE, assistant_id=assistant_id)
        return self._call("GET", path, Assistant, options)

    @endpoint
    def update(
        self,
        assistant_id: str,
        *,
        model: str | NotGiven = NOT_GIVEN,
        name: str | NotGiven | None = NOT_GIVEN,
        description: str | NotGiven | None = NOT_GIVEN,
        instructions: str | NotGiven | None = NOT_GIVEN,
        tools: ToolsInput | NotGiven = NOT_GIVEN,
        tool_resources: ToolResourcesInput | NotGiven | None = NOT_GIVEN,
        file_ids: list[str] | NotGiven = NOT_GIVEN,
        metadata: Metadata | NotGiven | None = NOT_GIVEN,
        temperature: float | NotGiven | None = NOT_GIVEN,
        top_p: float | NotGiven | None = NOT_GIVEN,
        response_format: ResponseFormatInput | NotGiven | None = NOT_GIVEN,
        reasoning_effort: str | NotGiven | None = NOT_GIVEN,
        **options: Unpack[RequestOptions],
    ) -> Call[Assistant]:
        """Change an assistant (``modifyAssistant``); only the given fields are sent."""
        body = {
            "model": model,
            "name": name,
            "description": description,
            "instructions": instructions,
            "tools": tools,
            "tool_resources": tool_resources,
            "file_ids": file_ids,
            "metadata": metadata,
            "temperature": temperature,
            "top_p": top_p,
            "response_format": response_format,
            "reasoning_effort": reasoning_effort,
        }
        path = build_path(_ONE, assistant_id=assistant_id)
        return self._call("POST", path, Assistant, options, body=body)

    @endpoint
    def delete(self, assistant_id: str, **options: Unpack[RequestOptions]) -> Call[DeletionStatus]:
        """Delete an assistant (``deleteAssistant``)."""
        path = build_path(_ONE, assistant_id=assistant_id)
        return self._call("DELETE", path, DeletionStatus, options)

    def list(
        self,
        **params: Unpack[ListParams],
    ) -> AsyncPager[Assistant]:
        """Every assistant, following cursors (``listAssistants``); ``limit`` is the page size."""
        return self._list(
            "/assistants",
            Assistant,
            params,
        )


class AssistantsWithResponse(ResponseView, Assistants):
    """``client.assistants.with_response``: each endpoint returns an ``APIResponse``."""

    __slots__ = ()
