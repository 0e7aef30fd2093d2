"""A typed user's program (``user_program.py``) type-checks with the types the SDK promises, and
runs against the fake server."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path
from typing import Any

import pytest
from support.typecheck import expected, mypy, pyright, pyright_revealed, revealed

from openai_assistants.testing import FakeAssistantsServer, RunScript, ToolCallSpec

PROGRAM = Path(__file__).with_name("user_program.py")


def load_program() -> Any:
    spec = importlib.util.spec_from_file_location("user_program", PROGRAM)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.slow
def test_the_user_program_passes_mypy_strict_with_the_promised_types() -> None:
    reports = mypy(PROGRAM)
    errors = [r for r in reports if r.severity == "error"]
    assert errors == []
    assert not re.search(r"#\s*type:\s*ignore", PROGRAM.read_text())
    want = expected(PROGRAM)
    assert len(want) >= 25  # every service, with_response, pagers, streams, polling, tool loops
    assert revealed(reports) == want


@pytest.mark.slow
def test_the_user_program_passes_pyright_with_the_promised_types() -> None:
    reports = pyright(PROGRAM)
    errors = [r for r in reports if r.severity == "error"]
    assert errors == []
    assert pyright_revealed(reports) == expected(PROGRAM)


async def test_the_user_program_runs_against_the_fake_server(
    fake_assistants_server: FakeAssistantsServer,
) -> None:
    weather = RunScript.call_tools(ToolCallSpec("get_weather", {"city": "Lima"})).then_reply()
    # create_and_poll, run_tools, the plain stream, run_tools_stream, then create_and_run x3
    fake_assistants_server.script(
        RunScript.reply("Hi."),
        weather,
        RunScript.reply("Streamed hello."),
        weather,
        RunScript.reply("Hi."),
        weather,
        weather,
    )
    async with fake_assistants_server.client() as client:
        text = await load_program().main(client)
    assert text == "Streamed hello."
