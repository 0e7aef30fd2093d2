"""Cancellation storm: 1,000 tasks cancelled at seeded random points, then nothing is left over.

Requests (GETs and POSTs), list walks over 300 messages (15 pages; half of them fetching the
next page ahead, some doing work of their own between pages) and streamed runs (events 2 ms
apart) run 40 at a time through a pool of 16 connections, against the fake server adding latency
and 503s (``retry-after-ms`` 20) to a third of the requests, so cancellations land while waiting
for a slot, in a retry wait, mid-exchange, between pages and mid-stream. Afterwards: no
connection or pool slot held, nothing reported to the loop's exception handler ("Task exception
was never retrieved", unclosed sessions or responses), no warning or error logged, no
unclosed-resource warning once the garbage is collected (pytest turns warnings into errors),
and the client still works. Figures go to ``cancellation.json`` in the figures folder
(``--figures``).
"""

from __future__ import annotations

import asyncio
import gc
import logging
import random
import time
from collections import Counter
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Any

import pytest
from support.local_server import connections_in_use, free_pool_slots

from openai_assistants import AssistantsClient
from openai_assistants.testing import FakeAssistantsServer, Fault, RunScript

pytestmark = pytest.mark.slow

SEED = 1_000
TASKS = 1_000
AT_ONCE = 40
POOL = 16
MESSAGES = 300
PAGE = 20
REPLY = " ".join(f"word{i}" for i in range(30))
#: Cancel each task after a delay drawn from [0, this), about its kind's usual duration, so
#: some are cancelled before sending and some finish first.
CANCEL_WITHIN = {"request": 0.1, "pagination": 0.6, "stream": 0.45}
WEIGHTS = {"request": 4, "pagination": 3, "stream": 3}

FAULTS = Fault.one_of(
    Fault.latency(0.005), Fault.latency(0.02), Fault.error(503, retry_after_ms=20)
)


class Storm:
    """Runs the tasks; records how each ended and how far it got."""

    def __init__(
        self, client: AssistantsClient, assistant_id: str, thread_id: str, expected_ids: list[str]
    ) -> None:
        self.client = client
        self.assistant_id = assistant_id
        self.thread_id = thread_id
        self.expected_ids = expected_ids  # the thread's messages, oldest first
        self.cancelled: Counter[str] = Counter()
        self.completed: Counter[str] = Counter()
        self.progress: Counter[str] = Counter()  # e.g. "stream mid-way": cancelled after events

    async def request(self, rng: random.Random) -> None:
        if rng.random() < 0.5:
            assistant = await self.client.assistants.retrieve(self.assistant_id)
            assert assistant.id == self.assistant_id
        else:
            thread = await self.client.threads.create(metadata={"storm": "yes"})
            assert thread.metadata == {"storm": "yes"}

    async def pagination(self, rng: random.Random) -> None:
        ids: list[str] = []
        pager = self.client.messages.list(
            self.thread_id, limit=PAGE, order="asc", prefetch=rng.random() < 0.5
        )
        # Some walks do work of their own per page, so a cancellation can land there, while
        # the pager waits at its yield (with the next page in flight when it prefetches).
        work = rng.choice((0, 0.002))
        try:
            if rng.random() < 0.5:
                async for page in pager.pages():
                    ids.extend(message.id for message in page.data)
                    if work:
                        await asyncio.sleep(work)
            else:
                async for message in pager:
                    ids.append(message.id)
                    if work and len(ids) % PAGE == 0:
                        await asyncio.sleep(work)
        except asyncio.CancelledError:
            self.progress["pagination mid-walk" if ids else "pagination before a page"] += 1
            raise
        assert ids == self.expected_ids

    async def stream(self, rng: random.Random) -> None:
        events = 0
        texts: list[str] = []
        stream = self.client.threads.create_and_run_stream(
            assistant_id=self.assistant_id,
            thread={"messages": [{"role": "user", "content": "go"}]},
        )
        try:
            if rng.random() < 0.5:
                async with stream:
                    async for _ in stream:
                        events += 1
                run = stream.current_run
            else:  # no async with: the iterator alone must clean up
                async for text in stream.text_deltas():
                    events += 1
                    texts.append(text)
                run = stream.current_run
        except asyncio.CancelledError:
            self.progress["stream mid-way" if events else "stream before an event"] += 1
            raise
        assert run is not None
        assert run.status == "completed"
        assert not texts or "".join(texts) == REPLY

    async def run(self) -> None:
        rng = random.Random(SEED)
        loop = asyncio.get_running_loop()
        gate = asyncio.Semaphore(AT_ONCE)
        tasks: list[tuple[str, asyncio.Task[None]]] = []
        kinds = list(WEIGHTS)
        for _ in range(TASKS):
            await gate.acquire()
            kind = rng.choices(kinds, list(WEIGHTS.values()))[0]
            operation: Callable[[random.Random], Coroutine[Any, Any, None]] = getattr(self, kind)
            task = asyncio.ensure_future(operation(random.Random(rng.random())))
            task.add_done_callback(lambda _: gate.release())
            loop.call_later(rng.uniform(0, CANCEL_WITHIN[kind]), task.cancel)
            tasks.append((kind, task))
        outcomes = await asyncio.gather(*(task for _, task in tasks), return_exceptions=True)
        for (kind, _), outcome in zip(tasks, outcomes, strict=True):
            if isinstance(outcome, asyncio.CancelledError):
                self.cancelled[kind] += 1
            elif outcome is None:
                self.completed[kind] += 1
            else:
                raise AssertionError(f"a {kind} task failed: {outcome!r}") from outcome


