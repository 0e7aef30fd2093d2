"""The SSE decoder without sockets: the WHATWG parsing rules, and chunk boundaries anywhere."""

from __future__ import annotations

import itertools
import json
import random
import re
from typing import Any

import pytest
from support.sse import decode, reference_decode, split_at

from openai_assistants._streaming.sse import ServerSentEvent, SSEDecoder

SSE = ServerSentEvent


def random_chunks(data: bytes, rng: random.Random, biggest: int) -> list[bytes]:
    chunks: list[bytes] = []
    position = 0
    while position < len(data):
        size = rng.randint(1, biggest)
        chunks.append(data[position : position + size])
        position += size
    return chunks


# --- the WHATWG field rules ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("stream", "expected"),
    [
        pytest.param(
            b"data: a\ndata: b\ndata: c\n\n", [SSE("message", "a\nb\nc")], id="multi-line"
        ),
        pytest.param(b"data: a\ndata:\ndata: b\n\n", [SSE("message", "a\n\nb")], id="empty-middle"),
        pytest.param(b"data\n\n", [SSE("message", "")], id="bare-data-is-empty-line"),
        pytest.param(b"data\ndata\n\n", [SSE("message", "\n")], id="two-bare-data"),
        pytest.param(b"data: x\ndata\n\n", [SSE("message", "x\n")], id="trailing-bare-data"),
        pytest.param(b"data:\n\n", [SSE("message", "")], id="colon-no-value"),
        pytest.param(b"data: \n\n", [SSE("message", "")], id="only-the-space"),
        pytest.param(b"data:x\n\n", [SSE("message", "x")], id="no-space"),
        pytest.param(b"data:  two\n\n", [SSE("message", " two")], id="one-space-stripped"),
        pytest.param(b"data:\tx\n\n", [SSE("message", "\tx")], id="tab-kept"),
        pytest.param(b"data: a: b:c\n\n", [SSE("message", "a: b:c")], id="colons-in-value"),
        pytest.param(b"data: x \n\n", [SSE("message", "x ")], id="trailing-space-kept"),
        pytest.param(
            b": comment\ndata: x\n:another\n:\n\n", [SSE("message", "x")], id="comments-ignored"
        ),
        pytest.param(b": keep-alive\n\n", [], id="comment-only-block"),
        pytest.param(b":data: x\n\n", [], id="comment-that-looks-like-data"),
        pytest.param(
            b"foo: bar\nDATA: no\nData: no\n data: no\ndata : no\ndata: yes\n\n",
            [SSE("message", "yes")],
            id="unknown-fields-ignored",
        ),
        pytest.param(b"foo: bar\n\n", [], id="unknown-field-only"),
    ],
)
def test_data_lines(stream: bytes, expected: list[ServerSentEvent]) -> None:
    assert decode(stream) == expected


@pytest.mark.parametrize(
    ("stream", "expected"),
    [
        pytest.param(b"data: x\n\n", [SSE("message", "x")], id="default-message"),
        pytest.param(
            b"event: thread.run.created\ndata: {}\n\n",
            [SSE("thread.run.created", "{}")],
            id="named",
        ),
        pytest.param(b"event:done\ndata: [DONE]\n\n", [SSE("done", "[DONE]")], id="no-space"),
        pytest.param(b"event: a:b\ndata: x\n\n", [SSE("a:b", "x")], id="colon-in-name"),
        pytest.param(
            b"event: first\nevent: second\ndata: x\n\n", [SSE("second", "x")], id="last-wins"
        ),
        pytest.param(b"event\ndata: x\n\n", [SSE("message", "x")], id="bare-event-is-empty"),
        pytest.param(b"event:\ndata: x\n\n", [SSE("message", "x")], id="empty-name"),
        pytest.param(
            b"data: x\nevent: late\n\n", [SSE("late", "x")], id="name-after-data-still-counts"
        ),
        pytest.param(
            b"event: a\ndata: 1\n\ndata: 2\n\n",
            [SSE("a", "1"), SSE("message", "2")],
            id="name-does-not-persist",
        ),
        pytest.param(
            b"event: lost\n\ndata: x\n\n",
            [SSE("message", "x")],
            id="no-data-not-dispatched-and-resets-name",
        ),
        pytest.param(
            b"event: lost\nid: 3\nretry: 5\n:c\n\n", [], id="no-data-no-event-even-with-fields"
        ),
        pytest.param(b"\n\n\n", [], id="blank-lines-only"),
    ],
)
def test_event_names(stream: bytes, expected: list[ServerSentEvent]) -> None:
    assert decode(stream) == expected


