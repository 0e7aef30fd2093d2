"""Stream events: their names, the typed event classes and the decoding of one event's data.

Each event class pins its ``event`` names as a ``Literal`` and its ``data`` to one model, so a
type checker narrows on either::

    if event.event == "thread.message.delta":   # event is a MessageDeltaEvent
        event.data.delta.content                # data is a MessageDelta

An event name the SDK does not know becomes an ``UnknownEvent``: its ``event`` is always
``"unknown"`` and its ``data`` the decoded JSON as is, never coerced into a model. Every event's
``name`` is its name on the wire. Pure: nothing here does I/O.
"""

from __future__ import annotations

import reprlib
from collections.abc import Mapping
from typing import Any, Final, Literal, TypeAlias, get_args

import attrs

from .._errors import ResponseValidationError, StreamError
from .._serde import json as _json
from .._serde.converters import converter
from .._serde.reader import read
from ..models import ErrorObject, Message, MessageDelta, Run, RunStep, RunStepDelta, Thread

__all__ = [
    "EVENT_CLASSES",
    "EVENT_KINDS",
    "EVENT_MODELS",
    "TERMINAL_RUN_EVENTS",
    "MessageDeltaEvent",
    "MessageEvent",
    "RunEvent",
    "RunStepDeltaEvent",
    "RunStepEvent",
    "StreamEvent",
    "ThreadEvent",
    "UnknownEvent",
    "decode_raw",
    "make_event",
    "typed",
]

RunEventName: TypeAlias = Literal[
    "thread.run.created",
    "thread.run.queued",
    "thread.run.in_progress",
    "thread.run.requires_action",
    "thread.run.completed",
    "thread.run.failed",
    "thread.run.cancelling",
    "thread.run.cancelled",
    "thread.run.expired",
    "thread.run.incomplete",
]
RunStepEventName: TypeAlias = Literal[
    "thread.run.step.created",
    "thread.run.step.in_progress",
    "thread.run.step.completed",
    "thread.run.step.failed",
    "thread.run.step.cancelled",
    "thread.run.step.expired",
]
MessageEventName: TypeAlias = Literal[
    "thread.message.created",
    "thread.message.in_progress",
    "thread.message.completed",
    "thread.message.incomplete",
]


class _Named:
    """``name``: the event's name on the wire, for every event class (see ``UnknownEvent``)."""

    __slots__ = ()
    event: str

    @property
    def name(self) -> str:
        """The event's name as the server sent it (the same as ``event`` for known events)."""
        return self.event


@attrs.frozen
class ThreadEvent(_Named):
    """``thread.created``: the thread a create-and-run stream made."""

    event: Literal["thread.created"]
    data: Thread
    #: The run the event belongs to (the stream's latest run when the data does not say).
    run_id: str | None = None


@attrs.frozen
class RunEvent(_Named):
    """``thread.run.*``: the run as it changes status."""

    event: RunEventName
    data: Run
    run_id: str | None = None


@attrs.frozen
class RunStepEvent(_Named):
    """``thread.run.step.*`` (but ``delta``): a run step as it changes status."""

    event: RunStepEventName
    data: RunStep
    run_id: str | None = None


@attrs.frozen
class RunStepDeltaEvent(_Named):
    """``thread.run.step.delta``: a piece of a run step (tool-call arguments, code, output)."""

    event: Literal["thread.run.step.delta"]
    data: RunStepDelta
    run_id: str | None = None


@attrs.frozen
class MessageEvent(_Named):
    """``thread.message.*`` (but ``delta``): a message as it changes status."""

    event: MessageEventName
    data: Message
    run_id: str | None = None


@attrs.frozen
class MessageDeltaEvent(_Named):
    """``thread.message.delta``: a piece of a message's content (text, annotations)."""

    event: Literal["thread.message.delta"]
    data: MessageDelta
    run_id: str | None = None


@attrs.frozen
class UnknownEvent:
    """An event the SDK does not know: ``name`` is what the server called it and ``data`` its
    decoded JSON (or text) as is. ``event`` is always ``"unknown"``, so checking ``event.event``
    narrows the ``StreamEvent`` union."""

    name: str
    data: Any
    run_id: str | None = None
    event: Literal["unknown"] = "unknown"


