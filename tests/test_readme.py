"""The README's examples run: its pytest example, and the quickstart on the fake server."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from openai_assistants.testing import FakeAssistantsServer

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
BLOCKS = re.findall(r"```python\n(.*?)```", README, re.S)


def block_with(marker: str) -> str:
    [block] = [b for b in BLOCKS if marker in b]
    return str(block)


async def test_the_readme_pytest_example_passes(
    fake_assistants_server: FakeAssistantsServer,
) -> None:
    namespace: dict[str, Any] = {}
    exec(compile(block_with("def test_weather_bot"), "README.md", "exec"), namespace)
    await namespace["test_weather_bot"](fake_assistants_server)


async def test_the_quickstart_runs_against_the_fake_server(
    fake_assistants_server: FakeAssistantsServer,
    capsys: pytest.CaptureFixture[str],
) -> None:
    source = block_with("asyncio.run(main())").replace("asyncio.run(main())", "")
    source = source.replace('"sk-..."', repr(fake_assistants_server.api_key)).replace(
        '"http://localhost:8080/v1"', repr(fake_assistants_server.base_url)
    )
    namespace: dict[str, Any] = {}
    exec(compile(source, "README.md", "exec"), namespace)
    await namespace["main"]()
    printed = capsys.readouterr().out
    assert printed.startswith("queued\nuser [TextContent(text=Text(value='Hi!'")


def as_coroutine(block: str) -> str:
    """A README snippet written with top-level ``await`` as the body of ``async def snippet``."""
    imports = [line for line in block.splitlines() if line.startswith(("from ", "import "))]
    body = [line for line in block.splitlines() if line not in imports]
    indented = "\n".join(f"    {line}" if line.strip() else "" for line in body)
    return "\n".join(imports) + "\n\nasync def snippet(client, thread, assistant):\n" + indented


@pytest.mark.parametrize(
    "marker",
    ["async with client.runs.create_stream(", "function_tool(get_weather)"],
    ids=["stream", "tools"],
)
async def test_the_streaming_and_tools_examples_run_against_the_fake_server(
    fake_assistants_server: FakeAssistantsServer,
    capsys: pytest.CaptureFixture[str],
    marker: str,
) -> None:
    from openai_assistants.testing import RunScript, ToolCallSpec

    server = fake_assistants_server
    namespace: dict[str, Any] = {}
    exec(compile(as_coroutine(block_with(marker)), "README.md", "exec"), namespace)
    async with server.client() as client:
        assistant = await client.assistants.create(model="gpt-4o")
        thread = await client.threads.create(messages=[{"role": "user", "content": "Hi there"}])
        if marker.startswith("function_tool"):
            # polling mode, then streaming mode: each run calls the tool once, then replies
            for _ in range(2):
                server.script(
                    RunScript.call_tools(ToolCallSpec("get_weather", {"city": "Paris"})).then_reply(
                        "Sunny in Paris"
                    )
                )
        await namespace["snippet"](client, thread, assistant)
    printed = capsys.readouterr().out
    expected = "Sunny in Paris" if marker.startswith("function_tool") else "You said: Hi there"
    assert expected in printed


async def test_the_deviations_example_prints_what_a_quirky_server_sent(
    capsys: pytest.CaptureFixture[str],
) -> None:
    source = as_coroutine(block_with("for deviation in assistant.deviations"))
    async with FakeAssistantsServer(quirks=["null_arrays", "millisecond_timestamps"]) as server:
        created = server.factories.assistant(created_at=1712345678)
        namespace: dict[str, Any] = {}
        exec(
            compile(source.replace('"asst_1"', repr(created["id"])), "README.md", "exec"), namespace
        )
        async with server.client() as client:
            await namespace["snippet"](client, None, None)
    printed = capsys.readouterr().out.splitlines()
    assert printed == [
        "$.created_at a timestamp in milliseconds; read as 1712345678 (seconds) 1712345678000",
        "$.tools expected an array, got null; read as [] None",
    ]


async def test_the_batch_example_keeps_each_failure_in_its_place(
    fake_assistants_server: FakeAssistantsServer, capsys: pytest.CaptureFixture[str]
) -> None:
    ids = [fake_assistants_server.factories.thread()["id"] for _ in range(3)]
    namespace: dict[str, Any] = {"thread_ids": [ids[0], "thread_gone", *ids[1:]]}
    source = as_coroutine(block_with("client.batch.map(client.threads.retrieve"))
    exec(compile(source + "\n    return threads", "README.md", "exec"), namespace)
    async with fake_assistants_server.client() as client:
        threads = await namespace["snippet"](client, None, None)
    assert [t.id for t in threads] == ids
    assert capsys.readouterr().out.startswith("thread_gone 404: No thread found with id")


def test_the_hooks_example_reports_slow_calls(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from openai_assistants import ResponseReceived

    monkeypatch.setenv("OPENAI_API_KEY", "sk-test")
    namespace: dict[str, Any] = {}
    exec(compile(block_with("def log_slow_calls"), "README.md", "exec"), namespace)
    assert namespace["client"].config.hooks == (namespace["log_slow_calls"],)
    slow = ResponseReceived("GET", "/threads/t", "getThread", 0, 200, "req_1", 2.5)
    namespace["log_slow_calls"](slow)
    namespace["log_slow_calls"](ResponseReceived("GET", "/t", "x", 0, 200, None, 0.1))  # fast
    assert capsys.readouterr().out == "getThread took 2.5s (request req_1)\n"
