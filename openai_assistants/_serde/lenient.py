"""Lenient reading: how a response that leaves the spec is still read, and how that is recorded.

The lenient converter (``_serde.make_converter(mode="lenient")``, the default for responses)
registers the hooks built here. Data that follows the spec never reaches them: the compiled fast
path reads it first. The rules, each decided from what compatible servers send:

* A scalar of another JSON type is converted where the meaning is plain: an integer into a
  string field (integer ids), an integral float into an int, a numeric string into an int or a
  float, ``"true"``/``"false"`` into a bool, an ISO-8601 date-time into an int (a timestamp).
* A field whose value cannot be read (``null`` for an array, an object for a string, ...) holds
  its default (``[]`` for the arrays, ``None`` for optional fields). A required field the model
  has no default for holds the zero of its type (``""``, ``0``, ``[]``, ``{}``, an object read
  from ``{}``), except in two places:

  - inside a tagged-union member (a content part, a tool call, ...), where the member is read as
    its union's ``Unknown...`` object holding the raw JSON, as an unknown ``type`` would be;
  - the ``id`` of a top-level object, which is unusable without it: ``ResponseValidationError``.
* An array item that cannot be read at all is left out of the list.
* A timestamp (a ``*_at`` field) in milliseconds or with a fraction is read as whole seconds.
* A top-level object that lacks a key the spec requires is read as it is; a key the spec does
  not have is kept, in the deviation that records it.

Nothing is dropped silently: every such decision is a :class:`~openai_assistants.models.Deviation`
(path, problem, the value as sent) in the top-level object's ``deviations``, and each
(model, field) is logged once as a warning on the ``openai_assistants`` logger.
"""

from __future__ import annotations

import datetime
import importlib
import logging
import math
import re
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, Final, get_args, get_origin

import attrs

from .. import models as m
from .typeforms import SCALAR_TYPES, UnionParts, union_parts

__all__ = [
    "ROOTS",
    "SPEC_REQUIRED",
    "Unusable",
    "reading",
    "lenient_scalar_hook",
    "lenient_scalar_union_hook",
    "lenient_list_hook",
    "lenient_class_hook",
    "lenient_tagged_fallback",
    "record_unknown_member",
    "json_type",
    "log_deviations",
    "MILLISECONDS",
]

logger = logging.getLogger("openai_assistants")

StructureHook = Callable[[Any, Any], Any]


class _SpecRequired(Mapping[type, tuple[str, ...]]):
    """Top-level model -> the keys the spec requires of it, known by the class's name, so a
    model group that is imported only on use (files and vector stores) is not imported to be
    looked up; iterating it (tests do) imports every model it names."""

    def __init__(self, table: Mapping[type | str, str]) -> None:
        self._by_name = {
            key if isinstance(key, str) else _name(key): tuple(keys.split())
            for key, keys in table.items()
        }

    def __getitem__(self, cls: type) -> tuple[str, ...]:
        return self._by_name[_name(cls)]

    def __contains__(self, cls: object) -> bool:
        return isinstance(cls, type) and _name(cls) in self._by_name

    def __iter__(self) -> Iterator[type]:
        for name in self._by_name:
            module, _, qualname = name.rpartition(".")
            yield getattr(importlib.import_module(module), qualname)

    def __len__(self) -> int:
        return len(self._by_name)


def _name(cls: type) -> str:
    return f"{cls.__module__}.{cls.__qualname__}"


_FILES = "openai_assistants.models.files."
_STORES = "openai_assistants.models.vector_stores."

#: The keys the spec requires of each top-level object in both versions (v1 and v2 each require
#: a few more of their own). The model gives most of them a default, so they read when absent;
#: strict mode raises, lenient mode records a deviation. ``tests/models/test_lenient.py``
#: checks this table against the spec.
SPEC_REQUIRED: Final[Mapping[type, tuple[str, ...]]] = _SpecRequired(
    {
        m.Assistant: "id object created_at name description model instructions tools metadata",
        m.Thread: "id object created_at metadata",
        m.Message: "id object created_at thread_id status incomplete_details completed_at "
        "incomplete_at role content assistant_id run_id metadata",
        m.MessageDelta: "id object delta",
        m.Run: "id object created_at thread_id assistant_id status required_action last_error "
        "expires_at started_at cancelled_at failed_at completed_at incomplete_details model "
        "instructions tools metadata usage truncation_strategy max_prompt_tokens "
        "max_completion_tokens tool_choice response_format",
        m.RunStep: "id object created_at assistant_id thread_id run_id type status step_details "
        "last_error expired_at cancelled_at failed_at completed_at metadata usage",
        m.RunStepDelta: "id object delta",
        m.DeletionStatus: "id object deleted",
        m.AssistantFile: "id object created_at assistant_id",
        m.MessageFile: "id object created_at message_id",
        # OpenAIFile also requires ``status``, but marks it deprecated and the API's own
        # examples leave it out: its absence is no deviation worth recording.
        _FILES + "FileObject": "id object bytes created_at filename purpose",
        _FILES + "Upload": "id bytes created_at expires_at filename purpose status",
        _FILES + "UploadPart": "id object created_at upload_id",
        _STORES + "VectorStore": "id object usage_bytes created_at status last_active_at name "
        "file_counts metadata",
        _STORES + "VectorStoreFile": "id object usage_bytes created_at vector_store_id status "
        "last_error",
        _STORES + "VectorStoreFileBatch": "id object created_at vector_store_id status file_counts",
    }
)
#: The API's top-level objects: each carries the deviations found in it.
ROOTS: Final = SPEC_REQUIRED.keys()


