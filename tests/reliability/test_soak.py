"""Fault soak: 2,000 mixed operations against the fake server while a fifth of requests fail.

Twenty workers run seeded sequences of operations (create an assistant, a thread or a message,
retrieve, list a whole thread, stream a run, a tool round) at the same time. The fake answers a
fifth of all requests with a 500, an HTML 502, a 503 or a 429 (``retry-after-ms`` 1-5), a dropped
connection (before the request is handled, or after: the object exists, the answer is lost) or a
latency spike of 5-20 ms, and cuts a quarter of the streams after 0-5 events.

Checked: every operation ends with the right result; every list walk yields exactly the stored
ids, each once, in order; the store holds exactly one object per successful create (retried
POSTs carry one ``Idempotency-Key``, whose answer the fake replays); every cut stream surfaces as
``StreamInterruptedError`` and every other stream carries the whole reply; and the server saw
exactly one request per logical request plus one per failure it injected, so the client neither
gave up nor sent anything twice. The figures go to ``soak.json`` in the figures folder
(``--figures``).

The seeds fix each worker's operations and the fault generators' decisions; which request meets
which decision depends on arrival order, so the figures move a little between runs while every
assertion stays exact.
"""

from __future__ import annotations

import asyncio
import json
import math
import random
import time
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, Literal

import attrs
import pytest

from openai_assistants import (
    NOT_GIVEN,
    AssistantsClient,
    AssistantStream,
    NotGiven,
    StreamInterruptedError,
)
from openai_assistants.models import Message, TextContent
from openai_assistants.testing import FakeAssistantsServer, Fault, RunScript, ToolCallSpec

pytestmark = pytest.mark.slow

SEED = 20_260_611
OPERATIONS = 2_000
WORKERS = 20
FAULT_RATE = 0.2
CUT_RATE = 0.25
MAX_RETRIES = 10  # 0.2 ** 11: a call failing every attempt is out of reach
STATIC_SIZES = (0, 1, 100, 257)
LOG_THREAD_START = 30

#: What a faulty request gets (a latency spike delays it, then it is handled).
REQUEST_FAULTS = Fault.one_of(
    Fault.error(500),
    Fault.html(502),
    Fault.error(503),
    *(Fault.error(429, retry_after_ms=ms) for ms in range(1, 6)),
    Fault.drop_connection(),
    Fault.drop_connection(after_handling=True),
    Fault.latency(0.005),
    Fault.latency(0.02),
    weights=[3, 3, 3, 1, 1, 1, 1, 1, 3, 3, 2, 2],
)
#: Every cut comes before the run's final event (a reply streams 10 or more events).
STREAM_FAULTS = Fault.one_of(*(Fault.cut_stream(after_events=k) for k in range(6)))

OPERATION_WEIGHTS = {
    "create_assistant": 8,
    "create_thread": 8,
    "create_message": 20,
    "retrieve": 20,
    "list_all": 16,
    "stream": 16,
    "tool_round": 12,
}
Order = Literal["asc", "desc"]


def text_of(message: Message) -> str:
    parts = [part.text.value for part in message.content if isinstance(part, TextContent)]
    return "".join(parts)


def script_for(messages: Sequence[dict[str, Any]]) -> RunScript:
    """A user message ``tool:<tag>`` gets a function call first; anything else the default."""
    last = [m for m in messages if m["role"] == "user"][-1]
    text: str = last["content"][0]["text"]["value"]
    if text.startswith("tool:"):
        return RunScript.call_tools(ToolCallSpec("lookup", {"tag": text[5:]})).then_reply()
    return RunScript.reply()


def label(fault: Fault) -> str:
    """A fault's name in the figures."""
    if fault.kind == "error":
        return f"{'html' if fault.content_type == 'text/html' else 'error'} {fault.status}"
    if fault.kind == "drop":
        return "drop after handling" if fault.after_handling else "drop"
    if fault.kind == "latency":
        return f"latency {int(fault.seconds * 1000)} ms"
    return fault.kind


