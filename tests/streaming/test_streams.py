"""AssistantStream over real sockets: the fake server, crafted SSE bytes, faults and early exits."""

from __future__ import annotations

import asyncio
import json
import time
from typing import Any

import pytest
from aiohttp import web
from support import SLACK
from support.local_server import connections_in_use, free_pool_slots, local_server, sse_handler

from openai_assistants import (
    APITimeoutError,
    AssistantsClient,
    NotFoundError,
    ResponseValidationError,
    RunTimeoutError,
    StreamError,
    StreamInterruptedError,
    StreamNotSupportedError,
    StreamTimeoutError,
)
from openai_assistants.models import Message, MessageDelta, Run, TextContent, TextDeltaContent
from openai_assistants.testing import FakeAssistantsServer, Fault, RunScript, ToolCallSpec

RUN = {
    "id": "run_1",
    "object": "thread.run",
    "thread_id": "thread_1",
    "assistant_id": "asst_1",
    "status": "in_progress",
}
MESSAGE = {
    "id": "msg_1",
    "object": "thread.message",
    "thread_id": "thread_1",
    "role": "assistant",
    "run_id": "run_1",
    "content": [],
}


def frame(event: str, data: Any) -> bytes:
    text = data if isinstance(data, str) else json.dumps(data)
    return f"event: {event}\ndata: {text}\n\n".encode()


def delta(text: str) -> bytes:
    body = {
        "id": "msg_1",
        "object": "thread.message.delta",
        "delta": {"content": [{"index": 0, "type": "text", "text": {"value": text}}]},
    }
    return frame("thread.message.delta", body)


HEAD = frame("thread.run.created", {**RUN, "status": "queued"}) + frame(
    "thread.message.created", MESSAGE
)
DONE = frame("done", "[DONE]")


async def setup(server: FakeAssistantsServer, client: AssistantsClient) -> tuple[str, str]:
    assistant = await client.assistants.create(model="gpt-4o")
    thread = await client.threads.create(messages=[{"role": "user", "content": "hi"}])
    return assistant.id, thread.id


async def test_a_2000_delta_stream_is_reassembled_exactly(
    fake_assistants_server: FakeAssistantsServer,
) -> None:
    words = [f"w{i}é" for i in range(2000)]
    text = " ".join(words)
    fake_assistants_server.script(RunScript.reply(text))
    async with fake_assistants_server.client() as client:
        assistant_id, thread_id = await setup(fake_assistants_server, client)
        pieces: list[str] = []
        deltas = 0
        async with client.runs.stream(thread_id, assistant_id=assistant_id) as stream:
            async for event in stream:
                if isinstance(event.data, MessageDelta):
                    deltas += 1
                    part = event.data.delta.content[0]
                    assert isinstance(part, TextDeltaContent)
                    assert part.text is not None
                    assert part.text.value is not None
                    pieces.append(part.text.value)
            run = await stream.final_run()
        assert deltas == 2000
        assert "".join(pieces) == text
        assert run.status == "completed"
        [message] = stream.messages
        first = message.content[0]
        assert isinstance(first, TextContent)
        assert first.text.value == text
        stored = await client.messages.list(thread_id, run_id=run.id).to_list()
        assert stored[0].content == message.content


async def test_text_deltas_and_final_helpers(fake_assistants_server: FakeAssistantsServer) -> None:
    fake_assistants_server.script(RunScript.reply("one two three"))
    async with fake_assistants_server.client() as client:
        assistant_id, thread_id = await setup(fake_assistants_server, client)
        stream = client.runs.stream(thread_id, assistant_id=assistant_id)
        assert "".join([t async for t in stream.text_deltas()]) == "one two three"
        assert (await stream.final_run()).status == "completed"
        assert [m.role for m in await stream.final_messages()] == ["assistant"]
        assert [s.type for s in await stream.final_run_steps()] == ["message_creation"]
        assert stream.request_id is not None
        assert stream.request_id.startswith("req_")


async def test_create_and_run_stream_carries_the_new_thread(
    fake_assistants_server: FakeAssistantsServer,
) -> None:
    async with fake_assistants_server.client() as client:
        assistant = await client.assistants.create(model="gpt-4o")
        stream = client.threads.create_and_run_stream(
            assistant_id=assistant.id, thread={"messages": [{"role": "user", "content": "yo"}]}
        )
        names = [event.event async for event in stream]
        assert names[0] == "thread.created"
        assert names[-1] == "thread.run.completed"
        assert stream.accumulator.thread is not None
        assert stream.current_run is not None
        assert stream.current_run.thread_id == stream.accumulator.thread.id


