"""Stream events without sockets: the event table, decoding, event classes and the accumulator."""

from __future__ import annotations

import copy
import json
from typing import Any

import attrs
import pytest

from openai_assistants import (
    MessageDeltaEvent,
    MessageEvent,
    ResponseValidationError,
    RunEvent,
    RunStepDeltaEvent,
    RunStepEvent,
    StreamError,
    ThreadEvent,
    UnknownEvent,
)
from openai_assistants._streaming.accumulator import (
    _CONCATENATED,
    Accumulator,
    _merge,
    _merge_indexed,
)
from openai_assistants._streaming.events import (
    EVENT_CLASSES,
    EVENT_MODELS,
    TERMINAL_RUN_EVENTS,
    decode_raw,
    make_event,
    typed,
)
from openai_assistants.models import (
    CodeInterpreterCall,
    CodeInterpreterImage,
    CodeInterpreterLogs,
    CodeInterpreterResources,
    CodeInterpreterTool,
    CodeInterpreterToolCall,
    ErrorObject,
    FileCitation,
    FileCitationAnnotation,
    FilePath,
    FilePathAnnotation,
    FunctionCall,
    FunctionDefinition,
    FunctionTool,
    FunctionToolCall,
    FunctionToolCallDelta,
    FunctionToolCallFunction,
    FunctionToolCallFunctionDelta,
    ImageFile,
    ImageFileContent,
    ImageFileRef,
    Message,
    MessageCreation,
    MessageCreationStepDetails,
    MessageDelta,
    MessageDeltaBody,
    RequiredAction,
    RequiredToolCall,
    Run,
    RunStep,
    RunStepDelta,
    RunStepDeltaBody,
    SubmitToolOutputs,
    Text,
    TextContent,
    TextDelta,
    TextDeltaContent,
    Thread,
    ToolCallsStepDetails,
    ToolCallsStepDetailsDelta,
    ToolResources,
    TruncationStrategy,
    UnknownContent,
    UnknownToolCall,
    Usage,
)

THREAD_ID = "thread_abc123"
RUN_ID = "run_abc123"
ASSISTANT_ID = "asst_abc123"
MSG_ID = "msg_abc123"
STEP_ID = "step_abc123"

WEATHER_PARAMETERS = {
    "type": "object",
    "properties": {"location": {"type": "string"}, "unit": {"type": "string"}},
    "required": ["location"],
}

# --- realistic payloads, shaped like the spec's SSE transcripts ----------------------------------

THREAD = {
    "id": THREAD_ID,
    "object": "thread",
    "created_at": 1710348074,
    "metadata": {},
    "tool_resources": {"code_interpreter": {"file_ids": ["file-data1"]}},
}
RUN = {
    "id": RUN_ID,
    "object": "thread.run",
    "created_at": 1710348075,
    "assistant_id": ASSISTANT_ID,
    "thread_id": THREAD_ID,
    "status": "queued",
    "started_at": None,
    "expires_at": 1710348675,
    "cancelled_at": None,
    "failed_at": None,
    "completed_at": None,
    "required_action": None,
    "last_error": None,
    "model": "gpt-4o",
    "instructions": None,
    "tools": [
        {"type": "code_interpreter"},
        {
            "type": "function",
            "function": {
                "name": "get_current_weather",
                "description": "Get the current weather in a given location",
                "parameters": WEATHER_PARAMETERS,
            },
        },
    ],
    "tool_resources": {},
    "metadata": {},
    "temperature": 1.0,
    "top_p": 1.0,
    "max_completion_tokens": None,
    "max_prompt_tokens": None,
    "truncation_strategy": {"type": "auto", "last_messages": None},
    "incomplete_details": None,
    "usage": None,
    "response_format": "auto",
    "tool_choice": "auto",
    "parallel_tool_calls": True,
}
MESSAGE = {
    "id": MSG_ID,
    "object": "thread.message",
    "created_at": 1710348076,
    "assistant_id": ASSISTANT_ID,
    "thread_id": THREAD_ID,
    "run_id": RUN_ID,
    "status": "in_progress",
    "incomplete_details": None,
    "incomplete_at": None,
    "completed_at": None,
    "role": "assistant",
    "content": [],
    "attachments": [],
    "metadata": {},
}
STEP = {
    "id": STEP_ID,
    "object": "thread.run.step",
    "created_at": 1710348076,
    "run_id": RUN_ID,
    "assistant_id": ASSISTANT_ID,
    "thread_id": THREAD_ID,
    "type": "tool_calls",
    "status": "in_progress",
    "cancelled_at": None,
    "completed_at": None,
    "expires_at": 1710348675,
    "failed_at": None,
    "last_error": None,
    "step_details": {"type": "tool_calls", "tool_calls": []},
    "usage": None,
}
MESSAGE_STEP = {
    **STEP,
    "id": "step_msg",
    "type": "message_creation",
    "step_details": {"type": "message_creation", "message_creation": {"message_id": MSG_ID}},
}
STEP_DELTA = {
    "id": STEP_ID,
    "object": "thread.run.step.delta",
    "delta": {
        "step_details": {
            "type": "tool_calls",
            "tool_calls": [
                {
                    "index": 0,
                    "id": "call_1",
                    "type": "function",
                    "function": {"name": "get_current_weather", "arguments": "", "output": None},
                }
            ],
        }
    },
}
MESSAGE_DELTA = {
    "id": MSG_ID,
    "object": "thread.message.delta",
    "delta": {
        "content": [{"index": 0, "type": "text", "text": {"value": "Hello", "annotations": []}}]
    },
}

