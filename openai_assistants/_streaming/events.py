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
from typing import Any, Final, Generic, Literal, TypeAlias, TypeVar, cast, get_args

import attrs
from typing_extensions import Self

from .._errors import ResponseValidationError, StreamError
from .._serde import json as _json
from .._serde.converters import converter
from .._serde.reader import read
from ..models import ErrorObject, Message, MessageDelta, Run, RunStep, RunStepDelta, Thread

T = TypeVar("T")

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
    "deferred_event",
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


_UNREAD: Final = object()


class _Event(Generic[T]):
    """A known event: ``event`` (its name), ``data`` (its model) and ``run_id``.

    Immutable, compared by value. A stream read leniently builds ``data`` on first access, from
    JSON already checked to be an object with an id (the only thing lenient reading can refuse):
    iterating events costs no models until one is looked at. Strict reading builds each one as
    it arrives, so its errors still come from the iteration.
    """

    __slots__ = ("_data", "_event", "_raw", "_request_id", "_run_id")
    __match_args__ = ("event", "data", "run_id")

    _event: Any
    _run_id: str | None
    _data: Any
    _raw: Any
    _request_id: str | None

    def __init__(self, event: str, data: T, run_id: str | None = None) -> None:
        _set = object.__setattr__
        _set(self, "_event", event)
        _set(self, "_data", data)
        _set(self, "_raw", None)
        _set(self, "_request_id", None)
        _set(self, "_run_id", run_id)

    @property
    def event(self) -> str:
        """The event's name (each class narrows it to its own names)."""
        return self._event  # type: ignore[no-any-return]

    @property
    def run_id(self) -> str | None:
        """The run the event belongs to (the stream's latest run when the data does not say)."""
        return self._run_id

    @classmethod
    def _deferred(cls, event: str, raw: Any, request_id: str | None, run_id: str | None) -> Self:
        """An event whose ``data`` is read from ``raw`` when first asked for."""
        obj = cls.__new__(cls)
        _set = object.__setattr__
        _set(obj, "_event", event)
        _set(obj, "_data", _UNREAD)
        _set(obj, "_raw", raw)
        _set(obj, "_request_id", request_id)
        _set(obj, "_run_id", run_id)
        return obj

    @property
    def data(self) -> T:
        """The event's data as its model."""
        data = self._data
        if data is _UNREAD:
            data = typed(self._event, self._raw, self._request_id)
            object.__setattr__(self, "_data", data)
            object.__setattr__(self, "_raw", None)
        return data  # type: ignore[no-any-return]

    @property
    def name(self) -> str:
        """The event's name as the server sent it (the same as ``event`` for known events)."""
        return self.event

    def __setattr__(self, name: str, value: Any) -> None:
        raise attrs.exceptions.FrozenInstanceError()

    def __delattr__(self, name: str) -> None:
        raise attrs.exceptions.FrozenInstanceError()

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        assert isinstance(other, _Event)
        return (self.event, self.run_id, self.data) == (other.event, other.run_id, other.data)

    def __hash__(self) -> int:
        return hash((self.__class__, self.event, self.run_id))

    def __repr__(self) -> str:
        return (
            f"{self.__class__.__name__}(event={self.event!r}, data={self.data!r}, "
            f"run_id={self.run_id!r})"
        )


class ThreadEvent(_Event[Thread]):
    """``thread.created``: the thread a create-and-run stream made."""

    __slots__ = ()

    @property
    def event(self) -> Literal["thread.created"]:
        return self._event  # type: ignore[no-any-return]


class RunEvent(_Event[Run]):
    """``thread.run.*``: the run as it changes status."""

    __slots__ = ()

    @property
    def event(self) -> RunEventName:
        return self._event  # type: ignore[no-any-return]


class RunStepEvent(_Event[RunStep]):
    """``thread.run.step.*`` (but ``delta``): a run step as it changes status."""

    __slots__ = ()

    @property
    def event(self) -> RunStepEventName:
        return self._event  # type: ignore[no-any-return]


class RunStepDeltaEvent(_Event[RunStepDelta]):
    """``thread.run.step.delta``: a piece of a run step (tool-call arguments, code, output)."""

    __slots__ = ()

    @property
    def event(self) -> Literal["thread.run.step.delta"]:
        return self._event  # type: ignore[no-any-return]


class MessageEvent(_Event[Message]):
    """``thread.message.*`` (but ``delta``): a message as it changes status."""

    __slots__ = ()

    @property
    def event(self) -> MessageEventName:
        return self._event  # type: ignore[no-any-return]


class MessageDeltaEvent(_Event[MessageDelta]):
    """``thread.message.delta``: a piece of a message's content (text, annotations)."""

    __slots__ = ()

    @property
    def event(self) -> Literal["thread.message.delta"]:
        return self._event  # type: ignore[no-any-return]


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
EVENT_CLASSES: Final[Mapping[str, type[_Event[Any]]]] = {
    "thread.created": ThreadEvent,
    **dict.fromkeys(get_args(RunEventName), RunEvent),
    **dict.fromkeys(get_args(RunStepEventName), RunStepEvent),
    "thread.run.step.delta": RunStepDeltaEvent,
    **dict.fromkeys(get_args(MessageEventName), MessageEvent),
    "thread.message.delta": MessageDeltaEvent,
}

_MODELS: Final[Mapping[type[_Event[Any]], type]] = {
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
    return cast("StreamEvent", cls(name, data, run_id))  # the table pairs names and classes


def deferred_event(
    name: str, raw: Any, request_id: str | None, run_id: str | None
) -> StreamEvent | None:
    """A known event whose data lenient reading is sure to read, its model built on first
    access; ``None`` when it must be read now (unknown name, or not an object with an id)."""
    cls = EVENT_CLASSES.get(name)
    if cls is None or raw.__class__ is not dict or type(raw.get("id")) not in (str, int):
        return None
    return cast("StreamEvent", cls._deferred(name, raw, request_id, run_id))


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