async def settle() -> None:
    """Collect garbage and let the loop run what that scheduled (async-generator finalizers)."""
    for _ in range(3):
        gc.collect()
        for _ in range(5):
            await asyncio.sleep(0)


async def test_1000_cancelled_tasks_leave_nothing_behind(
    short_retry_waits: list[float],
    caplog: pytest.LogCaptureFixture,
    record_figures: Callable[[str, dict[str, Any]], Path],
) -> None:
    caplog.set_level(logging.WARNING)
    loop = asyncio.get_running_loop()
    reported: list[dict[str, Any]] = []
    previous_handler = loop.get_exception_handler()
    loop.set_exception_handler(lambda _, context: reported.append(context))
    started = time.monotonic()
    try:
        async with FakeAssistantsServer(event_delay=0.002) as server:
            server.set_default_script(lambda: RunScript.reply(REPLY))
            assistant_id = server.factories.assistant()["id"]
            thread_id = server.factories.thread()["id"]
            expected_ids = server.factories.messages(thread_id, MESSAGES)
            client = server.client(max_connections=POOL, pool_timeout=60, max_retries=5)
            async with client:
                storm = Storm(client, assistant_id, thread_id, expected_ids)
                server.inject(FAULTS, times=None, probability=0.3, seed=SEED)
                await storm.run()
                await settle()

                leaked = connections_in_use(client)
                free_slots = free_pool_slots(client)
                assert leaked == 0
                assert free_slots == POOL

                # The client still works, fully.
                server.clear_faults()
                assistant = await client.assistants.retrieve(assistant_id)
                assert assistant.id == assistant_id
                ids = [m.id async for m in client.messages.list(thread_id, limit=PAGE)]
                assert ids == expected_ids[::-1]
                stream = client.threads.create_and_run_stream(assistant_id=assistant_id)
                assert "".join([t async for t in stream.text_deltas()]) == REPLY
                assert connections_in_use(client) == 0
        await settle()
    finally:
        loop.set_exception_handler(previous_handler)

    assert reported == []
    noisy = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert noisy == [], [r.getMessage() for r in noisy]
    cancelled = sum(storm.cancelled.values())
    assert cancelled + sum(storm.completed.values()) == TASKS
    # The storm did reach every stage it is meant to test.
    assert all(storm.cancelled[kind] > 0 for kind in WEIGHTS)
    assert storm.progress["stream mid-way"] > 0
    assert storm.progress["pagination mid-walk"] > 0

    record_figures(
        "cancellation",
        {
            "tasks": TASKS,
            "seed": SEED,
            "at_once": AT_ONCE,
            "pool_size": POOL,
            "cancelled": cancelled,
            "cancelled_in_request": storm.cancelled["request"],
            "cancelled_in_pagination": storm.cancelled["pagination"],
            "cancelled_in_stream": storm.cancelled["stream"],
            "completed_before_cancel": dict(storm.completed),
            "progress_when_cancelled": dict(storm.progress),
            "leaked_connections": leaked,
            "free_pool_slots_after": free_slots,
            "loop_exception_reports": len(reported),
            "retry_waits": len(short_retry_waits),
            "seconds": round(time.monotonic() - started, 2),
        },
    )
