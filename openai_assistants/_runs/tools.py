"""Answering a run's tool calls with Python functions: the part of the tool loop that is not HTTP.

Each ``requires_action`` round: decode every call's JSON arguments, call the matching handler
(``async def`` awaited, plain functions in a worker thread) concurrently for all calls, encode
each result (a ``str`` as is, anything else as JSON) and hand back one output per call. A
missing handler, bad arguments, a handler that raises or runs past ``tool_timeout`` becomes that
call's output as an error text, so the model can recover; with ``strict`` it raises
``ToolCallError`` instead (the loop then cancels the run).
"""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Callable, Mapping
from typing import Any

import attrs

from .._errors import ToolCallError
from .._serde import json as _json
from .._serde.converters import converter
from ..models import RequiredToolCall, Run

__all__ = ["ToolHandler", "ToolSettings", "answer_tool_calls", "encode_result"]

#: A function answering one tool: called with the call's arguments as keyword arguments.
ToolHandler = Callable[..., Any]


@attrs.frozen(kw_only=True)
class ToolSettings:
    """How a tool loop answers calls."""

    handlers: Mapping[str, ToolHandler]
    strict: bool = False
    tool_timeout: float | None = None
    max_rounds: int = 10

    @classmethod
    def check(
        cls,
        handlers: Mapping[str, ToolHandler],
        *,
        strict: bool,
        tool_timeout: float | None,
        max_rounds: int,
    ) -> ToolSettings:
        """Validate the loop's arguments before any request."""
        if not isinstance(handlers, Mapping):
            raise TypeError("handlers must map function names to callables, e.g. {'f': f}")
        for name, handler in handlers.items():
            if not isinstance(name, str) or not callable(handler):
                raise TypeError(f"handlers[{name!r}] must be a callable keyed by the function name")
        if tool_timeout is not None and not tool_timeout > 0:
            raise ValueError(
                f"tool_timeout must be a positive number of seconds, got {tool_timeout}"
            )
        if isinstance(max_rounds, bool) or not isinstance(max_rounds, int) or max_rounds < 1:
            raise ValueError(f"max_rounds must be an int >= 1, got {max_rounds!r}")
        return cls(
            handlers=dict(handlers), strict=strict, tool_timeout=tool_timeout, max_rounds=max_rounds
        )


def encode_result(value: Any) -> str:
    """A handler's return value as a tool output: a ``str`` as is, anything else as JSON."""
    if isinstance(value, str):
        return value
    return _json.dumps_text(converter.unstructure(value))


async def _call_one(call: RequiredToolCall, settings: ToolSettings) -> str:
    handler = settings.handlers.get(call.function.name)
    if handler is None:
        raise LookupError(f"no handler for the function {call.function.name!r}")
    try:
        arguments = _json.loads(call.function.arguments or "{}")
    except ValueError as exc:
        raise ValueError(f"the arguments are not valid JSON ({exc})") from None
    if not isinstance(arguments, dict):
        raise ValueError(f"the arguments must be a JSON object, got {type(arguments).__name__}")
    if inspect.iscoroutinefunction(handler) or inspect.iscoroutinefunction(
        getattr(handler, "__call__", None)  # noqa: B004 - an object with an async __call__
    ):
        pending = handler(**arguments)
    else:
        pending = asyncio.to_thread(handler, **arguments)
    result = await asyncio.wait_for(pending, settings.tool_timeout)
    return encode_result(result)


async def _answer(call: RequiredToolCall, settings: ToolSettings, run: Run) -> dict[str, str]:
    try:
        output = await _call_one(call, settings)
    except asyncio.CancelledError:
        raise
    except Exception as exc:
        reason = (
            f"timed out after {settings.tool_timeout}s"
            if isinstance(exc, asyncio.TimeoutError)
            else f"{type(exc).__name__}: {exc}"
        )
        if settings.strict:
            raise ToolCallError(
                f"tool call {call.id} ({call.function.name}) failed: {reason}", call=call, run=run
            ) from exc
        output = f"Error: {reason}"
    return {"tool_call_id": call.id, "output": output}


async def answer_tool_calls(run: Run, settings: ToolSettings) -> list[dict[str, str]]:
    """One output per function call the run is waiting for, computed concurrently."""
    action = run.required_action
    calls = action.submit_tool_outputs.tool_calls if action else []
    tasks = [asyncio.ensure_future(_answer(call, settings, run)) for call in calls]
    try:
        return list(await asyncio.gather(*tasks))
    except BaseException:
        # One failed (strict) or we were cancelled: stop the others instead of leaving them run.
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        raise
