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
