"""Fixtures of the reliability suites: where their figures go, and near-zero retry waits; and the
figures the hostile-input suites count, written when the session ends.

Figures go to a temporary folder unless ``--figures DIR`` names one (the README's figures come from
``python -m pytest tests/reliability --figures DIR``): a test run writes nothing into the checkout.
"""

from __future__ import annotations

import asyncio
import json
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

#: The hostile-input suites' figures, one key per suite (see ``Figures``), in the figures folder.
HOSTILE_FILE = "hostile.json"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--figures",
        metavar="DIR",
        default=None,
        help="write the reliability suites' figures (JSON) to DIR (default: a temporary folder)",
    )


@pytest.fixture(scope="session")
def figures_dir(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The folder named by ``--figures``, else a fresh temporary one."""
    chosen: str | None = request.config.getoption("figures")
    if chosen is None:
        return tmp_path_factory.mktemp("figures")
    path = Path(chosen)
    path.mkdir(parents=True, exist_ok=True)
    return path


#: The longest retry wait actually slept: the fake's ``retry-after-ms`` of 1-5 ms is honoured,
#: the SDK's own backoff (0.5 s and up) is cut short so thousands of retries fit in seconds.
MAX_RETRY_WAIT = 0.005


@pytest.fixture
def record_figures(figures_dir: Path) -> Callable[[str, dict[str, Any]], Path]:
    """Write a suite's figures to ``<figures>/<name>.json``; returns the path."""

    def write(name: str, figures: dict[str, Any]) -> Path:
        path = figures_dir / f"{name}.json"
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
    """Counts per property (examples tried, outcomes by class), merged into ``HOSTILE_FILE``
    when the session ends (by ``_write_hostile_figures`` below)."""

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

    def write(self, path: Path) -> None:
        """Merge this suite's figures into the file at ``path`` (each suite owns its key)."""
        try:
            figures = json.loads(path.read_text())
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
        path.write_text(json.dumps(figures, indent=2, sort_keys=True) + "\n")


@pytest.fixture(scope="session", autouse=True)
def _write_hostile_figures(figures_dir: Path) -> Iterator[None]:
    """At the end of the session, write the figures of each suite that ran; a suite none of whose
    tests ran (deselected, or only collected) keeps the figures of its last run in that folder."""
    yield
    for figures in _ALL_FIGURES:
        if figures.examples:
            figures.write(figures_dir / HOSTILE_FILE)
