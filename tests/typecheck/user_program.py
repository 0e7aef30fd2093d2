"""A user's program, written as a typed-SDK user writes it, against every service.

``test_user_program.py`` type-checks this file with ``mypy --strict`` (and pyright when it runs
here) and runs it against the fake server. Each ``reveal_type`` ends with the type the checkers
must show, as ``# expect: <type>`` (module paths left out). No ``type: ignore`` anywhere.
"""

from __future__ import annotations

from typing import Any

from typing_extensions import reveal_type

from openai_assistants import (
    APIResponse,
    AssistantsClient,
    AssistantStream,
    AsyncPager,
    RunTimeoutError,
    function_tool,
)
from openai_assistants.models import Run


def get_weather(city: str) -> dict[str, str]:
    """The weather in a city."""
    return {"city": city, "sky": "sunny"}


async def assistants_and_threads(client: AssistantsClient) -> tuple[str, str]:
    assistant = await client.assistants.create(
        model="gpt-4o", name="typed", tools=[function_tool(get_weather), {"type": "file_search"}]
    )
    reveal_type(assistant)  # expect: Assistant
    response = await client.assistants.with_response.retrieve(assistant.id)
    reveal_type(response)  # expect: APIResponse[Assistant]
    assert isinstance(response, APIResponse)
    assert response.data.id == assistant.id
    assert response.status_code == 200
    for tool in response.data.tools:
        if tool.type == "function":
            reveal_type(tool.function)  # expect: FunctionDefinition
            assert tool.function.name == "get_weather"
        elif tool.type == "unknown":
            reveal_type(tool.raw)  # expect: dict[str, Any]
    await client.assistants.update(assistant.id, name="renamed", temperature=0.5)
    pager = client.assistants.list(limit=2, order="desc", max_items=10)
    reveal_type(pager)  # expect: AsyncPager[Assistant]
    assert isinstance(pager, AsyncPager)
    assert assistant.id in [a.id async for a in pager]

    thread = await client.threads.create(messages=[{"role": "user", "content": "Weather?"}])
    retrieved = await client.threads.with_response.retrieve(thread.id)
    reveal_type(retrieved)  # expect: APIResponse[Thread]
    await client.threads.update(thread.id, metadata={"user": "typed"})
    return assistant.id, thread.id


async def messages(client: AssistantsClient, thread_id: str) -> None:
    message = await client.messages.create(thread_id, role="user", content="And in Lima?")
    updated = await client.messages.with_response.update(thread_id, message.id, metadata={"k": "v"})
    reveal_type(updated)  # expect: APIResponse[Message]
    texts: list[str] = []
    async for listed in client.messages.list(thread_id, order="asc", limit=1):
        for part in listed.content:
            if part.type == "text":
                reveal_type(part)  # expect: TextContent
                texts.append(part.text.value)
            elif part.type == "image_url":
                reveal_type(part.image_url.url)  # expect: str
            elif part.type == "unknown":
                texts.append(str(part.raw.get("type")))
    assert texts == ["Weather?", "And in Lima?"]


async def polling_and_tools(client: AssistantsClient, assistant_id: str, thread_id: str) -> Run:
    run = await client.runs.create_and_poll(thread_id, assistant_id=assistant_id)
    reveal_type(run)  # expect: Run
    again = await client.runs.poll(thread_id, run.id, max_wait=30)
    assert again.status == run.status
    async for seen in client.runs.watch(thread_id, run.id, interval=0.05):
        reveal_type(seen)  # expect: Run
    try:
        final = await client.runs.run_tools(
            thread_id,
            assistant_id=assistant_id,
            handlers={"get_weather": get_weather},
            max_wait=60,
            temperature=0.2,
            timeout=30,
        )
    except RunTimeoutError as exc:
        raise AssertionError(f"the tool loop did not settle: {exc.run}") from exc
    reveal_type(final)  # expect: Run
    steps = [step async for step in client.run_steps.list(thread_id, final.id)]
    for step in steps:
        details = step.step_details
        if details is None:
            continue
        if details.type == "tool_calls":
            for call in details.tool_calls:
                if call.type == "function":
                    reveal_type(call.function.output)  # expect: str | None
        elif details.type == "message_creation":
            reveal_type(details.message_creation.message_id)  # expect: str
    one = await client.run_steps.with_response.retrieve(thread_id, final.id, steps[0].id)
    reveal_type(one)  # expect: APIResponse[RunStep]
    return final


