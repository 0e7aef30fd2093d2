"""The fake's control API over HTTP, under ``/_fake/``: for clients in other processes or languages.

Every endpoint takes and returns JSON; none needs the API key (the fake listens on loopback).

- ``POST /_fake/scripts``: queue run scripts, ``{"scripts": [{"phases": [...]}]}`` (optional
  ``"poll_after_ms"``). A phase is one of ``{"reply": "text"}``,
  ``{"call_tools": [{"name": "f", "arguments": {...}}]}``,
  ``{"code_interpreter": {"input": "...", "logs": "...", "images": ["file-...",
  {"filename": "plot.png", "content": "..."}], "files": [{"filename": "out.csv",
  "content": "..."}]}}``,
  ``{"file_search": [{"file_id": "...", "file_name": "..."}]}`` (``[]``: hits from the run's
  vector stores, cited by the next reply),
  ``{"fail": {"code": "...", "message": "..."}}``, ``{"incomplete": {"reason": "..."}}``,
  ``{"expire": {}}``.
- ``POST /_fake/faults``: arm a fault, ``{"kind": "error", "status": 503, "retry_after": 1,
  "times": 2, "method": "POST", "path": "/runs$"}``. Kinds: ``error`` (``status``, ``message``,
  ``retry_after``, ...), ``html``, ``latency`` (``seconds``), ``drop`` (``after_handling``),
  ``malformed_json``, ``cut_stream`` (``after_events``), ``stream_error``. ``DELETE`` disarms all.
- ``PUT /_fake/settings``: any of ``clock`` (``instant``, ``per_poll``, ``real``),
  ``rate_limit`` (requests per second, or ``null``), ``quirks`` (names), ``event_delay``,
  ``poll_after_ms``, ``processing_steps`` (steps a vector store file takes, at least 1).
- ``POST /_fake/processing_failures``: make vector store processing fail,
  ``{"match": "scan.pdf", "code": "unsupported_file", "message": "...", "times": 1}`` (``match``:
  a File id or a filename pattern; ``code``: ``server_error``, ``unsupported_file`` or
  ``invalid_file``; ``message`` and ``times`` optional). ``DELETE`` forgets them all.
- ``GET /_fake/uploads/{upload_id}/parts``: the parts an Upload received, in order:
  ``[{"id", "upload_id", "created_at", "bytes"}]``.
- ``GET /_fake/requests``: the request log (method, path, query, headers with credentials
  masked, JSON body; a multipart body as ``form``: text fields, and files as
  ``{filename, content_type, bytes}``).
- ``POST /_fake/reset``: forget every object, script, fault, quirk, limit, processing failure
  and logged request.

Bad input gets a 400 with ``{"error": {"message": ...}}`` naming what is wrong.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from typing import Any

from aiohttp import web

from ._faults import Fault
from ._quirks import Quirks
from ._ratelimit import TokenBucket
from ._scripts import (
    CallTools,
    CodeInterpreter,
    Expire,
    Fail,
    FileSearch,
    FileSearchHit,
    Incomplete,
    Phase,
    Reply,
    RunScript,
    ToolCallSpec,
)
from ._state import ServerState
from ._store import Store
from ._vector_stores import ProcessingFailure

__all__ = ["PREFIX", "control_routes"]

#: The reserved prefix: nothing of the API lives under it.
PREFIX = "/_fake"

JSONDict = dict[str, Any]


class _Bad(ValueError):
    """Bad control input: answered with 400 and this message."""


def _object(value: Any, what: str) -> JSONDict:
    if not isinstance(value, dict):
        raise _Bad(f"{what} must be a JSON object")
    return value


def _phase(raw: Any) -> Phase:
    data = _object(raw, "a phase")
    if len(data) != 1:
        raise _Bad(f"a phase is an object with one key, got {sorted(data)}")
    [(kind, value)] = data.items()
    try:
        if kind == "reply":
            return Reply(value)
        if kind == "call_tools":
            return CallTools(tuple(ToolCallSpec(**_object(c, "a tool call")) for c in value))
        if kind == "code_interpreter":
            return CodeInterpreter(**_object(value, kind))
        if kind == "file_search":
            return FileSearch(tuple(FileSearchHit(**_object(r, "a result")) for r in value))
        if kind == "fail":
            return Fail(**_object(value, kind))
        if kind == "incomplete":
            return Incomplete(**_object(value, kind))
        if kind == "expire":
            return Expire()
    except TypeError as exc:
        raise _Bad(f"bad {kind!r} phase: {exc}") from None
    raise _Bad(
        f"unknown phase {kind!r}: reply, call_tools, code_interpreter, file_search, fail, "
        "incomplete or expire"
    )


def _script(raw: Any) -> RunScript:
    data = _object(raw, "a script")
    phases = data.get("phases")
    if not isinstance(phases, list) or not phases:
        raise _Bad("a script needs a non-empty 'phases' list")
    return RunScript(tuple(_phase(p) for p in phases), poll_after_ms=data.get("poll_after_ms"))


_FAULTS: Mapping[str, Callable[..., Fault]] = {
    "error": Fault.error,
    "html": Fault.html,
    "latency": Fault.latency,
    "drop": Fault.drop_connection,
    "malformed_json": Fault.malformed_json,
    "cut_stream": Fault.cut_stream,
    "stream_error": Fault.stream_error,
}
_ARMING = ("times", "method", "path", "probability", "seed")


async def _body(request: web.Request) -> JSONDict:
    try:
        return _object(await request.json(), "the body")
    except ValueError as exc:
        raise _Bad(f"the body is not JSON: {exc}") from None


async def _scripts(request: web.Request, state: ServerState) -> JSONDict:
    scripts = (await _body(request)).get("scripts")
    if not isinstance(scripts, list):
        raise _Bad("'scripts' must be a list of scripts")
    parsed = [_script(s) for s in scripts]
    state.scripts.extend(parsed)
    return {"queued": len(parsed), "pending": len(state.scripts)}


async def _arm(request: web.Request, state: ServerState) -> JSONDict:
    data = dict(await _body(request))
    make = _FAULTS.get(data.pop("kind", None))
    if make is None:
        raise _Bad(f"'kind' must be one of {', '.join(_FAULTS)}")
    arming = {key: data.pop(key) for key in _ARMING if key in data}
    try:
        state.faults.arm(make(**data), **arming)
    except (TypeError, ValueError) as exc:
        raise _Bad(f"bad fault: {exc}") from None
    return {"armed": len(state.faults.armed)}


async def _disarm(request: web.Request, state: ServerState) -> JSONDict:
    state.faults.clear()
    return {"armed": 0}


async def _settings(request: web.Request, state: ServerState) -> JSONDict:
    data = await _body(request)
    unknown = set(data) - {
        "clock",
        "rate_limit",
        "quirks",
        "event_delay",
        "poll_after_ms",
        "processing_steps",
    }
    if unknown:
        raise _Bad(f"unknown settings: {', '.join(sorted(unknown))}")
    try:
        if "clock" in data:
            if data["clock"] not in ("instant", "per_poll", "real"):
                raise _Bad("'clock' must be 'instant', 'per_poll' or 'real'")
            state.clock = data["clock"]
        if "rate_limit" in data:
            rate = data["rate_limit"]
            state.rate_limiter = None if rate is None else TokenBucket(rate)
        if "quirks" in data:
            state.quirks = Quirks(data["quirks"])
        if "event_delay" in data:
            state.event_delay = float(data["event_delay"])
        if "poll_after_ms" in data:
            state.poll_after_ms = data["poll_after_ms"]
        if "processing_steps" in data:
            steps = data["processing_steps"]
            if isinstance(steps, bool) or not isinstance(steps, int) or steps < 1:
                raise _Bad("'processing_steps' must be an integer of at least 1")
            state.processing_steps = steps
    except (TypeError, ValueError) as exc:
        raise _Bad(str(exc)) from None
    return {"ok": True}


async def _fail_processing(request: web.Request, state: ServerState) -> JSONDict:
    data = await _body(request)
    if not isinstance(data.get("match"), str):
        raise _Bad("'match' must be a File id or a filename pattern (a string)")
    try:
        state.processing_failures.append(ProcessingFailure(**data))
    except (TypeError, ValueError) as exc:
        raise _Bad(f"bad processing failure: {exc}") from None
    return {"armed": len(state.processing_failures)}


async def _clear_processing_failures(request: web.Request, state: ServerState) -> JSONDict:
    state.processing_failures.clear()
    return {"armed": 0}


async def _upload_parts(request: web.Request, state: ServerState) -> Any:
    upload_id = request.match_info["upload_id"]
    if upload_id not in state.store.uploads:
        raise _Bad(f"no upload with id {upload_id!r}")
    return [
        {"id": p.id, "upload_id": p.upload_id, "created_at": p.created_at, "bytes": p.size}
        for p in state.store.upload_parts(upload_id)
    ]


_SECRET = ("authorization", "api-key")


async def _requests(request: web.Request, state: ServerState) -> Any:
    return [
        {
            "method": r.method,
            "path": r.path,
            "query": r.query_string,
            "headers": {
                k: "<redacted>" if k.lower() in _SECRET else v for k, v in r.headers.items()
            },
            "json": r.json,
            **({"form": r.form.summary()} if r.form is not None else {}),
        }
        for r in state.requests  # (the control API's own requests are never recorded)
    ]


async def _reset(request: web.Request, state: ServerState) -> JSONDict:
    await state.stop_tasks()
    state.store = Store()
    state.scripts.clear()
    state.faults.clear()
    state.processing_failures.clear()
    state.quirks = Quirks()
    state.rate_limiter = None
    state.requests.clear()
    state.idempotent_responses.clear()
    state.simulations.clear()
    return {"ok": True}


Control = Callable[[web.Request, ServerState], Awaitable[Any]]

#: (method, path under the prefix, handler)
_ROUTES: tuple[tuple[str, str, Control], ...] = (
    ("POST", "/scripts", _scripts),
    ("POST", "/faults", _arm),
    ("DELETE", "/faults", _disarm),
    ("PUT", "/settings", _settings),
    ("GET", "/requests", _requests),
    ("POST", "/reset", _reset),
    ("POST", "/processing_failures", _fail_processing),
    ("DELETE", "/processing_failures", _clear_processing_failures),
    ("GET", "/uploads/{upload_id}/parts", _upload_parts),
)


def control_routes(state: ServerState) -> list[web.RouteDef]:
    """The control API's routes, bound to ``state``."""

    def bind(control: Control) -> Callable[[web.Request], Awaitable[web.StreamResponse]]:
        async def handle(request: web.Request) -> web.StreamResponse:
            try:
                return web.json_response(await control(request, state))
            except _Bad as exc:
                return web.json_response({"error": {"message": str(exc)}}, status=400)

        return handle

    return [web.route(method, PREFIX + path, bind(control)) for method, path, control in _ROUTES]
