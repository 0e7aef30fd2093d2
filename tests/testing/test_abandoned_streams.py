"""A streamed run whose client left still runs to its end, without server errors."""

from __future__ import annotations

import asyncio
import logging

import aiohttp
import pytest

from openai_assistants.testing import FakeAssistantsServer, Fault

from .spec_client import SpecClient


async def test_a_client_gone_before_the_headers_still_gets_its_run_finished(
    api: SpecClient, server: FakeAssistantsServer, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.ERROR, logger="aiohttp.server")
    assistant = server.factories.assistant()
    thread_id = server.factories.thread(messages=["hi"])["id"]
    server.inject(Fault.latency(0.2))  # the client gives up while the request waits
    with pytest.raises(asyncio.TimeoutError):
        async with api.session.post(
            f"{server.base_url}/threads/{thread_id}/runs",
            json={"assistant_id": assistant["id"], "stream": True},
            headers=api.headers(),
            timeout=aiohttp.ClientTimeout(total=0.05),
        ):
            pass
    for _ in range(100):  # the handler wakes after 0.2 s, creates the run, finds no client
        if server.store.runs(thread_id).last() is not None:
            break
        await asyncio.sleep(0.02)
    await asyncio.sleep(0.05)
    assert [run["status"] for run in server.store.runs(thread_id)] == ["completed"]
    assert [r.getMessage() for r in caplog.records if r.name == "aiohttp.server"] == []
    # The thread is free for the next run.
    reply = await api.post(f"/threads/{thread_id}/runs", {"assistant_id": assistant["id"]})
    assert reply.status == 200
