"""The models against both OpenAPI files: every example response round-trips, every property exists.

The documents are the vendored copies in ``tests/spec/``.
"""

from __future__ import annotations

import json
import types
from collections.abc import Iterator
from functools import cache
from typing import Any, Union, get_args, get_origin

import attrs
import pytest
import yaml
from support import SPEC_DIR

from openai_assistants import models as m
from openai_assistants._serde.converters import converter, make_converter, tag_of

VERSIONS = ("v1", "v2")

#: Strict reading (unknown keys and types), without its check that top-level objects carry every
#: key the spec requires: the spec's own examples leave some out (``failed_at``, ``usage``, ...).
strict_converter = make_converter(mode="strict", spec_keys=False)

#: Component schema -> model, for every response object and the request shapes we model.
SCHEMA_MODELS: dict[str, type] = {
    "AssistantObject": m.Assistant,
    "AssistantFileObject": m.AssistantFile,
    "ThreadObject": m.Thread,
    "MessageObject": m.Message,
    "MessageFileObject": m.MessageFile,
    "MessageDeltaObject": m.MessageDelta,
    "RunObject": m.Run,
    "RunStepObject": m.RunStep,
    "RunStepDeltaObject": m.RunStepDelta,
    "Error": m.ErrorObject,
    "DeleteAssistantResponse": m.DeletionStatus,
    "DeleteAssistantFileResponse": m.DeletionStatus,
    "DeleteThreadResponse": m.DeletionStatus,
    "DeleteMessageResponse": m.DeletionStatus,
    "CreateMessageRequest": m.MessageParam,
    "CreateThreadRequest": m.ThreadParam,
    "TruncationObject": m.TruncationStrategy,
    "FunctionObject": m.FunctionDefinition,
    "AssistantsNamedToolChoice": m.NamedToolChoice,
    "AssistantsApiNamedToolChoice": m.NamedToolChoice,
}


def event_model(event: str) -> type | None:
    """The model of an SSE event's ``data`` (the event table of the spec README)."""
    if event == "thread.run.step.delta":
        return m.RunStepDelta
    if event == "thread.message.delta":
        return m.MessageDelta
    if event.startswith("thread.run.step."):
        return m.RunStep
    if event.startswith("thread.run."):
        return m.Run
    if event.startswith("thread.message."):
        return m.Message
    if event.startswith("thread."):
        return m.Thread
    if event == "error":
        return m.ErrorObject
    if event == "done":
        return None
    raise AssertionError(f"no model for event {event!r}")