# The same payloads as models, written out by hand.

RUN_MODEL = Run(
    id=RUN_ID,
    thread_id=THREAD_ID,
    assistant_id=ASSISTANT_ID,
    status="queued",
    created_at=1710348075,
    expires_at=1710348675,
    model="gpt-4o",
    tools=[
        CodeInterpreterTool(),
        FunctionTool(
            function=FunctionDefinition(
                name="get_current_weather",
                description="Get the current weather in a given location",
                parameters=WEATHER_PARAMETERS,
            )
        ),
    ],
    tool_resources=ToolResources(),
    metadata={},
    temperature=1.0,
    top_p=1.0,
    truncation_strategy=TruncationStrategy(type="auto"),
    response_format="auto",
    tool_choice="auto",
    parallel_tool_calls=True,
)
THREAD_MODEL = Thread(
    id=THREAD_ID,
    created_at=1710348074,
    metadata={},
    tool_resources=ToolResources(
        code_interpreter=CodeInterpreterResources(file_ids=["file-data1"])
    ),
)
MESSAGE_MODEL = Message(
    id=MSG_ID,
    thread_id=THREAD_ID,
    role="assistant",
    created_at=1710348076,
    status="in_progress",
    assistant_id=ASSISTANT_ID,
    run_id=RUN_ID,
    content=[],
    attachments=[],
    metadata={},
)
STEP_MODEL = RunStep(
    id=STEP_ID,
    thread_id=THREAD_ID,
    run_id=RUN_ID,
    type="tool_calls",
    status="in_progress",
    created_at=1710348076,
    assistant_id=ASSISTANT_ID,
    step_details=ToolCallsStepDetails(tool_calls=[]),
    expires_at=1710348675,
)
STEP_DELTA_MODEL = RunStepDelta(
    id=STEP_ID,
    delta=RunStepDeltaBody(
        step_details=ToolCallsStepDetailsDelta(
            tool_calls=[
                FunctionToolCallDelta(
                    index=0,
                    id="call_1",
                    function=FunctionToolCallFunctionDelta(
                        name="get_current_weather", arguments="", output=None
                    ),
                )
            ]
        )
    ),
)
MESSAGE_DELTA_MODEL = MessageDelta(
    id=MSG_ID,
    delta=MessageDeltaBody(
        content=[TextDeltaContent(index=0, text=TextDelta(value="Hello", annotations=[]))]
    ),
)

PAYLOADS: dict[type, tuple[dict[str, Any], Any]] = {
    Thread: (THREAD, THREAD_MODEL),
    Run: (RUN, RUN_MODEL),
    RunStep: (STEP, STEP_MODEL),
    RunStepDelta: (STEP_DELTA, STEP_DELTA_MODEL),
    Message: (MESSAGE, MESSAGE_MODEL),
    MessageDelta: (MESSAGE_DELTA, MESSAGE_DELTA_MODEL),
}


def decode_event(
    name: str, text: str, request_id: str | None, *, strict: bool = False
) -> tuple[Any, Any]:
    """Decode one frame's data like the stream does: ``(raw JSON, model or raw)``."""
    raw = decode_raw(name, text, request_id)
    return raw, typed(name, raw, request_id, strict=strict)


def message_of(accumulator: Accumulator, message_id: str) -> Message:
    """One message snapshot, by id."""
    return {message.id: message for message in accumulator.messages}[message_id]


def add(accumulator: Accumulator, name: str, payload: Any) -> Any:
    """Decode one event like the stream does and fold it in; return the raw JSON passed in."""
    raw, data = decode_event(name, json.dumps(payload), "req_1")
    accumulator.add(name, raw, data)
    return raw


def message_delta(*parts: dict[str, Any], message_id: str = MSG_ID) -> dict[str, Any]:
    return {"id": message_id, "object": "thread.message.delta", "delta": {"content": list(parts)}}


def step_delta(*tool_calls: dict[str, Any], step_id: str = STEP_ID) -> dict[str, Any]:
    return {
        "id": step_id,
        "object": "thread.run.step.delta",
        "delta": {"step_details": {"type": "tool_calls", "tool_calls": list(tool_calls)}},
    }


def started(*events: tuple[str, Any]) -> Accumulator:
    accumulator = Accumulator()
    add(accumulator, "thread.run.created", RUN)
    for name, payload in events:
        add(accumulator, name, payload)
    return accumulator


# --- the event table -----------------------------------------------------------------------------


def test_event_table_is_the_specs() -> None:
    runs = ["created", "queued", "in_progress", "requires_action", "completed", "failed"]
    runs += ["cancelling", "cancelled", "expired", "incomplete"]
    steps = ["created", "in_progress", "completed", "failed", "cancelled", "expired"]
    messages = ["created", "in_progress", "completed", "incomplete"]
    assert dict(EVENT_MODELS) == {
        "thread.created": Thread,
        **{f"thread.run.{name}": Run for name in runs},
        **{f"thread.run.step.{name}": RunStep for name in steps},
        "thread.run.step.delta": RunStepDelta,
        **{f"thread.message.{name}": Message for name in messages},
        "thread.message.delta": MessageDelta,
    }
    assert len(EVENT_MODELS) == 23
    assert {
        "thread.run.requires_action",
        "thread.run.completed",
        "thread.run.failed",
        "thread.run.cancelled",
        "thread.run.expired",
        "thread.run.incomplete",
    } == TERMINAL_RUN_EVENTS


