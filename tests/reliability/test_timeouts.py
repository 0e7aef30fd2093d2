"""Timeouts with retries on: bounded in total, and a retried POST still does its work once.

``tests/transport/test_sockets.py`` and ``tests/streaming/test_streams.py`` cover one stall each
(before the headers, mid-body, a silent stream) without retries. Here: the fake's latency fault
on every attempt and on some, a mid-body stall on every attempt, a stream that stalls after it
started (never resent), and POSTs, plain and streamed, whose first attempt timed out while the
server went on to handle it: the retry carries the same ``Idempotency-Key``, so the object or
run exists once. The tests assert the behaviour exactly (which error, how many attempts, nothing
resent); time bounds are ``attempts * timeout + SLACK``, loose enough for a busy CI host.
"""

from __future__ import annotations

import re
import time
from collections.abc import AsyncIterator

import pytest
from support import SLACK, eventually
from support.local_server import connections_in_use, half_body_then_stall, local_server

from openai_assistants import (
    APITimeoutError,
    AssistantsClient,
    StreamTimeoutError,
)
from openai_assistants.testing import FakeAssistantsServer, Fault, RunScript

pytestmark = pytest.mark.slow  # each test waits out real timeouts

#: Long enough for a normal exchange (a retried POST, a whole streamed run, the first event) to
#: finish within it on a busy CI host; the stalls below are what must time out.
TIMEOUT = 1.0
RETRIES = 2
#: How long the fake holds a stalled request: a second past TIMEOUT, so the client gives up
#: first; short, as the server's shutdown waits (up to 1 s) for handlers in progress.
STALL = 2.0


@pytest.fixture
async def server(short_retry_waits: list[float]) -> AsyncIterator[FakeAssistantsServer]:
    async with FakeAssistantsServer() as fake:
        yield fake


async def handled(server: FakeAssistantsServer, latencies: int) -> None:
    """Wait until the stalled requests woke up and were handled (their client long gone).

    A stalled request's latency counts as applied once it wakes; it is then replayed at once for
    its key, or (the double creation these tests catch) dispatched, its key held in flight.
    """

    def done() -> bool:
        woke = sum(1 for a in server.applied_faults if a.fault.kind == "latency")
        return woke >= latencies and not server.state.keys_in_flight

    await eventually(done, timeout=STALL + 5, what=f"{latencies} stalled request(s) handled")


async def test_a_stall_on_every_attempt_fails_within_the_retry_budget(
    server: FakeAssistantsServer,
) -> None:
    server.inject(Fault.latency(STALL), times=None, method="GET")
    async with server.client(timeout=TIMEOUT, max_retries=RETRIES) as client:
        started = time.monotonic()
        with pytest.raises(APITimeoutError, match=rf"timed out after {re.escape(str(TIMEOUT))}s"):
            await client.assistants.retrieve("asst_1")
        elapsed = time.monotonic() - started
        assert connections_in_use(client) == 0
    assert elapsed < (RETRIES + 1) * TIMEOUT + SLACK
    assert [r.method for r in server.requests] == ["GET"] * (RETRIES + 1)


async def test_a_stall_on_some_attempts_is_retried_to_success_within_budget(
    server: FakeAssistantsServer,
) -> None:
    assistant = server.factories.assistant(name="patient")
    server.inject(Fault.latency(STALL), times=RETRIES, method="GET")
    async with server.client(timeout=TIMEOUT, max_retries=RETRIES) as client:
        started = time.monotonic()
        found = await client.assistants.retrieve(assistant["id"])
        elapsed = time.monotonic() - started
    assert found.name == "patient"
    assert elapsed < (RETRIES + 1) * TIMEOUT + SLACK
    assert len(server.requests) == RETRIES + 1


async def test_a_mid_body_stall_on_every_attempt_fails_within_the_retry_budget(
    short_retry_waits: list[float],
) -> None:
    async with local_server() as local:
        local.handler = half_body_then_stall
        async with AssistantsClient(
            api_key="k", base_url=local.base_url, timeout=TIMEOUT, max_retries=RETRIES
        ) as client:
            started = time.monotonic()
            with pytest.raises(APITimeoutError):
                await client.assistants.retrieve("asst_1")
            elapsed = time.monotonic() - started
            assert connections_in_use(client) == 0
    assert elapsed < (RETRIES + 1) * TIMEOUT + SLACK
    assert local.hits == RETRIES + 1


async def test_a_stream_that_stalls_after_it_started_times_out_and_is_not_resent(
    server: FakeAssistantsServer,
) -> None:
    assistant_id = server.factories.assistant()["id"]
    thread_id = server.factories.thread(messages=["hi"])["id"]
    server.event_delay = STALL  # the first event, then silence longer than the timeout
    async with server.client(timeout=TIMEOUT, max_retries=RETRIES) as client:
        started = time.monotonic()
        with pytest.raises(StreamTimeoutError) as info:
            async for _ in client.runs.stream(thread_id, assistant_id=assistant_id):
                pass
        elapsed = time.monotonic() - started
        assert connections_in_use(client) == 0
    assert elapsed < TIMEOUT + SLACK
    assert isinstance(info.value, APITimeoutError)
    assert info.value.partial.current_run is not None  # the events before the silence
    assert len(server.requests) == 1  # events were delivered: resending would start a new run


async def test_a_timed_out_post_retried_with_its_key_creates_the_object_once(
    server: FakeAssistantsServer,
) -> None:
    server.inject(Fault.latency(STALL), method="POST", path=r"/assistants$")
    async with server.client(timeout=TIMEOUT, max_retries=RETRIES) as client:
        started = time.monotonic()
        assistant = await client.assistants.create(model="gpt-4o", name="once")
        assert time.monotonic() - started < 2 * TIMEOUT + SLACK
    await handled(server, latencies=1)  # the first attempt, handled after its client left
    first, retry = server.requests
    assert first.headers["Idempotency-Key"] == retry.headers["Idempotency-Key"]
    assert [a["id"] for a in server.store.assistants] == [assistant.id]


async def test_a_timed_out_stream_start_retried_with_its_key_starts_one_run(
    server: FakeAssistantsServer,
) -> None:
    server.set_default_script(lambda: RunScript.reply("just once"))
    assistant_id = server.factories.assistant()["id"]
    thread_id = server.factories.thread(messages=["hi"])["id"]
    server.inject(Fault.latency(STALL), method="POST", path=r"/runs$")
    async with server.client(timeout=TIMEOUT, max_retries=RETRIES) as client:
        stream = client.runs.stream(thread_id, assistant_id=assistant_id)
        assert "".join([t async for t in stream.text_deltas()]) == "just once"
        assert stream.current_run is not None
        run_id = stream.current_run.id
    await handled(server, latencies=1)
    first, retry = server.requests
    assert first.headers["Idempotency-Key"] == retry.headers["Idempotency-Key"]
    assert [run["id"] for run in server.store.runs(thread_id)] == [run_id]
    assert len(server.store.messages(thread_id)) == 2  # the user's, and one reply
