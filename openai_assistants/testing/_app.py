"""The aiohttp application: route table, and the middleware that does what every request needs.

Order per request: record it and give it an ``x-request-id``; apply armed faults; take a token
from the rate limiter when there is one (429 without one); check the key
(``Authorization: Bearer`` or Azure-style ``api-key``); replay an ``Idempotency-Key`` (a
stream's transcript too; a repeat while the first is in progress gets 409); pick the
version from ``OpenAI-Beta``; 404 unknown routes and operations the version lacks; parse and
validate the body; call the handler. Every :class:`ApiError` becomes the API's error body. A
drop after handling (``Fault.drop_connection(after_handling=True)``) closes the connection
only then, when the answer is ready.

Files, Uploads and Vector stores need no ``OpenAI-Beta`` (``Route.beta``): they answer the same
with any version or none. Their two ``multipart/form-data`` operations (``Route.form_limit``)
are read part by part from the stream when the request is recorded, each part up to the
route's limit (512 MB per file, 64 MB per upload part): aiohttp's ``client_max_size`` (1 MB)
applies to JSON bodies only.
"""

from __future__ import annotations

import asyncio
import json
import re
import time
from collections.abc import Awaitable, Callable
from contextvars import ContextVar
from operator import attrgetter
from typing import Any, NoReturn

import attrs
from aiohttp import web

from . import _file_handlers as f
from . import _handlers as h
from . import _run_handlers as r
from . import _vector_store_handlers as v
from ._context import Ctx, json_response
from ._control import PREFIX, control_routes
from ._errors import ApiError, invalid_url
from ._faults import Fault
from ._ids import new_request_id
from ._multipart import Form, read_form
from ._sse import EventStream
from ._state import RecordedRequest, ServerState, StoredResponse
from ._validation import Version, request_rules

__all__ = ["STATE_KEY", "make_app"]

STATE_KEY = web.AppKey("state", ServerState)
Handler = Callable[[Ctx], Awaitable[web.StreamResponse]]

BOTH: tuple[Version, ...] = ("v1", "v2")


@attrs.frozen
class Route:
    """One operation: method, path, handler, the versions serving it and its request schema.

    ``beta``: the operation needs ``OpenAI-Beta`` (when the server requires it; the Assistants
    API does, Files/Uploads/Vector stores do not). ``form_limit``: a ``multipart/form-data``
    operation, and how many bytes one part may have on this server.
    """

    method: str
    path: str
    handler: Handler
    versions: tuple[Version, ...] = BOTH
    schema: str | None = None
    beta: bool = True
    form_limit: Callable[[ServerState], int] | None = None


def _general(
    method: str,
    path: str,
    handler: Handler,
    schema: str | None = None,
    form_limit: Callable[[ServerState], int] | None = None,
) -> Route:
    """An operation outside the Assistants beta: any ``OpenAI-Beta`` (or none), any version."""
    return Route(method, path, handler, BOTH, schema, beta=False, form_limit=form_limit)


_FILE_LIMIT: Callable[[ServerState], int] = attrgetter("max_file_bytes")
_PART_LIMIT: Callable[[ServerState], int] = attrgetter("max_part_bytes")


_A = "/v1/assistants/{assistant_id}"
_T = "/v1/threads/{thread_id}"
_M = _T + "/messages/{message_id}"
_R = _T + "/runs/{run_id}"
_F = "/v1/files/{file_id}"
_U = "/v1/uploads/{upload_id}"
_VS = "/v1/vector_stores/{vector_store_id}"
_VSF = _VS + "/files/{file_id}"
_VSB = _VS + "/file_batches/{batch_id}"