_EVENT_CLASS_OF_MODEL = {
    Thread: ThreadEvent,
    Run: RunEvent,
    RunStep: RunStepEvent,
    RunStepDelta: RunStepDeltaEvent,
    Message: MessageEvent,
    MessageDelta: MessageDeltaEvent,
}


@pytest.mark.parametrize("name", sorted(EVENT_MODELS))
def test_each_known_event_name_has_the_class_of_its_model(name: str) -> None:
    model = EVENT_MODELS[name]
    assert EVENT_CLASSES[name] is _EVENT_CLASS_OF_MODEL[model]
    data = PAYLOADS[model][1]
    event = make_event(name, data, RUN_ID)
    assert type(event) is _EVENT_CLASS_OF_MODEL[model]
    assert (event.event, event.name, event.data, event.run_id) == (name, name, data, RUN_ID)


def test_an_unknown_event_name_makes_an_unknown_event_that_keeps_the_name() -> None:
    event = make_event("thread.run.paused", {"id": RUN_ID}, RUN_ID)
    assert event == UnknownEvent("thread.run.paused", {"id": RUN_ID}, RUN_ID)
    assert event.event == "unknown"  # a constant: checking ``event.event`` narrows the union


def test_stream_event_is_a_frozen_value() -> None:
    event = RunEvent("thread.run.created", RUN_MODEL)
    assert (event.event, event.data, event.run_id) == ("thread.run.created", RUN_MODEL, None)
    assert event == RunEvent("thread.run.created", RUN_MODEL, None)
    assert event != RunEvent("thread.run.created", RUN_MODEL, RUN_ID)
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        setattr(event, "run_id", RUN_ID)  # noqa: B010  # mypy knows it is read-only


# --- decoding ------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(EVENT_MODELS))
def test_each_known_event_gives_its_model(name: str) -> None:
    payload, expected = PAYLOADS[EVENT_MODELS[name]]
    raw, data = decode_event(name, json.dumps(payload), "req_1")
    assert raw == payload
    assert type(data) is EVENT_MODELS[name]
    assert data == expected


@pytest.mark.parametrize(
    "name", ["thread.run.paused", "thread.run.step.paused", "thread.message.audio", "message"]
)
def test_unknown_event_gives_the_raw_json_unchanged(name: str) -> None:
    raw, data = decode_event(name, json.dumps(RUN), "req_1")
    assert data is raw  # not coerced into a Run, even though it fits one
    assert raw == RUN
    assert type(raw) is dict


@pytest.mark.parametrize(
    ("name", "text", "value"),
    [
        ("thread.run.paused", "[1, 2]", [1, 2]),
        ("ping", "null", None),
        ("ping", '"still here"', "still here"),
    ],
)
def test_unknown_event_with_other_json(name: str, text: str, value: Any) -> None:
    assert decode_event(name, text, None) == (value, value)


@pytest.mark.parametrize(
    ("name", "text"), [("done", "[DONE]"), ("ping", ""), ("future.event", "not json {")]
)
def test_unknown_event_with_non_json_data_gives_the_text(name: str, text: str) -> None:
    assert decode_event(name, text, "req_1") == (text, text)


@pytest.mark.parametrize(
    "name",
    ["thread.created", "thread.run.created", "thread.message.delta", "thread.run.step.delta"],
)
@pytest.mark.parametrize("text", ["", "[DONE]", '{"id": "msg_1",', "x" * 300])
def test_known_event_with_non_json_data_is_a_validation_error(name: str, text: str) -> None:
    with pytest.raises(ResponseValidationError) as info:
        decode_event(name, text, "req_7")
    assert str(info.value) == f"the data of a {name!r} event is not JSON: {text[:200]!r}"
    assert info.value.errors == [f"not JSON @ {name}:$"]
    assert info.value.body == text
    assert info.value.request_id == "req_7"


def test_known_event_whose_json_does_not_fit_is_a_validation_error() -> None:
    run = {key: value for key, value in RUN.items() if key != "status"}
    with pytest.raises(ResponseValidationError) as info:
        decode_event("thread.run.created", json.dumps(run), "req_7", strict=True)
    assert "required field missing @ thread.run.created:$.status" in info.value.errors
    assert info.value.body == run
    assert info.value.request_id == "req_7"
    # Read leniently (the default), the run comes back with the deviation recorded.
    _, lenient = decode_event("thread.run.created", json.dumps(run), "req_7")
    assert lenient.status == ""
    assert [(d.path, d.problem) for d in lenient.deviations] == [
        ("$.status", "missing; read as ''")
    ]
    # Without an id the run is unusable: an error either way.
    with pytest.raises(ResponseValidationError) as unusable:
        decode_event("thread.run.created", json.dumps({**run, "id": None}), "req_7")
    assert unusable.value.errors == [
        "expected a string, got null; an object without an id is unusable @ thread.run.created:$.id"
    ]


SERVER_ERROR = {
    "message": "Sorry, something went wrong.",
    "type": "server_error",
    "param": None,
    "code": "server_error",
}