@cache
def load_spec(version: str) -> dict[str, Any]:
    path = SPEC_DIR / f"assistants-{version}.openapi.yaml"
    with path.open() as f:
        spec: dict[str, Any] = yaml.load(f, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    return spec


def spec_available() -> bool:
    return all((SPEC_DIR / f"assistants-{v}.openapi.yaml").is_file() for v in VERSIONS)


def resolve(spec: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    """Follow ``$ref`` and unwrap nullable wrappers (``allOf``/``anyOf`` with one real part)."""
    while True:
        if "$ref" in schema:
            schema = spec["components"]["schemas"][schema["$ref"].rsplit("/", 1)[-1]]
            continue
        for key in ("allOf", "anyOf"):
            parts = [
                p for p in schema.get(key, []) if p.get("type") != "null" and set(p) != {"nullable"}
            ]
            if len(parts) == 1:
                schema = parts[0]
                break
        else:
            return schema


# --- the examples ------------------------------------------------------------------------------


@attrs.frozen
class Example:
    id: str
    version: str
    operation_id: str
    response: str
    schema_name: str


def iter_examples() -> Iterator[Example]:
    if not spec_available():
        return
    for version in VERSIONS:
        spec = load_spec(version)
        for path_item in spec["paths"].values():
            for op in path_item.values():
                if not isinstance(op, dict) or "x-oaiMeta" not in op:
                    continue
                ref = op["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
                examples = op["x-oaiMeta"].get("examples", [])
                examples = examples if isinstance(examples, list) else [examples]
                for i, ex in enumerate(examples):
                    title = ex.get("title") or str(i)
                    yield Example(
                        id=f"{version}-{op['operationId']}-{title}".replace(" ", "_"),
                        version=version,
                        operation_id=op["operationId"],
                        response=ex["response"],
                        schema_name=ref.rsplit("/", 1)[-1],
                    )


EXAMPLES = list(iter_examples())


def parse_example(text: str) -> Any:
    # A few v1 examples are JavaScript object literals (unquoted keys, single quotes, a trailing
    # comma) rather than JSON; YAML's flow syntax reads those as the intended values.
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        return yaml.safe_load(text)


def parse_sse(text: str) -> list[tuple[str, Any]]:
    """The ``(event, data)`` pairs of an SSE transcript.

    Normalisations, all for typos in the upstream transcripts: ``...`` lines (elided events) are
    skipped; a JSON line right after ``event:`` without the ``data:`` prefix is taken as that
    event's data; stray closing braces after a complete JSON object are dropped.
    """
    events: list[tuple[str, Any]] = []
    event: str | None = None
    decoder = json.JSONDecoder()
    for raw_line in text.splitlines():
        line = raw_line.strip()
        if not line or line == "...":
            continue
        if line.startswith("event:"):
            event = line.removeprefix("event:").strip()
            continue
        payload = line.removeprefix("data:").strip()
        assert event is not None, f"data before any event: {line[:80]}"
        if payload == "[DONE]":
            events.append((event, payload))
        else:
            data, end = decoder.raw_decode(payload)
            assert set(payload[end:].strip()) <= {"}"}, payload[end:]
            events.append((event, data))
        event = None
    return events


def assert_same_json(original: Any, produced: Any, path: str = "$") -> None:
    """``produced`` equals ``original`` except that a key may be missing from ``produced`` when
    its original value is ``null`` (None fields are omitted), and ``produced`` may add a key the
    original lacks only with the value ``[]`` (list fields default to an empty list)."""
    if isinstance(original, dict):
        assert isinstance(produced, dict), f"{path}: {produced!r} is not an object"
        for key, value in original.items():
            if key in produced:
                assert_same_json(value, produced[key], f"{path}.{key}")
            else:
                assert value is None, f"{path}.{key}: {value!r} was dropped"
        for key in produced.keys() - original.keys():
            assert produced[key] == [], f"{path}.{key}: added {produced[key]!r}"
    elif isinstance(original, list):
        assert isinstance(produced, list), f"{path}: {produced!r} is not an array"
        assert len(produced) == len(original), f"{path}: length changed"
        for i, (a, b) in enumerate(zip(original, produced, strict=True)):
            assert_same_json(a, b, f"{path}[{i}]")
    else:
        assert type(produced) is type(original) or (
            type(original) is int and type(produced) is float
        ), f"{path}: {original!r} became {produced!r}"
        assert produced == original, f"{path}: {original!r} became {produced!r}"


def round_trip(data: Any, model: type) -> Any:
    obj: Any = strict_converter.structure(data, model)
    assert isinstance(obj, model)
    produced = converter.unstructure(obj)
    assert_same_json(data, produced)
    # Structuring what we produced gives the same object back.
    assert strict_converter.structure(produced, model) == obj
    return obj


def test_spec_examples_were_found() -> None:
    assert spec_available(), f"spec files not found in {SPEC_DIR} (set OPENAI_ASSISTANTS_SPEC_DIR)"
    assert len(EXAMPLES) >= 60
    assert {e.version for e in EXAMPLES} == set(VERSIONS)
    assert {name for _, name in SCHEMA_CASES} == set(SCHEMA_MODELS)


@pytest.mark.parametrize("example", EXAMPLES, ids=[e.id for e in EXAMPLES])
def test_example_response_round_trips(example: Example) -> None:
    text = example.response.strip()
    if text.startswith("event:"):
        events = parse_sse(text)
        assert events[-1] == ("done", "[DONE]")
        for i, (event, data) in enumerate(events):
            model = event_model(event)
            if model is None:
                continue
            try:
                round_trip(data, model)
            except Exception as exc:
                raise AssertionError(f"event #{i} {event}: {exc}") from exc
        return

    data = parse_example(text)
    if example.schema_name.startswith("List"):
        item_ref = load_spec(example.version)["components"]["schemas"][example.schema_name][
            "properties"
        ]["data"]["items"]["$ref"]
        model = SCHEMA_MODELS[item_ref.rsplit("/", 1)[-1]]
        assert data["object"] == "list"
        items = strict_converter.structure(data["data"], list[model])  # type: ignore[valid-type]
        assert len(items) == len(data["data"]) > 0
        for item in data["data"]:
            round_trip(item, model)
    else:
        obj = round_trip(data, SCHEMA_MODELS[example.schema_name])
        assert obj.id == data["id"]


def test_streamed_function_call_parses_into_typed_deltas() -> None:
    [example] = [e for e in EXAMPLES if e.id == "v2-createThreadAndRun-Streaming_with_Functions"]
    events = parse_sse(example.response)
    deltas = [
        strict_converter.structure(data, m.RunStepDelta)
        for event, data in events
        if event == "thread.run.step.delta"
    ]
    first = deltas[0].delta.step_details
    assert isinstance(first, m.ToolCallsStepDetailsDelta)
    assert first.tool_calls is not None
    call = first.tool_calls[0]
    assert isinstance(call, m.FunctionToolCallDelta)
    assert call.index == 0
    assert call.id == "call_XXNp8YGaFrjrSjgqxtC8JJ1B"
    assert call.function == m.FunctionToolCallFunctionDelta(
        name="get_current_weather", arguments="", output=None
    )
    run = strict_converter.structure(
        next(data for event, data in events if event == "thread.run.requires_action"), m.Run
    )
    assert run.status == "requires_action"
    assert run.required_action is not None
    [tool_call] = run.required_action.submit_tool_outputs.tool_calls
    assert tool_call.function.name == "get_current_weather"
    assert isinstance(run.tools[0], m.FunctionTool)
    assert run.tools[0].function.parameters is not None
    assert run.tools[0].function.parameters["required"] == ["location"]


# --- every property of every modelled schema is a field ----------------------------------------


def field_classes(tp: Any) -> list[type]:
    """The attrs classes a field of type ``tp`` can hold (through lists, unions and None)."""
    if get_origin(tp) in (Union, types.UnionType):
        return [c for arg in get_args(tp) for c in field_classes(arg)]
    if get_origin(tp) is list:
        return field_classes(get_args(tp)[0])
    return [tp] if attrs.has(tp) else []


def object_members(spec: dict[str, Any], schema: dict[str, Any]) -> list[dict[str, Any]]:
    """The object schemas a property can hold: through arrays, ``oneOf`` and nullable wrappers."""
    schema = resolve(spec, schema)
    if schema.get("type") == "array" and "items" in schema:
        return object_members(spec, schema["items"])
    if "oneOf" in schema:
        return [s for part in schema["oneOf"] for s in object_members(spec, part)]
    return [schema] if "properties" in schema else []


def pick_class(classes: list[type], member: dict[str, Any], where: str) -> type:
    known = [c for c in classes if not c.__name__.startswith("Unknown")]
    if len(known) == 1:
        return known[0]
    tag = member["properties"]["type"]["enum"][0]
    matches = [c for c in known if tag_of(c) == tag]
    assert matches, f"{where}: no model for type {tag!r} among {[c.__name__ for c in known]}"
    return matches[0]


def check_schema(spec: dict[str, Any], schema: dict[str, Any], cls: type, where: str) -> int:
    """Assert every property of ``schema`` (recursively) is a field of ``cls``; count them."""
    attrs.resolve_types(cls)
    fields = attrs.fields_dict(cls)
    checked = 0
    for name, prop in schema.get("properties", {}).items():
        assert name in fields, f"{where}.{name} is not a field of {cls.__name__}"
        checked += 1
        members = object_members(spec, prop)
        classes = field_classes(fields[name].type)
        if not members or not classes:
            continue
        for member in members:
            sub = pick_class(classes, member, f"{where}.{name}")
            checked += check_schema(spec, member, sub, f"{where}.{name}")
    return checked


SCHEMA_CASES = [
    (version, name)
    for version in (VERSIONS if spec_available() else ())
    for name in sorted(SCHEMA_MODELS)
    if name in load_spec(version)["components"]["schemas"]
]


@pytest.mark.parametrize(
    ("version", "schema_name"), SCHEMA_CASES, ids=["-".join(c) for c in SCHEMA_CASES]
)
def test_every_schema_property_is_modelled(version: str, schema_name: str) -> None:
    spec = load_spec(version)
    schema = resolve(spec, spec["components"]["schemas"][schema_name])
    checked = check_schema(spec, schema, SCHEMA_MODELS[schema_name], schema_name)
    assert checked >= len(schema["properties"])


# --- the files and vector stores document ----------------------------------------------------

FILES_SCHEMA_MODELS: dict[str, type] = {
    "OpenAIFile": m.FileObject,
    "Upload": m.Upload,
    "UploadPart": m.UploadPart,
    "VectorStoreObject": m.VectorStore,
    "VectorStoreFileObject": m.VectorStoreFile,
    "VectorStoreFileBatchObject": m.VectorStoreFileBatch,
    "VectorStoreFileContentResponse": m.VectorStoreFileContent,
    "VectorStoreSearchResultsPage": m.VectorStoreSearchResults,
    "VectorStoreSearchResultItem": m.VectorStoreSearchResult,
    "DeleteFileResponse": m.DeletionStatus,
    "DeleteVectorStoreResponse": m.DeletionStatus,
    "DeleteVectorStoreFileResponse": m.DeletionStatus,
    "FileExpirationAfter": m.FileExpiresAfter,
    "VectorStoreExpirationAfter": m.VectorStoreExpiresAfter,
}


@cache
def load_files_spec() -> dict[str, Any]:
    with (SPEC_DIR / "files-vector-stores.openapi.yaml").open() as f:
        spec: dict[str, Any] = yaml.load(f, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    return spec


@pytest.mark.parametrize("schema_name", sorted(FILES_SCHEMA_MODELS))
def test_every_files_schema_property_is_modelled(schema_name: str) -> None:
    spec = load_files_spec()
    schema = resolve(spec, spec["components"]["schemas"][schema_name])
    checked = check_schema(spec, schema, FILES_SCHEMA_MODELS[schema_name], schema_name)
    assert checked >= len(schema["properties"])


def test_every_files_response_schema_has_a_model() -> None:
    spec = load_files_spec()
    responses = {
        op["responses"]["200"]["content"]["application/json"]["schema"].get("$ref", "")
        for path in spec["paths"].values()
        for op in path.values()
    }
    names = {ref.rsplit("/", 1)[-1] for ref in responses if ref}
    lists = {name for name in names if name.startswith("List")}
    assert names - lists <= set(FILES_SCHEMA_MODELS)
