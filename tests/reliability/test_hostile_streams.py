"""Hostile bytes into the SSE decoder, the event decoding and accumulation, and a whole stream.

Complements ``tests/streaming/test_sse_decoder.py`` (one recorded stream cut at seeded random
places) with generated streams: random event names, multi-line data, CR/LF/CRLF mixes, BOMs,
comments, unknown fields, invalid UTF-8, and JSON from the models with faults injected. What may
come out is fixed: events (the same for every chunking), ``StreamError``,
``StreamInterruptedError`` or ``ResponseValidationError``; never another exception or a hang.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from typing import Any

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from support.hostile import (
    DEEPEST,
    almost_valid,
    check_validation_error,
    json_for,
    nested_text,
    random_json,
)
from support.local_server import LocalServer, connections_in_use, local_server, sse_handler
from support.reliability import Figures
from support.serde import unstructure
from support.sse import decode, reference_decode, split_at

from openai_assistants import (
    AssistantsClient,
    ResponseValidationError,
    StreamError,
    StreamEvent,
    StreamInterruptedError,
)
from openai_assistants import models as m
from openai_assistants._streaming.accumulator import Accumulator
from openai_assistants._streaming.events import (
    EVENT_MODELS,
    decode_raw,
    typed,
)
from openai_assistants._streaming.sse import ServerSentEvent

pytestmark = pytest.mark.slow  # thousands of generated inputs

FIGURES = Figures("streams")

#: Far beyond what one example needs (milliseconds): reaching it means the stream hung.
HANG = 30.0
EXPECTED = (StreamError, StreamInterruptedError, ResponseValidationError)
#: Where the JSON path stands in an error line: ``... @ thread.message.delta:$.id`` for an event,
#: ``... @ <message id>:$.content`` for a snapshot (the id as the server sent it, any text).
STREAM_PATH = r" @ .*\$"


@st.composite
def chunked(draw: st.DrawFn, data: bytes) -> list[bytes]:
    """``data`` cut at arbitrary places (empty chunks included)."""
    return split_at(data, sorted(draw(st.lists(st.integers(0, len(data)), max_size=16))))


# --- the decoder: any bytes -----------------------------------------------------------------------

_PIECES = st.sampled_from(
    [
        b"data:",
        b"data: ",
        b"event:",
        b"event: ",
        b"id: ",
        b"retry: ",
        b":",
        b" ",
        b"\n",
        b"\r",
        b"\r\n",
        b"\n\n",
        b"\xef\xbb\xbf",  # BOM
        b"\xff",
        b"\xc3",  # a UTF-8 sequence cut short
        b"\xe2\x82",
        b"\x00",
        b"[DONE]",
        b"{}",
        b"thread.message.delta",
    ]
)
#: Random bytes, and random bytes made mostly of the pieces SSE is built from.
SSE_ISH = st.binary(max_size=400) | st.lists(
    _PIECES | st.binary(max_size=6) | st.text(max_size=6).map(str.encode), max_size=80
).map(b"".join)
#: Lines of those pieces, most after a field name, each with a line ending, blank lines among
#: them: unlike ``SSE_ISH`` (which hardly ever holds a complete event), these dispatch events.
SSE_LINES = st.lists(
    st.tuples(
        st.sampled_from([b"", b"data", b"data:", b"data: ", b"event: ", b"id:", b"retry: "]),
        st.lists(_PIECES | st.binary(max_size=6), max_size=3).map(b"".join),
        st.sampled_from([b"\n", b"\r", b"\r\n"]),
    ).map(b"".join),
    max_size=20,
).map(b"".join)


@settings(max_examples=400)
@given(data=st.data(), stream=SSE_ISH | SSE_LINES)
def test_any_bytes_decode_the_same_however_they_are_cut(data: st.DataObject, stream: bytes) -> None:
    whole = decode(stream)
    assert whole == reference_decode(stream)
    chunks = data.draw(chunked(stream))
    assert decode(*chunks) == whole
    for sse in whole:
        assert isinstance(sse.event, str)
        assert sse.event
        assert isinstance(sse.data, str)
        assert sse.id is None or (isinstance(sse.id, str) and "\0" not in sse.id)
        assert sse.retry is None or (isinstance(sse.retry, int) and sse.retry >= 0)
    FIGURES.count("decoder_any_bytes")


# --- the decoder: generated streams against the events they encode --------------------------------

_FIELD = st.text(st.characters(codec="utf-8", exclude_characters="\r\n"), max_size=10)


@st.composite
def sse_events(draw: st.DrawFn) -> dict[str, Any]:
    return draw(
        st.fixed_dictionaries(
            {
                "event": st.none() | st.sampled_from([*EVENT_MODELS, "error", "done"]) | _FIELD,
                "data": st.lists(_FIELD, max_size=3),
                "id": st.none() | _FIELD,
                "retry": st.none() | st.integers(0, 10**9).map(str) | _FIELD,
                "noise": st.lists(
                    st.sampled_from(
                        [":", ": ping", ":data: no", "foo: bar", "Data: no", "data : no"]
                    )
                    | _FIELD.map(lambda c: ":" + c),
                    max_size=2,
                ),
            }
        )
    )


def _field_line(draw: st.DrawFn, name: str, value: str) -> str:
    if value == "" and name in ("data", "event"):
        return draw(st.sampled_from([name, name + ":", name + ": "]))
    if value.startswith(" "):
        return f"{name}: {value}"  # the one space after the colon is dropped, the rest kept
    return draw(st.sampled_from([f"{name}: {value}", f"{name}:{value}"]))


@st.composite
def rendered_stream(draw: st.DrawFn) -> tuple[bytes, list[ServerSentEvent]]:
    """A stream rendered with random line endings, and the events a decoder must give for it."""
    events = draw(st.lists(sse_events(), max_size=6))
    complete = draw(st.booleans())  # else the last event is cut off (discarded at close)
    lines: list[str] = []
    expected: list[ServerSentEvent] = []
    last_id: str | None = None
    retry: int | None = None
    for position, event in enumerate(events):
        block = [[_field_line(draw, "data", value) for value in event["data"]]]
        if event["event"] is not None:
            block.append([_field_line(draw, "event", event["event"])])
        if event["id"] is not None:
            block.append([_field_line(draw, "id", event["id"])])
            if "\0" not in event["id"]:
                last_id = event["id"]
        if event["retry"] is not None:
            block.append([_field_line(draw, "retry", event["retry"])])
            if event["retry"].isascii() and event["retry"].isdigit():
                retry = int(event["retry"])
        block += [[line] for line in event["noise"]]
        lines += [line for group in draw(st.permutations(block)) for line in group]
        if position < len(events) - 1 or complete:
            lines.append("")
            if event["data"]:
                name = event["event"] or "message"
                expected.append(ServerSentEvent(name, "\n".join(event["data"]), last_id, retry))
    endings = draw(st.lists(st.sampled_from(["\n", "\r", "\r\n"]), min_size=len(lines)))
    for i in range(1, len(lines)):
        if endings[i - 1] == "\r" and lines[i] == "" and endings[i] == "\n":
            endings[i] = "\r\n"  # "\r" then "\n" would be one line ending, not two
    text = "".join(line + eol for line, eol in zip(lines, endings, strict=False))
    bom = b"\xef\xbb\xbf" if draw(st.booleans()) else b""
    return bom + text.encode(), expected


@settings(max_examples=200)
@given(data=st.data(), case=rendered_stream())
def test_generated_streams_decode_to_their_events(
    data: st.DataObject, case: tuple[bytes, list[ServerSentEvent]]
) -> None:
    stream, expected = case
    assert decode(stream) == expected
    assert decode(*data.draw(chunked(stream))) == expected
    FIGURES.count("decoder_generated_streams")


# --- hostile frames -------------------------------------------------------------------------------

_NAMES = st.sampled_from([*EVENT_MODELS, "error", "done", "message"]) | st.text(max_size=10)


def _data_for(name: str) -> st.SearchStrategy[Any]:
    model = EVENT_MODELS.get(name)
    if model is not None:
        return json_for(model) | almost_valid(model) | random_json
    if name == "error":
        return json_for(m.ErrorObject).map(lambda e: {"error": e}) | random_json
    return random_json


def _as_text(value: Any, style: str) -> str:
    if style == "pretty":
        return json.dumps(value, indent=1)  # several data: lines, joined back with "\n"
    return json.dumps(value, ensure_ascii=style == "ascii")  # NaN, Infinity: not JSON to orjson


@st.composite
def frames(draw: st.DrawFn) -> list[tuple[str, str]]:
    """(event name, data text) pairs: the API's events with valid, faulty or random data."""
    story = [
        (
            "thread.run.created",
            {"id": "run_1", "thread_id": "t", "assistant_id": "a", "status": "x"},
        ),
        ("thread.message.created", {"id": "msg_1", "thread_id": "t", "role": "assistant"}),
    ]
    body = m.MessageDeltaBody
    deltas = st.builds(
        lambda d: ("thread.message.delta", {"id": "msg_1", "delta": d}),
        json_for(body) | almost_valid(body),
    )
    steps = st.builds(
        lambda d: ("thread.run.step.delta", {"id": "step_1", "delta": d}),
        json_for(m.RunStepDeltaBody) | almost_valid(m.RunStepDeltaBody),
    )
    anything = _NAMES.flatmap(lambda n: st.tuples(st.just(n), _data_for(n)))
    pairs: list[tuple[str, Any]] = draw(st.lists(deltas | steps | anything, max_size=6))
    if draw(st.booleans()):
        pairs = story + pairs
    texts: list[tuple[str, str]] = []
    for name, value in pairs:
        style = draw(st.sampled_from(["compact", "ascii", "pretty", "raw"]))
        text = draw(st.text(max_size=20)) if style == "raw" else _as_text(value, style)
        texts.append((name, text))
    texts.append(draw(st.sampled_from([("done", "[DONE]"), ("message", "[DONE]"), ("x", "")])))
    return texts