@pytest.mark.parametrize(
    ("data", "error"),
    [
        pytest.param(
            {"error": SERVER_ERROR},
            ErrorObject("Sorry, something went wrong.", "server_error", None, "server_error"),
            id="wrapped",
        ),
        pytest.param(
            {"message": "Rate limit reached", "type": "rate_limit_error", "code": "rate_limit"},
            ErrorObject("Rate limit reached", "rate_limit_error", None, "rate_limit"),
            id="bare",
        ),
        pytest.param({"error": {"message": "m"}}, ErrorObject("m"), id="message-only"),
        pytest.param("oops", ErrorObject("oops"), id="json-string"),
        pytest.param({"error": "nope"}, ErrorObject("nope"), id="error-is-a-string"),
        pytest.param(42, ErrorObject("42"), id="number"),
    ],
)
def test_error_event_raises_stream_error(data: Any, error: ErrorObject) -> None:
    with pytest.raises(StreamError) as info:
        decode_event("error", json.dumps(data), "req_1")
    assert type(info.value.error) is ErrorObject
    assert info.value.error == error
    assert info.value.raw == data
    assert str(info.value) == f"the server sent an error event: {error.message}"


def test_error_event_with_non_json_data_is_still_a_stream_error() -> None:
    with pytest.raises(StreamError) as info:
        decode_event("error", "oops", "req_1")
    assert info.value.error == ErrorObject("oops")
    assert info.value.raw == "oops"
    assert str(info.value) == "the server sent an error event: oops"


# --- the accumulator: runs and threads -----------------------------------------------------------


def test_current_run_tracks_the_latest_run_event() -> None:
    accumulator = Accumulator()
    assert accumulator.current_run is None
    assert accumulator.run_id is None
    assert accumulator.thread is None
    add(accumulator, "thread.created", THREAD)
    assert accumulator.thread == THREAD_MODEL
    add(accumulator, "thread.run.created", RUN)
    assert accumulator.current_run == RUN_MODEL
    assert accumulator.run_id == RUN_ID
    add(accumulator, "thread.run.in_progress", {**RUN, "status": "in_progress"})
    add(accumulator, "thread.message.created", MESSAGE)
    add(accumulator, "thread.run.step.created", STEP)
    add(accumulator, "thread.run.step.delta", STEP_DELTA)
    assert accumulator.current_run == attrs.evolve(RUN_MODEL, status="in_progress")
    required = {
        "type": "submit_tool_outputs",
        "submit_tool_outputs": {
            "tool_calls": [
                {
                    "id": "call_1",
                    "type": "function",
                    "function": {"name": "get_current_weather", "arguments": '{"location":"Oslo"}'},
                }
            ]
        },
    }
    add(
        accumulator,
        "thread.run.requires_action",
        {**RUN, "status": "requires_action", "required_action": required},
    )
    assert accumulator.current_run == attrs.evolve(
        RUN_MODEL,
        status="requires_action",
        required_action=RequiredAction(
            submit_tool_outputs=SubmitToolOutputs(
                tool_calls=[
                    RequiredToolCall(
                        id="call_1",
                        function=FunctionCall(
                            name="get_current_weather", arguments='{"location":"Oslo"}'
                        ),
                    )
                ]
            )
        ),
    )
    # A later run (after submitting tool outputs) replaces it, id and all.
    add(accumulator, "thread.run.queued", {**RUN, "id": "run_2", "status": "queued"})
    assert accumulator.current_run == attrs.evolve(RUN_MODEL, id="run_2")
    assert accumulator.run_id == "run_2"
    assert accumulator.thread == THREAD_MODEL


# --- the accumulator: messages -------------------------------------------------------------------

CITATION = "【4:0†source】"
PATH = "sandbox:/mnt/data/out.csv"
CITATION_DELTA = {
    "index": 0,
    "type": "file_citation",
    "text": CITATION,
    "start_index": 22,
    "end_index": 34,
    "file_citation": {"file_id": "file-cite1"},
}
PATH_DELTA = {
    "index": 1,
    "type": "file_path",
    "text": PATH,
    "start_index": 39,
    "end_index": 64,
    "file_path": {"file_id": "file-path1"},
}


def text_part(value: str, *annotations: dict[str, Any], index: int = 0) -> dict[str, Any]:
    text: dict[str, Any] = {"value": value}
    if annotations:
        text["annotations"] = list(annotations)
    return {"index": index, "type": "text", "text": text}


def image_part(index: int = 1, **image_file: str) -> dict[str, Any]:
    return {"index": index, "type": "image_file", "image_file": image_file}