def json_type(value: Any) -> str:
    """The JSON name of a decoded value's type, for messages."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, Mapping):
        return "object"
    if isinstance(value, (list, tuple)):
        return "array"
    return type(value).__name__


class Unusable(ValueError):
    """A top-level object that cannot be used (not an object, or no usable ``id``): the response
    cannot be read at all.

    ``where`` is filled in on the way up (fields and indexes), so the error names the item.
    """

    def __init__(self, problem: str, where: list[str | int]) -> None:
        super().__init__(problem)
        self.problem = problem
        self.where = where

    @property
    def path(self) -> str:
        return _path(self.where)


# --- where the reader is, and what it found ------------------------------------------------------


class _Reading:
    """The deviations found in one top-level object, and the path the reader is at in it."""

    __slots__ = ("found", "members", "path")

    def __init__(self) -> None:
        self.path: list[str | int] = []
        self.found: list[m.Deviation] = []
        #: How many tagged-union members the reader is inside (required fields fail them).
        self.members = 0

    def record(self, problem: str, value: Any, *extra: str | int) -> None:
        self.found.append(m.Deviation(_path([*self.path, *extra]), problem, value))


_READING: ContextVar[_Reading | None] = ContextVar("openai_assistants_reading", default=None)


def _path(parts: list[str | int]) -> str:
    return "$" + "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in parts)


@contextmanager
def reading() -> Iterator[_Reading]:
    """A fresh record of deviations for one top-level read (nested reads get their own)."""
    state = _Reading()
    token = _READING.set(state)
    try:
        yield state
    finally:
        _READING.reset(token)


def _current() -> _Reading:
    state = _READING.get()
    # Outside a read (the converter called directly), deviations below a top-level object have
    # nowhere to go; every response is read inside one (``reader``).
    return _Reading() if state is None else state


#: (model, field path) pairs already logged: each is logged once per process, up to
#: ``_MAX_LOGGED`` of them (metadata keys are a server's users' data: their number has no bound).
_LOGGED: set[tuple[str, str]] = set()
_MAX_LOGGED: Final = 10_000
_INDEX: Final = re.compile(r"\[\d+\]")


def log_deviations(model: str, found: list[m.Deviation]) -> None:
    """Log each deviation whose (model, field) has not been logged yet."""
    for deviation in found:
        key = (model, _INDEX.sub("[]", deviation.path))
        if key in _LOGGED or len(_LOGGED) >= _MAX_LOGGED:
            continue
        _LOGGED.add(key)
        logger.warning(
            "%s from the server deviates from the spec at %s: %s (logged once per field; "
            "see .deviations on each object)",
            model,
            deviation.path,
            deviation.problem,
        )


def _attach(obj: Any, found: list[m.Deviation]) -> None:
    object.__setattr__(obj, "deviations", tuple(found))
    log_deviations(type(obj).__name__, found)


# --- scalars -------------------------------------------------------------------------------------

_NUMBER: Final = re.compile(r"\s*-?\d+(\.\d*)?([eE][-+]?\d+)?\s*")


def _timestamp(value: str) -> int | None:
    """An ISO-8601 date-time as Unix seconds (no zone: UTC), or ``None``."""
    text = value.strip()
    if len(text) < 10 or not text[:4].isdigit() or text[4] != "-":
        return None
    try:
        moment = datetime.datetime.fromisoformat(text.replace("Z", "+00:00").replace("z", "+00:00"))
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=datetime.timezone.utc)
        return int(moment.timestamp())
    except (ValueError, OverflowError, OSError):
        return None


def _to_str(value: Any) -> Any:
    if type(value) is int:  # integer ids
        return str(value)
    return _NO


def _to_int(value: Any) -> Any:
    kind = type(value)
    if kind is float and value.is_integer():
        return int(value)
    if kind is str:
        if _NUMBER.fullmatch(value):
            number = float(value)
            return int(number) if number.is_integer() else _NO
        stamp = _timestamp(value)
        return _NO if stamp is None else stamp
    return _NO


def _to_float(value: Any) -> Any:
    if type(value) is str and _NUMBER.fullmatch(value):
        return float(value)
    return _NO


def _to_bool(value: Any) -> Any:
    if type(value) is str and value.strip().lower() in ("true", "false"):
        return value.strip().lower() == "true"
    if type(value) is int and value in (0, 1):
        return bool(value)
    return _NO


#: Marks "no plain reading"; ``None`` is a value.
_NO: Final = object()
_COERCIONS: Final[Mapping[type, Callable[[Any], Any]]] = {
    str: _to_str,
    int: _to_int,
    float: _to_float,
    bool: _to_bool,
}


def _coerce(value: Any, targets: tuple[Any, ...]) -> Any:
    """``value`` read as the first scalar type in ``targets`` it has a plain reading as."""
    for target in targets:
        coerce = _COERCIONS.get(target)
        if coerce is not None:
            result = coerce(value)
            if result is not _NO:
                _current().record(
                    f"expected {_names(targets)}, got {json_type(value)}; read as {result!r}",
                    value,
                )
                return result
    return _NO


def _names(targets: tuple[Any, ...]) -> str:
    return " or ".join(getattr(t, "__name__", str(t)) for t in targets)


def lenient_scalar_hook(scalar: type, strict_hook: StructureHook) -> StructureHook:
    """``strict_hook`` (the converter's exact-type check), then the plain conversions."""

    def structure_scalar(value: Any, t: Any) -> Any:
        try:
            return strict_hook(value, t)
        except TypeError:
            result = _coerce(value, (scalar,))
            if result is _NO:
                raise
            return result

    return structure_scalar


def lenient_scalar_union_hook(parts: UnionParts, strict_hook: StructureHook) -> StructureHook:
    """For ``int | None`` and the like: the exact types, then the plain conversions."""
    targets = tuple(a for a in parts.members if a in SCALAR_TYPES)

    def structure_scalar_union(value: Any, t: Any) -> Any:
        try:
            return strict_hook(value, t)
        except TypeError:
            result = _coerce(value, targets)
            if result is _NO:
                raise
            return result

    return structure_scalar_union


# --- lists, classes and union members ------------------------------------------------------------


def lenient_list_hook(t: Any, item_hook: Callable[[], StructureHook]) -> StructureHook:
    """A list whose unreadable items are left out (and recorded); anything else but an array
    is unreadable as a whole."""
    args = get_args(t)
    item = args[0] if args else Any

    def structure_list(data: Any, _: Any) -> Any:
        if not isinstance(data, list):
            raise TypeError(f"expected an array, got {json_type(data)}")
        hook = item_hook()
        state = _current()
        out = []
        for index, value in enumerate(data):
            state.path.append(index)
            try:
                out.append(hook(value, item))
            except Unusable as exc:
                exc.where.insert(0, index)
                raise
            except Exception as exc:  # any failure is this item's problem
                state.record(f"{_problem(exc)}; item left out", value)
            finally:
                state.path.pop()
        return out

    return structure_list


def _problem(exc: BaseException) -> str:
    """One line for an exception raised while reading a value (a cattrs group: its first)."""
    inner = getattr(exc, "exceptions", None)
    if inner:
        return _problem(inner[0])
    return str(exc) or type(exc).__name__


class _MemberUnreadable(ValueError):
    """A required field inside a tagged-union member could not be read."""


def _zero(t: Any, hook: StructureHook) -> Any:
    """The value a required field holds when the server's cannot be read."""
    if t in SCALAR_TYPES:
        return {str: "", int: 0, float: 0.0, bool: False}[t]
    origin = get_origin(t)
    if t is list or origin is list:
        return []
    if t is dict or origin in (dict, Mapping):
        return {}
    if t is Any:
        return None
    parts = union_parts(t) if get_args(t) else None
    if parts is not None and parts.allow_none:
        return None
    return hook({}, t)  # an object read from nothing: its own zeros (or an Unknown member)


#: Timestamps are Unix seconds; one this large (past the year 5000) is in milliseconds.
MILLISECONDS: Final = 10**11


def _seconds(value: Any, state: _Reading) -> Any:
    """A timestamp field's value as whole seconds when it was sent in another plain form."""
    kind = type(value)
    if kind is float and math.isfinite(value):
        seconds = int(value)
        if seconds >= MILLISECONDS:
            seconds //= 1000
        state.record(f"a fractional timestamp; read as {seconds}", value)
        return seconds
    if kind is int and value >= MILLISECONDS:
        state.record(f"a timestamp in milliseconds; read as {value // 1000} (seconds)", value)
        return value // 1000
    return value


def lenient_class_hook(
    cls: type, field_hooks: Callable[[], list[tuple[attrs.Attribute[Any], StructureHook]]]
) -> StructureHook:
    """Read an attrs model field by field; see the module docstring for what a field that
    cannot be read gets. ``field_hooks`` gives each init field with its hook (built lazily, as
    the models refer to each other)."""
    root = cls in ROOTS
    required_by_spec = SPEC_REQUIRED.get(cls, ())

    def structure_class(data: Any, _: Any) -> Any:
        if not isinstance(data, dict):
            problem = f"expected an object, got {json_type(data)}"
            if root:
                raise Unusable(problem, [])
            raise TypeError(problem)
        if not root:
            return _fields(data, _current())
        with reading() as state:
            obj = _fields(data, state)
            read_as_zero = {d.path for d in state.found}
            for key in required_by_spec:
                if key not in data and f"$.{key}" not in read_as_zero:
                    state.record("missing; the spec requires it", None, key)
            metadata = data.get("metadata")
            if isinstance(metadata, dict):
                for key, value in metadata.items():
                    if type(value) is not str:
                        problem = f"a {json_type(value)}, the spec has strings; kept as sent"
                        state.record(problem, value, "metadata", key)
            if state.found:
                _attach(obj, state.found)
            return obj

    def _fields(data: dict[str, Any], state: _Reading) -> Any:
        kwargs: dict[str, Any] = {}
        hooks = field_hooks()
        for a, hook in hooks:
            name = a.name
            state.path.append(name)
            try:
                if name in data:
                    value = data[name]
                    if name.endswith("_at"):
                        value = _seconds(value, state)
                    try:
                        kwargs[name] = hook(value, a.type)
                        continue
                    except (Unusable, _MemberUnreadable):
                        raise
                    except Exception as exc:  # any failure is this field's problem
                        problem = _problem(exc)
                else:
                    if a.default is not attrs.NOTHING:
                        continue  # absent and optional: the default, as the model says
                    value, problem = None, "missing"
                if a.default is not attrs.NOTHING:
                    default: Any = a.default
                    if isinstance(default, attrs.Factory):  # type: ignore[arg-type]
                        default = default.factory()
                    kwargs[name] = default
                    state.record(f"{problem}; read as {default!r}", value)
                elif root and name == "id":
                    raise Unusable(f"{problem}; an object without an id is unusable", [])
                elif state.members:
                    raise _MemberUnreadable(f"{problem} @ {_path(state.path)}")
                else:
                    kwargs[name] = zero = _zero(a.type, hook)
                    state.record(f"{problem}; read as {zero!r}", value)
            except Unusable as exc:
                exc.where.insert(0, name)
                raise
            finally:
                state.path.pop()
        if len(data) > len(kwargs):  # every known key that was sent is in kwargs by now
            known = {a.name for a, _ in hooks}
            for key, value in data.items():
                if key not in known:
                    state.record("a key the spec does not have; kept here", value, key)
        return cls(**kwargs)

    return structure_class


def lenient_tagged_fallback(fallback: type | None, make_unknown: StructureHook | None) -> Any:
    """Wrap a known member's hook: a member that does not fit its model becomes the union's
    ``Unknown...`` object (the deviations inside it collapse into one for the member)."""

    def read_member(data: dict[str, Any], hook: StructureHook, cls: type) -> Any:
        state = _current()
        mark = len(state.found)
        state.members += 1
        try:
            return hook(data, cls)
        except Unusable:
            raise
        except Exception as exc:  # any failure makes the member unknown
            if make_unknown is None:
                raise
            del state.found[mark:]
            state.record(
                f"a {data.get('type')!r} member that does not fit {cls.__name__} "
                f"({_problem(exc)}); read as {fallback.__name__ if fallback else 'unknown'} "
                "with the raw JSON",
                data,
            )
            return make_unknown(data, fallback)
        finally:
            state.members -= 1

    return read_member


def record_unknown_member(data: dict[str, Any], fallback: type) -> None:
    """A union member of a type the spec does not have, or with no string ``type`` tag."""
    tag = data.get("type")
    what = (
        f"a {tag!r} member the spec does not have"
        if isinstance(tag, str)
        else (f"no 'type' tag ({json_type(tag)})")
    )
    _current().record(f"{what}; read as {fallback.__name__} with the raw JSON", data)