def render(pairs: list[tuple[str, str]], eol: str) -> bytes:
    out = []
    for name, text in pairs:
        out.append(f"event: {name}{eol}")
        out += [f"data: {line}{eol}" for line in text.split("\n")]
        out.append(eol)
    return "".join(out).encode("utf-8", "surrogatepass")


#: Data as deep as orjson decodes (``DEEPEST`` levels in all), in the places the accumulator copies
#: and merges, and in error events whose data is not an error object (their message is made from
#: the data). Each frame's data opens with these objects, and goes on under a key "x".
_DEEP_FRAME_STARTS = [
    ("thread.run.created", '{"id":"run_1","thread_id":"t","assistant_id":"a","status":"queued",'),
    ("thread.message.created", '{"id":"msg_1","thread_id":"t","role":"assistant",'),
    ("thread.message.delta", '{"id":"msg_1","delta":{"content":[],'),
    ("thread.run.step.delta", '{"id":"s","delta":{"step_details":{"type":"tool_calls",'),
]
DEEP_FRAMES = [
    (name, start + '"x":' + nested_text(DEEPEST - start.count("{")) + "}" * start.count("{"))
    for name, start in _DEEP_FRAME_STARTS
]
DEEP_FRAMES.append(("done", "[DONE]"))
DEEP_ERROR_OBJECT = [("error", '{"error":' + nested_text(DEEPEST - 1) + "}")]
DEEP_ERROR_ARRAY = [("error", "[" * DEEPEST + "]" * DEEPEST)]
#: A delta whose parts carry indexes of several JSON types.
MIXED_INDEXES = [
    (
        "thread.message.delta",
        json.dumps(
            {
                "id": "msg_1",
                "delta": {
                    "content": [
                        {"index": 0, "type": "text", "text": {"value": "a"}},
                        {"index": "1", "type": "text", "text": {"value": "b"}},
                        {"index": None, "type": "text"},
                        {"index": [], "type": "text"},
                    ]
                },
            }
        ),
    ),
    ("done", "[DONE]"),
]