MESSAGE_DELTAS = [
    # The image part (index 1) arrives before any text (index 0).
    message_delta(image_part(file_id="file-img1")),
    message_delta({"index": 0, "type": "text", "text": {"value": "Héllo", "annotations": []}}),
    message_delta(text_part(" wörld 日本語 ")),
    message_delta(text_part("🎉 see ", CITATION_DELTA)),
    message_delta(image_part(detail="high")),  # index 1 again: merged into the image part
    message_delta(text_part(CITATION)),
    message_delta(text_part(" and ", PATH_DELTA)),
    # Two parts in one delta, out of order; the server repeats the image's file_id and the
    # citation's text: replaced, not doubled. The citation's quote arrives late, by its index.
    message_delta(
        image_part(file_id="file-img1"),
        text_part(
            PATH,
            {
                "index": 0,
                "type": "file_citation",
                "text": CITATION,
                "file_citation": {"quote": "the quote"},
            },
        ),
    ),
    message_delta(text_part(".")),
]
FINAL_TEXT = f"Héllo wörld 日本語 🎉 see {CITATION} and {PATH}."
FINAL_MESSAGE = attrs.evolve(
    MESSAGE_MODEL,
    content=[
        TextContent(
            text=Text(
                value=FINAL_TEXT,
                annotations=[
                    FileCitationAnnotation(
                        file_citation=FileCitation(file_id="file-cite1", quote="the quote"),
                        text=CITATION,
                        start_index=22,
                        end_index=34,
                    ),
                    FilePathAnnotation(
                        file_path=FilePath(file_id="file-path1"),
                        text=PATH,
                        start_index=39,
                        end_index=64,
                    ),
                ],
            )
        ),
        ImageFileContent(image_file=ImageFile(file_id="file-img1", detail="high")),
    ],
)


def test_the_annotation_offsets_are_real() -> None:
    assert FINAL_TEXT[22:34] == CITATION
    assert FINAL_TEXT[39:64] == PATH


def test_message_from_created_and_out_of_order_deltas() -> None:
    accumulator = started(("thread.message.created", MESSAGE))
    assert message_of(accumulator, MSG_ID) == MESSAGE_MODEL
    add(accumulator, "thread.message.in_progress", MESSAGE)
    add(accumulator, "thread.message.delta", MESSAGE_DELTAS[0])
    first = message_of(accumulator, MSG_ID)
    assert first == attrs.evolve(
        MESSAGE_MODEL, content=[ImageFileContent(image_file=ImageFile(file_id="file-img1"))]
    )
    for delta in MESSAGE_DELTAS[1:4]:
        add(accumulator, "thread.message.delta", delta)
    middle = accumulator.messages
    assert middle == [
        attrs.evolve(
            MESSAGE_MODEL,
            content=[
                TextContent(
                    text=Text(
                        value="Héllo wörld 日本語 🎉 see ",
                        annotations=[
                            FileCitationAnnotation(
                                file_citation=FileCitation(file_id="file-cite1"),
                                text=CITATION,
                                start_index=22,
                                end_index=34,
                            )
                        ],
                    )
                ),
                ImageFileContent(image_file=ImageFile(file_id="file-img1")),
            ],
        )
    ]
    for delta in MESSAGE_DELTAS[4:]:
        add(accumulator, "thread.message.delta", delta)
    assert message_of(accumulator, MSG_ID) == FINAL_MESSAGE
    assert accumulator.messages == [FINAL_MESSAGE]
    # Snapshots taken earlier are untouched by what came after.
    assert first == attrs.evolve(
        MESSAGE_MODEL, content=[ImageFileContent(image_file=ImageFile(file_id="file-img1"))]
    )
    assert middle[0].content[0] == TextContent(
        text=Text(
            value="Héllo wörld 日本語 🎉 see ",
            annotations=[
                FileCitationAnnotation(
                    file_citation=FileCitation(file_id="file-cite1"),
                    text=CITATION,
                    start_index=22,
                    end_index=34,
                )
            ],
        )
    )


def test_message_completed_replaces_the_snapshot() -> None:
    accumulator = started(("thread.message.created", MESSAGE))
    for delta in MESSAGE_DELTAS:
        add(accumulator, "thread.message.delta", delta)
    completed = {
        **MESSAGE,
        "status": "completed",
        "completed_at": 1710348080,
        "content": [{"type": "text", "text": {"value": "The final text.", "annotations": []}}],
    }
    add(accumulator, "thread.message.completed", completed)
    expected = attrs.evolve(
        MESSAGE_MODEL,
        status="completed",
        completed_at=1710348080,
        content=[TextContent(text=Text(value="The final text."))],
    )
    assert message_of(accumulator, MSG_ID) == expected
    assert accumulator.messages == [expected]


def test_delta_after_a_full_message_appends_to_its_parts_by_position() -> None:
    created = {
        **MESSAGE,
        "content": [
            {"type": "text", "text": {"value": "Hi", "annotations": []}},
            {"type": "image_file", "image_file": {"file_id": "file-img1"}},
        ],
    }
    accumulator = started(("thread.message.created", created))
    add(accumulator, "thread.message.delta", message_delta(text_part(" there")))
    add(accumulator, "thread.message.delta", message_delta(image_part(detail="low")))
    assert message_of(accumulator, MSG_ID) == attrs.evolve(
        MESSAGE_MODEL,
        content=[
            TextContent(text=Text(value="Hi there")),
            ImageFileContent(image_file=ImageFile(file_id="file-img1", detail="low")),
        ],
    )


def test_message_delta_without_created_still_gives_a_snapshot() -> None:
    accumulator = started()
    orphan = message_delta(text_part("Hi"), message_id="msg_orphan")
    add(accumulator, "thread.message.delta", orphan)
    add(accumulator, "thread.message.delta", message_delta(text_part("!"), message_id="msg_orphan"))
    assert message_of(accumulator, "msg_orphan") == Message(
        id="msg_orphan",
        thread_id=THREAD_ID,
        role="assistant",
        run_id=RUN_ID,
        content=[TextContent(text=Text(value="Hi!"))],
    )


