"""Tagged unions: every known tag dispatches, unknown members keep and give back their raw dict."""

from __future__ import annotations

from typing import Any

import attrs
import cattrs
import pytest
from support.serde import structure, unstructure

from openai_assistants import ResponseValidationError
from openai_assistants import models as m
from openai_assistants._serde.converters import (
    TAGGED_UNIONS,
    converter,
    lenient_converter,
    make_converter,
    tag_of,
)
from openai_assistants._serde.lenient import ROOTS
from openai_assistants._serde.reader import read

#: Strict reading (unknown keys and types), without its check that top-level objects carry every
#: key the spec requires: the small samples here leave some out.
strict_converter = make_converter(mode="strict", spec_keys=False)

# Written out by hand (not derived from the models) so a changed tag default shows up here.
KNOWN_TAGS: dict[Any, dict[str, type]] = {
    m.Tool: {
        "function": m.FunctionTool,
        "code_interpreter": m.CodeInterpreterTool,
        "file_search": m.FileSearchTool,
        "retrieval": m.RetrievalTool,
    },
    m.ChunkingStrategy: {"auto": m.AutoChunkingStrategy, "static": m.StaticChunkingStrategy},
    m.ResponseFormat: {
        "text": m.ResponseFormatText,
        "json_object": m.ResponseFormatJsonObject,
        "json_schema": m.ResponseFormatJsonSchema,
    },
    m.MessageContent: {
        "text": m.TextContent,
        "image_file": m.ImageFileContent,
        "image_url": m.ImageURLContent,
        "refusal": m.RefusalContent,
    },
    m.Annotation: {"file_citation": m.FileCitationAnnotation, "file_path": m.FilePathAnnotation},
    m.ContentPartParam: {
        "text": m.TextContentParam,
        "image_file": m.ImageFileContent,
        "image_url": m.ImageURLContent,
    },
    m.MessageContentDelta: {
        "text": m.TextDeltaContent,
        "image_file": m.ImageFileDeltaContent,
        "image_url": m.ImageURLDeltaContent,
        "refusal": m.RefusalDeltaContent,
    },
    m.AnnotationDelta: {
        "file_citation": m.FileCitationAnnotationDelta,
        "file_path": m.FilePathAnnotationDelta,
    },
    m.StepDetails: {
        "message_creation": m.MessageCreationStepDetails,
        "tool_calls": m.ToolCallsStepDetails,
    },
    m.ToolCall: {
        "code_interpreter": m.CodeInterpreterToolCall,
        "file_search": m.FileSearchToolCall,
        "retrieval": m.RetrievalToolCall,
        "function": m.FunctionToolCall,
    },
    m.CodeInterpreterOutput: {"logs": m.CodeInterpreterLogs, "image": m.CodeInterpreterImage},
    m.StepDetailsDelta: {
        "message_creation": m.MessageCreationStepDetailsDelta,
        "tool_calls": m.ToolCallsStepDetailsDelta,
    },
    m.ToolCallDelta: {
        "code_interpreter": m.CodeInterpreterToolCallDelta,
        "file_search": m.FileSearchToolCallDelta,
        "retrieval": m.RetrievalToolCallDelta,
        "function": m.FunctionToolCallDelta,
    },
    m.CodeInterpreterOutputDelta: {
        "logs": m.CodeInterpreterLogsDelta,
        "image": m.CodeInterpreterImageDelta,
    },
}
FALLBACKS = dict(TAGGED_UNIONS)

