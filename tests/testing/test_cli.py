"""The ``serve`` command, run in a subprocess."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from pathlib import Path

import aiohttp
import pytest

from openai_assistants._cli import build_parser

ROOT = Path(__file__).resolve().parents[2]


async def _start_serve(*args: str) -> tuple[asyncio.subprocess.Process, str, list[str]]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "openai_assistants",
        "serve",
        "--port",
        "0",
        *args,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
        env=env,
    )
    assert process.stdout is not None
    lines: list[str] = []
    while True:
        line = (await asyncio.wait_for(process.stdout.readline(), 10)).decode()
        assert line, "serve exited before printing its URL"
        lines.append(line)
        if "OPENAI_API_KEY=" in line:
            break
    url = lines[0].rsplit(" ", 1)[1].strip()
    return process, url, lines


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
async def test_serve_answers_and_stops_cleanly(signum: signal.Signals) -> None:
    process, base_url, lines = await _start_serve("--api-key", "sk-cli")
    try:
        assert base_url.startswith("http://127.0.0.1:")
        assert base_url.endswith("/v1")
        assert lines[1].strip() == f"OPENAI_BASE_URL={base_url}"
        assert lines[2].strip() == "OPENAI_API_KEY=sk-cli"
        async with (
            aiohttp.ClientSession() as session,
            session.post(
                f"{base_url}/threads",
                json={},
                headers={"Authorization": "Bearer sk-cli", "OpenAI-Beta": "assistants=v2"},
            ) as response,
        ):
            body = await response.json()
        assert response.status == 200
        assert body["object"] == "thread"
    finally:
        process.send_signal(signum)
        stdout, _ = await asyncio.wait_for(process.communicate(), 10)
    assert process.returncode == 0
    assert b"Stopped." in stdout


async def test_serve_without_beta_header_requirement() -> None:
    process, base_url, _ = await _start_serve("--no-require-beta-header")
    try:
        async with (
            aiohttp.ClientSession() as session,
            session.get(
                f"{base_url}/assistants", headers={"Authorization": "Bearer sk-fake"}
            ) as response,
        ):
            assert response.status == 200
    finally:
        process.terminate()
        await asyncio.wait_for(process.communicate(), 10)
    assert process.returncode == 0


def test_parser_defaults() -> None:
    args = build_parser().parse_args(["serve"])
    assert (args.host, args.port, args.api_key, args.no_require_beta_header) == (
        "127.0.0.1",
        8080,
        "sk-fake",
        False,
    )
    with pytest.raises(SystemExit):
        build_parser().parse_args([])