@attrs.define
class Worker:
    """One worker's seeded choices and the objects it made (known exactly, it works alone)."""

    index: int
    rng: random.Random
    log_thread: str
    log_ids: list[str]
    run_thread: str
    runs: int = 0
    assistants: list[tuple[str, str]] = attrs.Factory(list)  # (id, name)
    threads: list[tuple[str, str, str]] = attrs.Factory(list)  # (id, tag, first message id)
    messages: list[tuple[str, str]] = attrs.Factory(list)  # (id, text), all on log_thread


@attrs.define
class Soak:
    client: AssistantsClient
    assistant_id: str
    static: list[tuple[str, list[str]]]
    operations: Counter[str] = attrs.Factory(Counter)
    logical: int = 0  # requests that must be sent at least once
    posts: int = 0  # of which POSTs (each with its own Idempotency-Key)
    streams: int = 0
    streams_complete: int = 0
    interrupted: int = 0
    items_checked: int = 0
    objects_checked: int = 0

    async def run_worker(self, worker: Worker, count: int) -> None:
        kinds = list(OPERATION_WEIGHTS)
        weights = list(OPERATION_WEIGHTS.values())
        for i in range(count):
            kind = worker.rng.choices(kinds, weights)[0]
            operation: Callable[[Worker, str], Any] = getattr(self, kind)
            await operation(worker, f"{worker.index}-{i}")
            self.operations[kind] += 1

    # -- operations ----------------------------------------------------------------------------

    async def create_assistant(self, worker: Worker, tag: str) -> None:
        assistant = await self.client.assistants.create(model="gpt-4o", name=f"a-{tag}")
        self.count(posts=1)
        assert assistant.name == f"a-{tag}"
        worker.assistants.append((assistant.id, f"a-{tag}"))

    async def create_thread(self, worker: Worker, tag: str) -> None:
        thread = await self.client.threads.create(
            messages=[{"role": "user", "content": f"t-{tag}"}], metadata={"tag": tag}
        )
        self.count(posts=1)
        assert thread.metadata == {"tag": tag}
        first = await self.client.messages.list(thread.id)
        self.count(gets=1)
        assert [text_of(m) for m in first.data] == [f"t-{tag}"]
        worker.threads.append((thread.id, tag, first.data[0].id))

    async def create_message(self, worker: Worker, tag: str) -> None:
        message = await self.client.messages.create(
            worker.log_thread, role="user", content=f"m-{tag}"
        )
        self.count(posts=1)
        assert (message.thread_id, text_of(message)) == (worker.log_thread, f"m-{tag}")
        worker.log_ids.append(message.id)
        worker.messages.append((message.id, f"m-{tag}"))

    async def retrieve(self, worker: Worker, tag: str) -> None:
        choice = worker.rng.randrange(3)
        if choice == 0 and worker.assistants:
            assistant_id, name = worker.rng.choice(worker.assistants)
            assistant = await self.client.assistants.retrieve(assistant_id)
            assert (assistant.id, assistant.name) == (assistant_id, name)
        elif choice == 1 and worker.threads:
            thread_id, thread_tag, _ = worker.rng.choice(worker.threads)
            thread = await self.client.threads.retrieve(thread_id)
            assert (thread.id, thread.metadata) == (thread_id, {"tag": thread_tag})
        elif worker.messages:
            message_id, text = worker.rng.choice(worker.messages)
            message = await self.client.messages.retrieve(worker.log_thread, message_id)
            assert (message.id, text_of(message)) == (message_id, text)
        else:
            thread = await self.client.threads.retrieve(worker.log_thread)
            assert thread.id == worker.log_thread
        self.count(gets=1)
        self.objects_checked += 1

    async def list_all(self, worker: Worker, tag: str) -> None:
        rng = worker.rng
        limit = rng.choice((10, 20, 50, 100))
        order: Order = rng.choice(("asc", "desc"))
        if rng.random() < 0.5:
            thread_id, ids = worker.log_thread, worker.log_ids
            mode = "all"
        else:
            thread_id, ids = rng.choice(self.static)
            mode = rng.choice(("all", "after", "before")) if ids else "all"
        walk = ids if order == "asc" else ids[::-1]
        after: str | NotGiven = NOT_GIVEN
        before: str | NotGiven = NOT_GIVEN
        expected = list(walk)
        if mode == "after":
            pos = rng.randrange(len(walk))
            after, expected = walk[pos], walk[pos + 1 :]
        elif mode == "before":
            pos = rng.randrange(len(walk))
            before, expected = walk[pos], walk[:pos][::-1]
        pager = self.client.messages.list(
            thread_id, limit=limit, order=order, after=after, before=before
        )
        got = [message.id async for message in pager]
        self.count(gets=max(1, math.ceil(len(expected) / limit)))
        assert got == expected, (thread_id, limit, order, mode)
        self.items_checked += len(got)

    async def stream(self, worker: Worker, tag: str) -> None:
        text = f"say:{tag}"
        stream = self.client.runs.stream(
            worker.run_thread,
            assistant_id=self.assistant_id,
            additional_messages=[{"role": "user", "content": text}],
        )
        worker.runs += 1
        self.count(posts=1)
        await self.read(stream, f"You said: {text}")

    async def tool_round(self, worker: Worker, tag: str) -> None:
        run = await self.client.runs.create(
            worker.run_thread,
            assistant_id=self.assistant_id,
            additional_messages=[{"role": "user", "content": f"tool:{tag}"}],
        )
        worker.runs += 1
        self.count(posts=1)
        # The create answers "queued"; the fake's instant clock moves the run on right after.
        run = await self.client.runs.retrieve(worker.run_thread, run.id)
        self.count(gets=1)
        assert run.status == "requires_action"
        assert run.required_action is not None
        [call] = run.required_action.submit_tool_outputs.tool_calls
        assert (call.function.name, json.loads(call.function.arguments)) == ("lookup", {"tag": tag})
        outputs = [{"tool_call_id": call.id, "output": f"out:{tag}"}]
        if worker.rng.random() < 0.5:
            stream = self.client.runs.submit_tool_outputs_stream(
                worker.run_thread, run.id, tool_outputs=outputs
            )
            self.count(posts=1)
            await self.read(stream, f"Tool results: lookup: out:{tag}")
        else:
            submitted = await self.client.runs.submit_tool_outputs(
                worker.run_thread, run.id, tool_outputs=outputs
            )
            self.count(posts=1)
            assert submitted.id == run.id
            done = await self.client.runs.retrieve(worker.run_thread, run.id)
            self.count(gets=1)
            assert done.status == "completed"

    # -- helpers -------------------------------------------------------------------------------

    def count(self, *, posts: int = 0, gets: int = 0) -> None:
        self.logical += posts + gets
        self.posts += posts

    async def read(self, stream: AssistantStream, expected: str) -> None:
        """A stream either carries the whole reply and ends the run, or is interrupted."""
        self.streams += 1
        try:
            text = "".join([piece async for piece in stream.text_deltas()])
        except StreamInterruptedError:
            self.interrupted += 1
            return
        assert text == expected
        assert stream.current_run is not None
        assert stream.current_run.status == "completed"
        self.streams_complete += 1


