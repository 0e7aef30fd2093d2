"""The official ``openai`` client against the fake: proof it is faithful to a client we did not
write. The client marks the Assistants API deprecated, hence the warning filter."""

from __future__ import annotations

import openai
import pytest
from openai.lib.streaming import AsyncAssistantEventHandler
from openai.types.beta.threads import Text, TextDelta

from openai_assistants.testing import FakeAssistantsServer, RunScript, ToolCallSpec

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


@pytest.fixture
def client(official: openai.AsyncOpenAI) -> openai.AsyncOpenAI:
    """The official client (the ``official`` fixture of this folder's conftest)."""
    return official


async def test_crud(client: openai.AsyncOpenAI) -> None:
    assistant = await client.beta.assistants.create(
        model="gpt-4o", name="Helper", tools=[{"type": "code_interpreter"}]
    )
    assert assistant.id.startswith("asst_")
    updated = await client.beta.assistants.update(assistant.id, name="Renamed")
    assert updated.name == "Renamed"
    assert (await client.beta.assistants.retrieve(assistant.id)).name == "Renamed"

    thread = await client.beta.threads.create(messages=[{"role": "user", "content": "Hi"}])
    message = await client.beta.threads.messages.create(thread.id, role="user", content="More")
    assert message.content[0].type == "text"
    page = await client.beta.threads.messages.list(thread.id, order="asc")
    assert [m.id for m in page.data][-1] == message.id
    await client.beta.threads.messages.update(message.id, thread_id=thread.id, metadata={"a": "b"})
    got = await client.beta.threads.messages.retrieve(message.id, thread_id=thread.id)
    assert got.metadata == {"a": "b"}
    deleted = await client.beta.threads.messages.delete(message.id, thread_id=thread.id)
    assert deleted.deleted

    run = await client.beta.threads.runs.create(thread.id, assistant_id=assistant.id)
    assert run.status == "queued"
    runs = await client.beta.threads.runs.list(thread.id)
    assert [r.id for r in runs.data] == [run.id]
    steps = await client.beta.threads.runs.steps.list(run.id, thread_id=thread.id)
    assert steps.data[0].type == "message_creation"

    assert (await client.beta.threads.delete(thread.id)).deleted
    assert (await client.beta.assistants.delete(assistant.id)).deleted
    with pytest.raises(openai.NotFoundError) as caught:
        await client.beta.assistants.retrieve(assistant.id)
    assert caught.value.code is None
    assert "No assistant found" in caught.value.message


async def test_auto_pagination_across_pages(
    client: openai.AsyncOpenAI, server: FakeAssistantsServer
) -> None:
    thread = server.factories.thread()
    ids = server.factories.messages(thread["id"], 45)
    seen = [
        message.id
        async for message in client.beta.threads.messages.list(thread["id"], limit=10, order="asc")
    ]
    assert seen == ids
    assert sum(1 for r in server.requests if r.path.endswith("/messages")) == 5


async def test_create_and_poll(client: openai.AsyncOpenAI, server: FakeAssistantsServer) -> None:
    server.clock = "per_poll"
    assistant = server.factories.assistant()
    thread = server.factories.thread(messages=["Tell me a joke"])
    run = await client.beta.threads.runs.create_and_poll(
        thread_id=thread["id"], assistant_id=assistant["id"]
    )
    assert run.status == "completed"
    assert run.usage is not None
    messages = await client.beta.threads.messages.list(thread["id"], limit=1)
    block = messages.data[0].content[0]
    assert block.type == "text"
    assert block.text.value == "You said: Tell me a joke"


async def test_submit_tool_outputs_and_poll(
    client: openai.AsyncOpenAI, server: FakeAssistantsServer
) -> None:
    server.clock = "per_poll"
    server.script(RunScript.call_tools(ToolCallSpec("get_weather", {"city": "Oslo"})).then_reply())
    assistant = server.factories.assistant()
    thread = server.factories.thread(messages=["Weather?"])
    run = await client.beta.threads.runs.create_and_poll(
        thread_id=thread["id"], assistant_id=assistant["id"]
    )
    assert run.status == "requires_action"
    assert run.required_action is not None
    [call] = run.required_action.submit_tool_outputs.tool_calls
    assert call.function.arguments == '{"city": "Oslo"}'
    done = await client.beta.threads.runs.submit_tool_outputs_and_poll(
        run_id=run.id,
        thread_id=thread["id"],
        tool_outputs=[{"tool_call_id": call.id, "output": "-3C"}],
    )
    assert done.status == "completed"
    messages = await client.beta.threads.messages.list(thread["id"], limit=1)
    block = messages.data[0].content[0]
    assert block.type == "text"
    assert block.text.value == "Tool results: get_weather: -3C"


class Collector(AsyncAssistantEventHandler):
    """Collects streamed text and the events seen."""

    def __init__(self) -> None:
        super().__init__()
        self.deltas: list[str] = []
        self.texts: list[str] = []
        self.events: list[str] = []

    async def on_event(self, event: openai.types.beta.AssistantStreamEvent) -> None:
        self.events.append(event.event)

    async def on_text_delta(self, delta: TextDelta, snapshot: Text) -> None:
        self.deltas.append(delta.value or "")

    async def on_text_done(self, text: Text) -> None:
        self.texts.append(text.value)


async def test_stream_with_event_handler(
    client: openai.AsyncOpenAI, server: FakeAssistantsServer
) -> None:
    assistant = server.factories.assistant()
    thread = server.factories.thread(messages=["Stream this please"])
    handler = Collector()
    async with client.beta.threads.runs.stream(
        thread_id=thread["id"], assistant_id=assistant["id"], event_handler=handler
    ) as stream:
        await stream.until_done()
    assert "".join(handler.deltas) == "You said: Stream this please"
    assert handler.texts == ["You said: Stream this please"]
    assert handler.events[0] == "thread.run.created"
    assert handler.events[-1] == "thread.run.completed"


async def test_streamed_tool_outputs(
    client: openai.AsyncOpenAI, server: FakeAssistantsServer
) -> None:
    server.script(RunScript.call_tools(ToolCallSpec("lookup", {"q": "x"})).then_reply("Found it."))
    assistant = server.factories.assistant()
    thread = server.factories.thread(messages=["Find x"])
    first = Collector()
    async with client.beta.threads.runs.stream(
        thread_id=thread["id"], assistant_id=assistant["id"], event_handler=first
    ) as stream:
        await stream.until_done()
        run = stream.current_run
    assert run is not None
    assert run.status == "requires_action"
    assert run.required_action is not None
    [call] = run.required_action.submit_tool_outputs.tool_calls
    second = Collector()
    async with client.beta.threads.runs.submit_tool_outputs_stream(
        run_id=run.id,
        thread_id=thread["id"],
        tool_outputs=[{"tool_call_id": call.id, "output": "x=1"}],
        event_handler=second,
    ) as stream:
        await stream.until_done()
    assert second.texts == ["Found it."]
    assert second.events[-1] == "thread.run.completed"
