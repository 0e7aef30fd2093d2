"""``client.runs`` and ``client.run_steps``: runs on a thread and the steps they take."""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping, Sequence

from typing_extensions import Unpack

from .._deadline import Deadline
from .._http.sansio import build_path
from .._runs import driver
from .._runs.tools import ToolHandler, ToolSettings
from .._streaming.stream import AssistantStream
from .._types import NOT_GIVEN, ListParams, NotGiven, RequestOptions
from ..models import Run, RunStep
from ._base import Call, ResponseView, Service, endpoint, polled, streamed
from ._inputs import (
    MessagesInput,
    Metadata,
    ResponseFormatInput,
    RunCreateParams,
    ToolChoiceInput,
    ToolOutputsInput,
    ToolsInput,
    TruncationInput,
)
from ._pagination import AsyncPager

__all__ = [
    "Runs",
    "RunSteps",
    "RunsWithResponse",
    "RunStepsWithResponse",
    "run_ops",
    "tools_stream",
]

_ALL = "/threads/{thread_id}/runs"
_ONE = "/threads/{thread_id}/runs/{run_id}"
_STEPS = "/threads/{thread_id}/runs/{run_id}/steps"
_STEP = "/threads/{thread_id}/runs/{run_id}/steps/{step_id}"


def run_ops(service: Service) -> driver.RunOps:
    """The run requests a driver needs, sent through ``service`` (any service: the ``Runs``
    endpoints below use nothing but ``Service``'s own methods to describe their calls)."""
    return driver.RunOps(
        fetch=lambda thread_id, run_id: service._send(
            Runs.retrieve.build(service, thread_id, run_id)
        ),
        submit=lambda thread_id, run_id, outputs: service._send(
            Runs.submit_tool_outputs.build(service, thread_id, run_id, tool_outputs=outputs)
        ),
        open_submit_stream=lambda thread_id, run_id, outputs: service._open(
            Runs.submit_tool_outputs.build(service, thread_id, run_id, tool_outputs=outputs)
        ),
        cancel=lambda thread_id, run_id: service._send(
            Runs.cancel.build(service, thread_id, run_id)
        ),
    )


def tools_stream(
    service: Service, call: Call[Run], settings: ToolSettings, max_wait: float | NotGiven | None
) -> AssistantStream:
    """A tool loop streamed: ``call`` starts the run, each round submits and streams on."""
    config = service._t.config
    return driver.run_tools_stream(
        run_ops(service),
        lambda: service._open(call),
        settings,
        max_wait=service._max_wait(max_wait),
        strict=config.strict,
        hooks=config.hooks,
    )


