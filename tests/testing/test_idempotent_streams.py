"""A repeated ``Idempotency-Key`` on a streamed run replays the stream, never starts a new run."""

from __future__ import annotations

import aiohttp
import pytest
from support import eventually

from openai_assistants.testing import FakeAssistantsServer, Fault

from .spec_client import SpecClient, parse_sse


@pytest.fixture
def ids(server: FakeAssistantsServer) -> tuple[str, str]:
    assistant = server.factories.assistant()
    thread = server.factories.thread(messages=["How are you today?"])
    return assistant["id"], thread["id"]


async def test_a_repeated_key_replays_the_stream(
    api: SpecClient, server: FakeAssistantsServer, ids: tuple[str, str]
) -> None:
    assistant_id, thread_id = ids
    headers = api.headers(**{"Idempotency-Key": "stream-1"})
    body = {"assistant_id": assistant_id, "stream": True}
    first = await api.post(f"/threads/{thread_id}/runs", body, headers=headers)
    again = await api.post(f"/threads/{thread_id}/runs", body, headers=headers)
    assert again.events == first.events
    assert first.events[-1] == ("done", "[DONE]")
    assert len(server.store.runs(thread_id)) == 1


async def test_a_cut_stream_replays_whole(
    api: SpecClient, server: FakeAssistantsServer, ids: tuple[str, str]
) -> None:
    assistant_id, thread_id = ids
    headers = api.headers(**{"Idempotency-Key": "stream-cut"})
    body = {"assistant_id": assistant_id, "stream": True}
    server.inject(Fault.cut_stream(after_events=3))
    with pytest.raises(aiohttp.ClientPayloadError):
        await api.post(f"/threads/{thread_id}/runs", body, headers=headers)
    replay = await api.post(f"/threads/{thread_id}/runs", body, headers=headers)
    names = [name for name, _ in replay.events]
    assert names[:3] == ["thread.run.created", "thread.run.queued", "thread.run.in_progress"]
    assert names[-2:] == ["thread.run.completed", "done"]
    [run] = server.store.runs(thread_id)
    assert replay.events[-2][1]["id"] == run["id"]


async def test_a_repeat_while_the_stream_is_in_progress_gets_409(
    api: SpecClient, server: FakeAssistantsServer, ids: tuple[str, str]
) -> None:
    assistant_id, thread_id = ids
    server.event_delay = 0.02
    headers = api.headers(**{"Idempotency-Key": "stream-busy"})
    url = f"{server.base_url}/threads/{thread_id}/runs"
    body = {"assistant_id": assistant_id, "stream": True}
    async with api.session.post(url, json=body, headers=headers) as response:
        await response.content.readuntil(b"\n\n")  # the stream is under way
        busy = await api.post(f"/threads/{thread_id}/runs", body, headers=headers)
        assert busy.status == 409
        assert busy.error["code"] == "idempotency_key_in_use"
        first = parse_sse((await response.read()).decode())
    replay = await api.post(f"/threads/{thread_id}/runs", body, headers=headers)
    assert replay.events[1:] == first  # the first event was read above
    assert len(server.store.runs(thread_id)) == 1


async def test_a_stream_whose_client_left_before_the_headers_replays(
    api: SpecClient, server: FakeAssistantsServer, ids: tuple[str, str]
) -> None:
    assistant_id, thread_id = ids
    headers = api.headers(**{"Idempotency-Key": "stream-late"})
    body = {"assistant_id": assistant_id, "stream": True}
    path = f"/threads/{thread_id}/runs"
    first = await api.abandon_before_headers(path, body, headers=headers)
    assert first.headers["Idempotency-Key"] == "stream-late"
    # The handler wakes after 0.2 s and handles it for nobody, keeping its stream for the key.
    await eventually(
        lambda: "stream-late" in server.state.idempotent_responses,
        what="the abandoned stream was kept for its key",
    )
    kept = server.state.idempotent_responses["stream-late"]
    replay = await api.post(path, body, headers=headers)
    assert replay.events == parse_sse(kept.body.decode())
    assert replay.events[-1] == ("done", "[DONE]")
    assert len(server.store.runs(thread_id)) == 1