def test_id_persists_until_changed_and_ignores_nul() -> None:
    stream = (
        b"data: a\n\n"
        b"id: 1\ndata: b\n\n"
        b"data: c\n\n"
        b"id: 2\x003\ndata: d\n\n"  # contains NUL: ignored, "1" stays
        b"id:7\n\n"  # set by an event that is never dispatched: still persists
        b"data: e\n\n"
        b"id\ndata: f\n\n"  # a bare id resets to the empty string
        b"id: \xc3\xa9\xe2\x82\xac\ndata: g\n\n"
    )
    assert decode(stream) == [
        SSE("message", "a", None),
        SSE("message", "b", "1"),
        SSE("message", "c", "1"),
        SSE("message", "d", "1"),
        SSE("message", "e", "7"),
        SSE("message", "f", ""),
        SSE("message", "g", "é€"),
    ]


@pytest.mark.parametrize(
    ("line", "retry"),
    [
        (b"retry: 3000", 3000),
        (b"retry:0", 0),
        (b"retry: 007", 7),
        (b"retry: 30x", None),
        (b"retry: -1", None),
        (b"retry: 1.5", None),
        (b"retry: 1e3", None),
        (b"retry:", None),
        (b"retry", None),
        (b"retry:  5", None),  # only one space is stripped; " 5" is not all digits
        (b"retry: 5 ", None),
        (b"retry: \xef\xbc\x95", None),  # FULLWIDTH DIGIT FIVE: a digit, but not ASCII
        (b"retry: \xd9\xa3", None),  # ARABIC-INDIC DIGIT THREE
    ],
)
def test_retry_takes_ascii_digits_only(line: bytes, retry: int | None) -> None:
    assert decode(line + b"\ndata: x\n\n") == [SSE("message", "x", None, retry)]


def test_retry_is_the_stream_setting_and_survives_bad_values() -> None:
    stream = b"data: a\n\nretry: 10\ndata: b\n\nretry: oops\ndata: c\n\nretry: 20\n\ndata: d\n\n"
    assert [event.retry for event in decode(stream)] == [None, 10, 10, 20]


@pytest.mark.parametrize("eol", [b"\n", b"\r", b"\r\n"], ids=["LF", "CR", "CRLF"])
def test_each_line_ending(eol: bytes) -> None:
    stream = eol.join(
        [b"event: thread.run.created", b"data: 1", b"data: 2", b"", b": c", b"data: 3", b"", b""]
    )
    assert decode(stream) == [SSE("thread.run.created", "1\n2"), SSE("message", "3")]


@pytest.mark.parametrize(
    ("stream", "expected"),
    [
        pytest.param(
            b"event: a\rdata: 1\r\ndata: 2\n\r\n", [SSE("a", "1\n2")], id="cr-crlf-lf-crlf"
        ),
        pytest.param(
            b"data: a\n\rdata: b\r\n\n", [SSE("message", "a"), SSE("message", "b")], id="lf-cr"
        ),
        pytest.param(
            b"data: a\r\r\ndata: b\n\r", [SSE("message", "a"), SSE("message", "b")], id="cr-crlf"
        ),
        pytest.param(b"data: a\r\n\r\n\r\n\n\r", [SSE("message", "a")], id="many-blank"),
        pytest.param(b"data: a\n\r\n", [SSE("message", "a")], id="lf-then-crlf-blank"),
        pytest.param(
            b"data: a\r\n\rdata: b\r\r", [SSE("message", "a"), SSE("message", "b")], id="crlf-cr"
        ),
    ],
)
def test_mixed_line_endings(stream: bytes, expected: list[ServerSentEvent]) -> None:
    assert decode(stream) == expected
    # The same bytes one at a time.
    assert decode(*(bytes([b]) for b in stream)) == expected