async def streams(client: AssistantsClient, assistant_id: str, thread_id: str) -> str:
    text = ""
    async with client.runs.create_stream(thread_id, assistant_id=assistant_id) as stream:
        reveal_type(stream)  # expect: AssistantStream
        assert isinstance(stream, AssistantStream)
        async for event in stream:
            if event.event == "thread.message.delta":
                reveal_type(event.data)  # expect: MessageDelta
                for part in event.data.delta.content:
                    if part.type == "text" and part.text is not None:
                        text += part.text.value or ""
            elif event.event == "thread.run.completed":
                reveal_type(event.data)  # expect: Run
            elif event.event == "thread.run.step.delta":
                details = event.data.delta.step_details
                if details is not None and details.type == "tool_calls":
                    for call in details.tool_calls or []:
                        if call.type == "function":
                            reveal_type(call)  # expect: FunctionToolCallDelta
            elif event.event == "unknown":
                reveal_type(event.name)  # expect: str
    loop = client.runs.run_tools_stream(
        thread_id, assistant_id=assistant_id, handlers={"get_weather": get_weather}
    )
    final: Any = await loop.final_run()
    assert final.status == "completed"
    return text


async def create_and_run(client: AssistantsClient, assistant_id: str) -> None:
    thread: dict[str, Any] = {"messages": [{"role": "user", "content": "Hi"}]}
    run = await client.threads.create_and_run_poll(assistant_id=assistant_id, thread=thread)
    reveal_type(run)  # expect: Run
    tools_run = await client.threads.create_and_run_tools(
        assistant_id=assistant_id, thread=thread, handlers={"get_weather": get_weather}
    )
    async with client.threads.create_and_run_tools_stream(
        assistant_id=assistant_id, thread=thread, handlers={"get_weather": get_weather}
    ) as stream:
        streamed = await stream.final_run()
    for done in (run, tools_run, streamed):
        assert done.status == "completed"
        await client.threads.delete(done.thread_id)


async def version_1(client: AssistantsClient, assistant_id: str, thread_id: str) -> None:
    config = client.config
    async with AssistantsClient(
        api_key=config.api_key, base_url=config.base_url, api_version="v1"
    ) as v1:
        file = await v1.assistant_files.with_response.create(assistant_id, file_id="file-abc")
        reveal_type(file)  # expect: APIResponse[AssistantFile]
        assert [f.id async for f in v1.assistant_files.list(assistant_id)] == ["file-abc"]
        deleted = await v1.assistant_files.delete(assistant_id, "file-abc")
        reveal_type(deleted)  # expect: DeletionStatus
        message = await v1.messages.create(
            thread_id, role="user", content="see the file", file_ids=["file-abc"]
        )
        files = v1.message_files.list(thread_id, message.id)
        reveal_type(files)  # expect: AsyncPager[MessageFile]
        assert [f.id async for f in files] == ["file-abc"]
        one = await v1.message_files.retrieve(thread_id, message.id, "file-abc")
        reveal_type(one)  # expect: MessageFile


async def main(client: AssistantsClient) -> str:
    assistant_id, thread_id = await assistants_and_threads(client)
    await messages(client, thread_id)
    await polling_and_tools(client, assistant_id, thread_id)
    text = await streams(client, assistant_id, thread_id)
    await create_and_run(client, assistant_id)
    await version_1(client, assistant_id, thread_id)
    await client.threads.delete(thread_id)
    deleted = await client.assistants.delete(assistant_id)
    reveal_type(deleted)  # expect: DeletionStatus
    return text
