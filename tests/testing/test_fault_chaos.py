"""Probabilistic faults (``probability``/``seed``), ``Fault.one_of``, drops after handling, and
the log of applied faults."""

from __future__ import annotations

import asyncio
import random
import time

import aiohttp
import pytest

from openai_assistants.testing import AppliedFault, FakeAssistantsServer, Fault

from .spec_client import SpecClient


async def test_probability_hits_exactly_the_seeded_draws(
    api: SpecClient, server: FakeAssistantsServer
) -> None:
    server.inject(Fault.error(503), times=None, probability=0.3, seed=11)
    statuses = [(await api.get("/assistants")).status for _ in range(60)]
    draws = random.Random(11)
    expected = [503 if draws.random() < 0.3 else 200 for _ in range(60)]
    assert statuses == expected
    assert 0 < statuses.count(503) < 60
    assert server.applied_faults == [
        AppliedFault(Fault.error(503), "GET", "/v1/assistants")
    ] * statuses.count(503)


async def test_a_miss_does_not_use_up_times(api: SpecClient, server: FakeAssistantsServer) -> None:
    server.inject(Fault.error(500), times=2, probability=0.5, seed=3)
    statuses = [(await api.get("/assistants")).status for _ in range(40)]
    assert statuses.count(500) == 2
    assert server.state.faults.armed == []


async def test_one_of_draws_members_by_weight_with_the_armed_seed(
    api: SpecClient, server: FakeAssistantsServer
) -> None:
    choices = (Fault.error(500), Fault.error(502), Fault.error(429, retry_after_ms=1))
    server.inject(Fault.one_of(*choices, weights=[1, 2, 0]), times=None, seed=5)
    statuses = [(await api.get("/threads/thread_x")).status for _ in range(30)]
    draws = random.Random(5)
    expected = [draws.choices([500, 502, 429], weights=[1, 2, 0])[0] for _ in range(30)]
    assert statuses == expected
    assert set(statuses) == {500, 502}
    assert [applied.fault.status for applied in server.applied_faults] == statuses
    assert all(applied.fault.kind == "error" for applied in server.applied_faults)


def test_one_of_checks_its_arguments() -> None:
    with pytest.raises(ValueError, match="at least one"):
        Fault.one_of()
    with pytest.raises(ValueError, match="cannot mix"):
        Fault.one_of(Fault.error(500), Fault.cut_stream(after_events=1))
    with pytest.raises(ValueError, match="weights"):
        Fault.one_of(Fault.error(500), Fault.error(502), weights=[1])
    with pytest.raises(ValueError, match="weights"):
        Fault.one_of(Fault.error(500), weights=[0])
    assert Fault.one_of(Fault.cut_stream(after_events=1)).streaming
    assert not Fault.one_of(Fault.drop_connection()).streaming
    with pytest.raises(ValueError, match="probability"):
        FakeAssistantsServer().inject(Fault.error(500), probability=1.5)


async def test_drop_after_handling_keeps_the_effect_and_the_idempotent_answer(
    api: SpecClient, server: FakeAssistantsServer
) -> None:
    server.inject(Fault.drop_connection(after_handling=True), method="POST")
    headers = api.headers(**{"Idempotency-Key": "lost-answer"})
    with pytest.raises(aiohttp.ServerDisconnectedError):
        async with api.session.post(f"{server.base_url}/threads", json={}, headers=headers):
            pass
    [thread] = server.store.threads
    retried = await api.post("/threads", {}, headers=headers)
    assert retried.status == 200
    assert retried.body["id"] == thread["id"]
    assert len(server.store.threads) == 1
    assert server.applied_faults == [
        AppliedFault(Fault.drop_connection(after_handling=True), "POST", "/v1/threads")
    ]


async def test_stream_faults_are_logged_only_when_they_cut(
    api: SpecClient, server: FakeAssistantsServer
) -> None:
    assistant = server.factories.assistant()
    thread = server.factories.thread(messages=["hi"])
    path = f"/threads/{thread['id']}/runs"
    body = {"assistant_id": assistant["id"], "stream": True}
    # Past the end of the stream, and nothing left to drop after a stream: neither applies.
    server.inject(Fault.cut_stream(after_events=10_000))
    server.inject(Fault.drop_connection(after_handling=True))
    reply = await api.post(path, body)
    assert reply.events[-1] == ("done", "[DONE]")
    assert server.applied_faults == []
    server.inject(Fault.one_of(Fault.cut_stream(after_events=2)), probability=1.0)
    with pytest.raises(aiohttp.ClientPayloadError):
        await api.post(path, body)
    assert server.applied_faults == [
        AppliedFault(Fault.cut_stream(after_events=2), "POST", "/v1" + path)
    ]


async def test_latency_is_logged_and_then_the_next_fault_applies(
    api: SpecClient, server: FakeAssistantsServer
) -> None:
    server.inject(Fault.latency(0.01))
    server.inject(Fault.error(503))
    assert (await api.get("/assistants", params={"limit": 2})).status == 503
    assert server.applied_faults == [
        AppliedFault(Fault.latency(0.01), "GET", "/v1/assistants"),
        AppliedFault(Fault.error(503), "GET", "/v1/assistants"),
    ]


async def test_a_latency_armed_until_cleared_delays_each_request_once(
    api: SpecClient, server: FakeAssistantsServer
) -> None:
    server.inject(Fault.latency(0.05), times=None)
    server.inject(Fault.latency(0.05), times=None, probability=0.0)  # never hits
    server.inject(Fault.error(503), times=1)
    started = time.monotonic()
    first = await asyncio.wait_for(api.get("/assistants"), 5)
    second = await asyncio.wait_for(api.get("/assistants"), 5)
    assert (first.status, second.status) == (503, 200)
    assert time.monotonic() - started >= 0.1
    assert [applied.fault.kind for applied in server.applied_faults] == [
        "latency",
        "error",
        "latency",
    ]
