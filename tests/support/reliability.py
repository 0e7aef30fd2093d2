"""Fixtures of the reliability suites: where their figures go, and near-zero retry waits."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

#: Figures of the last run of each suite, for the README to quote (gitignored).
FIGURES = Path(__file__).resolve().parents[1] / "reliability" / ".figures"

#: The longest retry wait actually slept: the fake's ``retry-after-ms`` of 1-5 ms is honoured,
#: the SDK's own backoff (0.5 s and up) is cut short so thousands of retries fit in seconds.
MAX_RETRY_WAIT = 0.005


@pytest.fixture
def record_figures() -> Callable[[str, dict[str, Any]], Path]:
    """Write a suite's figures to ``.figures/<name>.json``; returns the path."""

    def write(name: str, figures: dict[str, Any]) -> Path:
        FIGURES.mkdir(exist_ok=True)
        path = FIGURES / f"{name}.json"
        path.write_text(json.dumps(figures, indent=2, sort_keys=True) + "\n")
        return path

    return write


@pytest.fixture
def short_retry_waits(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """Retry waits capped at ``MAX_RETRY_WAIT``; the list collects the waits asked for."""
    asked: list[float] = []

    async def capped_sleep(delay: float) -> None:
        asked.append(delay)
        await asyncio.sleep(min(delay, MAX_RETRY_WAIT))

    monkeypatch.setattr("openai_assistants._transport._sleep", capped_sleep)
    return asked