ROUTES = (
    Route("POST", "/v1/assistants", h.create_assistant, schema="CreateAssistantRequest"),
    Route("GET", "/v1/assistants", h.list_assistants),
    Route("GET", _A, h.get_assistant),
    Route("POST", _A, h.modify_assistant, schema="ModifyAssistantRequest"),
    Route("DELETE", _A, h.delete_assistant),
    Route("POST", _A + "/files", h.create_assistant_file, ("v1",), "CreateAssistantFileRequest"),
    Route("GET", _A + "/files", h.list_assistant_files, ("v1",)),
    Route("GET", _A + "/files/{file_id}", h.get_assistant_file, ("v1",)),
    Route("DELETE", _A + "/files/{file_id}", h.delete_assistant_file, ("v1",)),
    Route("POST", "/v1/threads", h.create_thread, schema="CreateThreadRequest"),
    Route("POST", "/v1/threads/runs", r.create_thread_and_run, schema="CreateThreadAndRunRequest"),
    Route("GET", _T, h.get_thread),
    Route("POST", _T, h.modify_thread, schema="ModifyThreadRequest"),
    Route("DELETE", _T, h.delete_thread),
    Route("POST", _T + "/messages", h.create_message, schema="CreateMessageRequest"),
    Route("GET", _T + "/messages", h.list_messages),
    Route("GET", _M, h.get_message),
    Route("POST", _M, h.modify_message, schema="ModifyMessageRequest"),
    Route("DELETE", _M, h.delete_message, ("v2",)),
    Route("GET", _M + "/files", h.list_message_files, ("v1",)),
    Route("GET", _M + "/files/{file_id}", h.get_message_file, ("v1",)),
    Route("POST", _T + "/runs", r.create_run, schema="CreateRunRequest"),
    Route("GET", _T + "/runs", r.list_runs),
    Route("GET", _R, r.get_run),
    Route("POST", _R, r.modify_run, schema="ModifyRunRequest"),
    Route("POST", _R + "/cancel", r.cancel_run),
    Route(
        "POST",
        _R + "/submit_tool_outputs",
        r.submit_tool_outputs,
        schema="SubmitToolOutputsRunRequest",
    ),
    Route("GET", _R + "/steps", r.list_run_steps),
    Route("GET", _R + "/steps/{step_id}", r.get_run_step),
    # Files and Uploads
    _general("GET", "/v1/files", f.list_files),
    _general("POST", "/v1/files", f.create_file, form_limit=_FILE_LIMIT),
    _general("GET", _F, f.get_file),
    _general("DELETE", _F, f.delete_file),
    _general("GET", _F + "/content", f.download_file),
    _general("POST", "/v1/uploads", f.create_upload, "CreateUploadRequest"),
    _general("POST", _U + "/parts", f.add_upload_part, form_limit=_PART_LIMIT),
    _general("POST", _U + "/complete", f.complete_upload, "CompleteUploadRequest"),
    _general("POST", _U + "/cancel", f.cancel_upload),
    # Vector stores
    _general("GET", "/v1/vector_stores", v.list_vector_stores),
    _general("POST", "/v1/vector_stores", v.create_vector_store, "CreateVectorStoreRequest"),
    _general("GET", _VS, v.get_vector_store),
    _general("POST", _VS, v.modify_vector_store, "UpdateVectorStoreRequest"),
    _general("DELETE", _VS, v.delete_vector_store),
    _general("GET", _VS + "/files", v.list_vector_store_files),
    _general("POST", _VS + "/files", v.create_vector_store_file, "CreateVectorStoreFileRequest"),
    _general("GET", _VSF, v.get_vector_store_file),
    _general(
        "POST",
        _VSF,
        v.update_vector_store_file_attributes,
        "UpdateVectorStoreFileAttributesRequest",
    ),
    _general("DELETE", _VSF, v.delete_vector_store_file),
    _general("GET", _VSF + "/content", v.get_vector_store_file_content),
    _general(
        "POST", _VS + "/file_batches", v.create_file_batch, "CreateVectorStoreFileBatchRequest"
    ),
    _general("GET", _VSB, v.get_file_batch),
    _general("POST", _VSB + "/cancel", v.cancel_file_batch),
    _general("GET", _VSB + "/files", v.list_file_batch_files),
    _general("POST", _VS + "/search", v.search_vector_store, "VectorStoreSearchRequest"),
)

#: Request id and start time of the request being handled (``request[...]`` storage would
#: need ``web.RequestKey``, which aiohttp versions before 3.14 lack).
_REQUEST: ContextVar[tuple[str, float]] = ContextVar("openai_assistants_fake_request")
#: The rate limiter's headers for the request being handled (none without a limiter).
_RATE_HEADERS: ContextVar[dict[str, str] | None] = ContextVar("oa_fake_rate", default=None)
_RATE_LIMITED = ApiError(
    429,
    "Rate limit reached for requests. Limit the rate of your requests or try again later.",
    type="requests",
    code="rate_limit_exceeded",
)
_ROUTE_KEY = web.AppKey("route", dict[Any, Route])
_KEY_IN_USE = ApiError(
    409,
    "Another request with this Idempotency-Key is still in progress. Retry once it has "
    "finished to get its result.",
    code="idempotency_key_in_use",
)
_JSON_ERROR = (
    "We could not parse the JSON body of your request. (HINT: This likely means you aren't "
    "using your HTTP library correctly. The OpenAI API expects a JSON payload, but what was "
    "sent was not valid JSON. If you have trouble figuring out how to fix this, please contact "
    "us through our help center at help.openai.com.)"
)


def _mask(key: str) -> str:
    return key if len(key) <= 8 else f"{key[:3]}{'*' * 8}{key[-4:]}"


