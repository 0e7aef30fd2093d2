"""The fake's control API over HTTP (``/_fake/``), in process and from other processes."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import sys
import textwrap
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from openai_assistants import InternalServerError
from openai_assistants.testing import FakeAssistantsServer

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
async def control(
    fake_assistants_server: FakeAssistantsServer,
) -> AsyncIterator[tuple[FakeAssistantsServer, aiohttp.ClientSession]]:
    async with aiohttp.ClientSession(base_url=fake_assistants_server.url) as session:
        yield fake_assistants_server, session


async def call(session: aiohttp.ClientSession, method: str, path: str, body: Any = None) -> Any:
    async with session.request(method, f"/_fake{path}", json=body) as response:
        payload = await response.json()
        return response.status, payload


async def test_a_queued_script_drives_the_next_run(
    control: tuple[FakeAssistantsServer, aiohttp.ClientSession],
) -> None:
    server, session = control
    script = {
        "phases": [
            {"call_tools": [{"name": "get_weather", "arguments": {"city": "Paris"}}]},
            {"reply": "Sunny in Paris"},
        ]
    }
    assert await call(session, "POST", "/scripts", {"scripts": [script]}) == (
        200,
        {"queued": 1, "pending": 1},
    )
    async with server.client() as client:
        assistant = await client.assistants.create(model="gpt-4o")
        thread = await client.threads.create(messages=[{"role": "user", "content": "Weather?"}])
        run = await client.runs.run_tools(
            thread.id, assistant_id=assistant.id, handlers={"get_weather": lambda city: "21C"}
        )
        assert run.status == "completed"
        [reply, _] = await client.messages.list(thread.id).to_list()
        assert reply.content[0].text.value == "Sunny in Paris"  # type: ignore[union-attr]


async def test_faults_settings_log_and_reset(
    control: tuple[FakeAssistantsServer, aiohttp.ClientSession], no_sleep: list[float]
) -> None:
    server, session = control
    fault = {"kind": "error", "status": 500, "times": 3, "method": "POST", "path": "/threads$"}
    assert await call(session, "POST", "/faults", fault) == (200, {"armed": 1})
    async with server.client() as client:
        with pytest.raises(InternalServerError):
            await client.threads.create()
        assert await call(session, "DELETE", "/faults") == (200, {"armed": 0})
        await client.threads.create()
        status, _ = await call(session, "PUT", "/settings", {"rate_limit": 50, "clock": "per_poll"})
        assert status == 200
        assert server.clock == "per_poll"
        response = await client.threads.with_response.create()
        assert response.headers["x-ratelimit-limit-requests"] == "50"
    status, log = await call(session, "GET", "/requests")
    assert status == 200
    assert [r["path"] for r in log] == ["/v1/threads"] * 5
    assert {r["headers"]["Authorization"] for r in log} == {"<redacted>"}
    assert await call(session, "POST", "/reset") == (200, {"ok": True})
    assert (server.requests, server.rate_limit, server.store.threads.get("x")) == ([], None, None)


@pytest.mark.parametrize(
    ("method", "path", "body", "message"),
    [
        ("POST", "/scripts", {"scripts": [{"phases": [{"dance": 1}]}]}, "unknown phase 'dance'"),
        ("POST", "/scripts", {"scripts": [{"phases": []}]}, "non-empty 'phases'"),
        ("POST", "/faults", {"kind": "meteor"}, "'kind' must be one of"),
        ("POST", "/faults", {"kind": "error", "colour": "red"}, "bad fault"),
        ("PUT", "/settings", {"clock": "sundial"}, "'clock' must be"),
        ("PUT", "/settings", {"speed": 1}, "unknown settings: speed"),
        ("PUT", "/settings", {"quirks": ["nope"]}, "unknown quirk 'nope'"),
        ("PUT", "/settings", {"rate_limit": 0}, "positive number"),
    ],
)
async def test_bad_control_input_is_a_400_naming_the_problem(
    control: tuple[FakeAssistantsServer, aiohttp.ClientSession],
    method: str,
    path: str,
    body: Any,
    message: str,
) -> None:
    _, session = control
    status, payload = await call(session, method, path, body)
    assert status == 400
    assert message in payload["error"]["message"]


OFFICIAL_CLIENT = textwrap.dedent(
    """
    import json, sys, time, urllib.request, warnings
    import openai

    warnings.simplefilter("ignore", DeprecationWarning)
    base = sys.argv[1]
    root = base.rsplit("/v1", 1)[0]
    script = {"phases": [
        {"call_tools": [{"name": "add", "arguments": {"a": 2, "b": 3}}]},
        {"reply": "The sum is 5"},
    ]}
    request = urllib.request.Request(
        root + "/_fake/scripts", data=json.dumps({"scripts": [script]}).encode(),
        headers={"Content-Type": "application/json"}, method="POST",
    )
    urllib.request.urlopen(request).read()
    client = openai.OpenAI(api_key="sk-fake", base_url=base, max_retries=0)
    assistant = client.beta.assistants.create(model="gpt-4o")
    thread = client.beta.threads.create(messages=[{"role": "user", "content": "2+3?"}])
    run = client.beta.threads.runs.create_and_poll(thread_id=thread.id, assistant_id=assistant.id)
    call = run.required_action.submit_tool_outputs.tool_calls[0]
    args = json.loads(call.function.arguments)
    run = client.beta.threads.runs.submit_tool_outputs_and_poll(
        run_id=run.id, thread_id=thread.id,
        tool_outputs=[{"tool_call_id": call.id, "output": str(args["a"] + args["b"])}],
    )
    messages = client.beta.threads.messages.list(thread_id=thread.id, order="asc")
    print(json.dumps({
        "status": run.status,
        "tool": call.function.name,
        "reply": messages.data[-1].content[0].text.value,
    }))
    """
)


async def test_the_official_client_in_another_process_runs_a_tool_call_flow() -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    server = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "openai_assistants", "serve", "--port", "0",
        stdout=asyncio.subprocess.PIPE, env=env,
    )  # fmt: skip
    try:
        assert server.stdout is not None
        first = (await asyncio.wait_for(server.stdout.readline(), 10)).decode()
        base_url = first.rsplit(" ", 1)[1].strip()
        client = await asyncio.create_subprocess_exec(
            sys.executable, "-c", OFFICIAL_CLIENT, base_url,
            stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE, env=env,
        )  # fmt: skip
        out, err = await asyncio.wait_for(client.communicate(), 60)
        assert client.returncode == 0, err.decode()
        assert json.loads(out) == {"status": "completed", "tool": "add", "reply": "The sum is 5"}
        async with (
            aiohttp.ClientSession() as session,
            session.get(base_url.rsplit("/v1", 1)[0] + "/_fake/requests") as response,
        ):
            log = await response.json()
        submitted = [r for r in log if r["path"].endswith("/submit_tool_outputs")]
        assert submitted[0]["json"]["tool_outputs"][0]["output"] == "5"
    finally:
        server.send_signal(signal.SIGINT)
        await asyncio.wait_for(server.communicate(), 10)