@pytest.mark.parametrize(
    ("chunks", "expected"),
    [
        pytest.param([b"\xef\xbb\xbfdata: x\n\n"], [SSE("message", "x")], id="dropped"),
        pytest.param(
            [b"\xef", b"\xbb", b"\xbf", b"data: x\n\n"], [SSE("message", "x")], id="split"
        ),
        pytest.param([b"", b"\xef\xbb\xbfdata: x\n\n"], [SSE("message", "x")], id="empty-first"),
        # Only one BOM is dropped: the second makes the field name "\ufeffdata", unknown.
        pytest.param([b"\xef\xbb\xbf\xef\xbb\xbfdata: x\n\n"], [], id="only-one"),
        # Not at the very start: part of the field name (unknown field), or of the data.
        pytest.param([b"data: a\n\n\xef\xbb\xbfdata: b\n\n"], [SSE("message", "a")], id="later"),
        pytest.param([b"data: a\n\n", b"\xef\xbb\xbfdata: b\n\n"], [SSE("message", "a")]),
        pytest.param([b"data: \xef\xbb\xbfx\n\n"], [SSE("message", "\ufeffx")], id="in-data"),
        pytest.param([b"\n\xef\xbb\xbfdata: x\n\n"], [], id="after-a-newline"),
    ],
)
def test_byte_order_mark(chunks: list[bytes], expected: list[ServerSentEvent]) -> None:
    assert decode(*chunks) == expected


@pytest.mark.parametrize(
    ("stream", "expected"),
    [
        pytest.param(b"data: a\n\ndata: b", [SSE("message", "a")], id="no-line-end"),
        pytest.param(b"data: a\n\ndata: b\n", [SSE("message", "a")], id="no-blank-line"),
        pytest.param(b"data: a\n\ndata: b\r\n", [SSE("message", "a")], id="no-blank-crlf"),
        pytest.param(b"data: a\n\ndata: b\r", [SSE("message", "a")], id="no-blank-cr"),
        pytest.param(b"data: a\n\nevent: x\ndata: b\ndata: c\n", [SSE("message", "a")]),
        # A final CR is a whole line ending: the blank line is complete.
        pytest.param(b"data: a\n\r", [SSE("message", "a")], id="cr-ends-blank-line"),
        pytest.param(b"data: a\r\r", [SSE("message", "a")], id="cr-cr"),
    ],
)
def test_cut_off_event_is_discarded_at_close(
    stream: bytes, expected: list[ServerSentEvent]
) -> None:
    assert decode(stream) == expected


def test_close_returns_nothing_more_and_clears_pending() -> None:
    decoder = SSEDecoder()
    assert decoder.pending is False
    assert decoder.feed(b"data: a\n") == []
    assert decoder.pending is True
    assert decoder.feed(b"\n") == [SSE("message", "a")]
    assert decoder.pending is False
    assert decoder.feed(b"data: b") == []
    assert decoder.pending is True
    assert decoder.close() == []
    assert decoder.pending is False
    assert decoder.close() == []


def test_events_come_out_of_the_feed_that_completes_them() -> None:
    decoder = SSEDecoder()
    assert decoder.feed(b"event: a\ndata: 1\n\nevent: b\ndata: 2\n") == [SSE("a", "1")]
    assert decoder.feed(b"\nevent: c\ndata: 3\r\n\r\n") == [SSE("b", "2"), SSE("c", "3")]
    # A CR at the end of a chunk already ends its line, whatever follows.
    assert decoder.feed(b"data: 4\r\r") == [SSE("message", "4")]
    assert decoder.feed(b"\ndata: 5\r\n\r") == [SSE("message", "5")]
    assert decoder.feed(b"\n") == []  # the second half of that CRLF: not another blank line
    assert decoder.feed(b"data: 6\n\n") == [SSE("message", "6")]
    assert decoder.close() == []