#: One complete wire example per known member (each round-trips exactly).
SAMPLES: list[tuple[Any, dict[str, Any]]] = [
    (m.Tool, {"type": "function", "function": {"name": "f", "parameters": {"type": "object"}}}),
    (m.Tool, {"type": "code_interpreter"}),
    (m.Tool, {"type": "file_search"}),
    (
        m.Tool,
        {
            "type": "file_search",
            "file_search": {
                "max_num_results": 5,
                "ranking_options": {"ranker": "auto", "score_threshold": 0.5},
            },
        },
    ),
    (m.Tool, {"type": "retrieval"}),
    (m.ChunkingStrategy, {"type": "auto"}),
    (
        m.ChunkingStrategy,
        {"type": "static", "static": {"max_chunk_size_tokens": 800, "chunk_overlap_tokens": 400}},
    ),
    (m.ResponseFormat, {"type": "text"}),
    (m.ResponseFormat, {"type": "json_object"}),
    (
        m.ResponseFormat,
        {
            "type": "json_schema",
            "json_schema": {"name": "out", "schema": {"type": "object"}, "strict": True},
        },
    ),
    (
        m.MessageContent,
        {
            "type": "text",
            "text": {
                "value": "see 【0†a.pdf】 and sandbox:/x.csv",
                "annotations": [
                    {
                        "type": "file_citation",
                        "text": "【0†a.pdf】",
                        "file_citation": {"file_id": "file-1", "quote": "q"},
                        "start_index": 4,
                        "end_index": 13,
                    },
                    {
                        "type": "file_path",
                        "text": "sandbox:/x.csv",
                        "file_path": {"file_id": "file-2"},
                        "start_index": 18,
                        "end_index": 32,
                    },
                ],
            },
        },
    ),
    (m.MessageContent, {"type": "image_file", "image_file": {"file_id": "f", "detail": "low"}}),
    (m.MessageContent, {"type": "image_url", "image_url": {"url": "https://x/y.png"}}),
    (m.MessageContent, {"type": "refusal", "refusal": "no"}),
    (m.ContentPartParam, {"type": "text", "text": "hi"}),
    (m.ContentPartParam, {"type": "image_file", "image_file": {"file_id": "f"}}),
    (
        m.ContentPartParam,
        {"type": "image_url", "image_url": {"url": "https://x", "detail": "high"}},
    ),
    (
        m.MessageContentDelta,
        {
            "index": 0,
            "type": "text",
            "text": {
                "value": "x",
                "annotations": [
                    {"index": 0, "type": "file_citation", "file_citation": {"file_id": "f"}},
                    {"index": 1, "type": "file_path", "file_path": {"file_id": "g"}},
                ],
            },
        },
    ),
    (m.MessageContentDelta, {"index": 1, "type": "image_file", "image_file": {"file_id": "f"}}),
    (m.MessageContentDelta, {"index": 2, "type": "image_url", "image_url": {"url": "u"}}),
    (m.MessageContentDelta, {"index": 3, "type": "refusal", "refusal": "n"}),
    (
        m.StepDetails,
        {"type": "message_creation", "message_creation": {"message_id": "msg_1"}},
    ),
    (
        m.StepDetails,
        {
            "type": "tool_calls",
            "tool_calls": [
                {
                    "id": "call_1",
                    "type": "code_interpreter",
                    "code_interpreter": {
                        "input": "1+1",
                        "outputs": [
                            {"type": "logs", "logs": "2"},
                            {"type": "image", "image": {"file_id": "file-img"}},
                        ],
                    },
                },
                {
                    "id": "call_2",
                    "type": "file_search",
                    "file_search": {
                        "ranking_options": {"ranker": "default_2024_08_21", "score_threshold": 0.0},
                        "results": [
                            {
                                "file_id": "f",
                                "file_name": "a.pdf",
                                "score": 0.9,
                                "content": [{"type": "text", "text": "chunk"}],
                            }
                        ],
                    },
                },
                {"id": "call_3", "type": "retrieval", "retrieval": {}},
                {
                    "id": "call_4",
                    "type": "function",
                    "function": {"name": "f", "arguments": "{}", "output": "ok"},
                },
            ],
        },
    ),
    (
        m.StepDetailsDelta,
        {"type": "message_creation", "message_creation": {"message_id": "msg_1"}},
    ),
    (
        m.StepDetailsDelta,
        {
            "type": "tool_calls",
            "tool_calls": [
                {
                    "index": 0,
                    "id": "call_1",
                    "type": "code_interpreter",
                    "code_interpreter": {
                        "input": "pri",
                        "outputs": [
                            {"index": 0, "type": "logs", "logs": "x"},
                            {"index": 1, "type": "image", "image": {"file_id": "i"}},
                        ],
                    },
                },
                {"index": 1, "id": "call_2", "type": "file_search", "file_search": {}},
                {"index": 2, "type": "retrieval", "retrieval": {}},
                {"index": 3, "type": "function", "function": {"arguments": "{"}},
            ],
        },
    ),
]


def _classes_in(obj: Any) -> set[type]:
    if isinstance(obj, list):
        return {c for item in obj for c in _classes_in(item)}
    if attrs.has(type(obj)):
        found = {type(obj)}
        for field in attrs.fields(type(obj)):
            found |= _classes_in(getattr(obj, field.name))
        return found
    return set()


