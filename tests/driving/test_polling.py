"""Polling: the delay rule (pure), server hints, the deadline, unknown statuses, cancellation."""

from __future__ import annotations

import asyncio
import itertools
import time
from collections.abc import Sequence

import pytest
from aiohttp import web
from support import SLACK
from support.local_server import Handler, local_server

from openai_assistants import APITimeoutError, AssistantsClient, RunTimeoutError
from openai_assistants._runs.polling import (
    INITIAL_POLL_INTERVAL,
    MAX_POLL_INTERVAL,
    MIN_POLL_INTERVAL,
    poll_delay,
)
from openai_assistants.testing import FakeAssistantsServer, RunScript

RUN = {"id": "run_1", "object": "thread.run", "thread_id": "thread_1", "assistant_id": "asst_1"}


def test_poll_delay_rules() -> None:
    assert poll_delay(None, {}) == INITIAL_POLL_INTERVAL
    assert poll_delay(INITIAL_POLL_INTERVAL, {}) == INITIAL_POLL_INTERVAL * 1.5
    assert poll_delay(4.0, {}) == MAX_POLL_INTERVAL
    assert poll_delay(None, {"openai-poll-after-ms": "750"}) == 0.75
    assert poll_delay(None, {"openai-poll-after-ms": "0"}) == MIN_POLL_INTERVAL  # never spins
    assert poll_delay(1.0, {"openai-poll-after-ms": "soon"}) == 1.5
    assert poll_delay(None, {"openai-poll-after-ms": "750"}, interval=2.0) == 2.0