# --- invalid UTF-8 -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("stream", "expected"),
    [
        pytest.param(b"data: \xff\xfe ok\n\n", [SSE("message", "\ufffd\ufffd ok")], id="ff-fe"),
        pytest.param(b"data: caf\xc3\n\n", [SSE("message", "caf\ufffd")], id="truncated-2"),
        pytest.param(b"data: \xe6\x97\n\n", [SSE("message", "\ufffd")], id="truncated-3"),
        pytest.param(b"data: \xf0\x9f\x8e!\n\n", [SSE("message", "\ufffd!")], id="truncated-4"),
        pytest.param(b"data: \xed\xa0\x80\n\n", [SSE("message", "\ufffd" * 3)], id="surrogate"),
        pytest.param(b"data: \xc0\xaf\n\n", [SSE("message", "\ufffd" * 2)], id="overlong"),
        pytest.param(b"event: \x80\ndata: x\n\n", [SSE("\ufffd", "x")], id="in-event-name"),
        pytest.param(b"id: \xff\ndata: x\n\n", [SSE("message", "x", "\ufffd")], id="in-id"),
        pytest.param(b"data: x\n\n\xf0\x9f", [SSE("message", "x")], id="truncated-at-eof"),
        pytest.param(b"\xef\xbbdata: x\n\n", [], id="half-a-bom"),
    ],
)
def test_invalid_utf8_is_replaced(stream: bytes, expected: list[ServerSentEvent]) -> None:
    assert decode(stream) == expected
    assert decode(*(bytes([b]) for b in stream)) == expected


# --- a recorded Assistants stream, cut everywhere ------------------------------------------------

TEXT = "héllo wörld 日本語 🎉"
PIECES = ["hé", "llo", " wö", "rld ", "日", "本語", " 🎉", " "]