async def test_error_event_raises_stream_error_after_earlier_events() -> None:
    error = {"error": {"message": "server melted", "type": "server_error", "code": "boom"}}
    async with local_server() as server:
        server.handler = sse_handler(HEAD + delta("partial ") + frame("error", error) + DONE)
        async with AssistantsClient(api_key="k", base_url=server.base_url) as client:
            seen: list[str] = []

            async def consume() -> None:
                async for event in client.runs.stream("thread_1", assistant_id="asst_1"):
                    seen.append(event.event)

            with pytest.raises(StreamError, match="server melted") as info:
                await consume()
            assert info.value.error.code == "boom"
            assert seen == ["thread.run.created", "thread.message.created", "thread.message.delta"]
            assert connections_in_use(client) == 0


async def test_unknown_events_keep_their_raw_data() -> None:
    odd = {"id": "run_1", "status": "in_progress", "object": "thread.run", "novel": True}
    body = HEAD + frame("thread.run.reasoning", odd) + frame("vendor.ping", "not json") + DONE
    async with local_server() as server:
        server.handler = sse_handler(body)
        async with AssistantsClient(api_key="k", base_url=server.base_url) as client:
            events = [e async for e in client.runs.stream("thread_1", assistant_id="asst_1")]
    assert [(e.name, e.data) for e in events[2:]] == [
        ("thread.run.reasoning", odd),
        ("vendor.ping", "not json"),
    ]
    assert [e.event for e in events[2:]] == ["unknown", "unknown"]
    assert isinstance(events[0].data, Run)
    assert isinstance(events[1].data, Message)


async def test_a_truncated_stream_raises_with_what_arrived() -> None:
    async with local_server() as server:
        server.handler = sse_handler(HEAD + delta("Hello ") + delta("wor"), close_early=True)
        async with AssistantsClient(api_key="k", base_url=server.base_url) as client:
            stream = client.runs.stream("thread_1", assistant_id="asst_1")
            with pytest.raises(StreamInterruptedError) as info:
                await stream.until_done()
            partial = info.value.partial
            assert partial.current_run.status == "queued"
            text = partial.messages[0].content[0]
            assert isinstance(text, TextContent)
            assert text.text.value == "Hello wor"
            assert connections_in_use(client) == 0


async def test_a_clean_close_without_done_or_final_event_is_an_interruption() -> None:
    async with local_server() as server:
        server.handler = sse_handler(HEAD + delta("Hello"))
        async with AssistantsClient(api_key="k", base_url=server.base_url) as client:
            with pytest.raises(StreamInterruptedError, match="without a final run event"):
                await client.runs.stream("thread_1", assistant_id="asst_1").until_done()


async def test_a_close_right_after_the_final_run_event_is_a_normal_end() -> None:
    completed = frame("thread.run.completed", {**RUN, "status": "completed"})
    async with local_server() as server:
        server.handler = sse_handler(HEAD + delta("x") + completed)
        async with AssistantsClient(api_key="k", base_url=server.base_url) as client:
            run = await client.runs.stream("thread_1", assistant_id="asst_1").final_run()
    assert run.status == "completed"


async def test_one_unreadable_event_does_not_cost_the_stream() -> None:
    # A message event without an id, and a run event whose data is not JSON, between good ones.
    broken = frame("thread.message.created", {"object": "thread.message", "role": "assistant"})
    body = HEAD + broken + frame("thread.run.in_progress", "{oops") + delta("still here") + DONE
    async with local_server() as server:
        server.handler = sse_handler(body)
        async with AssistantsClient(api_key="k", base_url=server.base_url) as client:
            stream = client.runs.stream("thread_1", assistant_id="asst_1")
            events = [event.event async for event in stream]
            assert events == [
                "thread.run.created",
                "thread.message.created",
                "thread.message.delta",
            ]
            assert [d.path for d in stream.deviations] == [
                "thread.message.created:$",
                "thread.run.in_progress:$",
            ]
            assert "an object without an id is unusable" in stream.deviations[0].problem
            assert stream.messages[0].content[0].text.value == "still here"  # type: ignore[union-attr]
            # Strict reading raises at the first one.
            strict = client.with_options(strict=True)
            with pytest.raises(ResponseValidationError, match=r"unusable|does not fit"):
                await strict.runs.stream("thread_1", assistant_id="asst_1").until_done()


