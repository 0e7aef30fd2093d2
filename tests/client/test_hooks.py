"""Event hooks: the events, in order, for success, retry, rate-limit hold and stream."""

from __future__ import annotations

import logging
import re
from typing import Any

import pytest
import yaml
from support import SPEC_DIR

from openai_assistants import (
    HookEvent,
    RateLimitHold,
    RequestFailed,
    RequestSent,
    ResponseReceived,
    RetryScheduled,
    StreamClosed,
    StreamNotSupportedError,
    StreamOpened,
)
from openai_assistants._http.hooks import operation_of
from openai_assistants.testing import FakeAssistantsServer, Fault


def kinds(events: list[HookEvent]) -> list[str]:
    return [type(event).__name__ for event in events]


async def test_a_successful_call() -> None:
    events: list[HookEvent] = []
    async with FakeAssistantsServer() as server:
        assistant_id = server.factories.assistant()["id"]
        async with server.client(hooks=[events.append]) as client:
            await client.assistants.retrieve(assistant_id)
    sent, received = events
    path = f"/assistants/{assistant_id}"
    assert sent == RequestSent("GET", path, "getAssistant", 0, server.base_url + path)
    assert isinstance(received, ResponseReceived)
    assert (received.status_code, received.operation, received.attempt) == (200, "getAssistant", 0)
    assert received.request_id is not None
    assert received.request_id.startswith("req_")
    assert received.elapsed >= 0


async def test_a_retry(no_sleep: list[float]) -> None:
    events: list[HookEvent] = []
    async with FakeAssistantsServer() as server:
        server.inject(Fault.error(500), times=1)
        async with server.client(hooks=[events.append]) as client:
            await client.threads.create()
    assert kinds(events) == [
        "RequestSent",
        "ResponseReceived",
        "RetryScheduled",
        "RequestSent",
        "ResponseReceived",
    ]
    retry = events[2]
    assert isinstance(retry, RetryScheduled)
    assert (retry.operation, retry.attempt, retry.wait) == ("createThread", 0, no_sleep[0])
    assert retry.reason.startswith("500: ")
    assert [e.status_code for e in events if isinstance(e, ResponseReceived)] == [500, 200]
    assert [e.attempt for e in events if isinstance(e, RequestSent)] == [0, 1]


async def test_a_rate_limit_hold() -> None:
    events: list[HookEvent] = []
    async with FakeAssistantsServer(rate_limit=1) as server:  # one a second: the second waits
        assistant_id = server.factories.assistant()["id"]
        async with server.client(hooks=[events.append]) as client:
            for _ in range(2):
                await client.assistants.retrieve(assistant_id)
    assert kinds(events) == [
        "RequestSent",
        "ResponseReceived",
        "RateLimitHold",
        "RequestSent",
        "ResponseReceived",
    ]
    hold = events[2]
    assert isinstance(hold, RateLimitHold)
    assert (hold.operation, 0 < hold.wait <= 1.0) == ("getAssistant", True)
    assert [e.status_code for e in events if isinstance(e, ResponseReceived)] == [200, 200]


async def test_a_stream() -> None:
    events: list[HookEvent] = []
    async with FakeAssistantsServer() as server:
        assistant_id = server.factories.assistant()["id"]
        thread_id = server.factories.thread(messages=["hi"])["id"]
        async with server.client(hooks=[events.append]) as client:
            stream = client.runs.stream(thread_id, assistant_id=assistant_id)
            count = len([event async for event in stream])
    assert kinds(events) == ["RequestSent", "ResponseReceived", "StreamOpened", "StreamClosed"]
    opened, closed = events[2], events[3]
    assert isinstance(opened, StreamOpened)
    assert isinstance(closed, StreamClosed)
    assert (closed.reason, closed.events) == ("done", count)
    assert opened.request_id == closed.request_id is not None
    assert isinstance(events[0], RequestSent)
    assert events[0].operation == "createRun"


async def test_a_stream_request_answered_without_streaming_opens_no_stream() -> None:
    events: list[HookEvent] = []
    async with FakeAssistantsServer(quirks=["no_streaming"]) as server:
        assistant_id = server.factories.assistant()["id"]
        thread_id = server.factories.thread(messages=["hi"])["id"]
        async with server.client(hooks=[events.append]) as client:
            with pytest.raises(StreamNotSupportedError):
                await client.runs.stream(thread_id, assistant_id=assistant_id).until_done()
    assert kinds(events) == ["RequestSent", "ResponseReceived"]


async def test_a_stream_left_early_is_closed() -> None:
    events: list[HookEvent] = []
    async with FakeAssistantsServer() as server:
        assistant_id = server.factories.assistant()["id"]
        thread_id = server.factories.thread(messages=["hi"])["id"]
        async with (
            server.client(hooks=[events.append]) as client,
            client.runs.stream(thread_id, assistant_id=assistant_id) as stream,
        ):
            async for _ in stream:
                break
    closed = events[-1]
    assert isinstance(closed, StreamClosed)
    assert (closed.reason, closed.events) == ("closed", 1)


async def test_a_hook_that_raises_is_logged_and_the_call_goes_on(
    caplog: pytest.LogCaptureFixture,
) -> None:
    def broken(event: HookEvent) -> None:
        raise RuntimeError("hook bug")

    seen: list[HookEvent] = []
    async with FakeAssistantsServer() as server, server.client(hooks=[broken, seen.append]) as c:
        thread = await c.threads.create()
        await c.with_options(hooks=[]).threads.retrieve(thread.id)
    assert kinds(seen) == ["RequestSent", "ResponseReceived"]  # the clone has no hooks
    assert [r.getMessage() for r in caplog.records if r.levelno == logging.ERROR] == [
        "a hook raised on RequestSent",
        "a hook raised on ResponseReceived",
    ]


async def test_an_attempt_without_an_answer(no_sleep: list[float]) -> None:
    events: list[HookEvent] = []
    async with FakeAssistantsServer() as server:
        server.inject(Fault.drop_connection(), times=1)
        async with server.client(hooks=[events.append]) as client:
            await client.threads.create()
    assert kinds(events)[:3] == ["RequestSent", "RequestFailed", "RetryScheduled"]
    failed = events[1]
    assert isinstance(failed, RequestFailed)
    assert (failed.operation, failed.attempt) == ("createThread", 0)
    assert "failed" in failed.reason


@pytest.mark.parametrize("bad", ["not a list", [1]])
def test_hooks_must_be_callables(bad: Any) -> None:
    from openai_assistants import AssistantsClient

    with pytest.raises(TypeError, match="hooks must be a sequence of callables"):
        AssistantsClient(api_key="k", hooks=bad)


@pytest.mark.parametrize("version", ["v1", "v2"])
def test_operation_ids_are_the_specs(version: str) -> None:
    spec = yaml.safe_load((SPEC_DIR / f"assistants-{version}.openapi.yaml").read_text())
    for template, operations in spec["paths"].items():
        path = re.sub(r"\{[^}]+\}", "x_1", template)
        for method, operation in operations.items():
            if method in ("get", "post", "delete"):
                assert operation_of(method.upper(), path) == operation["operationId"], template