#: One event of a run stream; narrow it on ``event.event`` or on its class.
StreamEvent: TypeAlias = (
    ThreadEvent
    | RunEvent
    | RunStepEvent
    | RunStepDeltaEvent
    | MessageEvent
    | MessageDeltaEvent
    | UnknownEvent
)

_KNOWN: Final = (
    ThreadEvent,
    RunEvent,
    RunStepEvent,
    RunStepDeltaEvent,
    MessageEvent,
    MessageDeltaEvent,
)

#: Every event the API sends (both versions) and its event class.
EVENT_CLASSES: Final[Mapping[str, type]] = {
    "thread.created": ThreadEvent,
    **dict.fromkeys(get_args(RunEventName), RunEvent),
    **dict.fromkeys(get_args(RunStepEventName), RunStepEvent),
    "thread.run.step.delta": RunStepDeltaEvent,
    **dict.fromkeys(get_args(MessageEventName), MessageEvent),
    "thread.message.delta": MessageDeltaEvent,
}

_MODELS: Final[Mapping[type, type]] = {
    ThreadEvent: Thread,
    RunEvent: Run,
    RunStepEvent: RunStep,
    RunStepDeltaEvent: RunStepDelta,
    MessageEvent: Message,
    MessageDeltaEvent: MessageDelta,
}

#: Every event the API sends and the model of its ``data``.
EVENT_MODELS: Final[Mapping[str, type]] = {
    name: _MODELS[cls] for name, cls in EVENT_CLASSES.items()
}

#: Run events after which the server ends the stream (``done`` may or may not follow).
TERMINAL_RUN_EVENTS: Final = frozenset(
    f"thread.run.{name}"
    for name in ("requires_action", "completed", "failed", "cancelled", "expired", "incomplete")
)


def decode_raw(name: str, text: str, request_id: str | None) -> Any:
    """Decode one frame's data to JSON; ``error`` raises ``StreamError``.

    Data that is not JSON is an error for the API's own events and kept as text otherwise.
    """
    try:
        raw = _json.loads(text)
    except ValueError:
        if name == "error":
            raise _stream_error(text) from None
        if name in EVENT_MODELS:
            raise ResponseValidationError(
                f"the data of a {name!r} event is not JSON: {text[:200]!r}",
                errors=[f"not JSON @ {name}:$"],
                body=text,
                request_id=request_id,
            ) from None
        return text
    if name == "error":
        raise _stream_error(raw)
    return raw


def typed(name: str, raw: Any, request_id: str | None, *, strict: bool = False) -> Any:
    """The model of an event's decoded data, or the data as is for an unknown event."""
    model = EVENT_MODELS.get(name)
    if model is None:
        return raw
    return read(raw, model, strict=strict, request_id=request_id, path=f"{name}:$")


def make_event(name: str, data: Any, run_id: str | None) -> StreamEvent:
    """The event object for a decoded event (``data`` already its model when the name is known)."""
    cls = EVENT_CLASSES.get(name)
    if cls is None:
        return UnknownEvent(name, data, run_id)
    event: StreamEvent = cls(name, data, run_id)
    return event


# The message of an error event that is not an error object: ``str()`` would recurse through all
# of its (up to 1024) levels and could be as long as the event.
_BRIEF: Final = reprlib.Repr()
_BRIEF.maxlevel, _BRIEF.maxstring, _BRIEF.maxother = 8, 200, 200


def _stream_error(raw: Any) -> StreamError:
    body = raw.get("error", raw) if isinstance(raw, Mapping) else raw
    try:
        error = converter.structure(body, ErrorObject)
    except Exception:  # a malformed error event still has to surface as a StreamError
        error = ErrorObject(message=body if isinstance(body, str) else _BRIEF.repr(body))
    return StreamError(f"the server sent an error event: {error.message}", error=error, raw=raw)


#: What each event's data is, by event name.
EVENT_KINDS: Final[Mapping[str, str]] = {
    name: {
        Thread: "thread",
        Run: "run",
        Message: "message",
        RunStep: "step",
        MessageDelta: "message_delta",
        RunStepDelta: "step_delta",
    }[model]
    for name, model in EVENT_MODELS.items()
}
