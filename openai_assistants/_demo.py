"""``openai-assistants demo``: one whole conversation through the SDK.

With no configuration it runs against the embedded fake server (scripted to call the demo's
tool); with ``--base-url`` / ``OPENAI_BASE_URL`` and a key, against a real compatible server.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import TextIO

from ._client import AssistantsClient
from ._errors import AssistantsError
from ._runs.function_schema import function_tool
from ._serde import json as _json
from .models import MessageDelta, Run

__all__ = ["add_demo", "get_weather", "run_demo"]

QUESTION = "What's the weather like in Paris right now?"
HANDBOOK_QUESTION = "When does the office open on Saturdays?"
HANDBOOK = b"""# Office handbook

The office opens at 9am on weekdays and at 10am on Saturdays. It is closed on Sundays.
Visitors sign in at the front desk. Parking is free after 6pm.
"""


def get_weather(city: str, unit: str = "celsius") -> dict[str, object]:
    """Look up the current weather for a city.

    Args:
        city: The city name, e.g. "Paris".
        unit: "celsius" or "fahrenheit".
    """
    celsius = 18 + len(city) % 7  # deterministic, so the demo's output can be checked
    temperature = celsius if unit == "celsius" else round(celsius * 9 / 5 + 32)
    return {"city": city, "temperature": temperature, "unit": unit, "sky": "sunny"}


@asynccontextmanager
async def _target(base_url: str | None, api_key: str | None) -> AsyncIterator[tuple[str, str]]:
    """The server to talk to: the given one, or a fresh embedded fake one."""
    if base_url:
        if not api_key:
            raise SystemExit("error: --base-url needs an API key (--api-key or OPENAI_API_KEY)")
        yield base_url, api_key
        return
    from .testing import FakeAssistantsServer, ReplyContext, RunScript, ToolCallSpec

    def answer(context: ReplyContext) -> str:
        weather = _json.loads(context.tool_outputs[0].output)
        return (
            f"It is {weather['temperature']} degrees {weather['unit']} and {weather['sky']} "
            f"in {weather['city']}."
        )

    # A small delay between events, so the reply visibly streams in as it would from a model.
    async with FakeAssistantsServer(event_delay=0.02) as server:
        server.script(
            RunScript.call_tools(ToolCallSpec("get_weather", {"city": "Paris"})).then_reply(answer),
            # The fake's file_search finds the best matches in the assistant's vector store and
            # cites them in the reply (the model, on a real server).
            RunScript.file_search().then_reply("The office opens at 10am on Saturdays."),
        )
        yield server.base_url, server.api_key


def _text(event_data: MessageDelta) -> str:
    return "".join(
        part.text.value
        for part in event_data.delta.content
        if part.type == "text" and part.text and part.text.value
    )


async def run_demo(
    *, base_url: str | None, api_key: str | None, model: str, out: TextIO = sys.stdout
) -> Run:
    """Drive the whole conversation, printing as it goes; return the final run."""

    def say(text: str = "", end: str = "\n") -> None:
        print(text, end=end, file=out, flush=True)

    async with _target(base_url, api_key) as (url, key):
        say(f"Assistants API at {url}")
        async with AssistantsClient(api_key=key, base_url=url) as client:
            assistant = await client.assistants.create(
                model=model,
                name="Weather helper",
                instructions="Answer weather questions using the get_weather tool.",
                tools=[function_tool(get_weather)],
            )
            say(f"created assistant {assistant.id} with tool get_weather")
            thread = await client.threads.create(messages=[{"role": "user", "content": QUESTION}])
            say(f"created thread {thread.id}\n\nuser: {QUESTION}\nassistant: ", end="")
            try:
                stream = client.runs.run_tools_stream(
                    thread.id,
                    assistant_id=assistant.id,
                    handlers={"get_weather": get_weather},
                    max_wait=120,
                )
                async with stream:
                    async for event in stream:
                        if event.event == "thread.message.delta":
                            say(_text(event.data), end="")
                        elif event.event == "thread.run.requires_action":
                            run = event.data
                            assert run.required_action is not None
                            for call in run.required_action.submit_tool_outputs.tool_calls:
                                say(
                                    f"[calling {call.function.name}({call.function.arguments}) "
                                    "locally] ",
                                    end="",
                                )
                run = await stream.final_run()
                say(f"\n\nrun {run.id} ended: {run.status}")
                say("\nthe thread, oldest first (listed through the cursor iterator):")
                async for message in client.messages.list(thread.id, order="asc", limit=10):
                    texts = [p.text.value for p in message.content if p.type == "text"]
                    say(f"  {message.role}: {' '.join(texts)}")
            finally:
                await client.threads.delete(thread.id)
                await client.assistants.delete(assistant.id)
                say("cleaned up the thread and the assistant")
            if run.status == "completed":
                searched = await _file_search(client, model, say)
                if searched.status != "completed":
                    run = searched
    if run.status != "completed":
        raise AssistantsError(f"the run ended {run.status}: {run.last_error or run}")
    return run


async def _file_search(client: AssistantsClient, model: str, say: Callable[..., None]) -> Run:
    """Upload a small handbook, put it in a vector store, and ask an assistant about it."""
    say("\nfile search: uploading handbook.md and building a vector store")
    file = await client.files.upload(HANDBOOK, filename="handbook.md", purpose="assistants")
    store = await client.vector_stores.create(name="Demo handbook")
    try:
        attached = await client.vector_store_files.create_and_poll(
            store.id, file_id=file.id, max_wait=120
        )
        say(f"uploaded {file.filename} ({file.bytes} bytes) as {file.id}: {attached.status}")
        if attached.last_error is not None:
            raise AssistantsError(f"the handbook was not processed: {attached.last_error}")
        assistant = await client.assistants.create(
            model=model,
            name="Handbook helper",
            instructions="Answer from the office handbook and cite it.",
            tools=[{"type": "file_search"}],
            tool_resources={"file_search": {"vector_store_ids": [store.id]}},
        )
        thread = await client.threads.create(
            messages=[{"role": "user", "content": HANDBOOK_QUESTION}]
        )
        try:
            run = await client.runs.create_and_poll(thread.id, assistant_id=assistant.id)
            say(f"\nuser: {HANDBOOK_QUESTION}")
            names = {file.id: file.filename or file.id}
            async for message in client.messages.list(thread.id, order="desc", max_items=1):
                for part in message.content:
                    if part.type == "text":
                        cited = sorted(
                            {
                                names.get(note.file_citation.file_id, note.file_citation.file_id)
                                for note in part.text.annotations
                                if note.type == "file_citation"
                            }
                        )
                        say(f"assistant: {part.text.value}")
                        say(f"  (cites {', '.join(map(str, cited)) or 'nothing'})")
            say(f"run {run.id} ended: {run.status}")
        finally:
            await client.threads.delete(thread.id)
            await client.assistants.delete(assistant.id)
    finally:
        await client.vector_stores.delete(store.id)
        await client.files.delete(file.id)
        say("cleaned up the vector store, the file, the thread and the assistant")
    return run


def _demo(args: argparse.Namespace) -> int:
    base_url = args.base_url or os.environ.get("OPENAI_BASE_URL")
    api_key = args.api_key or os.environ.get("OPENAI_API_KEY")
    try:
        asyncio.run(run_demo(base_url=base_url, api_key=api_key, model=args.model))
    except AssistantsError as exc:
        print(f"\nerror: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("\ninterrupted", file=sys.stderr)
        return 130
    return 0


def add_demo(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register the ``demo`` subcommand."""
    demo = commands.add_parser(
        "demo",
        help="run a whole conversation (embedded fake server unless --base-url is given)",
    )
    demo.add_argument(
        "--base-url", help="a compatible server (default: OPENAI_BASE_URL, else fake)"
    )
    demo.add_argument("--api-key", help="its key (default: OPENAI_API_KEY)")
    demo.add_argument("--model", default="gpt-4o", help="model for the assistant (gpt-4o)")
    demo.set_defaults(command=_demo)