@pytest.fixture
def slept(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """Record the delays polling asks for, and skip them."""
    delays: list[float] = []

    async def fake_sleep(delay: float) -> None:
        delays.append(delay)
        await asyncio.sleep(0)

    monkeypatch.setattr("openai_assistants._runs.polling._sleep", fake_sleep)
    return delays


def scripted(answers: Sequence[tuple[str, str | None]]) -> Handler:
    """Answer successive GETs of the run with these (status, openai-poll-after-ms) pairs."""
    queue = list(answers)

    async def handle(request: web.Request) -> web.StreamResponse:
        status, hint = queue.pop(0) if len(queue) > 1 else queue[0]
        headers = {"openai-poll-after-ms": hint} if hint is not None else {}
        return web.json_response({**RUN, "status": status}, headers=headers)

    return handle


async def test_poll_rereads_a_changing_poll_after_hint(slept: list[float]) -> None:
    answers = [("queued", "30"), ("in_progress", "120"), ("in_progress", "45"), ("completed", None)]
    async with local_server() as server:
        server.handler = scripted(answers)
        async with AssistantsClient(api_key="k", base_url=server.base_url) as client:
            run = await client.runs.poll("thread_1", "run_1")
    assert run.status == "completed"
    assert slept == [0.03, 0.12, 0.045]
    assert server.hits == 4


async def test_unknown_status_keeps_polling_with_backoff(slept: list[float]) -> None:
    answers = [("thinking", None)] * 7 + [("completed", None)]
    async with local_server() as server:
        server.handler = scripted(answers)
        async with AssistantsClient(api_key="k", base_url=server.base_url) as client:
            run = await client.runs.poll("thread_1", "run_1")
    assert run.status == "completed"
    assert slept[0] == INITIAL_POLL_INTERVAL
    assert all(later >= earlier for earlier, later in itertools.pairwise(slept))
    assert slept[-1] <= MAX_POLL_INTERVAL
    assert slept[-1] > INITIAL_POLL_INTERVAL * 4


async def test_fixed_interval_wins(slept: list[float]) -> None:
    async with local_server() as server:
        server.handler = scripted([("queued", "900"), ("completed", None)])
        async with AssistantsClient(api_key="k", base_url=server.base_url) as client:
            await client.runs.poll("thread_1", "run_1", interval=0.05)
    assert slept == [0.05]


async def test_max_wait_fires_with_the_last_run() -> None:
    async with local_server() as server:
        server.handler = scripted([("in_progress", "50")])
        async with AssistantsClient(api_key="k", base_url=server.base_url) as client:
            start = time.monotonic()
            with pytest.raises(RunTimeoutError, match=r"max_wait=0\.3") as info:
                await client.runs.poll("thread_1", "run_1", max_wait=0.3)
            elapsed = time.monotonic() - start
    assert 0.3 <= elapsed < 0.3 + SLACK
    assert info.value.run.status == "in_progress"
    assert isinstance(info.value, TimeoutError)


async def test_max_wait_also_bounds_a_hanging_request() -> None:
    async def hang(request: web.Request) -> web.StreamResponse:
        await asyncio.sleep(30)
        raise AssertionError("unreachable")

    async with local_server() as server:
        server.handler = hang
        async with AssistantsClient(api_key="k", base_url=server.base_url) as client:
            start = time.monotonic()
            with pytest.raises(RunTimeoutError):
                await client.runs.poll("thread_1", "run_1", max_wait=0.3)
            assert time.monotonic() - start < 0.3 + SLACK


async def test_a_request_timeout_is_not_reported_as_the_runs_deadline() -> None:
    """The issue-12 repro: ``timeout=0.2`` and ``max_wait=100``; one slow GET is the request's
    timeout (``APITimeoutError`` after its retries), not the run's ``RunTimeoutError``."""
    hits = 0

    async def slow(request: web.Request) -> web.StreamResponse:
        nonlocal hits
        hits += 1
        await asyncio.sleep(5)
        return web.json_response({**RUN, "status": "in_progress"})

    async with local_server() as server:
        server.handler = slow
        async with AssistantsClient(
            api_key="k", base_url=server.base_url, timeout=0.2, max_retries=1
        ) as client:
            start = time.monotonic()
            with pytest.raises(APITimeoutError) as info:
                await client.runs.poll("thread_1", "run_1", max_wait=100)
            elapsed = time.monotonic() - start
    assert not isinstance(info.value, RunTimeoutError)
    assert hits == 2  # the first try and its one retry
    assert elapsed < 0.2 * 2 + SLACK


async def test_client_max_wait_is_the_default_and_with_options_changes_it() -> None:
    async with local_server() as server:
        server.handler = scripted([("in_progress", "20")])
        async with AssistantsClient(api_key="k", base_url=server.base_url, max_wait=0.2) as client:
            with pytest.raises(RunTimeoutError):
                await client.runs.poll("thread_1", "run_1")
            with pytest.raises(RunTimeoutError, match=r"max_wait=0\.1"):
                await client.with_options(max_wait=0.1).runs.poll("thread_1", "run_1")


async def test_cancelling_the_waiting_task_stops_polling_at_once() -> None:
    async with local_server() as server:
        server.handler = scripted([("in_progress", "50")])
        async with AssistantsClient(api_key="k", base_url=server.base_url) as client:
            task = asyncio.ensure_future(client.runs.poll("thread_1", "run_1"))
            await asyncio.sleep(0.3)
            task.cancel()
            with pytest.raises(asyncio.CancelledError):
                await task
            hits = server.hits
            await asyncio.sleep(0.3)
            assert server.hits == hits  # nothing polls in the background


async def test_watch_yields_each_status_change_once(
    fake_assistants_server: FakeAssistantsServer,
) -> None:
    fake_assistants_server.clock = "per_poll"
    fake_assistants_server.script(RunScript.reply("hi").with_poll_after_ms(1))
    async with fake_assistants_server.client() as client:
        assistant = await client.assistants.create(model="gpt-4o")
        thread = await client.threads.create(messages=[{"role": "user", "content": "hi"}])
        run = await client.runs.create(thread.id, assistant_id=assistant.id)
        statuses = [r.status async for r in client.runs.watch(thread.id, run.id)]
    assert statuses == ["in_progress", "completed"]
    gets = [r for r in fake_assistants_server.requests if r.method == "GET"]
    assert len(gets) > len(statuses)  # polled more often than it yielded


async def test_create_and_poll_variants(fake_assistants_server: FakeAssistantsServer) -> None:
    fake_assistants_server.clock = "per_poll"
    async with fake_assistants_server.client() as client:
        assistant = await client.assistants.create(model="gpt-4o")
        thread = await client.threads.create(messages=[{"role": "user", "content": "hi"}])
        run = await client.runs.create_and_poll(thread.id, assistant_id=assistant.id)
        assert run.status == "completed"
        run = await client.threads.create_and_run_poll(
            assistant_id=assistant.id, thread={"messages": [{"role": "user", "content": "yo"}]}
        )
        assert run.status == "completed"
        replies = await client.messages.list(run.thread_id, run_id=run.id).to_list()
        assert replies[0].role == "assistant"
