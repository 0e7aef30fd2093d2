"""Fixtures of the reliability suites: where their figures go, and near-zero retry waits; and the
figures the hostile-input suites count, written when the session ends."""

from __future__ import annotations

import asyncio
import json
from collections import Counter, defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

#: Figures of the last run of each suite, for the README to quote (gitignored).
FIGURES = Path(__file__).resolve().parents[1] / "reliability" / ".figures"
#: The hostile-input suites' figures, one key per suite (see ``Figures``).
FIGURES_FILE = FIGURES / "hostile.json"

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


# --- the hostile-input suites' figures ------------------------------------------------------------

#: Every ``Figures`` made, written out when the test session ends.
_ALL_FIGURES: list[Figures] = []


class Figures:
    """Counts per property (examples tried, outcomes by class), merged into ``FIGURES_FILE``
    when the session ends (by ``pytest_sessionfinish`` below)."""

    def __init__(self, suite: str) -> None:
        self.suite = suite
        self.examples: Counter[str] = Counter()
        self.outcomes: defaultdict[str, Counter[str]] = defaultdict(Counter)
        _ALL_FIGURES.append(self)

    def count(self, prop: str, outcome: str = "ok") -> None:
        """One example of ``prop`` ended with ``outcome``: an exception class name (counted in
        ``errors_by_class``), or a lower-case word for a normal result ("ok")."""
        self.examples[prop] += 1
        self.outcomes[prop][outcome] += 1

    def write(self) -> None:
        """Merge this suite's figures into the shared file (each suite owns its key)."""
        FIGURES_FILE.parent.mkdir(parents=True, exist_ok=True)
        try:
            figures = json.loads(FIGURES_FILE.read_text())
        except (OSError, ValueError):
            figures = {}
        figures.setdefault("suites", {})[self.suite] = {
            "properties": {
                prop: {"examples": n, "outcomes": dict(sorted(self.outcomes[prop].items()))}
                for prop, n in sorted(self.examples.items())
            },
            "inputs": sum(self.examples.values()),
        }
        suites = figures["suites"].values()
        figures["inputs_total"] = sum(suite["inputs"] for suite in suites)
        errors: Counter[str] = Counter()
        for suite in suites:
            for prop in suite["properties"].values():
                errors.update({k: v for k, v in prop["outcomes"].items() if k[0].isupper()})
        figures["errors_by_class"] = dict(sorted(errors.items()))
        FIGURES_FILE.write_text(json.dumps(figures, indent=2, sort_keys=True) + "\n")


def pytest_sessionfinish(session: pytest.Session) -> None:
    """Write the figures of each suite that ran; a suite none of whose tests ran (deselected,
    or only collected) keeps the figures of its last run."""
    for figures in _ALL_FIGURES:
        if figures.examples:
            figures.write()
