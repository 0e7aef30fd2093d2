"""The converter's rules: leniency, strict scalars, error paths, and the JSON of request inputs."""

from __future__ import annotations

import json
from typing import Any

import attrs
import cattrs
import pytest
from support.serde import structure, unstructure

from openai_assistants import models as m
from openai_assistants._serde.converters import converter, make_converter, strict_converter
from openai_assistants._types import NOT_GIVEN, NotGiven


@attrs.frozen
class Page:
    """A list envelope, as the pagination code structures it."""

    data: list[m.Message]
    has_more: bool = False


@attrs.frozen
class RequestWithNotGiven:
    """A request-side class whose fields may be left out."""

    tools: list[m.Tool] | NotGiven = NOT_GIVEN
    name: str | NotGiven | None = NOT_GIVEN
    tool_choice: m.ToolChoice | NotGiven = NOT_GIVEN


RUN = {"id": "run_1", "thread_id": "thread_1", "assistant_id": "asst_1", "status": "queued"}
STEP = {**RUN, "id": "step_1", "run_id": "run_1", "type": "tool_calls", "status": "completed"}
MESSAGE = {"id": "msg_1", "thread_id": "thread_1", "role": "user"}


def errors_of(data: Any, cl: Any, conv: cattrs.Converter = converter) -> list[str]:
    with pytest.raises(cattrs.BaseValidationError) as info:
        conv.structure(data, cl)
    return cattrs.transform_error(info.value, path="$")


# --- leniency ----------------------------------------------------------------------------------


def test_unknown_enum_strings_parse() -> None:
    run = structure({**RUN, "status": "thinking", "tool_choice": "sometimes"}, m.Run)
    assert run.status == "thinking"
    assert run.tool_choice == "sometimes"
    step = structure({**STEP, "type": "reasoning", "status": "pondering"}, m.RunStep)
    assert (step.type, step.status) == ("reasoning", "pondering")
    msg = structure({**MESSAGE, "role": "system", "status": "drafting"}, m.Message)
    assert (msg.role, msg.status) == ("system", "drafting")


def test_only_identity_fields_are_required() -> None:
    run = structure(RUN, m.Run)
    assert run == m.Run(id="run_1", thread_id="thread_1", assistant_id="asst_1", status="queued")
    assert run.tools == []
    assert run.created_at is None
    assert run.object == "thread.run"
    assert errors_of({"object": "thread.run"}, m.Run) == [
        "required field missing @ $.id",
        "required field missing @ $.thread_id",
        "required field missing @ $.assistant_id",
        "required field missing @ $.status",
    ]
    assert structure({"id": "a"}, m.Assistant).id == "a"
    assert structure({"id": "t"}, m.Thread).id == "t"


def test_unknown_keys_are_ignored_by_converter_and_rejected_by_strict_converter() -> None:
    data = {
        "id": "t",
        "object": "thread",
        "created_at": 1,
        "metadata": {},
        "vibe": "good",
        "tool_resources": {"new_tool": {}},
    }
    assert converter.structure(data, m.Thread) == m.Thread(
        id="t", created_at=1, metadata={}, tool_resources=m.ToolResources()
    )
    assert errors_of(data, m.Thread, strict_converter) == [
        "extra fields found (new_tool) @ $.tool_resources",
        "extra fields found (vibe) @ $",
    ]


def test_make_converter_builds_independent_converters() -> None:
    lenient, strict = make_converter(), make_converter(mode="strict")
    assert lenient.structure({"id": "x", "extra": 1}, m.Thread) == m.Thread(id="x")
    with pytest.raises(cattrs.ClassValidationError):
        strict.structure({"id": "x", "extra": 1}, m.Thread)


