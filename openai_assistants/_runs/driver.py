"""Driving a run to its end: polling with a deadline and the tool-call loop (both modes).

The HTTP calls go through ``Runs``; the delay rule lives in ``_runs.polling`` and the answering of
tool calls in ``_runs.tools``. This module only sequences them.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import TYPE_CHECKING, Any, Concatenate

from typing_extensions import ParamSpec

from .._errors import ToolCallError
from .._http.transport import APIResponse, Exchange
from .._streaming.stream import AssistantStream
from .._types import NotGiven
from ..models import Run
from .polling import _Deadline, watch_run
from .tools import ToolSettings, answer_tool_calls

if TYPE_CHECKING:
    from ..resources._base import Service
    from ..resources.runs import Runs

__all__ = ["polled", "poll", "watch", "tools_polling", "tools_stream"]

P = ParamSpec("P")
logger = logging.getLogger("openai_assistants")


def max_wait_of(runs: Runs, max_wait: float | NotGiven | None) -> float | None:
    return runs._t.config.max_wait if isinstance(max_wait, NotGiven) else max_wait


def watch(
    runs: Runs,
    thread_id: str,
    run_id: str,
    *,
    interval: float | None,
    max_wait: float | None,
    first: APIResponse[Run] | None = None,
) -> AsyncIterator[Run]:
    """The run each time its status changes, until a terminal status."""
    reader = runs.with_response

    def fetch() -> Awaitable[APIResponse[Run]]:
        return reader.retrieve(thread_id, run_id)

    return watch_run(fetch, interval=interval, max_wait=max_wait, first=first)


async def poll(
    runs: Runs,
    thread_id: str,
    run_id: str,
    *,
    interval: float | None,
    max_wait: float | None,
    first: APIResponse[Run] | None = None,
) -> Run:
    """The run once it reaches a terminal status."""
    last: Run | None = None
    async for last in watch(  # noqa: B007 - the loop is only there to reach the last one
        runs, thread_id, run_id, interval=interval, max_wait=max_wait, first=first
    ):
        pass
    assert last is not None  # watch always yields at least once
    return last


def polled(
    method: Callable[Concatenate[Any, P], Awaitable[Run]],
) -> Callable[Concatenate[Service, P], Awaitable[Run]]:
    """The ``*_and_poll`` twin of a run-starting method: same parameters, returns the settled run.

    The wait is bounded by the client's ``max_wait`` (change it per call site with
    ``client.with_options(max_wait=...)``).
    """

    async def and_poll(self: Service, /, *args: P.args, **kwargs: P.kwargs) -> Run:
        from ..resources.runs import Runs

        response: Any = await method(type(self)(self._t, mode="response"), *args, **kwargs)
        run: Run = response.data
        runs = Runs(self._t)
        return await poll(
            runs,
            run.thread_id,
            run.id,
            interval=None,
            max_wait=self._t.config.max_wait,
            first=response,
        )

    and_poll.__name__ = f"{method.__name__}_and_poll"
    and_poll.__qualname__ = f"{method.__qualname__}_and_poll"
    and_poll.__doc__ = f"``{method.__name__}``, then poll the run until it settles."
    return and_poll


async def _cancel_quietly(runs: Runs, run: Run) -> None:
    """Cancel a run we are abandoning; failing to cancel must not hide the original error."""
    try:
        await runs.cancel(run.thread_id, run.id)
    except Exception as exc:  # the original error is what the caller needs to see
        logger.warning("could not cancel run %s after a tool failure: %s", run.id, exc)


async def _outputs(runs: Runs, run: Run, settings: ToolSettings, rounds: int) -> list[Any]:
    if rounds > settings.max_rounds:
        await _cancel_quietly(runs, run)
        raise ToolCallError(
            f"run {run.id} asked for tool outputs more than max_rounds={settings.max_rounds} "
            "times; it was cancelled",
            call=None,
            run=run,
        )
    try:
        return await answer_tool_calls(run, settings)
    except ToolCallError:
        await _cancel_quietly(runs, run)
        raise


async def tools_polling(
    runs: Runs,
    start: Awaitable[APIResponse[Run]],
    settings: ToolSettings,
    max_wait: float | None,
) -> Run:
    """Start a run, then poll, answer tool calls, submit and poll again until it settles."""
    deadline = _Deadline(max_wait)
    response = await deadline.run(start, None)
    rounds = 0
    while True:
        run = await poll(
            runs,
            response.data.thread_id,
            response.data.id,
            interval=None,
            max_wait=deadline.remaining(),
            first=response,
        )
        if run.status != "requires_action":
            return run
        rounds += 1
        outputs = await deadline.run(_outputs(runs, run, settings, rounds), run)
        response = await deadline.run(
            runs.with_response.submit_tool_outputs(run.thread_id, run.id, tool_outputs=outputs),
            run,
        )


def tools_stream(
    runs: Runs,
    opener: Callable[[], Awaitable[Any]],
    settings: ToolSettings,
    max_wait: float | None,
) -> AssistantStream:
    """One stream of events across every ``requires_action`` round of a run."""
    from ..resources.runs import Runs

    streaming = Runs(runs._t, mode="stream")
    rounds = 0

    async def carry_on(run: Run) -> Exchange | None:
        nonlocal rounds
        rounds += 1
        outputs = await _outputs(runs, run, settings, rounds)
        exchange: Any = await streaming.submit_tool_outputs(
            run.thread_id, run.id, tool_outputs=outputs
        )
        return exchange  # type: ignore[no-any-return]

    config = runs._t.config
    return AssistantStream(
        opener, continuation=carry_on, max_wait=max_wait, strict=config.strict, hooks=config.hooks
    )