async def test_soak_2000_operations_with_a_fifth_of_requests_failing(
    short_retry_waits: list[float],
    record_figures: Callable[[str, dict[str, Any]], Path],
) -> None:
    started = time.monotonic()
    async with FakeAssistantsServer() as server:
        factories = server.factories
        assistant_id = factories.assistant(name="soak")["id"]
        static = []
        for size in STATIC_SIZES:
            thread_id = factories.thread()["id"]
            static.append((thread_id, factories.messages(thread_id, size)))
        workers = []
        for index in range(WORKERS):
            log_thread = factories.thread()["id"]
            workers.append(
                Worker(
                    index,
                    random.Random(SEED + index),
                    log_thread,
                    factories.messages(log_thread, LOG_THREAD_START),
                    factories.thread()["id"],
                )
            )
        # Every run asks script_for (queued once per possible run; runs are never created twice).
        server.script(*[script_for] * OPERATIONS)
        server.inject(REQUEST_FAULTS, times=None, probability=FAULT_RATE, seed=SEED)
        server.inject(STREAM_FAULTS, times=None, probability=CUT_RATE, seed=SEED + 1)

        # Each call meets the faults on its own: the figures count the transport's retries (a
        # 429 held by the rate-limit coordinator is not one; tests/transport/test_rate_limits.py
        # covers the coordinator).
        async with server.client(
            max_retries=MAX_RETRIES, timeout=10, rate_limit_coordination=False
        ) as client:
            soak = Soak(client, assistant_id, static)
            per_worker = OPERATIONS // WORKERS
            await asyncio.gather(*(soak.run_worker(w, per_worker) for w in workers))
        server.clear_faults()

        # Every operation ran and ended well.
        assert sum(soak.operations.values()) == OPERATIONS
        assert soak.streams_complete + soak.interrupted == soak.streams
        applied = Counter(label(a.fault) for a in server.applied_faults)

        # The store holds exactly what the operations made: nothing twice, nothing lost.
        store = server.store
        made_assistants = [a for w in workers for a, _ in w.assistants]
        assert (
            len(set(made_assistants)) == len(made_assistants) == soak.operations["create_assistant"]
        )
        assert {a["id"] for a in store.assistants} == {assistant_id, *made_assistants}
        made_threads = [t for w in workers for t, _, _ in w.threads]
        assert len(set(made_threads)) == len(made_threads) == soak.operations["create_thread"]
        expected_threads = len(STATIC_SIZES) + 2 * WORKERS + len(made_threads)
        assert len(store.threads) == expected_threads
        for thread_id, _, first_message in (t for w in workers for t in w.threads):
            assert [m["id"] for m in store.messages(thread_id)] == [first_message]
        for worker in workers:
            assert [m["id"] for m in store.messages(worker.log_thread)] == worker.log_ids
            runs = list(store.runs(worker.run_thread))
            assert len(runs) == worker.runs
            assert all(run["status"] == "completed" for run in runs)
            # each run: the user message it was given and the assistant's reply
            assert len(store.messages(worker.run_thread)) == 2 * worker.runs
        for thread_id, ids in static:
            assert [m["id"] for m in store.messages(thread_id)] == ids

        # Streams: each cut surfaced as an interruption, every other stream was whole.
        assert soak.interrupted == applied["cut_stream"]
        assert soak.interrupted > 0
        assert soak.streams_complete > 0

        # One Idempotency-Key per logical POST, the same on every retry of it.
        requests = server.requests
        posts = [r for r in requests if r.method == "POST"]
        keys = Counter(r.headers["Idempotency-Key"] for r in posts)
        assert len(keys) == soak.posts
        bodies: dict[str, bytes] = {}
        for request in posts:
            assert bodies.setdefault(request.headers["Idempotency-Key"], request.body) == (
                request.body
            )

        # Exactly one more request per injected failure: no call gave up, none was sent twice.
        failed = [a for a in server.applied_faults if a.fault.kind in ("error", "drop")]
        assert len(requests) == soak.logical + len(failed)
        # The SDK retried every failure, except the dropped GETs aiohttp resent by itself (it
        # resends an idempotent request once when the connection closes without an answer).
        sdk_retries = len(short_retry_waits)
        dropped_gets = sum(1 for a in failed if a.fault.kind == "drop" and a.method == "GET")
        assert len(failed) - dropped_gets <= sdk_retries <= len(failed)
        assert applied["drop after handling"] > 0  # the idempotent replay was exercised
        assert all(applied[label(f)] > 0 for f in REQUEST_FAULTS.choices)

    elapsed = time.monotonic() - started
    record_figures(
        "soak",
        {
            "operations": OPERATIONS,
            "operations_by_kind": dict(soak.operations),
            "workers": WORKERS,
            "seed": SEED,
            "fault_probability_per_request": FAULT_RATE,
            "cut_probability_per_stream": CUT_RATE,
            "max_retries": MAX_RETRIES,
            "requests_logical": soak.logical,
            "requests_sent": len(requests),
            "requests_retried": len(requests) - soak.logical,
            "retries_by_sdk": sdk_retries,
            "resent_by_aiohttp": len(failed) - sdk_retries,
            "faults_applied": dict(applied),
            "faults_applied_total": sum(applied.values()),
            "request_fault_rate_observed": round(
                sum(n for name, n in applied.items() if name != "cut_stream") / len(requests), 4
            ),
            "streams": soak.streams,
            "streams_complete": soak.streams_complete,
            "streams_interrupted": soak.interrupted,
            "idempotency_keys": len(keys),
            "list_items_checked": soak.items_checked,
            "objects_retrieved_and_checked": soak.objects_checked,
            "seconds": round(elapsed, 2),
        },
    )