# --- decoding and accumulating events, without sockets --------------------------------------------


def read_snapshots(accumulator: Accumulator) -> None:
    """Everything a caller can read from the snapshots: models, or ResponseValidationError."""
    for read in (
        lambda: accumulator.current_run,
        lambda: accumulator.thread,
        lambda: accumulator.messages,
        lambda: accumulator.run_steps,
        lambda: accumulator.run_id,
    ):
        try:
            value = read()
        except ResponseValidationError as exc:
            check_errors(exc)
            continue
        unstructure(value)


def check_errors(exc: ResponseValidationError) -> None:
    """``check_validation_error`` with the streams' paths. An event whose data is not JSON fails
    ``decode_raw``'s own check, which has no converter exception behind it."""
    not_json = len(exc.errors) == 1 and exc.errors[0].startswith("not JSON @ ")
    check_validation_error(exc, cause=not not_json, path=STREAM_PATH)


@settings(max_examples=300)
@given(pairs=frames())
@example(pairs=DEEP_FRAMES)
@example(pairs=DEEP_ERROR_OBJECT)
@example(pairs=DEEP_ERROR_ARRAY)
@example(pairs=MIXED_INDEXES)
def test_events_decode_and_accumulate_or_fail_as_documented(pairs: list[tuple[str, str]]) -> None:
    """``decode_raw``, ``typed`` and the ``Accumulator``, as the stream drives them."""
    accumulator = Accumulator()
    outcome = "ok"
    for name, text in pairs:
        error: Exception | None = None
        try:
            raw = decode_raw(name, text, None)
        except (StreamError, ResponseValidationError) as exc:
            error = exc
        else:
            accumulator.add(name, raw)  # only records: never raises
            try:
                data = typed(name, raw, None)
            except ResponseValidationError as exc:
                error = exc
        if isinstance(error, StreamError):
            assert name == "error"
            outcome = "StreamError"
            break
        if isinstance(error, ResponseValidationError):
            assert name in EVENT_MODELS
            check_errors(error)
            outcome = "ResponseValidationError"
        elif name in EVENT_MODELS:
            assert isinstance(data, EVENT_MODELS[name])
        else:
            assert data is raw
    read_snapshots(accumulator)
    FIGURES.count("decode_and_accumulate", outcome)