def test_every_union_and_member_is_covered() -> None:
    assert set(KNOWN_TAGS) == set(FALLBACKS)
    sampled = _classes_in([strict_converter.structure(data, union) for union, data in SAMPLES])
    for tags in KNOWN_TAGS.values():
        for tag, cls in tags.items():
            assert tag_of(cls) == tag
            assert cls in sampled, f"no sample for {cls.__name__}"


@pytest.mark.parametrize(
    ("union", "data"),
    SAMPLES,
    ids=[f"{KNOWN_TAGS[u][d['type']].__name__}" for u, d in SAMPLES],
)
def test_known_member_round_trips_exactly(union: Any, data: dict[str, Any]) -> None:
    obj = strict_converter.structure(data, union)
    assert type(obj) is KNOWN_TAGS[union][data["type"]]
    assert unstructure(obj) == data


INDEXED = {
    m.UnknownContentDelta,
    m.UnknownAnnotationDelta,
    m.UnknownToolCallDelta,
    m.UnknownCodeInterpreterOutputDelta,
}
UNKNOWN = {"type": "brand_new", "index": 7, "payload": {"nested": [1, None, {"a": "b"}]}}


@pytest.mark.parametrize(
    "union",
    [u for u, fallback in TAGGED_UNIONS if fallback is not None],
    ids=[f.__name__ for _, f in TAGGED_UNIONS if f is not None],
)
@pytest.mark.parametrize("conv", [converter, lenient_converter], ids=["check", "lenient"])
def test_unknown_member_keeps_its_raw_dict(union: Any, conv: cattrs.Converter) -> None:
    fallback = FALLBACKS[union]
    obj = conv.structure(UNKNOWN, union)
    assert type(obj) is fallback
    assert obj.type == "unknown"  # a constant, so that checking ``type`` narrows the union
    assert obj.raw == UNKNOWN
    assert obj.raw["type"] == "brand_new"
    assert unstructure(obj) == UNKNOWN
    if fallback in INDEXED:
        assert obj.index == 7


@pytest.mark.parametrize(
    "union",
    [u for u, fallback in TAGGED_UNIONS if fallback is not None],
    ids=[f.__name__ for _, f in TAGGED_UNIONS if f is not None],
)
def test_strict_reading_refuses_a_member_the_spec_does_not_have(union: Any) -> None:
    with pytest.raises(ValueError, match="unknown type 'brand_new'"):
        strict_converter.structure(UNKNOWN, union)


@pytest.mark.parametrize(
    "data",
    [{"payload": 1}, {"type": 5, "payload": 1}, {"type": None}, {"type": ["text"]}],
    ids=["missing", "number", "null", "list"],
)
def test_missing_or_non_string_tag_is_unknown(data: dict[str, Any]) -> None:
    obj = structure(data, m.MessageContent)
    assert obj == m.UnknownContent(raw=data)
    assert unstructure(obj) == data


def test_unknown_request_content_part_is_an_error() -> None:
    with pytest.raises(cattrs.ClassValidationError) as info:
        structure({"type": "input_audio", "audio": "x"}, m.ContentPartParam)
    assert cattrs.transform_error(info.value) == ["invalid value @ $"]


def test_non_object_union_member_is_an_error_with_a_path() -> None:
    data = {"id": "asst_1", "tools": [{"type": "code_interpreter"}, "code_interpreter"]}
    with pytest.raises(cattrs.ClassValidationError) as info:
        structure(data, m.Assistant)
    [message] = cattrs.transform_error(info.value)
    assert message.endswith(" @ $.tools[1]")


