"""``client.assistants``: create, retrieve, update, delete and list assistants."""

from __future__ import annotations

from typing_extensions import Unpack

from .._http.sansio import build_path
from .._types import NOT_GIVEN, NotGiven, RequestOptions
from ..models import Assistant, DeletionStatus
from ._base import Service
from ._inputs import Metadata, Order, ResponseFormatInput, ToolResourcesInput, ToolsInput
from ._pagination import AsyncPager

__all__ = ["Assistants"]

_ONE = "/assistants/{assistant_id}"


class Assistants(Service):
    """The ``/assistants`` endpoints."""

    __slots__ = ()

    async def create(
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
    ) -> Assistant:
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
        return await self._call("POST", "/assistants", Assistant, options, body=body)

    async def retrieve(self, assistant_id: str, **options: Unpack[RequestOptions]) -> Assistant:
        """Retrieve an assistant (``getAssistant``)."""
        path = build_path(_ONE, assistant_id=assistant_id)
        return await self._call("GET", path, Assistant, options)

    async def update(
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
    ) -> Assistant:
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
        return await self._call("POST", path, Assistant, options, body=body)

    async def delete(self, assistant_id: str, **options: Unpack[RequestOptions]) -> DeletionStatus:
        """Delete an assistant (``deleteAssistant``)."""
        path = build_path(_ONE, assistant_id=assistant_id)
        return await self._call("DELETE", path, DeletionStatus, options)

    def list(
        self,
        *,
        limit: int | NotGiven = NOT_GIVEN,
        order: Order | NotGiven = NOT_GIVEN,
        after: str | NotGiven = NOT_GIVEN,
        before: str | NotGiven = NOT_GIVEN,
        max_items: int | None = None,
        prefetch: bool = False,
        **options: Unpack[RequestOptions],
    ) -> AsyncPager[Assistant]:
        """Every assistant, following cursors (``listAssistants``); ``limit`` is the page size."""
        return self._list(
            "/assistants",
            Assistant,
            options,
            limit=limit,
            order=order,
            after=after,
            before=before,
            max_items=max_items,
            prefetch=prefetch,
        )
