"""A raw aiohttp client that checks every exchange against the OpenAPI documents.

Each 200 JSON response is validated against the operation's response schema, each accepted
request body against its request schema, each error against ``ErrorResponse``, and each stream
event against ``AssistantStreamEvent``. The spec's OpenAPI 3.0 ``nullable: true`` is turned into
JSON Schema (``type: [T, "null"]``, or ``anyOf [..., null]`` where there is no ``type``).
"""

from __future__ import annotations

import asyncio
import functools
import json
import re
from typing import Any

import aiohttp
import jsonschema
import pytest
import referencing
import yaml
from referencing.jsonschema import DRAFT202012
from support import SPEC_DIR, eventually

from openai_assistants.testing import FakeAssistantsServer, Fault, RecordedRequest

__all__ = ["Reply", "SpecClient", "parse_sse", "spec_validator"]


def _convert(node: Any) -> Any:
    """Rewrite 3.0 ``nullable`` into JSON Schema, recursively."""
    if isinstance(node, list):
        return [_convert(item) for item in node]
    if not isinstance(node, dict):
        return node
    out = {key: _convert(value) for key, value in node.items() if key != "nullable"}
    if not node.get("nullable"):
        return out
    kind = out.get("type")
    if isinstance(kind, str) and "enum" not in out:
        out["type"] = [kind, "null"]
        return out
    return {"anyOf": [out, {"type": "null"}]}


def _relax_lists(schemas: dict[str, Any]) -> None:
    """Decision: first_id/last_id are null on an empty page, as the API sent them."""
    for name, schema in schemas.items():
        if name.startswith("List") and name.endswith("Response"):
            for key in ("first_id", "last_id"):
                schema["properties"][key] = {"type": ["string", "null"]}


@functools.cache
def _document(version: str) -> dict[str, Any]:
    raw = yaml.safe_load((SPEC_DIR / f"assistants-{version}.openapi.yaml").read_text())
    doc: dict[str, Any] = _convert(raw)
    _relax_lists(doc["components"]["schemas"])
    return doc


@functools.cache
def _registry(version: str) -> referencing.Registry[Any]:
    resource = referencing.Resource.from_contents(
        _document(version), default_specification=DRAFT202012
    )
    registry: referencing.Registry[Any] = referencing.Registry().with_resource(
        f"urn:{version}", resource
    )
    return registry


def spec_validator(version: str, pointer: str) -> jsonschema.Draft202012Validator:
    """A validator for ``#/<pointer>`` of the version's document (e.g. a schema's path)."""
    return jsonschema.Draft202012Validator(
        {"$ref": f"urn:{version}#/{pointer}"}, registry=_registry(version)
    )


def _schema_ref(schema: dict[str, Any]) -> str:
    return str(schema["$ref"]).removeprefix("#/")


@functools.cache
def _operations(version: str) -> list[tuple[str, re.Pattern[str], dict[str, Any]]]:
    table = []
    for template, item in _document(version)["paths"].items():
        pattern = re.compile("^" + re.sub(r"\{[^}]+\}", "[^/]+", template) + "$")
        for method, operation in item.items():
            if method in ("get", "post", "delete"):
                table.append((method.upper(), pattern, operation))
    # Literal segments first, so /threads/runs beats /threads/{thread_id}.
    table.sort(key=lambda entry: entry[1].pattern.count("[^/]+"))
    return table


def find_operation(version: str, method: str, path: str) -> dict[str, Any]:
    """The spec operation serving ``method path`` (path relative to ``/v1``)."""
    for op_method, pattern, operation in _operations(version):
        if op_method == method and pattern.match(path):
            return operation
    raise AssertionError(f"no {version} operation for {method} {path}")


def parse_sse(text: str) -> list[tuple[str, Any]]:
    """Split an event stream into ``(event, data)``; data is parsed JSON except ``[DONE]``."""
    events = []
    for frame in text.split("\n\n"):
        if not frame.strip():
            continue
        lines = frame.split("\n")
        assert len(lines) == 2, frame
        assert lines[0].startswith("event: "), frame
        assert lines[1].startswith("data: "), frame
        data = lines[1][len("data: ") :]
        events.append((lines[0][len("event: ") :], data if data == "[DONE]" else json.loads(data)))
    return events


