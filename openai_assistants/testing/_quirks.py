"""Quirks: how real compatible servers deviate from the spec, reproduced by the fake on demand.

``FakeAssistantsServer(quirks=["null_arrays", "error_fastapi_detail"])`` (or
``openai-assistants serve --quirk NAME``) answers like a server with those deviations, so code
can be tested against what third-party Assistants servers really send. Each entry of ``QUIRKS``
names where it was seen. A quirk rewrites what the fake would have sent: each API object
(wherever it appears: a body, a list item, a stream event), list envelopes, error responses,
stream frames; or it makes the fake ignore ``stream: true``.

The catalogue was collected from the code, docs and issue trackers of LocalAI (its
``/v1/assistants`` endpoints, v2.12-v3.2), astra-assistants (``datastax/astra-assistants-api``
v0.2.43), open-assistant-api (``MLT-OSS/open-assistant-api``), LeapfrogAI, Azure OpenAI's
Assistants and Agents, Alibaba DashScope's Assistant API, and the proxies in front of them.
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Callable, Iterable, Mapping
from typing import Any, Literal

import attrs
from aiohttp import web

__all__ = ["QUIRKS", "Quirk", "Quirks"]

JSONDict = dict[str, Any]
#: Where a quirk shows: in API objects, list envelopes, error responses or streams.
Area = Literal["object", "page", "error", "stream"]


@attrs.frozen
class Quirk:
    """One way a real server deviates from the spec, and how the fake reproduces it."""

    name: str
    area: Area
    #: What the server does, in a line.
    summary: str
    #: Where it was seen (server and version, file or document).
    seen_in: str
    #: Rewrites one API object (``{"object": "assistant", ...}``) wherever it is sent.
    object: Callable[[JSONDict], JSONDict] | None = None
    #: Rewrites a list envelope (``{"object": "list", "data": [...], ...}``), items already done.
    page: Callable[[JSONDict], Any] | None = None
    #: Rewrites an error answer: ``(status, message, the spec's body) -> (status, body)``;
    #: a ``str`` body is sent as text (HTML when it starts with ``<``).
    error: Callable[[int, str, JSONDict], tuple[int, Any]] | None = None
    #: Frames one stream event: ``(name, JSON text) -> bytes``.
    frame: Callable[[str, str], bytes] | None = None
    #: Whether streams end with ``data: [DONE]``.
    done: bool = True
    #: Whether ``stream: true`` is honoured (else the plain answer comes back).
    streams: bool = True


# --- object rewrites ----------------------------------------------------------------------------


def _timestamps(obj: JSONDict, convert: Callable[[int], Any]) -> JSONDict:
    return {
        key: convert(value) if key.endswith("_at") and type(value) is int else value
        for key, value in obj.items()
    }


def _iso(seconds: int) -> str:
    moment = datetime.datetime.fromtimestamp(seconds, datetime.timezone.utc)
    return moment.isoformat().replace("+00:00", "Z")


def _null_arrays(obj: JSONDict) -> JSONDict:
    return {
        key: None if key in ("tools", "file_ids", "attachments") and value == [] else value
        for key, value in obj.items()
    }


def _omit_empty(obj: JSONDict) -> JSONDict:
    if obj.get("object") != "assistant":
        return obj
    droppable = ("tools", "file_ids", "metadata", "name", "description", "instructions")
    return {k: v for k, v in obj.items() if k not in droppable or v not in ([], {}, None, "")}


def _rename(kind: str, old: str, new: str) -> Callable[[JSONDict], JSONDict]:
    def rename(obj: JSONDict) -> JSONDict:
        if obj.get("object") != kind or old not in obj:
            return obj
        return {new if key == old else key: value for key, value in obj.items()}

    return rename


def _drop(kind: str, *keys: str) -> Callable[[JSONDict], JSONDict]:
    def drop(obj: JSONDict) -> JSONDict:
        if obj.get("object") != kind:
            return obj
        return {key: value for key, value in obj.items() if key not in keys}

    return drop


def _chain(*rewrites: Callable[[JSONDict], JSONDict]) -> Callable[[JSONDict], JSONDict]:
    def chained(obj: JSONDict) -> JSONDict:
        for rewrite in rewrites:
            obj = rewrite(obj)
        return obj

    return chained


def _metadata_any_json(obj: JSONDict) -> JSONDict:
    if "metadata" not in obj or obj.get("object") not in ("thread.message", "thread.run"):
        return obj
    return {**obj, "metadata": {**(obj["metadata"] or {}), "usage": {"prompt_tokens": 0}}}


def _extra_fields(obj: JSONDict) -> JSONDict:
    if "id" not in obj:
        return obj
    return {**obj, "updated_at": obj.get("created_at"), "extra_body": {}, "request_id": "r-1"}


def _text_as_string(obj: JSONDict) -> JSONDict:
    if obj.get("object") != "thread.message" or not isinstance(obj.get("content"), list):
        return obj
    content = [
        {"type": "text", "text": part["text"]["value"]}
        if part.get("type") == "text" and isinstance(part.get("text"), dict)
        else part
        for part in obj["content"]
    ]
    return {**obj, "content": content}


def _unknown_tools(obj: JSONDict) -> JSONDict:
    if obj.get("object") not in ("assistant", "thread.run") or not isinstance(
        obj.get("tools"), list
    ):
        return obj
    return {**obj, "tools": [*obj["tools"], {"type": "web_search"}]}


def _empty_required_action(obj: JSONDict) -> JSONDict:
    if obj.get("object") != "thread.run" or obj.get("status") != "completed":
        return obj
    return {**obj, "required_action": {}}


def _null_in_deltas(obj: JSONDict) -> JSONDict:
    if obj.get("object") != "thread.message.delta":
        return obj
    delta = dict(obj.get("delta") or {})
    delta["role"] = None
    delta["content"] = [
        {**part, "text": {**part["text"], "annotations": None}}
        if isinstance(part.get("text"), dict)
        else part
        for part in delta.get("content") or []
    ]
    return {**obj, "delta": delta}


# --- error rewrites -----------------------------------------------------------------------------


def _html(status: int, message: str, _: JSONDict) -> tuple[int, Any]:
    reason = {401: "Unauthorized", 404: "Not Found"}.get(status, "Error")
    title = f"{status} {reason}"
    page = f"<html><head><title>{title}</title></head><body><h1>{title}</h1><p>{message}</p>"
    return status, page + "<hr><center>nginx</center></body></html>"


def _validation_detail(status: int, message: str, body: JSONDict) -> tuple[int, Any]:
    param = body["error"].get("param") or "id"
    return 422, {"detail": [{"loc": ["path", param], "msg": message, "type": "value_error"}]}


# --- stream frames ------------------------------------------------------------------------------


def _envelope_frame(name: str, payload: str) -> bytes:
    return b'data: {"event":"' + name.encode() + b'","data":' + payload.encode() + b"}\n\n"


def _quirks(*quirks: Quirk) -> dict[str, Quirk]:
    return {quirk.name: quirk for quirk in quirks}


_LOCALAI = "LocalAI v2.12-v3.2, core/http/endpoints/openai/assistant.go"
_ASTRA = "astra-assistants v0.2.43 (datastax/astra-assistants-api)"
_OAA = "open-assistant-api (MLT-OSS/open-assistant-api, 2024-12)"

#: The catalogue, by name.
QUIRKS: Mapping[str, Quirk] = _quirks(
    # API objects
    Quirk(
        "null_arrays", "object", "empty arrays (tools, file_ids, attachments) sent as null",
        f"{_OAA}: pydantic models with Optional lists",
        object=_null_arrays,
    ),
    Quirk(
        "omitted_empty_fields", "object",
        "an assistant's empty tools, metadata, name, description, instructions left out",
        f"{_LOCALAI}: Go `omitempty` tags",
        object=_omit_empty,
    ),
    Quirk(
        "created_not_created_at", "object", "an assistant's timestamp named `created`",
        f"{_LOCALAI}: `Created int64 json:\"created\"`",
        object=_rename("assistant", "created_at", "created"),
    ),
    Quirk(
        "millisecond_timestamps", "object", "every `*_at` timestamp in milliseconds",
        f"{_ASTRA}; Alibaba DashScope's Assistant API docs",
        object=lambda obj: _timestamps(obj, lambda s: s * 1000),
    ),
    Quirk(
        "float_timestamps", "object", "timestamps as floats (`1796530406.0`)",
        f"{_OAA}: REST responses",
        object=lambda obj: _timestamps(obj, float),
    ),
    Quirk(
        "iso_timestamps", "object", "timestamps as ISO-8601 strings",
        f"{_LOCALAI} (files: RFC 3339); an Assistants clone serving FastAPI models",
        object=lambda obj: _timestamps(obj, _iso),
    ),
    Quirk(
        "metadata_any_json", "object", "metadata values that are not strings",
        f"{_OAA}: metadata stored and echoed as sent; a third-party server's replies (issue 10)",
        object=_metadata_any_json,
    ),
    Quirk(
        "metadata_renamed", "object", "a thread's metadata sent as `metadata_`",
        f"{_OAA}: SQLModel column alias leaks into thread responses",
        object=_rename("thread", "metadata", "metadata_"),
    ),
    Quirk(
        "extra_fields", "object", "keys the spec does not have (updated_at, extra_body, ...)",
        f"{_OAA}; DashScope (request_id, account_id)",
        object=_extra_fields,
    ),
    Quirk(
        "message_without_status", "object",
        "messages without status, completed_at, incomplete_at, incomplete_details",
        f"{_OAA}: message model",
        object=_drop(
            "thread.message", "status", "completed_at", "incomplete_at", "incomplete_details"
        ),
    ),
    Quirk(
        "run_step_expires_at", "object", "run steps with `expires_at` for `expired_at`, no usage",
        f"{_OAA}: run step model",
        object=_chain(
            _rename("thread.run.step", "expired_at", "expires_at"),
            _drop("thread.run.step", "usage"),
        ),
    ),
    Quirk(
        "run_step_without_usage", "object", "run steps without `usage`",
        "Azure OpenAI Assistants (its spec: 'required in OpenAI, not present in AOpenAI')",
        object=_drop("thread.run.step", "usage"),
    ),
    Quirk(
        "content_text_malformed", "object",
        "a text part whose `text` is a bare string, not {value, annotations}",
        "a third-party server's message content (issue 10)",
        object=_text_as_string,
    ),
    Quirk(
        "unknown_tool_types", "object", "tool types the spec does not have (`web_search`)",
        f"{_OAA} (web_search, action); Azure AI Agents (bing_grounding, azure_ai_search)",
        object=_unknown_tools,
    ),
    Quirk(
        "required_action_empty", "object", "a finished run with `required_action: {}`",
        f"{_OAA}: run after the tool outputs were submitted",
        object=_empty_required_action,
    ),
    Quirk(
        "null_body_for_missing", "error", "an unknown id answered 200 with the body `null`",
        "LeapfrogAI (defenseunicorns/leapfrogai) assistants API",
        error=lambda status, message, body: (200, None) if status == 404 else (status, body),
    ),
    # list envelopes
    Quirk(
        "list_bare_array", "page", "a list answered as a bare JSON array",
        f"{_LOCALAI}: ListAssistantsEndpoint returns the slice",
        page=lambda page: page["data"],
    ),
    Quirk(
        "list_data_null", "page", "an empty list's `data` sent as null",
        f"{_LOCALAI}: nil Go slices marshal as null",
        page=lambda page: {**page, "data": page["data"] or None},
    ),
    Quirk(
        "list_without_cursors", "page", "lists without first_id, last_id and has_more",
        "LeapfrogAI: `{\"data\": [...]}` list responses",
        page=lambda page: {"object": "list", "data": page["data"]},
    ),
    Quirk(
        "list_object_name", "page", "a list's `object` named after its items (`assistants`)",
        f"{_ASTRA}",
        page=lambda page: {**page, "object": "assistants"},
    ),
    # error responses
    Quirk(
        "error_fastapi_detail", "error", "errors as FastAPI's `{\"detail\": \"...\"}`",
        f"{_ASTRA}; LeapfrogAI",
        error=lambda status, message, body: (status, {"detail": message}),
    ),
    Quirk(
        "error_fastapi_validation", "error",
        "errors as FastAPI's 422 `{\"detail\": [{\"loc\", \"msg\", \"type\"}]}`",
        f"{_ASTRA}: request validation errors",
        error=_validation_detail,
    ),
    Quirk(
        "error_message_only", "error", "errors as `{\"statusCode\": ..., \"message\": ...}`",
        f"{_ASTRA} (500s: {{\"message\"}}); Azure API Management gateways",
        error=lambda status, message, body: (status, {"statusCode": status, "message": message}),
    ),
    Quirk(
        "error_plain_text", "error", "errors as plain text",
        f"{_LOCALAI}: `c.Status(...).SendString(...)`",
        error=lambda status, message, body: (status, message),
    ),
    Quirk(
        "error_html_page", "error", "errors as an HTML page",
        f"{_LOCALAI} (401 login page); nginx and Cloudflare in front of any server",
        error=_html,
    ),
    Quirk(
        "error_string", "error", "errors as `{\"error\": \"...\"}`",
        f"{_LOCALAI} (`Cannot parse JSON`); {_ASTRA} (rate limiter 429s)",
        error=lambda status, message, body: (status, {"error": message}),
    ),
    Quirk(
        "error_code_only", "error", "errors without `type` and `param`, `code` a status string",
        "Azure OpenAI (`{\"error\": {\"code\": \"404\", \"message\": ...}}`)",
        error=lambda status, message, body: (
            status,
            {"error": {"code": str(status), "message": message}},
        ),
    ),
    # streams
    Quirk(
        "no_streaming", "stream", "`stream: true` ignored: the run comes back as plain JSON",
        "a third-party server (issue 10); servers without SSE support",
        streams=False,
    ),
    Quirk(
        "sse_data_only_envelope", "stream",
        "no `event:` lines, each `data:` wraps {event, data}; no [DONE]",
        f"{_ASTRA}: streaming_response.py",
        frame=_envelope_frame,
        done=False,
    ),
    Quirk(
        "sse_no_done", "stream", "streams end after the final run event without [DONE]",
        f"{_OAA}: event stream",
        done=False,
    ),
    Quirk(
        "sse_null_in_deltas", "stream", "message deltas with `role: null`, `annotations: null`",
        f"{_OAA}: delta events",
        object=_null_in_deltas,
    ),
)  # fmt: skip


def _frame(name: str, payload: str) -> bytes:
    return f"event: {name}\ndata: {payload}\n\n".encode()


class Quirks:
    """The quirks a fake server was started with, applied to what it sends."""

    def __init__(self, quirks: Iterable[str | Quirk] = ()) -> None:
        chosen: list[Quirk] = []
        for quirk in quirks:
            if isinstance(quirk, str):
                if quirk not in QUIRKS:
                    known = ", ".join(QUIRKS)
                    raise ValueError(f"unknown quirk {quirk!r}; the catalogue has: {known}")
                quirk = QUIRKS[quirk]
            chosen.append(quirk)
        self.chosen: tuple[Quirk, ...] = tuple(chosen)
        self.streams = all(q.streams for q in chosen)
        self.done = all(q.done for q in chosen)
        self._objects = [q.object for q in chosen if q.object is not None]
        self._pages = [q.page for q in chosen if q.page is not None]
        self._errors = [q.error for q in chosen if q.error is not None]
        framers = [q.frame for q in chosen if q.frame is not None]
        self._framer = framers[-1] if framers else _frame

    def __bool__(self) -> bool:
        return bool(self.chosen)

    def rewrite_object(self, obj: Any) -> Any:
        """An API object (or anything else, returned as is) as the quirky server sends it."""
        if isinstance(obj, dict) and isinstance(obj.get("object"), str):
            for rewrite in self._objects:
                obj = rewrite(obj)
        return obj

    def frame(self, name: str, data: Any) -> bytes:
        """One stream event, framed as the quirky server frames it."""
        data = self.rewrite_object(data)
        payload = data if isinstance(data, str) else json.dumps(data, separators=(",", ":"))
        return self._framer(name, payload)

    def done_frame(self) -> bytes:
        """The end of a stream: ``[DONE]``, or nothing."""
        return self._framer("done", "[DONE]") if self.done else b""

    def response(self, response: web.StreamResponse) -> web.StreamResponse:
        """A plain JSON response (not a stream) rewritten as the quirky server sends it."""
        if not isinstance(response, web.Response) or response.content_type != "application/json":
            return response
        assert isinstance(response.body, bytes)
        body = json.loads(response.body)
        status = response.status
        if status >= 400:
            if not self._errors or not isinstance(body, dict) or "error" not in body:
                return response
            message = str(body["error"].get("message", ""))
            out: Any = body
            for rewrite in self._errors:
                status, out = rewrite(status, message, body)
            return _answer(status, out, response)
        if isinstance(body, dict) and body.get("object") == "list":
            body = {**body, "data": [self.rewrite_object(item) for item in body["data"]]}
            for page in self._pages:
                body = page(body)
        else:
            body = self.rewrite_object(body)
        return _answer(status, body, response)


def _answer(status: int, body: Any, original: web.Response) -> web.Response:
    headers = {k: v for k, v in original.headers.items() if k.lower() != "content-type"}
    headers.pop("Content-Length", None)
    if isinstance(body, str):
        content_type = "text/html" if body.lstrip().startswith("<") else "text/plain"
        return web.Response(status=status, text=body, content_type=content_type, headers=headers)
    return web.Response(
        status=status, text=json.dumps(body), content_type="application/json", headers=headers
    )