def _check_auth(request: web.Request, api_key: str) -> None:
    header = request.headers.get("Authorization", "")
    given = header[7:].strip() if header.lower().startswith("bearer ") else None
    if given is None:
        given = request.headers.get("api-key")
    if not given:
        raise ApiError(
            401,
            "You didn't provide an API key. You need to provide your API key in an "
            "Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).",
        )
    if given != api_key:
        raise ApiError(
            401,
            f"Incorrect API key provided: {_mask(given)}. You can find your API key at "
            "https://platform.openai.com/account/api-keys.",
            code="invalid_api_key",
        )


def _version(request: web.Request, required: bool, strict: bool = True) -> Version:
    """The version ``OpenAI-Beta`` names; without ``strict`` (operations outside the
    Assistants beta) an unknown value is ignored instead of refused."""
    header = request.headers.get("OpenAI-Beta", "")
    for item in header.split(","):
        name, _, value = item.strip().partition("=")
        if name == "assistants":
            if value in ("v1", "v2"):
                return "v1" if value == "v1" else "v2"
            if not strict:
                return "v2"
            raise ApiError(
                400,
                f"Invalid 'OpenAI-Beta' header value 'assistants={value}'. Supported values "
                "are 'assistants=v1' and 'assistants=v2'.",
                code="invalid_beta",
            )
    if required:
        raise ApiError(
            400,
            "You must provide the 'OpenAI-Beta' header to access the Assistants API. Please "
            "try again by setting the header 'OpenAI-Beta: assistants=v2'.",
            code="invalid_beta",
        )
    return "v2"


def _parse_body(raw: bytes) -> Any:
    if not raw.strip():
        return None
    try:
        return json.loads(raw)
    except ValueError:
        return ...  # marks "not JSON"; None already means "empty"


def _route(request: web.Request) -> Route | None:
    return request.app[_ROUTE_KEY].get(request.match_info.route)


async def _record(request: web.Request, state: ServerState) -> tuple[bytes, Any]:
    """Read and record the body: JSON (``...`` if it is not JSON), or the :class:`Form` of a
    multipart operation, read part by part from the stream (never held twice)."""
    route = _route(request)
    path, _, query_string = request.raw_path.partition("?")
    form: Any = None
    if (
        route is not None
        and route.form_limit is not None
        and request.content_type == "multipart/form-data"
    ):
        raw, form = b"", await read_form(request, route.form_limit(state))
        parsed = form
    else:
        raw = await request.read()
        parsed = _parse_body(raw)
    state.requests.append(
        RecordedRequest(
            method=request.method,
            path=path,
            query_string=query_string,
            query=request.query,
            headers=request.headers,
            body=raw,
            json=None if parsed is ... or form is not None else parsed,
            form=form,
        )
    )
    return raw, parsed


def _fault_response(request: web.Request, fault: Fault) -> web.StreamResponse:
    if fault.kind == "malformed_json":
        return web.Response(status=fault.status, text=fault.body, content_type="application/json")
    if isinstance(fault.body, str):
        return web.Response(
            status=fault.status,
            text=fault.body,
            content_type=fault.content_type,
            headers=dict(fault.headers),
        )
    return json_response(fault.body, status=fault.status, headers=dict(fault.headers))


async def _dispatch(request: web.Request, state: ServerState, parsed: Any) -> web.StreamResponse:
    _check_auth(request, state.api_key)
    route = _route(request)
    beta = route is None or route.beta
    version = _version(request, state.require_beta_header and beta, strict=beta)
    if route is None or version not in route.versions:
        raise invalid_url(request.method, request.path)
    if route.form_limit is not None:
        if not isinstance(parsed, Form):
            raise ApiError(
                400,
                f"Invalid Content-Type header ({request.content_type}), expected "
                "multipart/form-data. (HINT: If you're using curl, you can pass in `-F` "
                "instead of `-d`.)",
            )
        if parsed.problem is not None:
            raise ApiError(400, parsed.problem)
        return await route.handler(Ctx(request, state, version, {}, form=parsed))
    if parsed is ...:
        raise ApiError(400, _JSON_ERROR)
    body = {} if parsed is None else parsed
    if not state.quirks.streams and isinstance(body, dict):
        body.pop("stream", None)  # a server without streaming answers the plain request
    if route.schema is not None:
        if not isinstance(body, dict):
            raise ApiError(400, "Invalid body: expected a JSON object.", code="invalid_type")
        request_rules(version, route.schema).check(body, "")
    return await route.handler(Ctx(request, state, version, body))


def _replay(stored: StoredResponse) -> web.Response:
    return web.Response(
        status=stored.status,
        body=stored.body,
        content_type=stored.content_type,
        headers=stored.headers,
    )