def test_message_delta_before_any_run() -> None:
    accumulator = Accumulator()
    add(accumulator, "thread.message.delta", message_delta(text_part("Hi"), message_id="msg_x"))
    assert accumulator.messages == [
        Message(
            id="msg_x",
            thread_id="",
            role="assistant",
            run_id=None,
            content=[TextContent(text=Text(value="Hi"))],
        )
    ]


def test_messages_keep_first_seen_order() -> None:
    accumulator = started(("thread.message.created", {**MESSAGE, "id": "msg_b"}))
    add(accumulator, "thread.message.delta", message_delta(text_part("a"), message_id="msg_a"))
    add(accumulator, "thread.message.delta", message_delta(text_part("b"), message_id="msg_b"))
    add(accumulator, "thread.message.completed", {**MESSAGE, "id": "msg_b", "status": "completed"})
    assert [message.id for message in accumulator.messages] == ["msg_b", "msg_a"]


# --- the accumulator: run steps ------------------------------------------------------------------

WEATHER_ARGUMENTS = ['{"', "location", '":"', "San Francisco, CA", '","unit":"', "fahrenheit", '"}']


def function_call(
    index: int, name: str, arguments: str, call_id: str | None = None
) -> dict[str, Any]:
    call: dict[str, Any] = {"index": index, "type": "function"}
    if call_id is not None:
        call["id"] = call_id
    call["function"] = {"name": name, "arguments": arguments}
    return call


def test_function_call_name_is_replaced_and_arguments_concatenated() -> None:
    accumulator = started(("thread.run.step.created", STEP), ("thread.run.step.delta", STEP_DELTA))
    # The server repeats the name (and here the id) in every delta.
    for piece in WEATHER_ARGUMENTS:
        delta = step_delta(function_call(0, "get_current_weather", piece, call_id="call_1"))
        add(accumulator, "thread.run.step.delta", delta)
    arguments = '{"location":"San Francisco, CA","unit":"fahrenheit"}'
    assert "".join(WEATHER_ARGUMENTS) == arguments
    assert accumulator.run_steps == [
        attrs.evolve(
            STEP_MODEL,
            step_details=ToolCallsStepDetails(
                tool_calls=[
                    FunctionToolCall(
                        id="call_1",
                        function=FunctionToolCallFunction(
                            name="get_current_weather", arguments=arguments, output=None
                        ),
                    )
                ]
            ),
        )
    ]


def test_two_tool_calls_interleaved() -> None:
    accumulator = started(("thread.run.step.created", STEP))
    deltas = [
        step_delta(function_call(0, "get_current_weather", "", call_id="call_a")),
        step_delta(function_call(1, "get_time", '{"tz"', call_id="call_b")),
        step_delta(function_call(0, "get_current_weather", '{"location":')),
        step_delta(function_call(1, "get_time", ':"Europe/')),
        # Both in one delta, index 1 first.
        step_delta(
            function_call(1, "get_time", 'Oslo"}'),
            function_call(0, "get_current_weather", '"Oslo"'),
        ),
        step_delta(function_call(0, "get_current_weather", "}")),
    ]
    for delta in deltas:
        add(accumulator, "thread.run.step.delta", delta)
    assert accumulator.run_steps[0].step_details == ToolCallsStepDetails(
        tool_calls=[
            FunctionToolCall(
                id="call_a",
                function=FunctionToolCallFunction(
                    name="get_current_weather", arguments='{"location":"Oslo"}'
                ),
            ),
            FunctionToolCall(
                id="call_b",
                function=FunctionToolCallFunction(
                    name="get_time", arguments='{"tz":"Europe/Oslo"}'
                ),
            ),
        ]
    )


def test_code_interpreter_input_concatenates_and_outputs_merge_by_index() -> None:
    accumulator = started(("thread.run.step.created", STEP))

    def code(**fields: Any) -> dict[str, Any]:
        return {"index": 0, "type": "code_interpreter", "code_interpreter": fields}

    deltas = [
        step_delta({**code(input="", outputs=[]), "id": "call_ci"}),
        step_delta(code(input="import math\n")),
        step_delta(code(input="print(math.pi)\n")),
        step_delta(code(input="plot()")),
        step_delta(
            code(outputs=[{"index": 1, "type": "image", "image": {"file_id": "file-plot"}}])
        ),
        step_delta(code(outputs=[{"index": 0, "type": "logs", "logs": "3.14159"}])),
        step_delta(code(outputs=[{"index": 0, "type": "logs", "logs": "26535\n"}])),
    ]
    for delta in deltas:
        add(accumulator, "thread.run.step.delta", delta)
    assert accumulator.run_steps[0].step_details == ToolCallsStepDetails(
        tool_calls=[
            CodeInterpreterToolCall(
                id="call_ci",
                code_interpreter=CodeInterpreterCall(
                    input="import math\nprint(math.pi)\nplot()",
                    outputs=[
                        CodeInterpreterLogs(logs="3.1415926535\n"),
                        CodeInterpreterImage(image=ImageFileRef(file_id="file-plot")),
                    ],
                ),
            )
        ]
    )


