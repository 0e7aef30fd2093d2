"""A streamed run whose client left still runs to its end, without server errors."""

from __future__ import annotations

import logging

import pytest
from support import eventually

from openai_assistants.testing import FakeAssistantsServer
from openai_assistants.testing._runs import ACTIVE_STATUSES

from .spec_client import SpecClient


async def test_a_client_gone_before_the_headers_still_gets_its_run_finished(
    api: SpecClient, server: FakeAssistantsServer, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.ERROR, logger="aiohttp.server")
    assistant = server.factories.assistant()
    thread_id = server.factories.thread(messages=["hi"])["id"]
    path = f"/threads/{thread_id}/runs"
    # The client gives up while the request waits; the handler wakes after 0.2 s, creates the
    # run and finds no client.
    await api.abandon_before_headers(path, {"assistant_id": assistant["id"], "stream": True})

    def run_ended() -> bool:
        run = server.store.runs(thread_id).last()
        return run is not None and run["status"] not in ACTIVE_STATUSES

    await eventually(run_ended, what="the abandoned run ended")
    assert [run["status"] for run in server.store.runs(thread_id)] == ["completed"]
    # The thread is free for the next run.
    reply = await api.post(path, {"assistant_id": assistant["id"]})
    assert reply.status == 200
    # Checked last: by now the abandoned request's handler is long done, whatever it logged.
    assert [r.getMessage() for r in caplog.records if r.name == "aiohttp.server"] == []