# --- strict scalars ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("model", {"name": "gpt"}),  # cattrs' default str() would accept this
        ("model", 4),
        ("created_at", True),
        ("created_at", "1699"),
        ("created_at", 1.5),
        ("temperature", "1.0"),
        ("temperature", False),
        ("parallel_tool_calls", 1),
        ("parallel_tool_calls", "true"),
        ("metadata", ["k"]),  # (any JSON values are fine: servers send them, see test_lenient)
        ("file_ids", "file-1"),  # cattrs' default list() would split it into characters
        ("file_ids", {"file-1": 1}),
        ("tools", {"type": "code_interpreter"}),
        ("usage", "lots"),
        ("required_action", []),
    ],
)
def test_wrong_types_are_errors_naming_the_field(field: str, value: Any) -> None:
    [message] = errors_of({**RUN, field: value}, m.Run)
    assert message.split(" @ ")[1].startswith(f"$.{field}")


def test_scalars_accept_their_json_types() -> None:
    run = structure(
        {**RUN, "created_at": 1, "temperature": 1, "top_p": 0.5, "parallel_tool_calls": False},
        m.Run,
    )
    assert run.created_at == 1
    assert type(run.temperature) is float
    assert run.temperature == 1.0
    assert run.top_p == 0.5
    assert run.parallel_tool_calls is False


def test_nested_error_path_in_a_list_envelope() -> None:
    good = {**MESSAGE, "created_at": 1}
    data = {"data": [good, good, good, {**MESSAGE, "created_at": "yesterday"}]}
    assert errors_of(data, Page) == [
        "invalid value for type, expected int | None @ $.data[3].created_at"
    ]


def test_deep_error_paths() -> None:
    data = {
        **MESSAGE,
        "content": [
            {"type": "text", "text": {"value": "v", "annotations": []}},
            {"type": "text", "text": {"value": 7, "annotations": []}},
            {"type": "image_file", "image_file": {}},
        ],
    }
    assert errors_of(data, m.Message) == [
        "invalid value for type, expected str @ $.content[1].text.value",
        "required field missing @ $.content[2].image_file.file_id",
    ]


def test_top_level_non_object_is_a_validation_error() -> None:
    with pytest.raises(cattrs.ClassValidationError) as info:
        structure([{"id": "run_1"}], m.Run)
    assert cattrs.transform_error(info.value) == [
        "invalid type (expected an object, got array) @ $"
    ]


def test_string_or_object_unions() -> None:
    assert structure("auto", m.ResponseFormat) == "auto"
    assert structure({"type": "json_object"}, m.ResponseFormat) == m.ResponseFormatJsonObject()
    assert structure("required", m.ToolChoice) == "required"
    assert structure(
        {"type": "function", "function": {"name": "f"}}, m.ToolChoice
    ) == m.NamedToolChoice(type="function", function=m.NamedFunction(name="f"))
    assert structure({"role": "user", "content": "hi"}, m.MessageParam).content == "hi"
    parts = structure(
        {"role": "user", "content": [{"type": "text", "text": "hi"}]}, m.MessageParam
    ).content
    assert parts == [m.TextContentParam(text="hi")]
    [message] = errors_of({"role": "user", "content": 5}, m.MessageParam)
    assert message.endswith("@ $.content")
    [message] = errors_of({"id": "a", "response_format": 5}, m.Assistant)
    assert message.endswith("@ $.response_format")


def test_not_given_in_a_union_keeps_the_tool_dispatch() -> None:
    obj = structure({"tools": [{"type": "retrieval"}, {"type": "x"}]}, RequestWithNotGiven)
    assert obj.tools == [m.RetrievalTool(), m.UnknownTool(raw={"type": "x"})]


# --- unstructuring request inputs --------------------------------------------------------------