def test_run_step_delta_without_created_and_then_completed() -> None:
    accumulator = started(("thread.run.step.created", MESSAGE_STEP))
    add(accumulator, "thread.run.step.delta", STEP_DELTA)
    add(
        accumulator,
        "thread.run.step.delta",
        step_delta(function_call(0, "get_current_weather", "{}")),
    )
    skeleton = RunStep(
        id=STEP_ID,
        thread_id=THREAD_ID,
        run_id=RUN_ID,
        type="tool_calls",
        status="in_progress",
        step_details=ToolCallsStepDetails(
            tool_calls=[
                FunctionToolCall(
                    id="call_1",
                    function=FunctionToolCallFunction(name="get_current_weather", arguments="{}"),
                )
            ]
        ),
    )
    message_step = attrs.evolve(
        STEP_MODEL,
        id="step_msg",
        type="message_creation",
        step_details=MessageCreationStepDetails(
            message_creation=MessageCreation(message_id=MSG_ID)
        ),
    )
    assert accumulator.run_steps == [message_step, skeleton]
    done_call = {
        "id": "call_1",
        "type": "function",
        "function": {"name": "get_current_weather", "arguments": "{}", "output": "12°C"},
    }
    completed = {
        **STEP,
        "status": "completed",
        "completed_at": 1710348080,
        "step_details": {"type": "tool_calls", "tool_calls": [done_call]},
        "usage": {"prompt_tokens": 10, "completion_tokens": 5, "total_tokens": 15},
    }
    add(accumulator, "thread.run.step.completed", completed)
    assert accumulator.run_steps == [
        message_step,
        attrs.evolve(
            STEP_MODEL,
            status="completed",
            completed_at=1710348080,
            usage=Usage(prompt_tokens=10, completion_tokens=5, total_tokens=15),
            step_details=ToolCallsStepDetails(
                tool_calls=[
                    FunctionToolCall(
                        id="call_1",
                        function=FunctionToolCallFunction(
                            name="get_current_weather", arguments="{}", output="12°C"
                        ),
                    )
                ]
            ),
        ),
    ]


def test_tool_calls_first_seen_in_one_delta_out_of_order_and_repeated() -> None:
    accumulator = started()
    delta = step_delta(
        function_call(1, "get_time", "{}", call_id="call_b"),
        function_call(0, "get_current_weather", '{"location":', call_id="call_a"),
        function_call(0, "get_current_weather", '"Oslo"}'),
    )
    add(accumulator, "thread.run.step.delta", delta)
    assert accumulator.run_steps[0].step_details == ToolCallsStepDetails(
        tool_calls=[
            FunctionToolCall(
                id="call_a",
                function=FunctionToolCallFunction(
                    name="get_current_weather", arguments='{"location":"Oslo"}'
                ),
            ),
            FunctionToolCall(
                id="call_b", function=FunctionToolCallFunction(name="get_time", arguments="{}")
            ),
        ]
    )


# --- snapshots are values; the events passed in are not touched ----------------------------------


def test_snapshot_of_an_unknown_part_is_not_changed_by_later_deltas() -> None:
    created = {**MESSAGE, "content": [{"type": "audio", "audio": {"transcript": "Hel"}}]}
    accumulator = started(("thread.message.created", created))
    before = message_of(accumulator, MSG_ID)
    assert before.content == [UnknownContent(raw={"type": "audio", "audio": {"transcript": "Hel"}})]
    late = {"index": 0, "type": "audio", "audio": {"transcript": "Hello"}}
    add(accumulator, "thread.message.delta", message_delta(late))
    assert message_of(accumulator, MSG_ID).content == [UnknownContent(raw=late)]
    assert before.content == [UnknownContent(raw={"type": "audio", "audio": {"transcript": "Hel"}})]


def test_snapshot_of_an_unknown_tool_call_is_not_changed_by_later_deltas() -> None:
    first = {"index": 0, "id": "call_x", "type": "computer", "computer": {"action": "click"}}
    accumulator = started()
    add(accumulator, "thread.run.step.delta", step_delta(first))
    before = accumulator.run_steps[0]
    then = {"index": 0, "type": "computer", "computer": {"action": "type", "text": "hi"}}
    add(accumulator, "thread.run.step.delta", step_delta(then))
    assert before.step_details == ToolCallsStepDetails(tool_calls=[UnknownToolCall(raw=first)])
    merged = {**first, "computer": {"action": "type", "text": "hi"}}
    assert accumulator.run_steps[0].step_details == ToolCallsStepDetails(
        tool_calls=[UnknownToolCall(raw=merged)]
    )


def test_raw_events_are_not_mutated_nor_shared() -> None:
    accumulator = Accumulator()
    seen: list[tuple[Any, Any]] = []

    def fold(name: str, payload: Any) -> None:
        raw = add(accumulator, name, payload)
        seen.append((raw, copy.deepcopy(raw)))
        accumulator.messages, accumulator.run_steps  # noqa: B018  # build (and cache) snapshots

    fold("thread.created", THREAD)
    fold("thread.run.created", RUN)
    fold(
        "thread.message.created", {**MESSAGE, "content": [{"type": "text", "text": {"value": ""}}]}
    )
    for delta in MESSAGE_DELTAS:
        fold("thread.message.delta", delta)
    fold("thread.run.step.created", STEP)
    fold("thread.run.step.delta", STEP_DELTA)
    for piece in WEATHER_ARGUMENTS:
        fold("thread.run.step.delta", step_delta(function_call(0, "get_current_weather", piece)))
    for raw, before in seen:
        assert raw == before
    # Changing an event after the fact does not reach the snapshots either.
    for raw, _ in seen:
        if isinstance(raw, dict) and raw.get("object") == "thread.message.delta":
            raw["delta"]["content"][0]["index"] = 5
            raw["delta"]["content"][0].setdefault("text", {})["value"] = "CHANGED"
        if isinstance(raw, dict) and raw.get("object") == "thread.message":
            raw["content"].clear()
    add(accumulator, "thread.message.delta", message_delta(text_part("")))
    assert message_of(accumulator, MSG_ID) == FINAL_MESSAGE


