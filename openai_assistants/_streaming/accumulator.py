"""The snapshot accumulator: run, message and run-step snapshots built from a stream's events.

Pure: the stream feeds each decoded event in (``add``, cheap) and reads snapshots back out (built
and cached when asked for).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, Final

from .._serde import json as _json
from .._serde.reader import read
from ..models import Message, Run, RunStep, Thread
from .events import EVENT_KINDS

__all__ = ["Accumulator"]

# Delta strings that are pieces of a longer value. Anything else in a delta replaces what was
# there, so a server that repeats a name or id in every delta does not produce "fnfnfn".
_CONCATENATED: Final = frozenset({"value", "arguments", "input", "logs", "output", "refusal"})


#: How many levels deep deltas merge key by key. Below that a delta's value replaces what was
#: there (copied without recursion): the API's deltas are a few levels deep, but a server's
#: free-form JSON may nest 1024 levels, too deep for recursion on the Python stack.
_MERGE_DEPTH: Final = 64


def _merge(into: dict[str, Any], delta: Mapping[str, Any], depth: int = _MERGE_DEPTH) -> None:
    for key, value in delta.items():
        current = into.get(key)
        if current is None:
            into[key] = _fresh(value, depth)
        elif key in _CONCATENATED and isinstance(current, str) and isinstance(value, str):
            into[key] = current + value
        elif depth and isinstance(current, dict) and isinstance(value, Mapping):
            _merge(current, value, depth - 1)
        elif depth and isinstance(current, list) and isinstance(value, list):
            _merge_indexed(current, value, depth - 1)
        else:
            into[key] = _fresh(value, depth)


def _fresh(value: Any, depth: int = _MERGE_DEPTH) -> Any:
    """A copy of a delta value new to the snapshot, its lists merged by index like later ones."""
    if not depth:
        return _json.copy(value)
    if isinstance(value, Mapping):
        fresh: dict[str, Any] = {}
        _merge(fresh, value, depth - 1)
        return fresh
    if isinstance(value, list):
        items: list[Any] = []
        _merge_indexed(items, value, depth - 1)
        return items
    return value  # a JSON scalar: immutable


def _merge_indexed(into: list[Any], items: list[Any], depth: int = _MERGE_DEPTH) -> None:
    """Merge list deltas by their ``index`` (repeated or out of order), keeping index order."""
    for position, entry in enumerate(into):
        if isinstance(entry, dict) and not isinstance(entry.get("index"), int):
            entry["index"] = position  # a full object's parts are indexed by position
    by_index = {entry["index"]: entry for entry in into if isinstance(entry, dict)}
    for item in items:
        index = item.get("index") if isinstance(item, Mapping) else None
        if isinstance(index, int) and index in by_index:
            _merge(by_index[index], item, depth)
        else:
            entry = _fresh(item, depth)
            into.append(entry)
            if isinstance(index, int):
                by_index[index] = entry
    into.sort(key=_index_of)


def _index_of(entry: Any) -> int:
    """Where an entry sorts: its ``index``, or 0 when it has none or one that is not a number
    (new entries keep whatever the delta sent until the next merge renumbers them)."""
    index = entry.get("index") if isinstance(entry, dict) else None
    return index if isinstance(index, int) else 0


class _Snapshots:
    """JSON snapshots by id, in first-seen order, built lazily.

    Deltas are only queued as they arrive (the stream's hot path); they are merged, and the
    snapshot structured into a model, when someone asks for it.
    """

    def __init__(
        self, model: type, skeleton: Callable[[str], dict[str, Any]], *, strict: bool
    ) -> None:
        self._model = model
        self._strict = strict
        self._skeleton = skeleton  # the snapshot a first delta for an id merges into
        self._raw: dict[str, dict[str, Any]] = {}
        self._pending: dict[str, list[Mapping[str, Any]]] = {}
        self._cache: dict[str, Any] = {}

    def replace(self, raw: Mapping[str, Any], model: Any = None) -> None:
        key = raw["id"]
        self._raw[key] = _json.copy(dict(raw))
        self._pending.pop(key, None)
        if model is None:
            self._cache.pop(key, None)
        else:
            self._cache[key] = model

    def add_delta(self, key: str, delta: Mapping[str, Any]) -> None:
        if key not in self._raw:
            self._raw[key] = self._skeleton(key)
        pending = self._pending.get(key)
        if pending is None:
            self._pending[key] = pending = []
            self._cache.pop(key, None)
        pending.append(delta)

    def get(self, key: str) -> Any:
        pending = self._pending.pop(key, None)
        if pending:
            snapshot = self._raw[key]
            for delta in pending:
                _merge(snapshot, delta)
        if key not in self._cache:
            # From a copy: models keep some dicts as they are (``Unknown...raw``, free-form JSON),
            # and later deltas must not change a snapshot already handed out.
            raw = _json.copy(self._raw[key])
            self._cache[key] = read(
                raw, self._model, strict=self._strict, request_id=None, path=f"{key}:$"
            )
        return self._cache[key]

    def all(self) -> list[Any]:
        return [self.get(key) for key in self._raw]


def _has_id(raw: Mapping[str, Any]) -> bool:
    """Whether an event's object can be read at all (an object without an id cannot)."""
    return type(raw.get("id")) in (str, int)


class Accumulator:
    """Builds the run, message and run-step snapshots from a stream's events.

    ``add`` only records (cheap, once per event); models are built when read and cached.
    """

    def __init__(self, *, strict: bool = False) -> None:
        self._strict = strict
        self._run_raw: Mapping[str, Any] | None = None
        self._run: Run | None = None
        self._thread_raw: Mapping[str, Any] | None = None
        self._thread: Thread | None = None
        self._messages = _Snapshots(Message, self._message_skeleton, strict=strict)
        self._steps = _Snapshots(RunStep, self._step_skeleton, strict=strict)

    @property
    def current_run(self) -> Run | None:
        """The latest run the stream carried."""
        if self._run is None and self._run_raw is not None:
            raw = _json.copy(self._run_raw)
            self._run = read(raw, Run, strict=self._strict, request_id=None, path="run:$")
        return self._run

    @property
    def thread(self) -> Thread | None:
        """The thread a create-and-run stream created."""
        if self._thread is None and self._thread_raw is not None:
            raw = _json.copy(self._thread_raw)
            self._thread = read(raw, Thread, strict=self._strict, request_id=None, path="thread:$")
        return self._thread

    @property
    def run_id(self) -> str | None:
        """The id of the latest run, without building its model."""
        run_id = self._run_raw.get("id") if self._run_raw is not None else None
        return run_id if isinstance(run_id, str) else None

    def add(self, name: str, raw: Any, data: Any = None) -> None:
        """Fold one decoded event in; ``data``, its model if already built, is reused."""
        kind = EVENT_KINDS.get(name)
        # ``dict`` first: the abstract ``Mapping`` check costs more than the rest of a delta.
        if kind is None or (raw.__class__ is not dict and not isinstance(raw, Mapping)):
            return
        if kind == "message_delta" or kind == "step_delta":
            key, delta = raw.get("id"), raw.get("delta")
            if key.__class__ is str and (delta.__class__ is dict or isinstance(delta, Mapping)):
                target = self._messages if kind == "message_delta" else self._steps
                target.add_delta(key, delta)
        elif kind == "run" and _has_id(raw):
            self._run_raw, self._run = raw, data
        elif kind == "thread" and _has_id(raw):
            self._thread_raw, self._thread = raw, data
        elif isinstance(raw.get("id"), str):
            target = self._messages if kind == "message" else self._steps
            target.replace(raw, data)

    def _message_skeleton(self, key: str) -> dict[str, Any]:
        run = self._run_raw or {}
        return {
            "id": key,
            "object": "thread.message",
            "thread_id": run.get("thread_id", ""),
            "run_id": run.get("id"),
            "role": "assistant",
            "content": [],
        }

    def _step_skeleton(self, key: str) -> dict[str, Any]:
        run = self._run_raw or {}
        return {
            "id": key,
            "object": "thread.run.step",
            "thread_id": run.get("thread_id", ""),
            "run_id": run.get("id") or "",
            "type": "tool_calls",
            "status": "in_progress",
        }

    @property
    def messages(self) -> list[Message]:
        """Every message of the stream, as built so far, in the order they appeared."""
        return self._messages.all()

    @property
    def run_steps(self) -> list[RunStep]:
        """Every run step of the stream, as built so far, in the order they appeared."""
        return self._steps.all()