RUN = {
    "id": "run_abc123",
    "object": "thread.run",
    "created_at": 1710348075,
    "assistant_id": "asst_abc123",
    "thread_id": "thread_abc123",
    "status": "queued",
    "started_at": None,
    "expires_at": 1710348675,
    "cancelled_at": None,
    "failed_at": None,
    "completed_at": None,
    "required_action": None,
    "last_error": None,
    "model": "gpt-4o",
    "instructions": "Réponds en français. 日本語も。",
    "tools": [],
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
STEP = {
    "id": "step_001",
    "object": "thread.run.step",
    "created_at": 1710348076,
    "run_id": "run_abc123",
    "assistant_id": "asst_abc123",
    "thread_id": "thread_abc123",
    "type": "message_creation",
    "status": "in_progress",
    "cancelled_at": None,
    "completed_at": None,
    "expires_at": 1710348675,
    "failed_at": None,
    "last_error": None,
    "step_details": {"type": "message_creation", "message_creation": {"message_id": "msg_001"}},
    "usage": None,
}
MESSAGE = {
    "id": "msg_001",
    "object": "thread.message",
    "created_at": 1710348076,
    "assistant_id": "asst_abc123",
    "thread_id": "thread_abc123",
    "run_id": "run_abc123",
    "status": "in_progress",
    "incomplete_details": None,
    "incomplete_at": None,
    "completed_at": None,
    "role": "assistant",
    "content": [],
    "attachments": [],
    "metadata": {},
}


def recorded_events() -> list[tuple[str, str]]:
    """(event, data) of a streamed run: 50 message deltas of multi-byte text, then [DONE]."""

    def data(obj: Any) -> str:
        return json.dumps(obj, ensure_ascii=False, separators=(",", ":"))

    deltas = [
        {
            "id": "msg_001",
            "object": "thread.message.delta",
            "delta": {
                "content": [{"index": 0, "type": "text", "text": {"value": PIECES[i % 8]}}]
                if i
                else [{"index": 0, "type": "text", "text": {"value": "", "annotations": []}}]
            },
        }
        for i in range(50)
    ]
    text = "".join(PIECES[i % 8] for i in range(1, 50))
    completed_message = {
        **MESSAGE,
        "status": "completed",
        "completed_at": 1710348080,
        "content": [{"type": "text", "text": {"value": text, "annotations": []}}],
    }
    usage = {"prompt_tokens": 20, "completion_tokens": 50, "total_tokens": 70}
    return [
        ("thread.run.created", data(RUN)),
        ("thread.run.queued", data(RUN)),
        (
            "thread.run.in_progress",
            data({**RUN, "status": "in_progress", "started_at": 1710348076}),
        ),
        ("thread.run.step.created", data(STEP)),
        ("thread.run.step.in_progress", data(STEP)),
        ("thread.message.created", data(MESSAGE)),
        ("thread.message.in_progress", data(MESSAGE)),
        *(("thread.message.delta", data(delta)) for delta in deltas),
        ("thread.message.completed", data(completed_message)),
        (
            "thread.run.step.completed",
            data({**STEP, "status": "completed", "completed_at": 1710348080, "usage": usage}),
        ),
        (
            "thread.run.completed",
            data({**RUN, "status": "completed", "completed_at": 1710348080, "usage": usage}),
        ),
        ("done", "[DONE]"),
    ]


EVENTS = recorded_events()
EXPECTED = [SSE(name, data) for name, data in EVENTS]


def recorded_stream(eol: str) -> tuple[bytes, list[int]]:
    """The stream's bytes, and for each event how many bytes complete it (up to its blank line's
    first character: a CR alone already ends the line)."""
    frames = [f"event: {name}{eol}data: {data}{eol}{eol}".encode() for name, data in EVENTS]
    ends = list(itertools.accumulate(len(frame) for frame in frames))
    keep_alive = f": keep-alive{eol}{eol}".encode()  # a comment frame, as proxies send
    frames.insert(20, keep_alive)
    ends[20:] = [end + len(keep_alive) for end in ends[20:]]
    return b"".join(frames), [end - len(eol) + 1 for end in ends]


STREAMS = {eol_id: recorded_stream(eol) for eol_id, eol in [("LF", "\n"), ("CRLF", "\r\n")]}


def test_recorded_stream_is_what_it_claims() -> None:
    lf = STREAMS["LF"][0]
    assert len(EXPECTED) == 61
    assert sum(1 for name, _ in EVENTS if name == "thread.message.delta") == 50
    assert "🎉".encode() in lf
    assert "日本語" in json.loads(EVENTS[-4][1])["content"][0]["text"]["value"]
    assert lf.endswith(b"event: done\ndata: [DONE]\n\n")
    assert STREAMS["CRLF"][0].endswith(b"event: done\r\ndata: [DONE]\r\n\r\n")
    assert STREAMS["CRLF"][0].count(b"\r\n") == lf.count(b"\n")
    assert b"\r" not in lf


@pytest.mark.parametrize("eol", ["LF", "CRLF"])
def test_recorded_stream_in_one_piece(eol: str) -> None:
    assert decode(STREAMS[eol][0]) == EXPECTED


@pytest.mark.parametrize("eol", ["LF", "CRLF"])
def test_recorded_stream_split_at_every_byte(eol: str) -> None:
    stream, done_at = STREAMS[eol]
    for cut in range(len(stream) + 1):
        decoder = SSEDecoder()
        events = decoder.feed(stream[:cut])
        # Every event completed within the first chunk comes out of that feed.
        complete = sum(1 for end in done_at if end <= cut)
        assert events == EXPECTED[:complete], cut
        events += decoder.feed(stream[cut:])
        events += decoder.close()
        assert events == EXPECTED, cut


@pytest.mark.parametrize("eol", ["LF", "CRLF"])
def test_recorded_stream_one_byte_at_a_time(eol: str) -> None:
    stream = STREAMS[eol][0]
    decoder = SSEDecoder()
    events: list[ServerSentEvent] = []
    for position in range(len(stream)):
        events += decoder.feed(stream[position : position + 1])
    assert decoder.pending is False
    assert events == EXPECTED
    assert decoder.close() == []


@pytest.mark.parametrize("eol", ["LF", "CRLF"])
@pytest.mark.parametrize("biggest", [3, 17, 200, 5000])
def test_recorded_stream_in_random_chunks(eol: str, biggest: int) -> None:
    rng = random.Random(f"{eol}-{biggest}")
    for _ in range(100):
        assert decode(*random_chunks(STREAMS[eol][0], rng, biggest)) == EXPECTED


def test_split_between_cr_and_lf() -> None:
    stream = STREAMS["CRLF"][0]
    first_frame_end = stream.index(b"\r\n\r\n")
    # Between the CR and LF of the blank line, and of the data line before it.
    for cut in (first_frame_end + 3, first_frame_end + 1):
        decoder = SSEDecoder()
        head = decoder.feed(stream[:cut])
        assert head == (EXPECTED[:1] if cut == first_frame_end + 3 else [])
        assert head + decoder.feed(stream[cut:]) + decoder.close() == EXPECTED
    # Every CR/LF pair of the stream, all at once: chunks that each end in a CR.
    cuts = [m.start() + 1 for m in re.finditer(b"\r\n", stream)]
    chunks = split_at(stream, cuts)
    assert all(chunk.endswith(b"\r") for chunk in chunks[:-1])
    assert len(chunks) == stream.count(b"\r\n") + 1
    assert decode(*chunks) == EXPECTED


@pytest.mark.parametrize("eol", ["LF", "CRLF"])
def test_split_inside_a_four_byte_emoji(eol: str) -> None:
    stream = STREAMS[eol][0]
    emoji = "🎉".encode()
    assert len(emoji) == 4
    starts = [m.start() for m in re.finditer(re.escape(emoji), stream)]
    assert len(starts) == 12  # in 6 of the 49 text deltas, and 6 times in the completed message
    for start in starts:
        for offset in (1, 2, 3):
            assert decode(stream[: start + offset], stream[start + offset :]) == EXPECTED
        # Each byte of the emoji in a chunk of its own.
        assert decode(*split_at(stream, [start, start + 1, start + 2, start + 3])) == EXPECTED


def test_emoji_split_in_one_data_line() -> None:
    decoder = SSEDecoder()
    assert decoder.feed(b"data: \xf0") == []
    assert decoder.feed(b"\x9f\x8e") == []
    assert decoder.feed(b"\x89!\n\n") == [SSE("message", "🎉!")]
    assert decoder.close() == []


# --- random bytes: never raises, and chunking never changes the result ---------------------------

FIELDS = [b"data: ", b"data:", b"data", b"event: ", b"id: ", b"id:", b"retry: ", b": ", b"", b"x: "]
VALUE_TOKENS = [
    b"x", b" ", b":", b"12", b"{}", b"\x00", b"\xef\xbb\xbf", b"\xff", b"\xc3", b"\xc3\xa9",
    b"\xe6\x97", b"\xe6\x97\xa5", b"\xf0\x9f\x8e\x89", b"\xf0\x9f", b"\xed\xa0\x80", b"\x80",
    b"thread.run.created",
]  # fmt: skip
LINE_ENDS = [b"\n", b"\r", b"\r\n"]


def random_stream(rng: random.Random) -> bytes:
    """Mostly SSE-shaped lines with odd values and line endings; now and then raw noise."""
    parts: list[bytes] = []
    if rng.random() < 0.1:
        parts.append(b"\xef\xbb\xbf")
    for _ in range(rng.randint(0, 20)):
        if rng.random() < 0.15:
            parts.append(bytes(rng.randrange(256) for _ in range(rng.randint(1, 6))))
            continue
        parts.append(rng.choice(FIELDS))
        parts.extend(rng.choice(VALUE_TOKENS) for _ in range(rng.randint(0, 3)))
        parts.append(rng.choice(LINE_ENDS))
        if rng.random() < 0.3:
            parts.append(rng.choice(LINE_ENDS))  # a blank line: dispatch
    return b"".join(parts)


def test_random_bytes_in_random_chunks() -> None:
    rng = random.Random(20240417)
    dispatched = 0
    for _ in range(500):
        stream = random_stream(rng)
        whole = decode(stream)
        assert whole == reference_decode(stream), stream
        assert decode(*random_chunks(stream, rng, rng.choice([1, 2, 5, 64]))) == whole, stream
        cut = rng.randint(0, len(stream))
        assert decode(stream[:cut], stream[cut:]) == whole, (stream, cut)
        dispatched += len(whole)
    assert dispatched > 300  # the alphabet does produce events, not only noise


def test_random_bytes_one_byte_at_a_time() -> None:
    rng = random.Random(7)
    for _ in range(500):
        stream = random_stream(rng)
        assert decode(*(bytes([b]) for b in stream)) == decode(stream), stream


# --- the event value object ----------------------------------------------------------------------


def test_server_sent_event_value_semantics() -> None:
    event = SSE("thread.run.created", "{}", "1", 10)
    assert (event.event, event.data, event.id, event.retry) == ("thread.run.created", "{}", "1", 10)
    assert event == SSE("thread.run.created", "{}", "1", 10)
    assert event != SSE("thread.run.created", "{}", "1", None)
    assert event != SSE("thread.run.created", "{}", "2", 10)
    assert event != SSE("message", "{}", "1", 10)
    assert event != ("thread.run.created", "{}", "1", 10)
    assert SSE("message", "x") == SSE("message", "x", None, None)
    assert repr(event) == "ServerSentEvent(event='thread.run.created', data='{}', id='1')"
    with pytest.raises(TypeError):
        hash(event)