# (model, wire data containing one unknown member, how to reach that member)
STEP = {
    "id": "s",
    "thread_id": "t",
    "run_id": "r",
    "type": "tool_calls",
    "status": "completed",
    "object": "thread.run.step",
}
NESTED: list[tuple[type, dict[str, Any], Any]] = [
    (m.Assistant, {"id": "a", "object": "assistant", "tools": [UNKNOWN]}, lambda o: o.tools[0]),
    (
        m.Assistant,
        {"id": "a", "object": "assistant", "tools": [], "response_format": UNKNOWN},
        lambda o: o.response_format,
    ),
    (
        m.Run,
        {
            "id": "r",
            "thread_id": "t",
            "assistant_id": "a",
            "status": "queued",
            "object": "thread.run",
            "tools": [UNKNOWN],
        },
        lambda o: o.tools[0],
    ),
    (
        m.Run,
        {
            "id": "r",
            "thread_id": "t",
            "assistant_id": "a",
            "status": "queued",
            "object": "thread.run",
            "tools": [],
            "response_format": UNKNOWN,
        },
        lambda o: o.response_format,
    ),
    (
        m.Message,
        {
            "id": "msg",
            "thread_id": "t",
            "role": "user",
            "object": "thread.message",
            "content": [],
            "attachments": [{"file_id": "f", "tools": [UNKNOWN]}],
        },
        lambda o: o.attachments[0].tools[0],
    ),
    (
        m.Message,
        {
            "id": "msg",
            "thread_id": "t",
            "role": "user",
            "object": "thread.message",
            "content": [UNKNOWN],
        },
        lambda o: o.content[0],
    ),
    (
        m.Message,
        {
            "id": "msg",
            "thread_id": "t",
            "role": "user",
            "object": "thread.message",
            "content": [{"type": "text", "text": {"value": "v", "annotations": [UNKNOWN]}}],
        },
        lambda o: o.content[0].text.annotations[0],
    ),
    (
        m.MessageDelta,
        {"id": "msg", "object": "thread.message.delta", "delta": {"content": [UNKNOWN]}},
        lambda o: o.delta.content[0],
    ),
    (
        m.MessageDelta,
        {
            "id": "msg",
            "object": "thread.message.delta",
            "delta": {
                "content": [{"index": 0, "type": "text", "text": {"annotations": [UNKNOWN]}}]
            },
        },
        lambda o: o.delta.content[0].text.annotations[0],
    ),
    (
        m.RunStep,
        {**STEP, "step_details": UNKNOWN},
        lambda o: o.step_details,
    ),
    (
        m.RunStep,
        {
            **STEP,
            "step_details": {"type": "tool_calls", "tool_calls": [UNKNOWN]},
        },
        lambda o: o.step_details.tool_calls[0],
    ),
    (
        m.RunStep,
        {
            **STEP,
            "step_details": {
                "type": "tool_calls",
                "tool_calls": [
                    {
                        "id": "c",
                        "type": "code_interpreter",
                        "code_interpreter": {"input": "", "outputs": [UNKNOWN]},
                    }
                ],
            },
        },
        lambda o: o.step_details.tool_calls[0].code_interpreter.outputs[0],
    ),
    (
        m.RunStepDelta,
        {"id": "s", "object": "thread.run.step.delta", "delta": {"step_details": UNKNOWN}},
        lambda o: o.delta.step_details,
    ),
    (
        m.RunStepDelta,
        {
            "id": "s",
            "object": "thread.run.step.delta",
            "delta": {"step_details": {"type": "tool_calls", "tool_calls": [UNKNOWN]}},
        },
        lambda o: o.delta.step_details.tool_calls[0],
    ),
    (
        m.RunStepDelta,
        {
            "id": "s",
            "object": "thread.run.step.delta",
            "delta": {
                "step_details": {
                    "type": "tool_calls",
                    "tool_calls": [
                        {
                            "index": 0,
                            "type": "code_interpreter",
                            "code_interpreter": {"outputs": [UNKNOWN]},
                        }
                    ],
                }
            },
        },
        lambda o: o.delta.step_details.tool_calls[0].code_interpreter.outputs[0],
    ),
    (
        m.ToolResources,
        {"file_search": {"vector_stores": [{"file_ids": ["f"], "chunking_strategy": UNKNOWN}]}},
        lambda o: o.file_search.vector_stores[0].chunking_strategy,
    ),
]


@pytest.mark.parametrize(
    ("model", "data", "reach"),
    NESTED,
    ids=[f"{c.__name__}-{i}" for i, (c, _, _) in enumerate(NESTED)],
)
def test_nested_unknown_member_round_trips_exactly(
    model: type, data: dict[str, Any], reach: Any
) -> None:
    obj: Any = read(data, model, strict=False, request_id=None)
    member = reach(obj)
    assert type(member).__name__.startswith("Unknown")
    assert member.raw == UNKNOWN
    assert unstructure(obj) == data
    # ... and the member is recorded as a deviation (on top-level objects), which strict
    # reading raises.
    if model in ROOTS:
        found = [d.value for d in obj.deviations if "the spec does not have" in d.problem]
        assert found == [UNKNOWN]
    with pytest.raises(ResponseValidationError) as info:
        read(data, model, strict=True, request_id=None)
    assert any(e.startswith("unknown type 'brand_new'") for e in info.value.errors)