@pytest.mark.parametrize(
    ("obj", "wire"),
    [
        (
            m.FunctionTool(function=m.FunctionDefinition(name="f")),
            {"type": "function", "function": {"name": "f"}},
        ),
        (
            m.FunctionTool(
                function=m.FunctionDefinition(
                    name="get_weather",
                    description="Weather for a city",
                    parameters={"type": "object", "properties": {"city": {"type": "string"}}},
                    strict=False,
                )
            ),
            {
                "type": "function",
                "function": {
                    "name": "get_weather",
                    "description": "Weather for a city",
                    "parameters": {"type": "object", "properties": {"city": {"type": "string"}}},
                    "strict": False,
                },
            },
        ),
        (m.CodeInterpreterTool(), {"type": "code_interpreter"}),
        (
            m.FileSearchTool(file_search=m.FileSearchSettings(max_num_results=3)),
            {"type": "file_search", "file_search": {"max_num_results": 3}},
        ),
        (
            m.ToolResources(
                code_interpreter=m.CodeInterpreterResources(file_ids=["file-1"]),
                file_search=m.FileSearchResources(vector_store_ids=["vs_1"]),
            ),
            {
                "code_interpreter": {"file_ids": ["file-1"]},
                "file_search": {"vector_store_ids": ["vs_1"]},
            },
        ),
        # An explicit empty list is sent: it clears the files.
        (
            m.ToolResources(code_interpreter=m.CodeInterpreterResources(file_ids=[])),
            {"code_interpreter": {"file_ids": []}},
        ),
        (
            m.ToolResources(
                file_search=m.FileSearchResources(
                    vector_stores=[
                        m.VectorStoreParam(
                            file_ids=["file-1"],
                            chunking_strategy=m.StaticChunkingStrategy(
                                static=m.StaticChunkingConfig(
                                    max_chunk_size_tokens=800, chunk_overlap_tokens=400
                                )
                            ),
                        )
                    ]
                )
            ),
            {
                "file_search": {
                    "vector_stores": [
                        {
                            "file_ids": ["file-1"],
                            "chunking_strategy": {
                                "type": "static",
                                "static": {
                                    "max_chunk_size_tokens": 800,
                                    "chunk_overlap_tokens": 400,
                                },
                            },
                        }
                    ]
                }
            },
        ),
        (m.MessageParam(role="user", content="Hello"), {"role": "user", "content": "Hello"}),
        (
            m.MessageParam(
                role="user",
                content=[
                    m.TextContentParam(text="What is this?"),
                    m.ImageFileContent(image_file=m.ImageFile(file_id="file-img", detail="high")),
                    m.ImageURLContent(image_url=m.ImageURL(url="https://x/y.png")),
                ],
                attachments=[
                    m.Attachment(
                        file_id="file-1", tools=[m.CodeInterpreterTool(), m.FileSearchTool()]
                    )
                ],
                metadata={"k": "v"},
            ),
            {
                "role": "user",
                "content": [
                    {"type": "text", "text": "What is this?"},
                    {"type": "image_file", "image_file": {"file_id": "file-img", "detail": "high"}},
                    {"type": "image_url", "image_url": {"url": "https://x/y.png"}},
                ],
                "attachments": [
                    {
                        "file_id": "file-1",
                        "tools": [{"type": "code_interpreter"}, {"type": "file_search"}],
                    }
                ],
                "metadata": {"k": "v"},
            },
        ),
        (
            m.MessageParam(role="user", content="v1", file_ids=["file-1"]),
            {"role": "user", "content": "v1", "file_ids": ["file-1"]},
        ),
        (m.ThreadParam(), {}),
        (
            m.ThreadParam(
                messages=[m.MessageParam(role="user", content="Hi")],
                tool_resources=m.ToolResources(
                    file_search=m.FileSearchResources(vector_store_ids=["vs_1"])
                ),
                metadata={"user": "u1"},
            ),
            {
                "messages": [{"role": "user", "content": "Hi"}],
                "tool_resources": {"file_search": {"vector_store_ids": ["vs_1"]}},
                "metadata": {"user": "u1"},
            },
        ),
        (m.TruncationStrategy(type="auto"), {"type": "auto"}),
        (
            m.TruncationStrategy(type="last_messages", last_messages=10),
            {"type": "last_messages", "last_messages": 10},
        ),
        (
            m.ToolOutput(tool_call_id="call_1", output="70 degrees"),
            {"tool_call_id": "call_1", "output": "70 degrees"},
        ),
        (m.ToolOutput(tool_call_id="call_1"), {"tool_call_id": "call_1"}),
        (
            m.NamedToolChoice(type="function", function=m.NamedFunction(name="f")),
            {"type": "function", "function": {"name": "f"}},
        ),
        (m.NamedToolChoice(type="file_search"), {"type": "file_search"}),
        (
            m.ResponseFormatJsonSchema(
                json_schema=m.JsonSchema(name="out", schema={"type": "object"}, strict=True)
            ),
            {
                "type": "json_schema",
                "json_schema": {"name": "out", "schema": {"type": "object"}, "strict": True},
            },
        ),
    ],
    ids=lambda v: type(v).__name__ if attrs.has(type(v)) else "wire",
)
def test_request_inputs_unstructure_to_the_api_json(obj: Any, wire: dict[str, Any]) -> None:
    produced = unstructure(obj)
    assert produced == wire
    assert json.loads(json.dumps(produced)) == wire
    # What we send is what the models read back (the fake server and _params rely on this).
    assert strict_converter.structure(produced, type(obj)) == obj


