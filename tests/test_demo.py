"""The README's main command: ``openai-assistants demo``, embedded and against a server."""

from __future__ import annotations

import asyncio
import io
import os
import subprocess
import sys

import pytest

from openai_assistants._demo import get_weather, run_demo
from openai_assistants.testing import FakeAssistantsServer, RunScript, ToolCallSpec

EXPECTED_REPLY = "It is 23 degrees celsius and sunny in Paris."


async def test_demo_on_the_embedded_server_prints_the_whole_conversation() -> None:
    out = io.StringIO()
    run = await run_demo(base_url=None, api_key=None, model="gpt-4o", out=out)
    assert run.status == "completed"
    text = out.getvalue()
    assert '[calling get_weather({"city": "Paris"}) locally]' in text
    assert "assistant: [calling" in text
    assert text.count(EXPECTED_REPLY) == 2  # streamed, then listed
    assert "  user: What's the weather like in Paris right now?" in text
    assert "cleaned up the thread and the assistant" in text
    # file search over an uploaded file in a vector store
    assert "uploaded handbook.md (169 bytes) as file-" in text
    assert "assistant: The office opens at 10am on Saturdays.【0:0†handbook.md】" in text
    assert "  (cites handbook.md)" in text
    assert text.rstrip().endswith(
        "cleaned up the vector store, the file, the thread and the assistant"
    )


async def test_demo_against_a_given_server_cleans_up_after_itself() -> None:
    async with FakeAssistantsServer(api_key="sk-other") as server:
        server.script(
            RunScript.call_tools(ToolCallSpec("get_weather", {"city": "Oslo"})).then_reply("ok")
        )
        out = io.StringIO()
        run = await run_demo(base_url=server.base_url, api_key="sk-other", model="m", out=out)
        assert run.status == "completed"
        deletes = sorted(r.path.split("/")[2] for r in server.requests if r.method == "DELETE")
        assert deletes == [
            "assistants",
            "assistants",
            "files",
            "threads",
            "threads",
            "vector_stores",
        ]
        assert not server.state.store.files  # nothing left behind
        outputs = [r.json for r in server.requests if r.path.endswith("submit_tool_outputs")]
        assert outputs[0]["tool_outputs"][0]["output"] == (
            '{"city":"Oslo","temperature":22,"unit":"celsius","sky":"sunny"}'
        )


def test_get_weather_is_deterministic() -> None:
    assert get_weather("Paris") == get_weather("Paris")
    assert get_weather("Paris", unit="fahrenheit")["temperature"] == 73


def _run_cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("OPENAI_")}
    return subprocess.run(
        [sys.executable, "-m", "openai_assistants", *args],
        capture_output=True,
        text=True,
        timeout=60,
        env={**clean, **(env or {})},
        check=False,
    )


async def test_the_command_runs_and_exits_zero() -> None:
    result = await asyncio.to_thread(_run_cli, "demo")
    assert result.returncode == 0, result.stderr
    assert EXPECTED_REPLY in result.stdout
    assert result.stderr == ""


async def test_a_failure_exits_non_zero_with_a_readable_message() -> None:
    result = await asyncio.to_thread(
        _run_cli, "demo", "--base-url", "http://127.0.0.1:9/v1", "--api-key", "sk-x"
    )
    assert result.returncode == 1
    assert "error: APIConnectionError" in result.stderr
    assert "Traceback" not in result.stderr
    assert "sk-x" not in result.stderr + result.stdout


@pytest.mark.parametrize("argv", [["demo", "--base-url", "http://127.0.0.1:9/v1"]])
async def test_a_base_url_without_a_key_is_refused(argv: list[str]) -> None:
    result = await asyncio.to_thread(_run_cli, *argv)
    assert result.returncode != 0
    assert "needs an API key" in result.stderr
