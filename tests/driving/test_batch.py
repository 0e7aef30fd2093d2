"""``client.batch.map``: bounded, in order, failures in place, progress, cancellation."""

from __future__ import annotations

import asyncio
import logging
import sys
import types
from typing import Any

import pytest

from openai_assistants import AssistantsClient, BatchProgress, NotFoundError
from openai_assistants._batch import Batch
from openai_assistants.testing import FakeAssistantsServer


class Flight:
    """Counts the items in flight, and the most seen at once."""

    def __init__(self) -> None:
        self.now = self.most = self.started = 0

    async def run(self, item: int) -> int:
        self.now += 1
        self.started += 1
        self.most = max(self.most, self.now)
        try:
            await asyncio.sleep(0)
            if item % 7 == 3:
                raise ValueError(f"item {item}")
            return item * 2
        finally:
            self.now -= 1


async def test_10000_items_50_at_a_time_in_order_with_failures_in_place() -> None:
    flight = Flight()
    seen: list[BatchProgress] = []
    results = await Batch().map(
        flight.run, range(10_000), concurrency=50, on_progress=seen.append, progress_bar=False
    )
    assert flight.most == 50
    assert len(results) == 10_000
    for i, result in enumerate(results):
        if i % 7 == 3:
            assert isinstance(result, ValueError)
            assert str(result) == f"item {i}"
        else:
            assert result == i * 2
    assert [i for i, _ in results.errors] == [i for i in range(10_000) if i % 7 == 3]
    assert (seen[-1].done, seen[-1].failed, seen[-1].total) == (10_000, 1429, 10_000)
    assert [p.done for p in seen] == list(range(1, 10_001))
    with pytest.raises(ValueError, match="item 3"):
        results.values()


async def test_no_task_per_item_up_front() -> None:
    tasks_before = len(asyncio.all_tasks())
    most_tasks = 0

    async def fn(item: int) -> int:
        nonlocal most_tasks
        most_tasks = max(most_tasks, len(asyncio.all_tasks()) - tasks_before)
        await asyncio.sleep(0)
        return item

    results = await Batch().map(fn, iter(range(5_000)), concurrency=20, progress_bar=False)
    assert list(results) == list(range(5_000))
    assert most_tasks <= 20


async def test_stop_on_error_cancels_the_rest_and_raises_the_first_failure() -> None:
    flight = Flight()
    with pytest.raises(ValueError, match="item 3"):
        await Batch().map(flight.run, range(1_000), concurrency=4, stop_on_error=True)
    assert flight.now == 0
    assert flight.started < 20  # the rest never started


async def test_cancelling_the_batch_cancels_the_items_in_flight() -> None:
    started = asyncio.Event()
    cancelled = 0

    async def slow(item: int) -> int:
        nonlocal cancelled
        started.set()
        try:
            await asyncio.sleep(30)
        except asyncio.CancelledError:
            cancelled += 1
            raise
        return item

    task = asyncio.ensure_future(Batch().map(slow, range(100), concurrency=10))
    await started.wait()
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert cancelled == 10


@pytest.mark.parametrize("concurrency", [0, -1, 1.5, True])
async def test_bad_concurrency_is_refused(concurrency: Any) -> None:
    with pytest.raises(ValueError, match="concurrency"):
        await Batch().map(Flight().run, [1], concurrency=concurrency)


async def test_a_progress_bar_when_asked(monkeypatch: pytest.MonkeyPatch) -> None:
    bars: list[Any] = []

    class FakeBar:
        def __init__(self, *, total: int | None, unit: str) -> None:
            self.total, self.updates, self.closed = total, 0, False
            self.postfix: dict[str, Any] = {}
            bars.append(self)

        def update(self, n: int) -> None:
            self.updates += n

        def set_postfix(self, refresh: bool = True, **values: Any) -> None:
            self.postfix = values

        def close(self) -> None:
            self.closed = True

    module = types.ModuleType("tqdm.auto")
    module.tqdm = FakeBar  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "tqdm.auto", module)
    await Batch().map(Flight().run, range(10), concurrency=3, progress_bar=True)
    [bar] = bars
    assert (bar.total, bar.updates, bar.closed, bar.postfix) == (10, 10, True, {"failed": 1})


async def test_without_a_bar_a_line_is_logged_now_and_then(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="openai_assistants")
    monkeypatch.setattr("openai_assistants._batch.LOG_EVERY", 0.0)
    await Batch().map(Flight().run, range(3), concurrency=1, progress_bar=False)
    lines = [r.getMessage() for r in caplog.records if r.getMessage().startswith("batch:")]
    assert lines == [
        "batch: 1/3 done, 0 failed",
        "batch: 2/3 done, 0 failed",
        "batch: 3/3 done, 0 failed",
    ]


async def test_the_client_batch_runs_api_calls(
    fake_assistants_server: FakeAssistantsServer,
) -> None:
    ids = [fake_assistants_server.factories.assistant(name=f"a{i}")["id"] for i in range(20)]
    async with fake_assistants_server.client() as client:
        assert isinstance(client, AssistantsClient)
        results = await client.batch.map(
            client.assistants.retrieve, [*ids, "asst_missing"], concurrency=5
        )
    assert [r.name for r in results[:20]] == [f"a{i}" for i in range(20)]  # type: ignore[union-attr]
    assert isinstance(results[20], NotFoundError)
