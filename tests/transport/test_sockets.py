"""Session lifecycle, timeouts and pool queueing over real sockets (a small aiohttp server)."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator

import aiohttp
import pytest
from aiohttp import web
from support import SLACK, eventually
from support.local_server import (
    ASSISTANT,
    LocalServer,
    connections_in_use,
    free_pool_slots,
    half_body_then_stall,
    local_server,
)

from openai_assistants import APIConnectionError, APITimeoutError, AssistantsClient


@pytest.fixture
async def server() -> AsyncIterator[tuple[LocalServer, str]]:
    async with local_server() as state:
        yield state, state.base_url


connections = connections_in_use
Server = LocalServer


async def test_session_is_lazy_and_closed_by_async_with(server: tuple[Server, str]) -> None:
    _, url = server
    client = AssistantsClient(api_key="k", base_url=url)  # built outside any request: no session
    assert client._transport.sessions._session is None
    async with client:
        assert (await client.assistants.retrieve("asst_1")).id == "asst_1"
        session = client._transport.sessions._session
        assert session is not None
        assert not session.closed
    assert session.closed
    with pytest.raises(RuntimeError, match="closed"):
        await client.assistants.retrieve("asst_1")
    await client.close()  # idempotent


async def test_a_callers_session_is_used_and_never_closed(server: tuple[Server, str]) -> None:
    _, url = server
    async with aiohttp.ClientSession() as session:
        async with AssistantsClient(api_key="k", base_url=url, session=session) as client:
            await client.assistants.retrieve("asst_1")
        assert not session.closed
        async with session.get(url + "/assistants/asst_1") as response:
            assert response.status == 200


async def test_with_options_shares_the_session(server: tuple[Server, str]) -> None:
    state, url = server
    async with AssistantsClient(api_key="k", base_url=url) as client:
        fast = client.with_options(timeout=5, max_retries=0)
        assert fast.config.timeout == 5
        assert fast.config.max_retries == 0
        assert client.config.timeout == 60
        await client.assistants.retrieve("asst_1")
        await fast.assistants.retrieve("asst_1")
        assert fast._transport.sessions is client._transport.sessions
    assert state.hits == 2


async def test_using_a_client_from_another_loop_fails_clearly(server: tuple[Server, str]) -> None:
    _, url = server
    async with AssistantsClient(api_key="k", base_url=url) as client:
        await client.assistants.retrieve("asst_1")

        async def elsewhere() -> None:
            await client.assistants.retrieve("asst_1")

        with pytest.raises(RuntimeError, match="another event loop"):
            await asyncio.wait_for(asyncio.to_thread(asyncio.run, elsewhere()), 10)


async def test_stall_before_headers_times_out_within_margin(server: tuple[Server, str]) -> None:
    state, url = server

    async def stall(request: web.Request) -> web.StreamResponse:
        await asyncio.sleep(30)
        raise AssertionError("unreachable")

    state.handler = stall
    async with AssistantsClient(api_key="k", base_url=url, timeout=0.3, max_retries=0) as client:
        start = time.monotonic()
        with pytest.raises(APITimeoutError, match=r"timed out after 0\.3s"):
            await client.assistants.retrieve("asst_1")
        assert time.monotonic() - start < 0.3 + SLACK


async def test_stall_mid_body_times_out(server: tuple[Server, str]) -> None:
    state, url = server
    state.handler = half_body_then_stall
    async with AssistantsClient(api_key="k", base_url=url, timeout=0.3, max_retries=0) as client:
        start = time.monotonic()
        with pytest.raises(APITimeoutError):
            await client.assistants.retrieve("asst_1")
        assert time.monotonic() - start < 0.3 + SLACK
        assert connections(client) == 0


async def test_timeouts_are_retried_with_the_same_budget_each(server: tuple[Server, str]) -> None:
    state, url = server
    calls = 0

    async def slow_then_ok(request: web.Request) -> web.StreamResponse:
        nonlocal calls
        calls += 1
        if calls == 1:
            await asyncio.sleep(30)
        return web.json_response(ASSISTANT)

    state.handler = slow_then_ok
    async with AssistantsClient(api_key="k", base_url=url, timeout=0.3) as client:
        assert (await client.assistants.retrieve("asst_1")).id == "asst_1"
    assert calls == 2


@pytest.mark.slow
async def test_5000_calls_through_20_connections_all_succeed(server: tuple[Server, str]) -> None:
    """A quick version of the load suite: every call succeeds, the pool bounds the server.

    ``tests/reliability/test_load.py`` also shows that queueing for a connection does not count
    against the request timeout. The timeout here is generous because starting 5,000 calls at
    once stalls the event loop, server included, for a few hundred ms on a small machine.
    """
    state, url = server

    async def slowish(request: web.Request) -> web.StreamResponse:
        await asyncio.sleep(0.002)
        return web.json_response(ASSISTANT)

    state.handler = slowish
    async with AssistantsClient(
        api_key="k", base_url=url, max_connections=20, timeout=10, max_retries=0
    ) as client:
        results = await asyncio.gather(*(client.assistants.retrieve("asst_1") for _ in range(5000)))
        assert len(results) == 5000
        assert all(r.id == "asst_1" for r in results)
        assert state.peak <= 20
        assert connections(client) == 0


def hold_answers(state: Server) -> asyncio.Event:
    """Make the server hold every answer until the returned event is set."""
    release = asyncio.Event()

    async def held(request: web.Request) -> web.StreamResponse:
        await release.wait()
        return web.json_response(ASSISTANT)

    state.handler = held
    return release


async def test_pool_timeout_is_separate_and_clear(server: tuple[Server, str]) -> None:
    state, url = server
    release = hold_answers(state)
    async with AssistantsClient(
        api_key="k", base_url=url, max_connections=1, pool_timeout=0.2, timeout=10
    ) as client:
        first = asyncio.ensure_future(client.assistants.retrieve("asst_1"))
        await eventually(lambda: state.hits == 1, what="the first call reached the server")
        with pytest.raises(APITimeoutError, match="free connection"):
            await client.assistants.retrieve("asst_1")
        release.set()
        assert (await first).id == "asst_1"


async def test_calls_queued_when_the_client_closes_fail_clearly(server: tuple[Server, str]) -> None:
    state, url = server
    release = hold_answers(state)
    client = AssistantsClient(api_key="k", base_url=url, max_connections=1, max_retries=0)
    first = asyncio.ensure_future(client.assistants.retrieve("asst_1"))
    queued = [asyncio.ensure_future(client.assistants.retrieve("asst_1")) for _ in range(3)]
    # The first holds the only connection, the others wait for it.
    await eventually(lambda: state.hits == 1, what="the first call reached the server")
    assert free_pool_slots(client) == 0
    assert not any(task.done() for task in [first, *queued])
    await client.close()
    release.set()
    results = await asyncio.gather(first, *queued, return_exceptions=True)
    assert isinstance(results[0], APIConnectionError)  # its connection was closed under it
    for result in results[1:]:
        assert isinstance(result, RuntimeError)
        assert str(result) == "this AssistantsClient is closed; create a new one"
    assert free_pool_slots(client) == 1  # every slot came back
    assert state.hits == 1  # the queued calls never reached the server


async def test_cancelling_a_call_releases_its_connection(server: tuple[Server, str]) -> None:
    state, url = server

    async def stall(request: web.Request) -> web.StreamResponse:
        await asyncio.sleep(30)
        raise AssertionError("unreachable")

    state.handler = stall
    async with AssistantsClient(api_key="k", base_url=url, max_connections=2) as client:
        tasks = [asyncio.ensure_future(client.assistants.retrieve("asst_1")) for _ in range(5)]
        # Two hold the connections (their requests reached the server), three wait for one.
        await eventually(lambda: state.hits == 2, what="two calls reached the server")
        assert free_pool_slots(client) == 0
        for task in tasks:
            task.cancel()
        results = await asyncio.gather(*tasks, return_exceptions=True)
        assert all(isinstance(r, asyncio.CancelledError) for r in results)
        assert connections(client) == 0
        assert free_pool_slots(client) == 2
        state.handler = state.ok
        assert (await client.assistants.retrieve("asst_1")).id == "asst_1"
