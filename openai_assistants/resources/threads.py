"""``client.threads``: create, retrieve, update and delete threads, and create-and-run."""

from __future__ import annotations

from collections.abc import Awaitable, Mapping
from typing import Any, Literal, overload

from typing_extensions import Unpack

from .._http.sansio import build_path
from .._runs import driver as _driving
from .._runs.driver import polled
from .._runs.tools import ToolHandler, ToolSettings
from .._streaming.stream import AssistantStream
from .._types import NOT_GIVEN, NotGiven, RequestOptions
from ..models import DeletionStatus, Run, Thread
from ._base import Service, streamed
from ._inputs import (
    MessagesInput,
    Metadata,
    ResponseFormatInput,
    ThreadInput,
    ToolChoiceInput,
    ToolResourcesInput,
    ToolsInput,
    TruncationInput,
)
from .runs import Runs

__all__ = ["Threads"]

_ONE = "/threads/{thread_id}"


class Threads(Service):
    """The ``/threads`` endpoints."""

    __slots__ = ()

    async def create(
        self,
        *,
        messages: MessagesInput | NotGiven = NOT_GIVEN,
        tool_resources: ToolResourcesInput | NotGiven | None = NOT_GIVEN,
        metadata: Metadata | NotGiven | None = NOT_GIVEN,
        **options: Unpack[RequestOptions],
    ) -> Thread:
        """Create a thread, optionally with its first messages (``createThread``)."""
        body = {"messages": messages, "tool_resources": tool_resources, "metadata": metadata}
        return await self._call("POST", "/threads", Thread, options, body=body)

    async def retrieve(self, thread_id: str, **options: Unpack[RequestOptions]) -> Thread:
        """Retrieve a thread (``getThread``)."""
        return await self._call("GET", build_path(_ONE, thread_id=thread_id), Thread, options)

    async def update(
        self,
        thread_id: str,
        *,
        tool_resources: ToolResourcesInput | NotGiven | None = NOT_GIVEN,
        metadata: Metadata | NotGiven | None = NOT_GIVEN,
        **options: Unpack[RequestOptions],
    ) -> Thread:
        """Change a thread's metadata or tool resources (``modifyThread``)."""
        body = {"tool_resources": tool_resources, "metadata": metadata}
        path = build_path(_ONE, thread_id=thread_id)
        return await self._call("POST", path, Thread, options, body=body)

    async def delete(self, thread_id: str, **options: Unpack[RequestOptions]) -> DeletionStatus:
        """Delete a thread (``deleteThread``)."""
        path = build_path(_ONE, thread_id=thread_id)
        return await self._call("DELETE", path, DeletionStatus, options)

    async def create_and_run(
        self,
        *,
        assistant_id: str,
        thread: ThreadInput | NotGiven = NOT_GIVEN,
        model: str | NotGiven | None = NOT_GIVEN,
        instructions: str | NotGiven | None = NOT_GIVEN,
        tools: ToolsInput | NotGiven | None = NOT_GIVEN,
        tool_resources: ToolResourcesInput | NotGiven | None = NOT_GIVEN,
        metadata: Metadata | NotGiven | None = NOT_GIVEN,
        temperature: float | NotGiven | None = NOT_GIVEN,
        top_p: float | NotGiven | None = NOT_GIVEN,
        max_prompt_tokens: int | NotGiven | None = NOT_GIVEN,
        max_completion_tokens: int | NotGiven | None = NOT_GIVEN,
        truncation_strategy: TruncationInput | NotGiven | None = NOT_GIVEN,
        tool_choice: ToolChoiceInput | NotGiven | None = NOT_GIVEN,
        parallel_tool_calls: bool | NotGiven = NOT_GIVEN,
        response_format: ResponseFormatInput | NotGiven | None = NOT_GIVEN,
        **options: Unpack[RequestOptions],
    ) -> Run:
        """Create a thread and start a run on it in one request (``createThreadAndRun``)."""
        body = {
            "assistant_id": assistant_id,
            "thread": thread,
            "model": model,
            "instructions": instructions,
            "tools": tools,
            "tool_resources": tool_resources,
            "metadata": metadata,
            "temperature": temperature,
            "top_p": top_p,
            "max_prompt_tokens": max_prompt_tokens,
            "max_completion_tokens": max_completion_tokens,
            "truncation_strategy": truncation_strategy,
            "tool_choice": tool_choice,
            "parallel_tool_calls": parallel_tool_calls,
            "response_format": response_format,
        }
        return await self._call("POST", "/threads/runs", Run, options, body=body)

    #: ``create_and_run`` with ``stream: true``: ``thread.created`` and the run's events.
    create_and_run_stream = streamed(create_and_run)
    #: ``create_and_run``, then poll until the run settles (within the client's ``max_wait``).
    create_and_run_poll = polled(create_and_run)

    @overload
    def create_and_run_tools(
        self,
        *,
        assistant_id: str,
        tools: Mapping[str, ToolHandler],
        stream: Literal[False] = False,
        max_wait: float | NotGiven | None = NOT_GIVEN,
        strict: bool = False,
        tool_timeout: float | None = None,
        max_rounds: int = 10,
        **params: Any,
    ) -> Awaitable[Run]: ...

    @overload
    def create_and_run_tools(
        self,
        *,
        assistant_id: str,
        tools: Mapping[str, ToolHandler],
        stream: Literal[True],
        max_wait: float | NotGiven | None = NOT_GIVEN,
        strict: bool = False,
        tool_timeout: float | None = None,
        max_rounds: int = 10,
        **params: Any,
    ) -> AssistantStream: ...

    def create_and_run_tools(
        self,
        *,
        assistant_id: str,
        tools: Mapping[str, ToolHandler],
        stream: bool = False,
        max_wait: float | NotGiven | None = NOT_GIVEN,
        strict: bool = False,
        tool_timeout: float | None = None,
        max_rounds: int = 10,
        **params: Any,
    ) -> Awaitable[Run] | AssistantStream:
        """``create_and_run``, answering function calls with ``tools`` (see ``runs.run_tools``)."""
        settings = ToolSettings.check(
            tools, strict=strict, tool_timeout=tool_timeout, max_rounds=max_rounds
        )
        runs = Runs(self._t)
        wait = _driving.max_wait_of(runs, max_wait)
        if stream:
            streaming = Threads(self._t, mode="stream")
            return _driving.tools_stream(
                runs,
                lambda: streaming.create_and_run(assistant_id=assistant_id, **params),
                settings,
                wait,
            )
        start = self.with_response.create_and_run(assistant_id=assistant_id, **params)
        return _driving.tools_polling(runs, start, settings, wait)