# --- the merge rules -----------------------------------------------------------------------------


def test_concatenated_keys() -> None:
    assert {"value", "arguments", "input", "logs", "output", "refusal"} == _CONCATENATED


@pytest.mark.parametrize("key", sorted(_CONCATENATED))
def test_pieces_concatenate(key: str) -> None:
    into: dict[str, Any] = {key: "ab"}
    _merge(into, {key: "cd"})
    _merge(into, {key: ""})
    _merge(into, {key: "é🎉"})
    assert into == {key: "abcdé🎉"}


@pytest.mark.parametrize(
    "key", ["name", "id", "type", "text", "file_id", "detail", "quote", "status", "role", "url"]
)
def test_other_strings_replace(key: str) -> None:
    into: dict[str, Any] = {key: "get_weather"}
    _merge(into, {key: "get_weather"})
    assert into == {key: "get_weather"}
    _merge(into, {key: "other"})
    assert into == {key: "other"}


def test_merge_fills_missing_and_null_keys_and_recurses() -> None:
    into: dict[str, Any] = {
        "arguments": None,
        "function": {"name": "f", "arguments": "{", "output": None},
        "start_index": 1,
    }
    _merge(
        into,
        {
            "arguments": "x",
            "function": {"name": "f", "arguments": "}", "output": "ok"},
            "start_index": 5,
            "new": {"value": "v"},
        },
    )
    assert into == {
        "arguments": "x",
        "function": {"name": "f", "arguments": "{}", "output": "ok"},
        "start_index": 5,
        "new": {"value": "v"},
    }


def test_merge_indexed_out_of_order_and_repeated() -> None:
    into: list[Any] = []
    _merge_indexed(into, [{"index": 2, "type": "c", "value": "c"}])
    _merge_indexed(into, [{"index": 0, "type": "a", "value": "a"}])
    _merge_indexed(into, [{"index": 1, "type": "b", "value": "b"}, {"index": 0, "value": "A"}])
    _merge_indexed(into, [{"index": 2, "value": "C"}, {"index": 2, "value": "!"}])
    assert into == [
        {"index": 0, "type": "a", "value": "aA"},
        {"index": 1, "type": "b", "value": "b"},
        {"index": 2, "type": "c", "value": "cC!"},
    ]


def test_merge_indexed_numbers_a_full_objects_parts_by_position() -> None:
    into: list[Any] = [
        {"type": "text", "text": {"value": "Hi"}},
        {"type": "image_file", "image_file": {"file_id": "file-1"}},
    ]
    _merge_indexed(into, [{"index": 0, "type": "text", "text": {"value": "!"}}])
    assert into == [
        {"index": 0, "type": "text", "text": {"value": "Hi!"}},
        {"index": 1, "type": "image_file", "image_file": {"file_id": "file-1"}},
    ]


def test_merge_indexed_appends_items_without_an_index() -> None:
    into: list[Any] = ["file-1"]
    _merge_indexed(into, ["file-2", "file-3"])
    assert into == ["file-1", "file-2", "file-3"]


def test_a_list_first_seen_in_a_delta_is_merged_by_index_too() -> None:
    into: dict[str, Any] = {}
    _merge(
        into,
        {
            "tool_calls": [
                {"index": 1, "type": "function", "function": {"arguments": "{}"}},
                {"index": 0, "type": "function", "function": {"arguments": "{"}},
                {"index": 0, "function": {"arguments": "}"}},
            ]
        },
    )
    assert into == {
        "tool_calls": [
            {"index": 0, "type": "function", "function": {"arguments": "{}"}},
            {"index": 1, "type": "function", "function": {"arguments": "{}"}},
        ]
    }


def test_a_list_inside_a_new_item_is_merged_by_index_too() -> None:
    into: list[Any] = []
    annotations = [
        {"index": 1, "text": "B"},
        {"index": 0, "text": "A", "start_index": 0},
        {"index": 0, "end_index": 3},
    ]
    _merge_indexed(into, [{"index": 0, "text": {"value": "x", "annotations": annotations}}])
    assert into == [
        {
            "index": 0,
            "text": {
                "value": "x",
                "annotations": [
                    {"index": 0, "text": "A", "start_index": 0, "end_index": 3},
                    {"index": 1, "text": "B"},
                ],
            },
        }
    ]


def test_merge_never_touches_or_shares_the_delta() -> None:
    delta: dict[str, Any] = {
        "content": [
            {"index": 0, "type": "text", "text": {"value": "a", "annotations": [{"index": 0}]}}
        ],
        "meta": {"tags": ["x"]},
    }
    before = copy.deepcopy(delta)
    into: dict[str, Any] = {"content": []}
    _merge(into, delta)
    _merge(into, delta)
    assert delta == before
    into["content"][0]["text"]["annotations"].append({"index": 1})
    into["meta"]["tags"].append("y")
    into["content"][0]["text"]["value"] = "changed"
    assert delta == before