class Reply:
    """Status, headers and parsed body (JSON, or the events of a stream)."""

    def __init__(self, status: int, headers: Any, body: Any, events: list[tuple[str, Any]]):
        self.status = status
        self.headers = headers
        self.body = body
        self.events = events

    @property
    def error(self) -> dict[str, Any]:
        """The ``error`` object of an error body."""
        assert self.status >= 400, self.body
        error: dict[str, Any] = self.body["error"]
        return error

    def __repr__(self) -> str:
        return f"Reply({self.status}, {self.body!r})"


class SpecClient:
    """Requests against the fake, each checked against the spec."""

    def __init__(self, session: aiohttp.ClientSession, server: FakeAssistantsServer) -> None:
        self.session = session
        self.server = server
        self.validated = 0

    def headers(self, version: str | None = "v2", **extra: str) -> dict[str, str]:
        """Auth and beta headers (``version=None`` leaves the beta header out)."""
        headers = {"Authorization": f"Bearer {self.server.api_key}", **extra}
        if version is not None:
            headers["OpenAI-Beta"] = f"assistants={version}"
        return headers

    async def request(
        self,
        method: str,
        path: str,
        body: Any = None,
        *,
        version: str = "v2",
        params: Any = None,
        headers: dict[str, str] | None = None,
    ) -> Reply:
        """Send one request and validate what came back."""
        async with self.session.request(
            method,
            self.server.base_url + path,
            json=body,
            params=params,
            headers=headers if headers is not None else self.headers(version),
        ) as response:
            text = await response.text()
            is_stream = response.content_type == "text/event-stream"
            reply = Reply(
                response.status,
                response.headers,
                None if is_stream else json.loads(text),
                parse_sse(text) if is_stream else [],
            )
        self._validate(version, method, path, body, reply)
        return reply

    def _validate(self, version: str, method: str, path: str, body: Any, reply: Reply) -> None:
        if reply.status >= 400:
            spec_validator(version, "components/schemas/Error").validate(reply.error)
            self.validated += 1
            return
        operation = find_operation(version, method, path)
        request_body = operation.get("requestBody")
        if request_body is not None and body is not None:
            schema = request_body["content"]["application/json"]["schema"]
            spec_validator(version, _schema_ref(schema)).validate(body)
        if reply.events:
            events = spec_validator(version, "components/schemas/AssistantStreamEvent")
            for name, data in reply.events:
                events.validate({"event": name, "data": data})
        else:
            schema = operation["responses"]["200"]["content"]["application/json"]["schema"]
            spec_validator(version, _schema_ref(schema)).validate(reply.body)
        self.validated += 1

    async def abandon_before_headers(
        self, path: str, body: Any, *, headers: dict[str, str] | None = None
    ) -> RecordedRequest:
        """POST, then give up after 0.05 s while the server holds the request for 0.2 s.

        Returns the request as the server recorded it (waiting until it arrived): the server
        got it, and handles it after its client left.
        """
        received = len(self.server.requests)
        self.server.inject(Fault.latency(0.2), method="POST")
        with pytest.raises(asyncio.TimeoutError):
            async with self.session.post(
                self.server.base_url + path,
                json=body,
                headers=headers if headers is not None else self.headers(),
                timeout=aiohttp.ClientTimeout(total=0.05),
            ):
                pass
        await eventually(
            lambda: len(self.server.requests) > received, what=f"the server got POST {path}"
        )
        request = self.server.requests[received]
        assert (request.method, request.path, request.json) == ("POST", "/v1" + path, body)
        return request

    async def get(self, path: str, **kwargs: Any) -> Reply:
        """GET."""
        return await self.request("GET", path, **kwargs)

    async def post(self, path: str, body: Any = None, **kwargs: Any) -> Reply:
        """POST."""
        return await self.request("POST", path, body, **kwargs)

    async def delete(self, path: str, **kwargs: Any) -> Reply:
        """DELETE."""
        return await self.request("DELETE", path, **kwargs)
