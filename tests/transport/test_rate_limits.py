"""The rate-limit coordinator: its bookkeeping (pure), and batches against the fake's limiter."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from benchmarks.batch import rate_limited
from openai_assistants import RateLimitError
from openai_assistants._http.ratelimit import Coordinator, parse_duration
from openai_assistants.testing import FakeAssistantsServer
from openai_assistants.testing._ratelimit import TokenBucket, duration


def headers(remaining: int, limit: int = 10, reset: str = "1s") -> dict[str, str]:
    return {
        "x-ratelimit-remaining-requests": str(remaining),
        "x-ratelimit-limit-requests": str(limit),
        "x-ratelimit-reset-requests": reset,
    }


@pytest.mark.parametrize(
    ("text", "seconds"),
    [("1s", 1.0), ("20ms", 0.02), ("6m0s", 360.0), ("1h2m3.5s", 3723.5), ("0.25", 0.25)],
)
def test_durations_as_the_api_writes_them(text: str, seconds: float) -> None:
    assert parse_duration(text) == pytest.approx(seconds)
    assert parse_duration(duration(seconds)) == pytest.approx(seconds, abs=0.001)


@pytest.mark.parametrize("text", [None, "", "soon", "1x", "-1s", "1s2"])
def test_a_duration_that_cannot_be_read_is_none(text: str | None) -> None:
    assert parse_duration(text) is None


def test_nothing_known_means_nothing_held() -> None:
    coordinator = Coordinator()
    assert [coordinator.reserve(0.0)[0] for _ in range(100)] == [0.0] * 100


def test_an_empty_bucket_releases_calls_one_token_apart() -> None:
    coordinator = Coordinator()
    _, sequence = coordinator.reserve(0.0)
    coordinator.observe(0.0, sequence, 200, headers(remaining=0), None)  # 10 tokens a second
    waits = [coordinator.reserve(0.0)[0] for _ in range(5)]
    assert waits == pytest.approx([0.1, 0.2, 0.3, 0.4, 0.5])


def test_calls_sent_after_the_answered_one_are_counted_as_spent() -> None:
    coordinator = Coordinator()
    sequences = [coordinator.reserve(0.0)[1] for _ in range(3)]
    # The first answer says 2 left (8 spent of 10, back within 1 s: 8 a second); the two calls
    # sent after it will take them, so the next waits for one to come back.
    coordinator.observe(0.0, sequences[0], 200, headers(remaining=2), None)
    assert coordinator.reserve(0.0)[0] == pytest.approx(1 / 8)
    # An older answer does not overwrite what a newer one said.
    coordinator.observe(0.0, sequences[2], 200, headers(remaining=9), None)
    coordinator.observe(0.0, sequences[1], 200, headers(remaining=0), None)
    assert coordinator.reserve(0.0)[0] == 0.0


def test_a_call_not_sent_gives_its_token_back() -> None:
    coordinator = Coordinator()
    _, sequence = coordinator.reserve(0.0)
    coordinator.observe(0.0, sequence, 200, headers(remaining=0), None)
    assert coordinator.reserve(0.0)[0] == pytest.approx(0.1)
    coordinator.give_back()  # that call was held past its budget: never sent
    assert coordinator.reserve(0.0)[0] == pytest.approx(0.1)


def test_a_429_holds_every_call_for_its_wait_then_paces_them() -> None:
    coordinator = Coordinator()
    for now in (0.0, 0.25, 0.5, 0.75):  # four calls succeeded in the last second
        _, sequence = coordinator.reserve(now)
        coordinator.observe(now, sequence, 200, {}, None)
    _, sequence = coordinator.reserve(1.0)
    coordinator.observe(1.0, sequence, 429, {}, 2.0)
    waits = [coordinator.reserve(1.0)[0] for _ in range(3)]
    assert waits == pytest.approx([2.0, 2.25, 2.5])  # then at the rate that worked (4/s)


def test_the_fake_limiter_admits_its_rate_with_the_apis_headers() -> None:
    now = [0.0]
    bucket = TokenBucket(2, clock=lambda: now[0])
    results = [bucket.take() for _ in range(3)]
    assert [admitted for admitted, _ in results] == [True, True, False]
    assert results[1][1]["x-ratelimit-remaining-requests"] == "0"
    assert results[2][1]["retry-after-ms"] == "500"
    assert results[2][1]["Retry-After"] == "1"
    now[0] = 0.5
    assert bucket.take()[0]
    assert (bucket.admitted, bucket.refused) == (3, 1)


# --- over real sockets ---------------------------------------------------------------------------


@pytest.mark.slow
async def test_a_batch_against_a_rate_limited_server_succeeds_with_few_429s(
    record_figures: Callable[[str, dict[str, Any]], Path],
    caplog: pytest.LogCaptureFixture,
) -> None:
    # The benchmark's own measurement (benchmarks/batch.py), at its sizes: the counts are
    # checked here, the time ratio is reported by `python -m benchmarks.batch`.
    caplog.set_level(logging.WARNING, logger="openai_assistants")  # no INFO line per retry
    rate, calls, concurrency = 300, 2000, 200
    on, off = [
        await rate_limited(rate, calls, concurrency, coordinate) for coordinate in (True, False)
    ]
    record_figures("rate_limits", {"rate": rate, "calls": calls, "on": on, "off": off})
    assert on["failed"] == 0
    assert on["share_429"] <= 0.05
    assert off["failed"] > 0  # the same run without the coordinator, for contrast


async def test_a_call_is_not_held_past_its_timeout() -> None:
    async with FakeAssistantsServer(rate_limit=1) as server:
        assistant_id = server.factories.assistant()["id"]
        async with server.client(timeout=0.5) as client:
            await client.assistants.retrieve(assistant_id)  # the one token
            with pytest.raises(RateLimitError, match="would wait") as info:
                await client.assistants.retrieve(assistant_id)
            assert info.value.retry_after is not None
            assert 0.5 < info.value.retry_after <= 1.0
    assert len(server.requests) == 1  # the second call was never sent


async def test_the_hold_shows_in_with_response_and_clones_share_the_budget() -> None:
    # 5 a second, so the held calls are 200 ms apart: far more than a busy host's jitter in
    # when a request reaches the server.
    async with FakeAssistantsServer(rate_limit=5) as server:
        assistant_id = server.factories.assistant()["id"]
        async with server.client() as client:
            await client.assistants.retrieve(assistant_id)  # learns the budget: 4 left
            clone = client.with_options(max_retries=0)
            results = await asyncio.gather(
                *(
                    (client if i % 2 else clone).assistants.with_response.retrieve(assistant_id)
                    for i in range(10)
                )
            )
    waits = sorted(r.rate_limit_wait for r in results)
    assert sum(w > 0 for w in waits) >= 5  # the calls beyond the 4 left were held...
    assert waits[-1] >= 1.0  # ... one token (0.2 s) apart
    assert all(r.status_code == 200 for r in results)
    limiter = server.state.rate_limiter
    assert limiter is not None
    assert limiter.refused <= 2  # held, not refused: the clone kept to the same budget