class Runs(Service):
    """The ``/threads/{thread_id}/runs`` endpoints."""

    __slots__ = ()

    @property
    def with_response(self) -> RunsWithResponse:
        """The same methods, each returning an ``APIResponse`` (model, status, headers)."""
        return RunsWithResponse(self._t)

    @endpoint
    def create(
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
    ) -> Call[Run]:
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
        return self._call("POST", path, Run, options, body=body, query=query)

    #: ``create`` with ``stream: true``: an ``AssistantStream`` of the run's events.
    create_stream = streamed(create)
    #: ``create_stream`` under the official client's name.
    stream = create_stream
    #: ``create``, then poll until the run settles (within the client's ``max_wait``).
    create_and_poll = polled(create, run_ops)

    @endpoint
    def retrieve(self, thread_id: str, run_id: str, **options: Unpack[RequestOptions]) -> Call[Run]:
        """Retrieve a run (``getRun``)."""
        path = build_path(_ONE, thread_id=thread_id, run_id=run_id)
        return self._call("GET", path, Run, options)

    @endpoint
    def update(
        self,
        thread_id: str,
        run_id: str,
        *,
        metadata: Metadata | NotGiven | None = NOT_GIVEN,
        **options: Unpack[RequestOptions],
    ) -> Call[Run]:
        """Change a run's metadata (``modifyRun``)."""
        path = build_path(_ONE, thread_id=thread_id, run_id=run_id)
        return self._call("POST", path, Run, options, body={"metadata": metadata})

    @endpoint
    def cancel(self, thread_id: str, run_id: str, **options: Unpack[RequestOptions]) -> Call[Run]:
        """Ask for a run in progress to be cancelled (``cancelRun``)."""
        path = build_path(_ONE + "/cancel", thread_id=thread_id, run_id=run_id)
        return self._call("POST", path, Run, options)

    @endpoint
    def submit_tool_outputs(
        self,
        thread_id: str,
        run_id: str,
        *,
        tool_outputs: ToolOutputsInput,
        **options: Unpack[RequestOptions],
    ) -> Call[Run]:
        """Answer a run's ``requires_action`` with tool outputs (``submitToolOuputsToRun``)."""
        path = build_path(_ONE + "/submit_tool_outputs", thread_id=thread_id, run_id=run_id)
        body = {"tool_outputs": tool_outputs}
        return self._call("POST", path, Run, options, body=body)

    #: ``submit_tool_outputs`` with ``stream: true``: the continued run's events.
    submit_tool_outputs_stream = streamed(submit_tool_outputs)
    #: ``submit_tool_outputs``, then poll until the run settles again.
    submit_tool_outputs_and_poll = polled(submit_tool_outputs, run_ops)

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
        ``max_wait`` seconds (default: the client's) it raises ``RunTimeoutError``; a request
        that fails (``APITimeoutError`` after its retries included) raises as it is.
        """
        deadline = Deadline(self._max_wait(max_wait))
        return await driver.poll(
            run_ops(self), thread_id, run_id, interval=interval, deadline=deadline
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
        return driver.watch(
            run_ops(self), thread_id, run_id, interval=interval, max_wait=self._max_wait(max_wait)
        )

    async def run_tools(
        self,
        thread_id: str,
        *,
        assistant_id: str,
        handlers: Mapping[str, ToolHandler],
        max_wait: float | NotGiven | None = NOT_GIVEN,
        strict: bool = False,
        tool_timeout: float | None = None,
        max_rounds: int = 10,
        **params: Unpack[RunCreateParams],
    ) -> Run:
        """Start a run and answer its function calls with ``handlers`` until it settles.

        ``handlers`` maps function names to Python functions (sync or async), called with the
        call's arguments; ``params`` are ``create``'s. The whole loop, tool calls included, is
        bounded by ``max_wait``. A handler that fails is answered as an error text the model
        can read; with ``strict=True`` it raises ``ToolCallError`` and the run is cancelled.
        """
        settings = ToolSettings.check(
            handlers, strict=strict, tool_timeout=tool_timeout, max_rounds=max_rounds
        )
        call = Runs.create.build(self, thread_id, assistant_id=assistant_id, **params)
        return await driver.run_tools(
            run_ops(self), self._send(call), settings, max_wait=self._max_wait(max_wait)
        )

    def run_tools_stream(
        self,
        thread_id: str,
        *,
        assistant_id: str,
        handlers: Mapping[str, ToolHandler],
        max_wait: float | NotGiven | None = NOT_GIVEN,
        strict: bool = False,
        tool_timeout: float | None = None,
        max_rounds: int = 10,
        **params: Unpack[RunCreateParams],
    ) -> AssistantStream:
        """``run_tools``, streamed: one ``AssistantStream`` across every ``requires_action``."""
        settings = ToolSettings.check(
            handlers, strict=strict, tool_timeout=tool_timeout, max_rounds=max_rounds
        )
        call = Runs.create.build(self, thread_id, assistant_id=assistant_id, **params)
        return tools_stream(self, call, settings, max_wait)

    def list(
        self,
        thread_id: str,
        **params: Unpack[ListParams],
    ) -> AsyncPager[Run]:
        """Every run of a thread, following cursors (``listRuns``)."""
        return self._list(
            build_path(_ALL, thread_id=thread_id),
            Run,
            params,
        )


class RunSteps(Service):
    """The ``/threads/{thread_id}/runs/{run_id}/steps`` endpoints."""

    __slots__ = ()

    @property
    def with_response(self) -> RunStepsWithResponse:
        """The same methods, each returning an ``APIResponse`` (model, status, headers)."""
        return RunStepsWithResponse(self._t)

    @endpoint
    def retrieve(
        self,
        thread_id: str,
        run_id: str,
        step_id: str,
        *,
        include: Sequence[str] | NotGiven = NOT_GIVEN,
        **options: Unpack[RequestOptions],
    ) -> Call[RunStep]:
        """Retrieve one step of a run (``getRunStep``)."""
        path = build_path(_STEP, thread_id=thread_id, run_id=run_id, step_id=step_id)
        return self._call("GET", path, RunStep, options, query=self._include(include))

    def list(
        self,
        thread_id: str,
        run_id: str,
        *,
        include: Sequence[str] | NotGiven = NOT_GIVEN,
        **params: Unpack[ListParams],
    ) -> AsyncPager[RunStep]:
        """Every step of a run, following cursors (``listRunSteps``)."""
        return self._list(
            build_path(_STEPS, thread_id=thread_id, run_id=run_id),
            RunStep,
            params,
            query=self._include(include),
        )


class RunsWithResponse(ResponseView, Runs):
    """``client.runs.with_response``: each endpoint returns an ``APIResponse``."""

    __slots__ = ()


class RunStepsWithResponse(ResponseView, RunSteps):
    """``client.run_steps.with_response``: each endpoint returns an ``APIResponse``."""

    __slots__ = ()