async def test_json_answered_to_a_stream_request_is_not_called_an_interruption() -> None:
    run = {**RUN, "status": "queued"}

    async def plain(request: web.Request) -> web.StreamResponse:
        return web.json_response(run)

    async with local_server() as server:
        server.handler = plain
        async with AssistantsClient(api_key="k", base_url=server.base_url) as client:
            with pytest.raises(StreamNotSupportedError) as info:
                await client.runs.stream("thread_1", assistant_id="asst_1").until_done()
            assert connections_in_use(client) == 0
    assert info.value.body == run
    assert "without streaming (application/json" in str(info.value)
    assert "a thread.run object (id 'run_1', status 'queued'); the run was created" in str(
        info.value
    )
    assert isinstance(info.value, ResponseValidationError)


async def test_chunking_of_the_wire_does_not_matter() -> None:
    body = HEAD + delta("héllo ") + delta("wörld 🎉") + DONE
    async with local_server() as server:
        for size in (1, 3, 7, 64):
            server.handler = sse_handler(body.replace(b"\n", b"\r\n"), chunk=size)
            async with AssistantsClient(api_key="k", base_url=server.base_url) as client:
                stream = client.runs.stream("thread_1", assistant_id="asst_1")
                assert "".join([t async for t in stream.text_deltas()]) == "héllo wörld 🎉"


async def test_a_silent_stream_times_out() -> None:
    async def stall(request: web.Request) -> web.StreamResponse:
        response = web.StreamResponse(headers={"Content-Type": "text/event-stream"})
        await response.prepare(request)
        await response.write(HEAD)
        await asyncio.sleep(30)
        return response

    async with local_server() as server:
        server.handler = stall
        # 1 s, not less: a busy CI host can take a few hundred ms to deliver even the headers.
        async with AssistantsClient(api_key="k", base_url=server.base_url, timeout=1.0) as client:
            start = time.monotonic()
            with pytest.raises(StreamTimeoutError) as info:
                await client.runs.stream("thread_1", assistant_id="asst_1").until_done()
            assert time.monotonic() - start < 1.0 + SLACK
            assert isinstance(info.value, APITimeoutError)
            assert info.value.partial.current_run is not None


async def test_an_error_status_raises_before_any_event(
    fake_assistants_server: FakeAssistantsServer,
) -> None:
    async with fake_assistants_server.client() as client:
        with pytest.raises(NotFoundError):
            async with client.runs.stream("thread_missing", assistant_id="asst_x"):
                pass
        assert connections_in_use(client) == 0


async def test_fake_server_faults_surface(fake_assistants_server: FakeAssistantsServer) -> None:
    async with fake_assistants_server.client() as client:
        assistant_id, thread_id = await setup(fake_assistants_server, client)
        fake_assistants_server.inject(Fault.cut_stream(after_events=4), path="/runs$")
        with pytest.raises(StreamInterruptedError):
            await client.runs.stream(thread_id, assistant_id=assistant_id).until_done()
        await client.runs.poll(thread_id, (await client.runs.list(thread_id)).data[0].id)
        fake_assistants_server.inject(Fault.stream_error(after_events=2), path="/runs$")
        with pytest.raises(StreamError):
            await client.runs.stream(thread_id, assistant_id=assistant_id).until_done()
        assert connections_in_use(client) == 0


async def test_bad_arguments_fail_before_sending(
    fake_assistants_server: FakeAssistantsServer,
) -> None:
    async with fake_assistants_server.client() as client:
        # Checked when the stream is asked for, not when it is first read.
        with pytest.raises(ValueError, match="thread_id"):
            client.runs.create_stream("thread/1", assistant_id="a")
        with pytest.raises(TypeError, match="tempratur"):
            client.runs.create_stream("thread_1", assistant_id="a", tempratur=3)  # type: ignore[call-arg]
    assert fake_assistants_server.requests == []


async def consume(
    client: AssistantsClient, thread_id: str, assistant_id: str, started: asyncio.Event
) -> None:
    """Read one event of a run's stream, then hang until cancelled."""
    async for _ in client.runs.stream(thread_id, assistant_id=assistant_id):
        started.set()
        await asyncio.sleep(10)


