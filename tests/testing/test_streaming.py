"""Streaming runs: the event sequence of the spec's SSE transcripts, framed exactly."""

from __future__ import annotations

from typing import Any

import aiohttp
import pytest

from openai_assistants.testing import FakeAssistantsServer, Fault, RunScript, ToolCallSpec

from .spec_client import SpecClient, parse_sse

REPLY_EVENTS = [
    "thread.run.step.created",
    "thread.run.step.in_progress",
    "thread.message.created",
    "thread.message.in_progress",
]


@pytest.fixture
def ids(server: FakeAssistantsServer) -> tuple[str, str]:
    assistant = server.factories.assistant()
    thread = server.factories.thread(messages=["How are you today?"])
    return assistant["id"], thread["id"]


def _names(events: list[tuple[str, Any]]) -> list[str]:
    return [name for name, _ in events]


async def test_create_run_stream(api: SpecClient, ids: tuple[str, str]) -> None:
    assistant_id, thread_id = ids
    reply = await api.post(
        f"/threads/{thread_id}/runs", {"assistant_id": assistant_id, "stream": True}
    )
    assert reply.status == 200
    assert reply.headers["Content-Type"].startswith("text/event-stream")
    words = ["You", "said:", "How", "are", "you", "today?"]
    assert _names(reply.events) == [
        "thread.run.created",
        "thread.run.queued",
        "thread.run.in_progress",
        *REPLY_EVENTS,
        *["thread.message.delta"] * len(words),
        "thread.message.completed",
        "thread.run.step.completed",
        "thread.run.completed",
        "done",
    ]
    deltas = [data for name, data in reply.events if name == "thread.message.delta"]
    assert deltas[0]["delta"]["content"][0] == {
        "index": 0,
        "type": "text",
        "text": {"value": "You ", "annotations": []},
    }
    text = "".join(d["delta"]["content"][0]["text"]["value"] for d in deltas)
    assert text == "You said: How are you today?"
    assert reply.events[-1] == ("done", "[DONE]")
    assert reply.events[-2][1]["status"] == "completed"


async def test_stream_frames_are_exact(
    api: SpecClient, server: FakeAssistantsServer, ids: tuple[str, str]
) -> None:
    assistant_id, thread_id = ids
    async with api.session.post(
        f"{server.base_url}/threads/{thread_id}/runs",
        json={"assistant_id": assistant_id, "stream": True},
        headers=api.headers(),
    ) as response:
        raw = await response.text()
    assert raw.startswith('event: thread.run.created\ndata: {"id":"run_')
    assert raw.endswith("\n\nevent: done\ndata: [DONE]\n\n")
    assert len(parse_sse(raw)) == raw.count("\n\n")


async def test_create_thread_and_run_stream_starts_with_thread_created(
    api: SpecClient, server: FakeAssistantsServer
) -> None:
    assistant = server.factories.assistant()
    reply = await api.post(
        "/threads/runs",
        {
            "assistant_id": assistant["id"],
            "thread": {"messages": [{"role": "user", "content": "Hi"}]},
            "stream": True,
        },
    )
    names = _names(reply.events)
    assert names[:4] == [
        "thread.created",
        "thread.run.created",
        "thread.run.queued",
        "thread.run.in_progress",
    ]
    thread = reply.events[0][1]
    assert reply.events[1][1]["thread_id"] == thread["id"]


