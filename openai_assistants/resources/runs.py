"""``client.runs`` and ``client.run_steps``: runs on a thread and the steps they take."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Mapping, Sequence
from typing import Any, Literal, overload

from typing_extensions import Unpack

from .._http.sansio import build_path
from .._runs import driver as _driving
from .._runs.driver import polled
from .._runs.tools import ToolHandler, ToolSettings
from .._streaming.stream import AssistantStream
from .._types import NOT_GIVEN, NotGiven, RequestOptions
from ..models import Run, RunStep
from ._base import Service, streamed
from ._inputs import (
    MessagesInput,
    Metadata,
    Order,
    ResponseFormatInput,
    ToolChoiceInput,
    ToolOutputsInput,
    ToolsInput,
    TruncationInput,
)
from ._pagination import AsyncPager

__all__ = ["Runs", "RunSteps"]

_ALL = "/threads/{thread_id}/runs"
_ONE = "/threads/{thread_id}/runs/{run_id}"
_STEPS = "/threads/{thread_id}/runs/{run_id}/steps"
_STEP = "/threads/{thread_id}/runs/{run_id}/steps/{step_id}"


class Runs(Service):
    """The ``/threads/{thread_id}/runs`` endpoints."""

    __slots__ = ()

    async def create(
        self,
        thread_id: str,
        *,
        assistant_id: str,
        include: Sequence[str] | NotGiven = NOT_GIVEN,
        model: str | NotGiven | None = NOT_GIVEN,
        instructions: str | NotGiven | None = NOT_GIVEN,
        additional_instructions: str | NotGiven | None = NOT_GIVEN,
        additional_messages: MessagesInput | NotGiven | None = NOT_GIVEN,
        tools: ToolsInput | NotGiven | None = NOT_GIVEN,
        metadata: Metadata | NotGiven | None = NOT_GIVEN,
        temperature: float | NotGiven | None = NOT_GIVEN,
        top_p: float | NotGiven | None = NOT_GIVEN,
        max_prompt_tokens: int | NotGiven | None = NOT_GIVEN,
        max_completion_tokens: int | NotGiven | None = NOT_GIVEN,
        truncation_strategy: TruncationInput | NotGiven | None = NOT_GIVEN,
        tool_choice: ToolChoiceInput | NotGiven | None = NOT_GIVEN,
        parallel_tool_calls: bool | NotGiven = NOT_GIVEN,
        response_format: ResponseFormatInput | NotGiven | None = NOT_GIVEN,
        reasoning_effort: str | NotGiven | None = NOT_GIVEN,
        **options: Unpack[RequestOptions],
    ) -> Run:
        """Start a run of an assistant on a thread (``createRun``)."""
        body = {
            "assistant_id": assistant_id,
            "model": model,
            "instructions": instructions,
            "additional_instructions": additional_instructions,
            "additional_messages": additional_messages,
            "tools": tools,
            "metadata": metadata,
            "temperature": temperature,
            "top_p": top_p,
            "max_prompt_tokens": max_prompt_tokens,
            "max_completion_tokens": max_completion_tokens,
            "truncation_strategy": truncation_strategy,
            "tool_choice": tool_choice,
            "parallel_tool_calls": parallel_tool_calls,
            "response_format": response_format,
            "reasoning_effort": reasoning_effort,
        }
        path = build_path(_ALL, thread_id=thread_id)
        query = self._include(include)
        return await self._call("POST", path, Run, options, body=body, query=query)

    #: ``create`` with ``stream: true``: an ``AssistantStream`` of the run's events.
    stream = streamed(create)
    #: ``create``, then poll until the run settles (within the client's ``max_wait``).
    create_and_poll = polled(create)

    async def retrieve(self, thread_id: str, run_id: str, **options: Unpack[RequestOptions]) -> Run:
        """Retrieve a run (``getRun``)."""
        path = build_path(_ONE, thread_id=thread_id, run_id=run_id)
        return await self._call("GET", path, Run, options)

    async def update(
        self,
        thread_id: str,
        run_id: str,
        *,
        metadata: Metadata | NotGiven | None = NOT_GIVEN,
        **options: Unpack[RequestOptions],
    ) -> Run:
        """Change a run's metadata (``modifyRun``)."""
        path = build_path(_ONE, thread_id=thread_id, run_id=run_id)
        return await self._call("POST", path, Run, options, body={"metadata": metadata})

    async def cancel(self, thread_id: str, run_id: str, **options: Unpack[RequestOptions]) -> Run:
        """Ask for a run in progress to be cancelled (``cancelRun``)."""
        path = build_path(_ONE + "/cancel", thread_id=thread_id, run_id=run_id)
        return await self._call("POST", path, Run, options)

    async def submit_tool_outputs(
        self,
        thread_id: str,
        run_id: str,
        *,
        tool_outputs: ToolOutputsInput,
        **options: Unpack[RequestOptions],
    ) -> Run:
        """Answer a run's ``requires_action`` with tool outputs (``submitToolOuputsToRun``)."""
        path = build_path(_ONE + "/submit_tool_outputs", thread_id=thread_id, run_id=run_id)
        body = {"tool_outputs": tool_outputs}
        return await self._call("POST", path, Run, options, body=body)

    #: ``submit_tool_outputs`` with ``stream: true``: the continued run's events.
    submit_tool_outputs_stream = streamed(submit_tool_outputs)
    #: ``submit_tool_outputs``, then poll until the run settles again.
    submit_tool_outputs_and_poll = polled(submit_tool_outputs)

    async def poll(
        self,
        thread_id: str,
        run_id: str,
        *,
        interval: float | None = None,
        max_wait: float | NotGiven | None = NOT_GIVEN,
    ) -> Run:
        """Wait until the run reaches a terminal status (``requires_action`` counts).

        Between polls it waits ``interval`` seconds if given, else what the server's
        ``openai-poll-after-ms`` says, else a delay growing from 0.25 s to 5 s. Past
        ``max_wait`` seconds (default: the client's) it raises ``RunTimeoutError``.
        """
        return await _driving.poll(
            self,
            thread_id,
            run_id,
            interval=interval,
            max_wait=_driving.max_wait_of(self, max_wait),
        )

    def watch(
        self,
        thread_id: str,
        run_id: str,
        *,
        interval: float | None = None,
        max_wait: float | NotGiven | None = NOT_GIVEN,
    ) -> AsyncIterator[Run]:
        """Poll like ``poll``, yielding the run each time its status changes."""
        return _driving.watch(
            self,
            thread_id,
            run_id,
            interval=interval,
            max_wait=_driving.max_wait_of(self, max_wait),
        )

    @overload
    def run_tools(
        self,
        thread_id: str,
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
    def run_tools(
        self,
        thread_id: str,
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

    def run_tools(
        self,
        thread_id: str,
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
        """Start a run and answer its function calls with ``tools`` until it ends.

        ``tools`` maps function names to Python functions (sync or async), called with the
        call's arguments. ``params`` are ``create``'s. With ``stream=True`` this returns one
        ``AssistantStream`` across every ``requires_action`` round; otherwise an awaitable of
        the final run. See ``openai_assistants._runs.tools`` for how failures are answered.
        """
        settings = ToolSettings.check(
            tools, strict=strict, tool_timeout=tool_timeout, max_rounds=max_rounds
        )
        wait = _driving.max_wait_of(self, max_wait)
        if stream:
            streaming = Runs(self._t, mode="stream")
            return _driving.tools_stream(
                self,
                lambda: streaming.create(thread_id, assistant_id=assistant_id, **params),
                settings,
                wait,
            )
        start = self.with_response.create(thread_id, assistant_id=assistant_id, **params)
        return _driving.tools_polling(Runs(self._t), start, settings, wait)

    def list(
        self,
        thread_id: str,
        *,
        limit: int | NotGiven = NOT_GIVEN,
        order: Order | NotGiven = NOT_GIVEN,
        after: str | NotGiven = NOT_GIVEN,
        before: str | NotGiven = NOT_GIVEN,
        max_items: int | None = None,
        prefetch: bool = False,
        **options: Unpack[RequestOptions],
    ) -> AsyncPager[Run]:
        """Every run of a thread, following cursors (``listRuns``)."""
        return self._list(
            build_path(_ALL, thread_id=thread_id),
            Run,
            options,
            limit=limit,
            order=order,
            after=after,
            before=before,
            max_items=max_items,
            prefetch=prefetch,
        )


class RunSteps(Service):
    """The ``/threads/{thread_id}/runs/{run_id}/steps`` endpoints."""

    __slots__ = ()

    async def retrieve(
        self,
        thread_id: str,
        run_id: str,
        step_id: str,
        *,
        include: Sequence[str] | NotGiven = NOT_GIVEN,
        **options: Unpack[RequestOptions],
    ) -> RunStep:
        """Retrieve one step of a run (``getRunStep``)."""
        path = build_path(_STEP, thread_id=thread_id, run_id=run_id, step_id=step_id)
        return await self._call("GET", path, RunStep, options, query=self._include(include))

    def list(
        self,
        thread_id: str,
        run_id: str,
        *,
        include: Sequence[str] | NotGiven = NOT_GIVEN,
        limit: int | NotGiven = NOT_GIVEN,
        order: Order | NotGiven = NOT_GIVEN,
        after: str | NotGiven = NOT_GIVEN,
        before: str | NotGiven = NOT_GIVEN,
        max_items: int | None = None,
        prefetch: bool = False,
        **options: Unpack[RequestOptions],
    ) -> AsyncPager[RunStep]:
        """Every step of a run, following cursors (``listRunSteps``)."""
        return self._list(
            build_path(_STEPS, thread_id=thread_id, run_id=run_id),
            RunStep,
            options,
            limit=limit,
            order=order,
            after=after,
            before=before,
            max_items=max_items,
            prefetch=prefetch,
            query=self._include(include),
        )