@pytest.mark.slow
async def test_1000_early_exits_do_not_exhaust_the_pool(
    fake_assistants_server: FakeAssistantsServer,
) -> None:
    fake_assistants_server.set_default_script(lambda: RunScript.reply(" ".join(["w"] * 50)))
    fake_assistants_server.event_delay = 0.0
    async with fake_assistants_server.client(max_connections=4, pool_timeout=5) as client:
        assistant = await client.assistants.create(model="gpt-4o")
        threads = [(await client.threads.create()).id for _ in range(3)]
        for i in range(1000):
            style = i % 3
            if style == 0:  # async with + break
                async with client.threads.create_and_run_stream(assistant_id=assistant.id) as s:
                    async for _ in s:
                        break
            elif style == 1:  # a bare break, no async with: the finalizer frees the slot
                async for _ in client.threads.create_and_run_stream(assistant_id=assistant.id):
                    break
            else:  # the consuming task is cancelled mid-stream
                thread_id = threads[i % 3]
                started = asyncio.Event()
                task = asyncio.ensure_future(consume(client, thread_id, assistant.id, started))
                await started.wait()
                task.cancel()
                with pytest.raises(asyncio.CancelledError):
                    await task
                latest = (await client.runs.list(thread_id)).data[0]
                await client.runs.poll(thread_id, latest.id)
        assert connections_in_use(client) == 0
        assert (await client.assistants.retrieve(assistant.id)).id == assistant.id


async def test_a_tool_loop_whose_next_request_is_not_streamed_frees_its_connection(
    fake_assistants_server: FakeAssistantsServer,
) -> None:
    server = fake_assistants_server
    server.script(RunScript.call_tools(ToolCallSpec("add", {"a": 1})).then_reply("done"))
    async with server.client() as client:
        assistant = await client.assistants.create(model="gpt-4o")
        thread = await client.threads.create(messages=[{"role": "user", "content": "add"}])

        def add(a: int) -> str:
            server.quirks = ["no_streaming"]  # the submit-tool-outputs stream comes back as JSON
            return str(a + 1)

        stream = client.runs.run_tools_stream(
            thread.id, assistant_id=assistant.id, handlers={"add": add}
        )
        with pytest.raises(StreamNotSupportedError, match=r"a thread\.run object"):
            await stream.until_done()
        assert connections_in_use(client) == 0
        assert free_pool_slots(client) == client.config.max_connections


def trickle_then_hang(payload: bytes) -> Any:
    """Send ``payload`` as an event stream, then keep the connection open without a word."""

    async def handle(request: web.Request) -> web.StreamResponse:
        response = web.StreamResponse(headers={"Content-Type": "text/event-stream"})
        await response.prepare(request)
        await response.write(payload)
        await asyncio.sleep(30)
        return response

    return handle


async def test_max_wait_ends_a_tool_stream_that_hangs_mid_way_with_the_last_run() -> None:
    """The stream's deadline is one timer, not a wait per chunk: it still ends a read that
    hangs (the request's own timeout is far off), names the last run, and frees the slot."""
    async with local_server() as server:
        server.handler = trickle_then_hang(HEAD + delta("Hel"))
        async with AssistantsClient(api_key="k", base_url=server.base_url, timeout=30) as client:
            stream = client.runs.run_tools_stream(
                "thread_1", assistant_id="asst_1", handlers={}, max_wait=0.5
            )
            names: list[str] = []

            async def read_all() -> None:
                async for event in stream:
                    names.append(event.event)

            start = time.monotonic()
            with pytest.raises(RunTimeoutError, match=r"max_wait=0\.5") as info:
                await read_all()
            elapsed = time.monotonic() - start
            assert connections_in_use(client) == 0
    assert names == ["thread.run.created", "thread.message.created", "thread.message.delta"]
    assert info.value.run is not None
    assert info.value.run.status == "queued"
    assert 0.5 <= elapsed < 0.5 + SLACK


async def test_a_stream_read_in_time_is_not_cut_by_its_deadline_timer() -> None:
    async with local_server() as server:
        server.handler = sse_handler(HEAD + delta("Hi") + DONE)
        async with AssistantsClient(api_key="k", base_url=server.base_url) as client:
            stream = client.runs.run_tools_stream(
                "thread_1", assistant_id="asst_1", handlers={}, max_wait=0.3
            )
            text = "".join([t async for t in stream.text_deltas()])
            await asyncio.sleep(0.5)  # past max_wait: the timer is gone with the stream
            assert stream._timer is None
    assert text == "Hi"