@web.middleware
async def _middleware(
    request: web.Request, handler: Callable[[web.Request], Awaitable[web.StreamResponse]]
) -> web.StreamResponse:
    if request.path.startswith(PREFIX):  # the control API (``_control``): not the API's
        return await handler(request)
    del handler  # routes are dispatched through ``Route`` so version rules stay in one place
    state = request.app[STATE_KEY]
    _REQUEST.set((new_request_id(), time.monotonic()))
    _, parsed = await _record(request, state)

    # Latencies add up (each armed one once); the first other fault ends the request.
    fault: Fault | None = None
    for fault in state.faults.each(request.method, request.raw_path, stream=False):
        if fault.kind != "latency":
            break
        await asyncio.sleep(fault.seconds)
        state.faults.record(fault, request.method, request.raw_path)
    else:
        fault = None
    if fault is not None and not fault.after_handling:
        state.faults.record(fault, request.method, request.raw_path)
        if fault.kind == "drop":
            _drop(request)
        return _fault_response(request, fault)

    if state.rate_limiter is not None:
        admitted, headers = state.rate_limiter.take()
        _RATE_HEADERS.set(headers)
        if not admitted:
            return json_response(_RATE_LIMITED.body(), status=429, headers=headers)

    response = await _handle(request, state, parsed)
    if state.quirks:
        response = state.quirks.response(response)
    if fault is not None and not response.prepared:  # a drop after handling
        state.faults.record(fault, request.method, request.raw_path)
        _drop(request)
    return response


async def _handle(request: web.Request, state: ServerState, parsed: Any) -> web.StreamResponse:
    """Replay a repeated ``Idempotency-Key``, or dispatch and keep the answer for the key.

    A stream's answer is its transcript. A repeat that arrives while the first request is still
    being handled (a stream in progress) gets a 409, as nothing can be replayed yet.
    """
    key = request.headers.get("Idempotency-Key") if request.method == "POST" else None
    if key is not None:
        if key in state.idempotent_responses:
            return _replay(state.idempotent_responses[key])
        if key in state.keys_in_flight:
            return json_response(_KEY_IN_USE.body(), status=_KEY_IN_USE.status)
        state.keys_in_flight.add(key)
    try:
        response = await _dispatch(request, state, parsed)
    except ApiError as error:
        response = json_response(error.body(), status=error.status)
    finally:
        if key is not None:
            state.keys_in_flight.discard(key)
    if key is not None and response.status < 500:
        state.idempotent_responses[key] = _kept(response)
    return response


def _kept(response: web.StreamResponse) -> StoredResponse:
    """What a repeat of the key gets: the body, or the transcript of an event stream."""
    if isinstance(response, EventStream):
        body, content_type = bytes(response.transcript), "text/event-stream"
    else:
        assert isinstance(response, web.Response)
        assert isinstance(response.body, bytes)
        body, content_type = response.body, response.content_type
    return StoredResponse(
        status=response.status,
        body=body,
        content_type=content_type,
        headers={k: v for k, v in response.headers.items() if k.lower().startswith("openai-")},
    )


def _drop(request: web.Request) -> NoReturn:
    """Close the connection without an answer."""
    if request.transport is not None:
        request.transport.close()
    raise asyncio.CancelledError  # nothing may be written any more


async def _add_headers(request: web.Request, response: web.StreamResponse) -> None:
    request_id, started = _REQUEST.get((new_request_id(), time.monotonic()))
    rate_headers = _RATE_HEADERS.get()
    if rate_headers:
        response.headers.update(rate_headers)
    response.headers["x-request-id"] = request_id
    response.headers["openai-version"] = "2020-10-01"
    response.headers["openai-processing-ms"] = str(int((time.monotonic() - started) * 1000))


# aiohttp's default pattern for a ``{name}`` segment is ``[^{}/]+``: an id with a brace in it
# would miss its route and get "Invalid URL" instead of the API's "No ... found with id".
_PLACEHOLDER = re.compile(r"\{(\w+)\}")


def _any_segment(path: str) -> str:
    """``path`` with each ``{name}`` matching any one segment."""
    return _PLACEHOLDER.sub(r"{\1:[^/]+}", path)


async def _unrouted(request: web.Request) -> web.StreamResponse:
    raise AssertionError("dispatched by the middleware")  # pragma: no cover


def make_app(state: ServerState) -> web.Application:
    """Build the application serving ``state``."""
    app = web.Application(middlewares=[_middleware])
    app[STATE_KEY] = state
    table: dict[Any, Route] = {}
    for route in ROUTES:
        resource = app.router.add_resource(_any_segment(route.path))
        table[resource.add_route(route.method, _unrouted)] = route
    app[_ROUTE_KEY] = table
    app.router.add_routes(control_routes(state))
    app.on_response_prepare.append(_add_headers)
    return app
