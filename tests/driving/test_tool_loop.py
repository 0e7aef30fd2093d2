"""The tool-call loop against the fake server, in polling and streaming mode."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from typing import Any

import pytest

from openai_assistants import AssistantsClient, RunTimeoutError, ToolCallError
from openai_assistants.models import MessageDelta, TextDeltaContent
from openai_assistants.testing import FakeAssistantsServer, RunScript, ToolCallSpec


@pytest.fixture
async def client(fake_assistants_server: FakeAssistantsServer) -> AsyncIterator[AssistantsClient]:
    async with fake_assistants_server.client() as client:
        yield client


async def start(client: AssistantsClient) -> tuple[str, str]:
    assistant = await client.assistants.create(model="gpt-4o")
    thread = await client.threads.create(messages=[{"role": "user", "content": "go"}])
    return assistant.id, thread.id


def submitted(server: FakeAssistantsServer) -> list[dict[str, str]]:
    """Every tool output the server received, in order."""
    outputs: list[dict[str, str]] = []
    for request in server.requests:
        if request.path.endswith("/submit_tool_outputs"):
            assert isinstance(request.json, dict)
            outputs.extend(request.json["tool_outputs"])
    return outputs


class Barrier:
    """Two handlers that can only both finish if they run at the same time."""

    def __init__(self) -> None:
        self.weather = asyncio.Event()
        self.time = asyncio.Event()

    async def get_weather(self, city: str) -> dict[str, Any]:
        self.weather.set()
        await asyncio.wait_for(self.time.wait(), 5)
        return {"city": city, "temp_c": 21}

    async def get_time(self, zone: str) -> str:
        self.time.set()
        await asyncio.wait_for(self.weather.wait(), 5)
        return f"12:00 {zone}"


TWO_CALLS = RunScript.call_tools(
    ToolCallSpec("get_weather", {"city": "Paris"}), ToolCallSpec("get_time", {"zone": "CET"})
).then_reply()


async def test_two_parallel_calls_answered_concurrently_in_one_submit(
    client: AssistantsClient, fake_assistants_server: FakeAssistantsServer
) -> None:
    assistant_id, thread_id = await start(client)
    fake_assistants_server.script(TWO_CALLS)
    barrier = Barrier()
    run = await client.runs.run_tools(
        thread_id,
        assistant_id=assistant_id,
        handlers={"get_weather": barrier.get_weather, "get_time": barrier.get_time},
    )
    assert run.status == "completed"
    outputs = submitted(fake_assistants_server)
    assert [json.loads(outputs[0]["output"]), outputs[1]["output"]] == [
        {"city": "Paris", "temp_c": 21},
        "12:00 CET",
    ]
    submits = [r for r in fake_assistants_server.requests if r.path.endswith("tool_outputs")]
    assert len(submits) == 1
    reply = (await client.messages.list(thread_id, run_id=run.id).to_list())[0]
    assert "12:00 CET" in reply.content[0].text.value  # type: ignore[union-attr]


async def test_failing_missing_and_malformed_calls_are_answered_with_errors(
    client: AssistantsClient, fake_assistants_server: FakeAssistantsServer
) -> None:
    assistant_id, thread_id = await start(client)
    fake_assistants_server.script(
        RunScript.call_tools(
            ToolCallSpec("explode", {}),
            ToolCallSpec("nobody_home", {"x": 1}),
            ToolCallSpec("add", '{"a": 1, "b": '),
            ToolCallSpec("add", {"a": 2, "b": 3}),
        ).then_reply()
    )

    def explode() -> None:
        raise RuntimeError("kaboom")

    def add(a: int, b: int) -> int:  # a plain function: runs in a worker thread
        return a + b

    run = await client.runs.run_tools(
        thread_id, assistant_id=assistant_id, handlers={"explode": explode, "add": add}
    )
    assert run.status == "completed"
    outputs = [o["output"] for o in submitted(fake_assistants_server)]
    assert outputs[0] == "Error: RuntimeError: kaboom"
    assert outputs[1] == "Error: LookupError: no handler for the function 'nobody_home'"
    assert outputs[2].startswith("Error: ValueError: the arguments are not valid JSON")
    assert outputs[3] == "5"


async def test_strict_mode_cancels_the_run_and_raises(
    client: AssistantsClient, fake_assistants_server: FakeAssistantsServer
) -> None:
    assistant_id, thread_id = await start(client)
    fake_assistants_server.script(RunScript.call_tools(ToolCallSpec("explode", {})))

    async def explode() -> None:
        raise RuntimeError("kaboom")

    with pytest.raises(ToolCallError, match="kaboom") as info:
        await client.runs.run_tools(
            thread_id, assistant_id=assistant_id, handlers={"explode": explode}, strict=True
        )
    assert isinstance(info.value.__cause__, RuntimeError)
    assert info.value.call.function.name == "explode"
    run = await client.runs.poll(thread_id, info.value.run.id)
    assert run.status == "cancelled"
    assert submitted(fake_assistants_server) == []


async def test_handler_timeout(
    client: AssistantsClient, fake_assistants_server: FakeAssistantsServer
) -> None:
    assistant_id, thread_id = await start(client)
    fake_assistants_server.script(RunScript.call_tools(ToolCallSpec("slow", {})).then_reply())

    async def slow() -> str:
        await asyncio.sleep(10)
        return "late"

    run = await client.runs.run_tools(
        thread_id, assistant_id=assistant_id, handlers={"slow": slow}, tool_timeout=0.1
    )
    assert run.status == "completed"
    assert submitted(fake_assistants_server)[0]["output"] == "Error: timed out after 0.1s"


async def test_max_rounds_caps_the_loop(
    client: AssistantsClient, fake_assistants_server: FakeAssistantsServer
) -> None:
    assistant_id, thread_id = await start(client)
    again = ToolCallSpec("again", {})
    fake_assistants_server.script(
        RunScript.call_tools(again).then_call_tools(again).then_call_tools(again).then_reply()
    )
    with pytest.raises(ToolCallError, match="max_rounds=2"):
        await client.runs.run_tools(
            thread_id, assistant_id=assistant_id, handlers={"again": lambda: "ok"}, max_rounds=2
        )
    assert len(submitted(fake_assistants_server)) == 2


async def test_streaming_mode_is_one_iterator_across_rounds(
    client: AssistantsClient, fake_assistants_server: FakeAssistantsServer
) -> None:
    assistant_id, thread_id = await start(client)
    fake_assistants_server.script(
        RunScript.call_tools(ToolCallSpec("get_weather", {"city": "Oslo"}))
        .then_call_tools(ToolCallSpec("get_weather", {"city": "Rome"}))
        .then_reply()
    )
    cities: list[str] = []

    def get_weather(city: str) -> str:
        cities.append(city)
        return f"{city}: sunny"

    names: list[str] = []
    run_ids: set[str | None] = set()
    text = ""
    async with client.runs.run_tools_stream(
        thread_id, assistant_id=assistant_id, handlers={"get_weather": get_weather}
    ) as stream:
        async for event in stream:
            names.append(event.event)
            run_ids.add(event.run_id)
            if isinstance(event.data, MessageDelta):
                part = event.data.delta.content[0]
                assert isinstance(part, TextDeltaContent)
                text += part.text.value if part.text and part.text.value else ""
    assert cities == ["Oslo", "Rome"]
    assert names.count("thread.run.requires_action") == 2
    assert names[-1] == "thread.run.completed"
    assert len(run_ids) == 1
    assert None not in run_ids
    assert "Rome: sunny" in text
    assert stream.current_run is not None
    assert stream.current_run.status == "completed"
    steps = stream.run_steps
    assert sum(1 for s in steps if s.type == "tool_calls") == 2


def echo_city(city: str) -> str:
    return city


async def test_create_and_run_tools_both_modes(
    client: AssistantsClient, fake_assistants_server: FakeAssistantsServer
) -> None:
    assistant = await client.assistants.create(model="gpt-4o")
    thread = {"messages": [{"role": "user", "content": "weather?"}]}
    for stream in (False, True):
        fake_assistants_server.script(
            RunScript.call_tools(ToolCallSpec("get_weather", {"city": "Lima"})).then_reply()
        )
        if stream:
            s = client.threads.create_and_run_tools_stream(
                assistant_id=assistant.id,
                thread=thread,
                handlers={"get_weather": echo_city},
            )
            run = await s.final_run()
        else:
            run = await client.threads.create_and_run_tools(
                assistant_id=assistant.id, thread=thread, handlers={"get_weather": echo_city}
            )
        assert run.status == "completed"
    assert [o["output"] for o in submitted(fake_assistants_server)] == ["Lima", "Lima"]


async def test_max_wait_bounds_the_whole_loop(
    client: AssistantsClient, fake_assistants_server: FakeAssistantsServer
) -> None:
    assistant_id, thread_id = await start(client)
    fake_assistants_server.script(RunScript.call_tools(ToolCallSpec("slow", {})).then_reply())

    async def slow() -> str:
        await asyncio.sleep(10)
        return "late"

    with pytest.raises(RunTimeoutError):
        await client.runs.run_tools(
            thread_id, assistant_id=assistant_id, handlers={"slow": slow}, max_wait=0.3
        )


@pytest.mark.parametrize(
    ("kwargs", "exc", "message"),
    [
        ({"handlers": [print]}, TypeError, "map function names"),
        ({"handlers": {"f": 3}}, TypeError, "callable"),
        ({"handlers": {}, "tool_timeout": 0}, ValueError, "tool_timeout"),
        ({"handlers": {}, "max_rounds": 0}, ValueError, "max_rounds"),
        ({"handlers": {}, "tempratur": 3}, TypeError, "unexpected keyword argument 'tempratur'"),
        ({"handlers": {}, "temperature": "hot"}, TypeError, "temperature"),
        ({"handlers": {}, "timout": 3}, TypeError, "unexpected keyword argument 'timout'"),
        ({"tools": {"f": print}}, TypeError, "handlers"),
    ],
)
@pytest.mark.parametrize("streamed", [False, True], ids=["polled", "streamed"])
async def test_bad_loop_arguments_fail_before_sending(
    client: AssistantsClient,
    fake_assistants_server: FakeAssistantsServer,
    kwargs: dict[str, Any],
    exc: type[Exception],
    message: str,
    streamed: bool,
) -> None:
    async def start_run() -> object:
        if streamed:  # raises when called: the stream is not even made
            return client.runs.run_tools_stream("thread_1", assistant_id="asst_1", **kwargs)
        return await client.runs.run_tools("thread_1", assistant_id="asst_1", **kwargs)

    async def create_and_run() -> object:
        if streamed:
            return client.threads.create_and_run_tools_stream(assistant_id="asst_1", **kwargs)
        return await client.threads.create_and_run_tools(assistant_id="asst_1", **kwargs)

    with pytest.raises(exc, match=message):
        await start_run()
    with pytest.raises(exc, match=message):
        await create_and_run()
    assert fake_assistants_server.requests == []
