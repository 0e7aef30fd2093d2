"""The client against the fake server over real sockets: every operation, both versions."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator

import pytest

from openai_assistants import (
    AssistantsClient,
    AuthenticationError,
    BadRequestError,
    NotFoundError,
)
from openai_assistants.models import (
    Assistant,
    CodeInterpreterTool,
    DeletionStatus,
    FunctionDefinition,
    FunctionTool,
    MessageParam,
    TextContent,
    ThreadParam,
)
from openai_assistants.testing import FakeAssistantsServer


@pytest.fixture
async def client(fake_assistants_server: FakeAssistantsServer) -> AsyncIterator[AssistantsClient]:
    async with fake_assistants_server.client() as client:
        yield client


@pytest.fixture
async def client_v1(
    fake_assistants_server: FakeAssistantsServer,
) -> AsyncIterator[AssistantsClient]:
    async with fake_assistants_server.client(api_version="v1") as client:
        yield client


async def test_v2_assistant_thread_message_run_lifecycle(
    client: AssistantsClient, fake_assistants_server: FakeAssistantsServer
) -> None:
    assistant = await client.assistants.create(
        model="gpt-4o",
        name="x",
        tools=[{"type": "code_interpreter"}, FunctionTool(function=FunctionDefinition(name="f"))],
        metadata={"team": "a"},
    )
    assert isinstance(assistant, Assistant)
    assert assistant.id.startswith("asst_")
    assert assistant.tools[0] == CodeInterpreterTool()
    assert isinstance(assistant.tools[1], FunctionTool)
    assert (await client.assistants.retrieve(assistant.id)).name == "x"
    updated = await client.assistants.update(assistant.id, name="y", instructions=None)
    assert (updated.name, updated.instructions) == ("y", None)
    assert [a.id async for a in client.assistants.list()] == [assistant.id]

    thread = await client.threads.create(messages=[{"role": "user", "content": "hi"}])
    assert (await client.threads.retrieve(thread.id)).id == thread.id
    assert (await client.threads.update(thread.id, metadata={"k": "v"})).metadata == {"k": "v"}
    message = await client.messages.create(thread.id, role="user", content="hello there")
    assert isinstance(message.content[0], TextContent)
    assert message.content[0].text.value == "hello there"
    assert (await client.messages.retrieve(thread.id, message.id)).id == message.id
    changed = await client.messages.update(thread.id, message.id, metadata={"seen": "1"})
    assert changed.metadata == {"seen": "1"}

    run = await client.runs.create(thread.id, assistant_id=assistant.id)
    assert run.thread_id == thread.id
    run = await client.runs.retrieve(thread.id, run.id)
    assert run.status == "completed"
    assert (await client.runs.update(thread.id, run.id, metadata={"a": "b"})).metadata == {"a": "b"}
    assert [r.id async for r in client.runs.list(thread.id)] == [run.id]
    steps = await client.run_steps.list(thread.id, run.id).to_list()
    assert steps
    step = await client.run_steps.retrieve(thread.id, run.id, steps[0].id)
    assert step.id == steps[0].id
    replies = [m async for m in client.messages.list(thread.id, run_id=run.id)]
    assert [m.role for m in replies] == ["assistant"]

    deleted = await client.messages.delete(thread.id, message.id)
    assert deleted == DeletionStatus(id=message.id, deleted=True, object="thread.message.deleted")
    assert (await client.threads.delete(thread.id)).deleted is True
    assert (await client.assistants.delete(assistant.id)).deleted is True
    with pytest.raises(NotFoundError) as info:
        await client.assistants.retrieve(assistant.id)
    assert info.value.request_id is not None
    assert info.value.request_id.startswith("req_")


async def test_create_and_run(client: AssistantsClient) -> None:
    assistant = await client.assistants.create(model="gpt-4o")
    run = await client.threads.create_and_run(
        assistant_id=assistant.id,
        thread=ThreadParam(messages=[MessageParam(role="user", content="ping")]),
    )
    assert run.thread_id.startswith("thread_")
    messages = await client.messages.list(run.thread_id, order="asc").to_list()
    assert [m.role for m in messages] == ["user", "assistant"]
    first = messages[0].content[0]
    assert isinstance(first, TextContent)
    assert first.text.value == "ping"


async def test_submit_tool_outputs_and_cancel(
    client: AssistantsClient, fake_assistants_server: FakeAssistantsServer
) -> None:
    from openai_assistants.testing import RunScript, ToolCallSpec

    assistant = await client.assistants.create(
        model="gpt-4o", tools=[FunctionTool(function=FunctionDefinition(name="get_weather"))]
    )
    thread = await client.threads.create(messages=[{"role": "user", "content": "weather?"}])
    fake_assistants_server.script(
        RunScript.call_tools(ToolCallSpec("get_weather", {"city": "Paris"}))
    )
    run = await client.runs.create(thread.id, assistant_id=assistant.id)
    run = await client.runs.retrieve(thread.id, run.id)
    assert run.status == "requires_action"
    assert run.required_action is not None
    call = run.required_action.submit_tool_outputs.tool_calls[0]
    assert call.function.name == "get_weather"
    assert json.loads(call.function.arguments) == {"city": "Paris"}
    run = await client.runs.submit_tool_outputs(
        thread.id, run.id, tool_outputs=[{"tool_call_id": call.id, "output": "sunny"}]
    )
    run = await client.runs.retrieve(thread.id, run.id)
    assert run.status == "completed"

    fake_assistants_server.clock = "per_poll"
    second = await client.runs.create(thread.id, assistant_id=assistant.id)
    cancelled = await client.runs.cancel(thread.id, second.id)
    assert cancelled.status in ("cancelling", "cancelled")


async def test_v1_file_endpoints(
    client_v1: AssistantsClient, fake_assistants_server: FakeAssistantsServer
) -> None:
    assistant = await client_v1.assistants.create(model="gpt-4", file_ids=["file-a"])
    assert assistant.file_ids == ["file-a"]
    attached = await client_v1.assistant_files.create(assistant.id, file_id="file-b")
    assert (attached.id, attached.assistant_id) == ("file-b", assistant.id)
    assert (await client_v1.assistant_files.retrieve(assistant.id, "file-b")).id == "file-b"
    ids = [f.id async for f in client_v1.assistant_files.list(assistant.id, order="asc")]
    assert ids == ["file-a", "file-b"]
    assert (await client_v1.assistant_files.delete(assistant.id, "file-b")).deleted is True

    thread = await client_v1.threads.create()
    message = await client_v1.messages.create(
        thread.id, role="user", content="see file", file_ids=["file-c"]
    )
    files = await client_v1.message_files.list(thread.id, message.id).to_list()
    assert [f.id for f in files] == ["file-c"]
    one = await client_v1.message_files.retrieve(thread.id, message.id, "file-c")
    assert one.message_id == message.id


async def test_pagination_both_directions_over_real_sockets(
    client: AssistantsClient, fake_assistants_server: FakeAssistantsServer
) -> None:
    thread = fake_assistants_server.factories.thread()
    ids = fake_assistants_server.factories.messages(thread["id"], 250)  # oldest first
    forward = [m.id async for m in client.messages.list(thread["id"], order="asc", limit=100)]
    assert forward == ids
    newest_first = await client.messages.list(thread["id"], limit=7).to_list()
    assert [m.id for m in newest_first] == ids[::-1]
    pivot = ids[120]
    older = [m.id async for m in client.messages.list(thread["id"], order="asc", before=pivot)]
    assert older == ids[:120][::-1]  # nearest to the pivot first
    newer = [m.id async for m in client.messages.list(thread["id"], order="desc", before=pivot)]
    assert newer == ids[121:]
    after = [m.id async for m in client.messages.list(thread["id"], after=pivot, limit=33)]
    assert after == ids[:120][::-1]
    capped = await client.messages.list(thread["id"], order="asc", max_items=5).to_list()
    assert [m.id for m in capped] == ids[:5]
    page = await client.messages.list(thread["id"], order="asc", limit=10)
    assert (page.first_id, page.last_id, page.has_more) == (ids[0], ids[9], True)
    lists = [r for r in fake_assistants_server.requests if r.path.endswith("/messages") and r.query]
    assert all(not ("after" in r.query and "before" in r.query) for r in lists)


async def test_server_errors_map_to_sdk_errors(
    fake_assistants_server: FakeAssistantsServer,
) -> None:
    async with fake_assistants_server.client(api_key="sk-wrong") as wrong:
        with pytest.raises(AuthenticationError):
            await wrong.assistants.list().to_list()
    async with fake_assistants_server.client() as client:
        with pytest.raises(BadRequestError) as info:
            await client.assistants.create(model="gpt-4o", extra_body={"unknown_field": 1})
        assert info.value.error is not None
