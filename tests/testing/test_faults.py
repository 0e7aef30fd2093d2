"""Fault injection, Idempotency-Key replay and request recording."""

from __future__ import annotations

import asyncio
import time

import aiohttp
import pytest

from openai_assistants.testing import FakeAssistantsServer, Fault

from .spec_client import SpecClient


async def test_error_fault_with_retry_headers(
    api: SpecClient, server: FakeAssistantsServer
) -> None:
    server.inject(
        Fault.error(429, retry_after=2, retry_after_ms=1500, should_retry=True),
        times=2,
        method="POST",
        path=r"/assistants$",
    )
    listed = await api.get("/assistants")  # GET does not match
    assert listed.status == 200
    for _ in range(2):
        reply = await api.post("/assistants", {"model": "gpt-4o"})
        assert reply.status == 429
        assert reply.headers["Retry-After"] == "2"
        assert reply.headers["retry-after-ms"] == "1500"
        assert reply.headers["x-should-retry"] == "true"
        assert reply.error == {
            "message": "Rate limit reached for requests. Please try again later.",
            "type": "requests",
            "param": None,
            "code": "rate_limit_exceeded",
        }
    assert (await api.post("/assistants", {"model": "gpt-4o"})).status == 200
    assert len(server.store.assistants) == 1


async def test_fault_until_cleared(api: SpecClient, server: FakeAssistantsServer) -> None:
    server.inject(Fault.error(500), times=None)
    for _ in range(3):
        reply = await api.get("/assistants")
        assert reply.status == 500
        assert reply.error["type"] == "server_error"
    server.clear_faults()
    assert (await api.get("/assistants")).status == 200


async def test_html_fault(api: SpecClient, server: FakeAssistantsServer) -> None:
    server.inject(Fault.html(502))
    async with api.session.get(f"{server.base_url}/assistants", headers=api.headers()) as response:
        text = await response.text()
    assert response.status == 502
    assert response.content_type == "text/html"
    assert "<h1>502 Bad Gateway</h1>" in text


async def test_malformed_json_fault(api: SpecClient, server: FakeAssistantsServer) -> None:
    server.inject(Fault.malformed_json())
    async with api.session.get(f"{server.base_url}/assistants", headers=api.headers()) as response:
        assert response.status == 200
        assert response.content_type == "application/json"
        with pytest.raises(ValueError):  # noqa: PT011 - json's own error
            await response.json()


async def test_latency_fault(api: SpecClient, server: FakeAssistantsServer) -> None:
    server.inject(Fault.latency(0.2))
    started = time.monotonic()
    reply = await api.get("/assistants")
    assert reply.status == 200
    assert time.monotonic() - started >= 0.2
    server.inject(Fault.latency(1.0))

    async def impatient_get() -> None:
        async with api.session.get(
            f"{server.base_url}/assistants",
            headers=api.headers(),
            timeout=aiohttp.ClientTimeout(total=0.1),
        ):
            pass

    with pytest.raises(asyncio.TimeoutError):
        await impatient_get()


async def test_dropped_connection(api: SpecClient, server: FakeAssistantsServer) -> None:
    server.inject(Fault.drop_connection(), method="POST")
    with pytest.raises(aiohttp.ServerDisconnectedError):
        async with api.session.post(f"{server.base_url}/threads", json={}, headers=api.headers()):
            pass
    assert len(server.store.threads) == 0
    assert (await api.post("/threads", {})).status == 200


async def test_idempotency_key_replays_the_first_response(
    api: SpecClient, server: FakeAssistantsServer
) -> None:
    headers = api.headers(**{"Idempotency-Key": "key-1"})
    first = await api.post("/assistants", {"model": "gpt-4o"}, headers=headers)
    second = await api.post("/assistants", {"model": "gpt-4o"}, headers=headers)
    assert first.body == second.body
    assert len(server.store.assistants) == 1
    assert first.headers["x-request-id"] != second.headers["x-request-id"]
    other = await api.post(
        "/assistants", {"model": "gpt-4o"}, headers=api.headers(**{"Idempotency-Key": "key-2"})
    )
    assert other.body["id"] != first.body["id"]


async def test_idempotency_survives_a_failed_first_attempt(
    api: SpecClient, server: FakeAssistantsServer
) -> None:
    server.inject(Fault.error(503))
    headers = api.headers(**{"Idempotency-Key": "retry-me"})
    assert (await api.post("/threads", {}, headers=headers)).status == 503
    ok = await api.post("/threads", {}, headers=headers)
    again = await api.post("/threads", {}, headers=headers)
    assert ok.status == again.status == 200
    assert ok.body == again.body
    assert len(server.store.threads) == 1


async def test_requests_are_recorded_raw(api: SpecClient, server: FakeAssistantsServer) -> None:
    async with api.session.get(
        f"{server.base_url}/threads/thread%2Fx/messages?limit=5&order=asc",
        headers=api.headers(),
    ) as response:
        assert response.status == 404
    await api.post("/threads", {"metadata": {"a": "b"}})
    get, post = server.requests
    assert get.method == "GET"
    assert get.path == "/v1/threads/thread%2Fx/messages"
    assert get.query_string == "limit=5&order=asc"
    assert get.query["limit"] == "5"
    assert get.headers["OpenAI-Beta"] == "assistants=v2"
    assert get.json is None
    assert post.json == {"metadata": {"a": "b"}}
    assert post.path == "/v1/threads"