async def test_tool_call_stream_then_submit_stream(
    api: SpecClient, server: FakeAssistantsServer, ids: tuple[str, str]
) -> None:
    assistant_id, thread_id = ids
    server.script(RunScript.call_tools(ToolCallSpec("get_weather", {"city": "Paris"})).then_reply())
    first = await api.post(
        f"/threads/{thread_id}/runs", {"assistant_id": assistant_id, "stream": True}
    )
    names = _names(first.events)
    assert names[:5] == [
        "thread.run.created",
        "thread.run.queued",
        "thread.run.in_progress",
        "thread.run.step.created",
        "thread.run.step.in_progress",
    ]
    assert names[-2:] == ["thread.run.requires_action", "done"]
    step_deltas = [d for n, d in first.events if n == "thread.run.step.delta"]
    calls = [d["delta"]["step_details"]["tool_calls"][0] for d in step_deltas]
    assert calls[0]["function"] == {"name": "get_weather", "arguments": "", "output": None}
    assert "".join(c["function"]["arguments"] for c in calls) == '{"city": "Paris"}'
    run = first.events[-2][1]
    call_id = run["required_action"]["submit_tool_outputs"]["tool_calls"][0]["id"]

    second = await api.post(
        f"/threads/{thread_id}/runs/{run['id']}/submit_tool_outputs",
        {"tool_outputs": [{"tool_call_id": call_id, "output": "18C"}], "stream": True},
    )
    names = _names(second.events)
    assert names[:4] == [
        "thread.run.step.completed",
        "thread.run.queued",
        "thread.run.in_progress",
        "thread.run.step.created",
    ]
    assert names[-3:] == ["thread.run.step.completed", "thread.run.completed", "done"]
    completed = next(d for n, d in second.events if n == "thread.message.completed")
    assert completed["content"][0]["text"]["value"] == "Tool results: get_weather: 18C"


async def test_failed_run_stream(
    api: SpecClient, server: FakeAssistantsServer, ids: tuple[str, str]
) -> None:
    assistant_id, thread_id = ids
    server.script(RunScript.fail(message="broken"))
    reply = await api.post(
        f"/threads/{thread_id}/runs", {"assistant_id": assistant_id, "stream": True}
    )
    assert _names(reply.events)[-2:] == ["thread.run.failed", "done"]
    assert reply.events[-2][1]["last_error"] == {"code": "server_error", "message": "broken"}


async def test_incomplete_run_stream(
    api: SpecClient, server: FakeAssistantsServer, ids: tuple[str, str]
) -> None:
    assistant_id, thread_id = ids
    server.script(RunScript.incomplete())
    reply = await api.post(
        f"/threads/{thread_id}/runs", {"assistant_id": assistant_id, "stream": True}
    )
    assert _names(reply.events)[-4:] == [
        "thread.message.incomplete",
        "thread.run.step.completed",
        "thread.run.incomplete",
        "done",
    ]


async def test_stream_is_sent_incrementally(
    api: SpecClient, server: FakeAssistantsServer, ids: tuple[str, str]
) -> None:
    assistant_id, thread_id = ids
    server.event_delay = 0.02
    async with api.session.post(
        f"{server.base_url}/threads/{thread_id}/runs",
        json={"assistant_id": assistant_id, "stream": True},
        headers=api.headers(),
    ) as response:
        first_line = await response.content.readline()
        assert first_line == b"event: thread.run.created\n"
        # The first event arrived while the run is still being played out.
        [run] = server.store.runs(thread_id)
        assert run["status"] != "completed"
        rest = await response.text()
    assert run["status"] == "completed"
    assert rest.endswith("data: [DONE]\n\n")


async def test_cut_stream_closes_without_done_and_run_still_finishes(
    api: SpecClient, server: FakeAssistantsServer, ids: tuple[str, str]
) -> None:
    assistant_id, thread_id = ids
    server.inject(Fault.cut_stream(after_events=3))
    async with api.session.post(
        f"{server.base_url}/threads/{thread_id}/runs",
        json={"assistant_id": assistant_id, "stream": True},
        headers=api.headers(),
    ) as response:
        received = bytearray()

        async def read_all() -> None:
            async for chunk in response.content.iter_any():
                received.extend(chunk)

        with pytest.raises(aiohttp.ClientPayloadError):
            await read_all()
    events = parse_sse(bytes(received).decode())
    assert _names(events) == ["thread.run.created", "thread.run.queued", "thread.run.in_progress"]
    [run] = server.store.runs(thread_id)
    assert run["status"] == "completed"


async def test_error_event_in_stream(
    api: SpecClient, server: FakeAssistantsServer, ids: tuple[str, str]
) -> None:
    assistant_id, thread_id = ids
    server.inject(Fault.stream_error(after_events=2, message="Stream broke"))
    reply = await api.post(
        f"/threads/{thread_id}/runs", {"assistant_id": assistant_id, "stream": True}
    )
    assert _names(reply.events) == ["thread.run.created", "thread.run.queued", "error"]
    assert reply.events[-1][1] == {
        "message": "Stream broke",
        "type": "server_error",
        "param": None,
        "code": None,
    }