# --- the whole stream, over a socket --------------------------------------------------------------


@pytest.fixture
async def server() -> AsyncIterator[LocalServer]:
    async with local_server() as s:
        yield s


@pytest.fixture
async def client(server: LocalServer) -> AsyncIterator[AssistantsClient]:
    async with AssistantsClient(
        api_key="sk-hostile", base_url=server.base_url, max_retries=0, timeout=HANG / 2
    ) as c:
        yield c


async def consume(client: AssistantsClient, mode: str) -> None:
    async with client.runs.stream("thread_1", assistant_id="asst_1") as stream:
        try:
            if mode == "events":
                async for event in stream:
                    assert isinstance(event, StreamEvent)  # the union of the event classes
                    assert event.run_id is None or isinstance(event.run_id, str)
            elif mode == "text_deltas":
                async for text in stream.text_deltas():
                    assert isinstance(text, str)
                    assert text
            else:
                await stream.final_messages()
        except StreamInterruptedError as exc:
            read_snapshots(exc.partial)
            raise
        finally:
            read_snapshots(stream.accumulator)


_DEEP_BYTES = render(DEEP_FRAMES, "\n")


@settings(settings.get_profile("shared-fixture"), max_examples=150)
@given(
    payload=st.one_of(
        frames().flatmap(
            lambda p: st.sampled_from(["\n", "\r\n", "\r"]).map(lambda eol: render(p, eol))
        ),
        SSE_ISH,
    ),
    chunk=st.sampled_from([0, 1, 7, 64, 1024]),
    mode=st.sampled_from(["events", "text_deltas", "final_messages"]),
)
@example(payload=_DEEP_BYTES, chunk=0, mode="events")
@example(payload=_DEEP_BYTES, chunk=4096, mode="text_deltas")
@example(payload=render(DEEP_ERROR_OBJECT, "\r\n"), chunk=0, mode="events")
@example(payload=render(MIXED_INDEXES, "\n"), chunk=0, mode="final_messages")
async def test_a_stream_of_hostile_bytes_ends_as_documented(
    server: LocalServer, client: AssistantsClient, payload: bytes, chunk: int, mode: str
) -> None:
    server.handler = sse_handler(payload, chunk=chunk)
    outcome = "ok"
    try:
        await asyncio.wait_for(consume(client, mode), HANG)
    except EXPECTED as exc:  # first: StreamTimeoutError is a TimeoutError too
        outcome = type(exc).__name__
    except asyncio.TimeoutError:
        pytest.fail(f"the stream hung for {HANG}s")
    assert connections_in_use(client) == 0
    FIGURES.count(f"stream_{mode}", outcome)
