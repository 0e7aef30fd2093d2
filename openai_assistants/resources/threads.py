"""``client.threads``: create, retrieve, update and delete threads, and create-and-run."""

from __future__ import annotations

from collections.abc import Mapping

from typing_extensions import Unpack

from .._http.sansio import build_path
from .._runs import driver
from .._runs.tools import ToolHandler, ToolSettings
from .._streaming.stream import AssistantStream
from .._types import NOT_GIVEN, NotGiven, RequestOptions
from ..models import DeletionStatus, Run, Thread
from ._base import Call, ResponseView, Service, endpoint, polled, streamed
from ._inputs import (
    MessagesInput,
    Metadata,
    ResponseFormatInput,
    ThreadInput,
    ThreadRunCreateParams,
    ToolChoiceInput,
    ToolResourcesInput,
    ToolsInput,
    TruncationInput,
)
from .runs import run_ops, tools_stream

__all__ = ["Threads", "ThreadsWithResponse"]

_ONE = "/threads/{thread_id}"


class Threads(Service):
    """The ``/threads`` endpoints."""

    __slots__ = ()

    @property
    def with_response(self) -> ThreadsWithResponse:
        """The same methods, each returning an ``APIResponse`` (model, status, headers)."""
        return ThreadsWithResponse(self._t)

    @endpoint
    def create(
        self,
        *,
        messages: MessagesInput | NotGiven = NOT_GIVEN,
        tool_resources: ToolResourcesInput | NotGiven | None = NOT_GIVEN,
        metadata: Metadata | NotGiven | None = NOT_GIVEN,
        **options: Unpack[RequestOptions],
    ) -> Call[Thread]:
        """Create a thread, optionally with its first messages (``createThread``)."""
        body = {"messages": messages, "tool_resources": tool_resources, "metadata": metadata}
        return self._call("POST", "/threads", Thread, options, body=body)

    @endpoint
    def retrieve(self, thread_id: str, **options: Unpack[RequestOptions]) -> Call[Thread]:
        """Retrieve a thread (``getThread``)."""
        return self._call("GET", build_path(_ONE, thread_id=thread_id), Thread, options)

    @endpoint
    def update(
        self,
        thread_id: str,
        *,
        tool_resources: ToolResourcesInput | NotGiven | None = NOT_GIVEN,
        metadata: Metadata | NotGiven | None = NOT_GIVEN,
        **options: Unpack[RequestOptions],
    ) -> Call[Thread]:
        """Change a thread's metadata or tool resources (``modifyThread``)."""
        body = {"tool_resources": tool_resources, "metadata": metadata}
        path = build_path(_ONE, thread_id=thread_id)
        return self._call("POST", path, Thread, options, body=body)

    @endpoint
    def delete(self, thread_id: str, **options: Unpack[RequestOptions]) -> Call[DeletionStatus]:
        """Delete a thread (``deleteThread``)."""
        path = build_path(_ONE, thread_id=thread_id)
        return self._call("DELETE", path, DeletionStatus, options)

    @endpoint
    def create_and_run(
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
    ) -> Call[Run]:
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
        return self._call("POST", "/threads/runs", Run, options, body=body)

    #: ``create_and_run`` with ``stream: true``: ``thread.created`` and the run's events.
    create_and_run_stream = streamed(create_and_run)
    #: ``create_and_run``, then poll until the run settles (within the client's ``max_wait``).
    create_and_run_poll = polled(create_and_run, run_ops)

    async def create_and_run_tools(
        self,
        *,
        assistant_id: str,
        handlers: Mapping[str, ToolHandler],
        max_wait: float | NotGiven | None = NOT_GIVEN,
        strict: bool = False,
        tool_timeout: float | None = None,
        max_rounds: int = 10,
        **params: Unpack[ThreadRunCreateParams],
    ) -> Run:
        """``create_and_run``, answering function calls with ``handlers`` (see ``run_tools``)."""
        settings = ToolSettings.check(
            handlers, strict=strict, tool_timeout=tool_timeout, max_rounds=max_rounds
        )
        call = Threads.create_and_run.build(self, assistant_id=assistant_id, **params)
        return await driver.run_tools(
            run_ops(self), self._send(call), settings, max_wait=self._max_wait(max_wait)
        )

    def create_and_run_tools_stream(
        self,
        *,
        assistant_id: str,
        handlers: Mapping[str, ToolHandler],
        max_wait: float | NotGiven | None = NOT_GIVEN,
        strict: bool = False,
        tool_timeout: float | None = None,
        max_rounds: int = 10,
        **params: Unpack[ThreadRunCreateParams],
    ) -> AssistantStream:
        """``create_and_run_tools``, streamed: ``thread.created`` and every round's events."""
        settings = ToolSettings.check(
            handlers, strict=strict, tool_timeout=tool_timeout, max_rounds=max_rounds
        )
        call = Threads.create_and_run.build(self, assistant_id=assistant_id, **params)
        return tools_stream(self, call, settings, max_wait)


class ThreadsWithResponse(ResponseView, Threads):
    """``client.threads.with_response``: each endpoint returns an ``APIResponse``."""

    __slots__ = ()
