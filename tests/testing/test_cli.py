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


async def test_serve_with_quirks_answers_like_that_server() -> None:
    process, base_url, _ = await _start_serve(
        "--quirk", "list_bare_array", "--quirk", "error_string"
    )
    try:
        headers = {"Authorization": "Bearer sk-fake", "OpenAI-Beta": "assistants=v2"}
        async with aiohttp.ClientSession(headers=headers) as session:
            async with session.get(f"{base_url}/assistants") as response:
                assert await response.json() == []  # a bare array, as LocalAI sends it
            async with session.get(f"{base_url}/assistants/asst_x") as response:
                assert response.status == 404
                body = await response.json()
                assert body == {"error": "No assistant found with id 'asst_x'."}
    finally:
        process.send_signal(signal.SIGINT)
        await asyncio.wait_for(process.communicate(), 10)


def test_list_quirks_and_unknown_quirk(capsys: pytest.CaptureFixture[str]) -> None:
    from openai_assistants._cli import main
    from openai_assistants.testing import QUIRKS

    assert main(["serve", "--list-quirks"]) == 0
    listed = capsys.readouterr().out
    assert all(f"{name} " in listed for name in QUIRKS)
    assert main(["serve", "--quirk", "nope"]) == 2
    assert "unknown quirk(s) nope" in capsys.readouterr().err
