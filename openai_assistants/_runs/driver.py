"""Driving a run to its end: polling, watching, and the tool loop (polled or streamed).

Everything here works on plain callables (``RunOps``: fetch, submit, open a submit stream,
cancel) that the services hand in, so it knows nothing of services or paths. The delay rule
lives in ``polling``, the answering of tool calls in ``tools`` and the time limit in
``_deadline``; this module only sequences them.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from functools import partial

import attrs

from .._deadline import Deadline
from .._errors import ToolCallError
from .._http.hooks import Hook
from .._http.transport import APIResponse, Exchange
from .._streaming.stream import AssistantStream
from ..models import Run
from .polling import run_timeout, watch_run
from .tools import ToolSettings, answer_tool_calls

__all__ = ["RunOps", "watch", "poll", "poll_started", "run_tools", "run_tools_stream"]

logger = logging.getLogger("openai_assistants")

ToolOutputs = list[dict[str, str]]


@attrs.frozen
class RunOps:
    """The requests driving a run needs, as callables taking ``(thread_id, run_id, ...)``."""

    fetch: Callable[[str, str], Awaitable[APIResponse[Run]]]
    submit: Callable[[str, str, ToolOutputs], Awaitable[APIResponse[Run]]]
    open_submit_stream: Callable[[str, str, ToolOutputs], Awaitable[Exchange]]
    cancel: Callable[[str, str], Awaitable[object]]


async def watch(
    ops: RunOps,
    thread_id: str,
    run_id: str,
    *,
    interval: float | None,
    max_wait: float | None,
    first: APIResponse[Run] | None = None,
) -> AsyncIterator[Run]:
    """The run each time its status changes, until a terminal status (within ``max_wait``)."""
    runs = watch_run(
        partial(ops.fetch, thread_id, run_id),
        interval=interval,
        deadline=Deadline(max_wait),
        first=first,
    )
    async for run in runs:
        yield run


async def poll(
    ops: RunOps,
    thread_id: str,
    run_id: str,
    *,
    interval: float | None,
    deadline: Deadline,
    first: APIResponse[Run] | None = None,
) -> Run:
    """The run once it reaches a terminal status."""
    last: Run | None = None
    fetch = partial(ops.fetch, thread_id, run_id)
    async for last in watch_run(  # noqa: B007 - the loop is only there to reach the last one
        fetch, interval=interval, deadline=deadline, first=first
    ):
        pass
    assert last is not None  # watch_run always yields at least once
    return last


async def poll_started(
    ops: RunOps, start: Awaitable[APIResponse[Run]], *, max_wait: float | None
) -> Run:
    """Send the request that starts (or continues) a run, then poll it until it settles."""
    deadline = Deadline(max_wait)
    response = await deadline.run(start, partial(run_timeout, deadline, None))
    run = response.data
    return await poll(ops, run.thread_id, run.id, interval=None, deadline=deadline, first=response)


async def _cancel_quietly(ops: RunOps, run: Run) -> None:
    """Cancel a run we are abandoning; failing to cancel must not hide the original error."""
    try:
        await ops.cancel(run.thread_id, run.id)
    except Exception as exc:  # the original error is what the caller needs to see
        logger.warning("could not cancel run %s after a tool failure: %s", run.id, exc)


async def _outputs(ops: RunOps, run: Run, settings: ToolSettings, rounds: int) -> ToolOutputs:
    if rounds > settings.max_rounds:
        await _cancel_quietly(ops, run)
        raise ToolCallError(
            f"run {run.id} asked for tool outputs more than max_rounds={settings.max_rounds} "
            "times; it was cancelled",
            call=None,
            run=run,
        )
    try:
        return await answer_tool_calls(run, settings)
    except ToolCallError:
        await _cancel_quietly(ops, run)
        raise


async def run_tools(
    ops: RunOps,
    start: Awaitable[APIResponse[Run]],
    settings: ToolSettings,
    *,
    max_wait: float | None,
) -> Run:
    """Start a run, then poll, answer tool calls, submit and poll again until it settles."""
    deadline = Deadline(max_wait)
    response = await deadline.run(start, partial(run_timeout, deadline, None))
    rounds = 0
    while True:
        run = await poll(
            ops,
            response.data.thread_id,
            response.data.id,
            interval=None,
            deadline=deadline,
            first=response,
        )
        if run.status != "requires_action":
            return run
        rounds += 1
        expired = partial(run_timeout, deadline, run)
        outputs = await deadline.run(_outputs(ops, run, settings, rounds), expired)
        response = await deadline.run(ops.submit(run.thread_id, run.id, outputs), expired)


def run_tools_stream(
    ops: RunOps,
    opener: Callable[[], Awaitable[Exchange]],
    settings: ToolSettings,
    *,
    max_wait: float | None,
    strict: bool,
    hooks: Sequence[Hook],
) -> AssistantStream:
    """One stream of events across every ``requires_action`` round of a run."""
    rounds = 0

    async def carry_on(run: Run) -> Exchange | None:
        nonlocal rounds
        rounds += 1
        outputs = await _outputs(ops, run, settings, rounds)
        return await ops.open_submit_stream(run.thread_id, run.id, outputs)

    return AssistantStream(
        opener, continuation=carry_on, max_wait=max_wait, strict=strict, hooks=hooks
    )
