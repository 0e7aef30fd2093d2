"""``python -m benchmarks.batch``: batch scripts against a rate-limited server, and the loop cost
of admitting work.

Two measurements, each in one process against the fake server (``openai_assistants.testing``):

1. **Rate limit.** ``--calls`` retrieves, ``--concurrency`` at a time (a semaphore and
   ``asyncio.gather``, as a batch script would), against the fake limited to ``--rate`` requests
   per second; with the rate-limit coordinator on (the default) and off. Reported: failed calls,
   requests answered 429, and time over the ideal ``calls / rate``.
2. **Admission.** ``--items`` items through ``client.batch.map(..., concurrency=50)`` against
   ``asyncio.gather`` of one task per item (each item awaits a short sleep), with a 1 ms ticker
   measuring the longest the event loop went without running it (the stall). Reported: the
   longest stall, the most items in flight, and the total time.

Times are this machine's, from one run: read the ratios, not the seconds.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import time
from pathlib import Path
from typing import Any

from openai_assistants import AssistantsClient, RateLimitError
from openai_assistants.testing import FakeAssistantsServer

RESULTS = Path(__file__).resolve().parent / "results"


async def rate_limited(
    rate: float, calls: int, concurrency: int, coordinate: bool
) -> dict[str, Any]:
    async with FakeAssistantsServer(rate_limit=rate) as server:
        assistant_id = server.factories.assistant()["id"]
        gate = asyncio.Semaphore(concurrency)
        async with server.client(rate_limit_coordination=coordinate) as client:

            async def one() -> bool:
                async with gate:
                    try:
                        await client.assistants.retrieve(assistant_id)
                    except RateLimitError:
                        return False
                    return True

            started = time.perf_counter()
            results = await asyncio.gather(*(one() for _ in range(calls)))
            elapsed = time.perf_counter() - started
        limiter = server.state.rate_limiter
        assert limiter is not None
        requests = limiter.admitted + limiter.refused
    return {
        "coordinator": "on" if coordinate else "off",
        "failed": results.count(False),
        "requests": requests,
        "answered_429": limiter.refused,
        "share_429": round(limiter.refused / requests, 4),
        "seconds": round(elapsed, 2),
        "time_over_ideal": round(elapsed / (calls / rate), 2),
    }


class Ticker:
    """The longest gap between the runs of a 1 ms ticker: how long the loop was stalled."""

    def __init__(self) -> None:
        self.longest = 0.0
        self._task: asyncio.Task[None] | None = None

    async def _tick(self) -> None:
        loop = asyncio.get_running_loop()
        last = loop.time()
        while True:
            await asyncio.sleep(0.001)
            now = loop.time()
            self.longest = max(self.longest, now - last - 0.001)
            last = now

    def __enter__(self) -> Ticker:
        self._task = asyncio.ensure_future(self._tick())
        return self

    def __exit__(self, *exc: object) -> None:
        assert self._task is not None
        self._task.cancel()


async def admission(items: int, concurrency: int, runner: str) -> dict[str, Any]:
    in_flight = most = 0

    async def work(item: int) -> int:
        nonlocal in_flight, most
        in_flight += 1
        most = max(most, in_flight)
        try:
            await asyncio.sleep(0.001)
            return item
        finally:
            in_flight -= 1

    client = AssistantsClient(api_key="unused", base_url="http://127.0.0.1:9/v1")
    await asyncio.sleep(0.01)  # the ticker's first tick
    with Ticker() as ticker:
        await asyncio.sleep(0.005)
        started = time.perf_counter()
        if runner == "batch.map":
            results = list(await client.batch.map(work, range(items), concurrency=concurrency))
        else:
            results = list(await asyncio.gather(*(work(i) for i in range(items))))
        elapsed = time.perf_counter() - started
    await client.close()
    assert results == list(range(items))
    return {
        "runner": runner,
        "items": items,
        "longest_stall_ms": round(ticker.longest * 1000, 1),
        "most_in_flight": most,
        "seconds": round(elapsed, 3),
    }


async def measure(args: argparse.Namespace) -> dict[str, Any]:
    logging.disable(logging.WARNING)  # the deviations and retries are what is measured
    return {
        "rate_limit": {
            "rate": args.rate,
            "calls": args.calls,
            "concurrency": args.concurrency,
            "runs": [
                await rate_limited(args.rate, args.calls, args.concurrency, coordinate)
                for coordinate in (True, False)
            ],
        },
        "admission": [
            await admission(args.items, 50, runner) for runner in ("batch.map", "asyncio.gather")
        ],
    }


def table(result: dict[str, Any]) -> str:
    limit = result["rate_limit"]
    lines = [
        f"rate limit: {limit['calls']} calls, {limit['concurrency']} at a time, "
        f"server {limit['rate']:g} requests/s",
        "coordinator | failed | answered 429 | time / (calls / rate)",
    ]
    for run in limit["runs"]:
        lines.append(
            f"{run['coordinator']:11} | {run['failed']:6} | {run['answered_429']:5} of "
            f"{run['requests']} ({run['share_429']:.1%}) | {run['time_over_ideal']:.2f}"
        )
    lines += ["", "admission | items | longest loop stall | most in flight | seconds"]
    for run in result["admission"]:
        lines.append(
            f"{run['runner']:14} | {run['items']} | {run['longest_stall_ms']} ms | "
            f"{run['most_in_flight']} | {run['seconds']}"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.batch", description=__doc__)
    parser.add_argument("--rate", type=float, default=300.0, help="server requests/s (300)")
    parser.add_argument("--calls", type=int, default=2000, help="calls in the batch (2000)")
    parser.add_argument("--concurrency", type=int, default=200, help="calls at once (200)")
    parser.add_argument("--items", type=int, default=10_000, help="admission items (10000)")
    parser.add_argument("--out", type=Path, default=RESULTS, help="where batch.json goes")
    args = parser.parse_args(argv)
    result = asyncio.run(measure(args))
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "batch.json").write_text(json.dumps(result, indent=2) + "\n")
    print(table(result))
    print(f"\nwrote {args.out / 'batch.json'}")


if __name__ == "__main__":
    main()
