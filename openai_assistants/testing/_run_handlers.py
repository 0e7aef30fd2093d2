"""Handlers for runs and run steps, including the streaming variants."""

from __future__ import annotations

import asyncio
from collections import deque
from typing import Any

from aiohttp import web

from ._context import Ctx
from ._errors import not_found
from ._handlers import new_message, new_thread
from ._render import render
from ._runs import RunSimulation
from ._sse import EventStream, format_event
from ._validation import parse_include

__all__ = [
    "cancel_run",
    "create_run",
    "create_thread_and_run",
    "get_run",
    "get_run_step",
    "list_run_steps",
    "list_runs",
    "modify_run",
    "submit_tool_outputs",
]

JSONDict = dict[str, Any]
Event = tuple[str, Any]


class _EventBuffer:
    """Collects events rendered at emit time (objects keep changing afterwards)."""

    def __init__(self, ctx: Ctx, include_content: bool) -> None:
        self.ctx = ctx
        self.include_content = include_content
        self.events: list[Event] = []

    def __call__(self, name: str, kind: str, payload: JSONDict) -> None:
        if kind == "raw":
            data: Any = payload
        else:
            data = render(kind, payload, self.ctx.version, include_content=self.include_content)
        self.events.append((name, data))

    def drain(self) -> list[Event]:
        events, self.events = self.events, []
        return events


async def _stream(ctx: Ctx, simulation: RunSimulation, buffer: _EventBuffer) -> web.StreamResponse:
    """Write the buffered events, then tick the run to its end or to ``requires_action``.

    Every event goes into the response's transcript, delivered or not (see ``EventStream``).
    """
    request = ctx.request
    fault = ctx.state.faults.take(request.method, request.raw_path, stream=True)
    response = EventStream()
    pending: deque[Event] = deque()
    sent = 0
    try:
        # Inside the try: a client that left before the headers still gets its run finished.
        await response.prepare(request)
        while True:
            pending.extend(buffer.drain())
            while pending:
                if fault is not None and sent == fault.after_events:
                    ctx.state.faults.record(fault, request.method, request.raw_path)
                    if fault.kind == "stream_error":
                        await response.write(format_event("error", fault.body))
                        await response.write_eof()
                    elif request.transport is not None:
                        request.transport.close()
                    return response
                frame = ctx.state.quirks.frame(*pending.popleft())
                response.transcript += frame
                await response.write(frame)
                sent += 1
                if ctx.state.event_delay:
                    await asyncio.sleep(ctx.state.event_delay)
            if not simulation.advance(buffer):
                break
        await response.write(ctx.state.quirks.done_frame())
        await response.write_eof()
    except ConnectionResetError:
        pass  # the client went away; the run still finishes below
    finally:
        # A cut or abandoned stream does not stop the run, as on the real service.
        simulation.advance_until_blocked(buffer)
        pending.extend(buffer.drain())
        quirks = ctx.state.quirks
        response.transcript += b"".join(quirks.frame(*event) for event in pending)
        response.transcript += quirks.done_frame()
    return response


def _include(ctx: Ctx) -> bool:
    return parse_include(ctx.request.query, ctx.version)


async def _start(
    ctx: Ctx, simulation: RunSimulation, prelude: list[Event] | None = None
) -> web.StreamResponse:
    """Answer a run creation: a stream when asked for, else the queued run."""
    if ctx.body.get("stream"):
        buffer = _EventBuffer(ctx, _include(ctx))
        buffer.events.extend(prelude or [])
        simulation.announce_created(buffer)
        return await _stream(ctx, simulation, buffer)
    response = ctx.run_response(simulation)
    ctx.state.drive(simulation)
    return response


def _run_options(ctx: Ctx) -> JSONDict:
    return {key: value for key, value in ctx.body.items() if key not in ("thread", "stream")}


async def create_run(ctx: Ctx) -> web.StreamResponse:
    """createRun."""
    thread = ctx.state.thread(ctx.param("thread_id"))
    _include(ctx)  # validate include[] before anything is created
    assistant = ctx.state.assistant(ctx.body["assistant_id"])
    ctx.state.ensure_idle(thread["id"])
    for message in ctx.body.get("additional_messages") or []:
        new_message(ctx, thread["id"], message, ctx.version)
    simulation = ctx.state.create_run(thread["id"], assistant, _run_options(ctx))
    return await _start(ctx, simulation)


async def create_thread_and_run(ctx: Ctx) -> web.StreamResponse:
    """createThreadAndRun."""
    assistant = ctx.state.assistant(ctx.body["assistant_id"])
    thread = new_thread(ctx, ctx.body.get("thread") or {})
    simulation = ctx.state.create_run(thread["id"], assistant, _run_options(ctx))
    return await _start(
        ctx, simulation, [("thread.created", render("thread", thread, ctx.version))]
    )


async def list_runs(ctx: Ctx) -> web.StreamResponse:
    """listRuns."""
    thread = ctx.state.thread(ctx.param("thread_id"))
    return ctx.list_response("run", ctx.state.store.runs(thread["id"]))


async def get_run(ctx: Ctx) -> web.StreamResponse:
    """getRun (a poll: moves the ``per_poll`` clock)."""
    simulation = ctx.state.simulation(ctx.param("thread_id"), ctx.param("run_id"))
    ctx.state.polled(simulation)
    return ctx.run_response(simulation)


async def modify_run(ctx: Ctx) -> web.StreamResponse:
    """modifyRun."""
    simulation = ctx.state.simulation(ctx.param("thread_id"), ctx.param("run_id"))
    if "metadata" in ctx.body:
        simulation.run["metadata"] = dict(ctx.body["metadata"] or {})
    return ctx.run_response(simulation)


async def cancel_run(ctx: Ctx) -> web.StreamResponse:
    """cancelRun: answers ``cancelling``; the clock then makes it ``cancelled``."""
    simulation = ctx.state.simulation(ctx.param("thread_id"), ctx.param("run_id"))
    simulation.cancel()
    response = ctx.run_response(simulation)
    ctx.state.drive(simulation)
    return response


async def submit_tool_outputs(ctx: Ctx) -> web.StreamResponse:
    """submitToolOuputsToRun."""
    simulation = ctx.state.simulation(ctx.param("thread_id"), ctx.param("run_id"))
    if ctx.body.get("stream"):
        buffer = _EventBuffer(ctx, include_content=False)
        simulation.submit_tool_outputs(ctx.body["tool_outputs"], buffer)
        return await _stream(ctx, simulation, buffer)
    simulation.submit_tool_outputs(ctx.body["tool_outputs"])
    response = ctx.run_response(simulation)
    ctx.state.drive(simulation)
    return response


def _steps(ctx: Ctx) -> RunSimulation:
    return ctx.state.simulation(ctx.param("thread_id"), ctx.param("run_id"))


async def list_run_steps(ctx: Ctx) -> web.StreamResponse:
    """listRunSteps (``include[]`` adds file-search result content in v2)."""
    simulation = _steps(ctx)
    steps = ctx.state.store.steps(simulation.run["id"])
    return ctx.list_response("step", steps, include_content=_include(ctx))


async def get_run_step(ctx: Ctx) -> web.StreamResponse:
    """getRunStep."""
    simulation = _steps(ctx)
    step = ctx.state.store.steps(simulation.run["id"]).get(ctx.param("step_id"))
    if step is None:
        raise not_found("step", ctx.param("step_id"))
    return ctx.ok("step", step, include_content=_include(ctx))