def test_plain_dicts_pass_through_with_attrs_members_unstructured() -> None:
    body = {
        "model": "gpt-4o",
        "instructions": None,
        "name": NOT_GIVEN,
        "tools": [m.CodeInterpreterTool(), {"type": "function", "function": {"name": "f"}}],
        "tool_resources": {"code_interpreter": m.CodeInterpreterResources(file_ids=["f"])},
        "nested": {"keep": [1, (2, 3)], "drop": NOT_GIVEN},
        "tool_choice": m.NamedToolChoice(type="code_interpreter"),
        "unknown": m.UnknownTool(raw={"type": "new", "x": [1]}),
    }
    assert unstructure(body) == {
        "model": "gpt-4o",
        "instructions": None,
        "tools": [{"type": "code_interpreter"}, {"type": "function", "function": {"name": "f"}}],
        "tool_resources": {"code_interpreter": {"file_ids": ["f"]}},
        "nested": {"keep": [1, [2, 3]]},
        "tool_choice": {"type": "code_interpreter"},
        "unknown": {"type": "new", "x": [1]},
    }
    assert unstructure([m.RetrievalTool(), "auto"]) == [{"type": "retrieval"}, "auto"]


def test_free_form_json_fields_keep_attrs_members_and_drop_not_given() -> None:
    fn = m.FunctionDefinition(name="f", parameters={"a": m.CodeInterpreterTool(), "b": NOT_GIVEN})
    assert unstructure(fn) == {"name": "f", "parameters": {"a": {"type": "code_interpreter"}}}


def test_not_given_fields_of_attrs_classes_are_omitted() -> None:
    assert unstructure(RequestWithNotGiven()) == {}
    assert unstructure(RequestWithNotGiven(name=None)) == {"name": None}
    assert unstructure(
        RequestWithNotGiven(tools=[m.FunctionTool(m.FunctionDefinition("f"))], tool_choice="none")
    ) == {"tools": [{"type": "function", "function": {"name": "f"}}], "tool_choice": "none"}


def test_none_is_omitted_only_where_the_default_is_none() -> None:
    # Response objects: None-valued optional fields vanish, non-None defaults stay.
    assert unstructure(m.Run(id="r", thread_id="t", assistant_id="a", status="queued")) == {
        "id": "r",
        "thread_id": "t",
        "assistant_id": "a",
        "status": "queued",
        "object": "thread.run",
        "tools": [],
    }
    assert unstructure(m.DeletionStatus(id="a", deleted=False)) == {"id": "a", "deleted": False}


def test_unknown_members_unstructure_to_their_raw_dict_exactly() -> None:
    raw = {"type": "x", "nested": {"none": None, "list": [None, 1.5, True]}}
    obj = m.UnknownToolCall(raw=raw)
    assert unstructure(obj) == raw
    assert json.dumps(unstructure(obj)) == json.dumps(raw)
