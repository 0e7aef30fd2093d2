"""A raw aiohttp client that checks every exchange against the OpenAPI documents.

Each 200 JSON response is validated against the operation's response schema, each accepted
request body against its request schema, each error against ``ErrorResponse``, and each stream
event against ``AssistantStreamEvent``. The spec's OpenAPI 3.0 ``nullable: true`` is turned into
JSON Schema (``type: [T, "null"]``, or ``anyOf [..., null]`` where there is no ``type``).

Paths under ``/files``, ``/uploads`` and ``/vector_stores`` are checked against
``files-vector-stores.openapi.yaml`` (the document ``FILES``), whatever ``OpenAI-Beta`` says.
A multipart request (:meth:`SpecClient.post_form`) is checked as the object its fields make
(``expires_after[seconds]`` -> ``{"expires_after": {"seconds": ...}}``, files as strings); a
download (:meth:`SpecClient.download`) is raw bytes, so only its errors are checked.
"""

from __future__ import annotations

import asyncio
import functools
import io
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

__all__ = [
    "FILES",
    "Reply",
    "SpecClient",
    "document_for",
    "operation_ids",
    "parse_sse",
    "spec_validator",
]

#: The name of the Files, Uploads and Vector stores document (``spec_validator(FILES, ...)``).
FILES = "files"
_SPEC_FILES = {
    "v1": "assistants-v1.openapi.yaml",
    "v2": "assistants-v2.openapi.yaml",
    FILES: "files-vector-stores.openapi.yaml",
}
_FILES_PREFIXES = ("/files", "/uploads", "/vector_stores")


def document_for(version: str | None, path: str) -> str:
    """The document describing ``path`` (relative to ``/v1``) for this ``OpenAI-Beta``."""
    if path.split("?")[0].startswith(_FILES_PREFIXES):
        return FILES
    return version or "v2"


def _is_nullable_marker(node: Any) -> bool:
    return isinstance(node, dict) and node == {"nullable": True}


def _convert(node: Any) -> Any:
    """Rewrite 3.0 ``nullable`` into JSON Schema, recursively.

    ``allOf: [X, {nullable: true}]`` (UpdateVectorStoreRequest.expires_after, Upload.file) means
    "X or null": the marker alone would only allow null *as well as* X inside an ``allOf``.
    """
    if isinstance(node, list):
        return [_convert(item) for item in node]
    if not isinstance(node, dict):
        return node
    members = node.get("allOf")
    if isinstance(members, list) and any(_is_nullable_marker(m) for m in members):
        rest = [m for m in members if not _is_nullable_marker(m)]
        return {"anyOf": [_convert({**node, "allOf": rest}), {"type": "null"}]}
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


def _relax_file_purpose(schemas: dict[str, Any]) -> None:
    """Decision: a file created with ``purpose=evals`` comes back with ``evals``, a value
    createFile accepts but the response enum lacks (``shared/spec/README.md``, purpose table)."""
    if "OpenAIFile" in schemas:
        schemas["OpenAIFile"]["properties"]["purpose"]["enum"].append("evals")


@functools.cache
def _document(version: str) -> dict[str, Any]:
    raw = yaml.safe_load((SPEC_DIR / _SPEC_FILES[version]).read_text())
    doc: dict[str, Any] = _convert(raw)
    _relax_lists(doc["components"]["schemas"])
    _relax_file_purpose(doc["components"]["schemas"])
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
    """A validator for ``#/<pointer>`` of the version's document (e.g. a schema's path);
    ``version`` is ``v1``, ``v2`` or :data:`FILES`."""
    return jsonschema.Draft202012Validator(
        {"$ref": f"urn:{version}#/{pointer}"}, registry=_registry(version)
    )


def _schema_ref(schema: dict[str, Any]) -> str:
    return str(schema["$ref"]).removeprefix("#/")


def form_as_object(fields: dict[str, str], files: dict[str, Any]) -> dict[str, Any]:
    """The object a multipart body stands for: bracketed fields nest, digit strings are
    integers, each file is a string (``format: binary``)."""
    out: dict[str, Any] = {}
    for name, value in fields.items():
        head, bracket, key = name.partition("[")
        item: Any = int(value) if value.isdigit() else value
        if bracket:
            out.setdefault(head, {})[key.rstrip("]")] = item
        else:
            out[name] = item
    for name in files:
        out[name] = "<binary>"
    return out


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


def operation_ids(version: str) -> set[str]:
    """Every ``operationId`` of a document."""
    return {str(operation["operationId"]) for _, _, operation in _operations(version)}


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
        #: The ``operationId`` of every operation answered with success and validated.
        self.operations: set[str] = set()

    def headers(self, version: str | None = "v2", **extra: str) -> dict[str, str]:
        """Auth and beta headers (``version=None`` leaves the beta header out, as the official
        client does for Files, Uploads and Vector stores)."""
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
        version: str | None = "v2",
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

    def _validate(
        self, version: str | None, method: str, path: str, body: Any, reply: Reply
    ) -> None:
        document = document_for(version, path)
        if reply.status >= 400:
            spec_validator(document, "components/schemas/Error").validate(reply.error)
            self.validated += 1
            return
        operation = find_operation(document, method, path)
        self.operations.add(operation["operationId"])
        request_body = operation.get("requestBody")
        if request_body is not None and body is not None:
            [(_, content)] = request_body["content"].items()
            spec_validator(document, _schema_ref(content["schema"])).validate(body)
        if reply.events:
            events = spec_validator(document, "components/schemas/AssistantStreamEvent")
            for name, data in reply.events:
                events.validate({"event": name, "data": data})
        else:
            schema = operation["responses"]["200"]["content"]["application/json"]["schema"]
            spec_validator(document, _schema_ref(schema)).validate(reply.body)
        self.validated += 1

    async def post_form(
        self,
        path: str,
        fields: dict[str, str] | None = None,
        files: dict[str, tuple[str | None, bytes, str | None]] | None = None,
        *,
        headers: dict[str, str] | None = None,
    ) -> Reply:
        """POST ``multipart/form-data``: text ``fields`` and ``files`` (name -> (filename,
        bytes, content type); a ``None`` filename sends the bytes as a plain field); no beta
        header unless ``headers`` say so."""
        fields, files = fields or {}, files or {}
        form = aiohttp.FormData(default_to_multipart=True)
        for name, value in fields.items():
            form.add_field(name, value)
        for name, (filename, data, content_type) in files.items():
            if filename is None:  # a plain field holding these bytes
                form.add_field(name, data.decode(), content_type=content_type)
            else:
                form.add_field(name, io.BytesIO(data), filename=filename, content_type=content_type)
        async with self.session.post(
            self.server.base_url + path,
            data=form,
            headers=headers if headers is not None else self.headers(None),
        ) as response:
            reply = Reply(response.status, response.headers, json.loads(await response.text()), [])
        self._validate(None, "POST", path, form_as_object(fields, files), reply)
        return reply

    async def download(self, path: str, *, headers: dict[str, str] | None = None) -> Reply:
        """GET raw bytes (downloadFile): ``body`` is the bytes; an error is parsed and checked."""
        async with self.session.get(
            self.server.base_url + path,
            headers=headers if headers is not None else self.headers(None),
        ) as response:
            raw = await response.read()
            reply = Reply(response.status, response.headers, raw, [])
        if reply.status >= 400:
            reply.body = json.loads(raw)
            self._validate(None, "GET", path, None, reply)
        else:  # an operation of the document, answered raw
            self.operations.add(find_operation(FILES, "GET", path)["operationId"])
            self.validated += 1
        return reply

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
