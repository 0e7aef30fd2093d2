"""Shared fixtures: a client wired to aioresponses, and retries that do not sleep; and the
hypothesis settings every property runs with."""

from __future__ import annotations

import tempfile
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from aioresponses import aioresponses
from hypothesis import HealthCheck, settings
from hypothesis.configuration import set_hypothesis_home_dir
from support import BASE, KEY, aioresponses_compat

from openai_assistants import AssistantsClient

# The reliability suites' fixtures live in a module of their own (one conftest keeps mypy's
# module names unique).
pytest_plugins = ["support.reliability"]

#: Hypothesis keeps caches (unicode data, constants) in ``./.hypothesis`` by default: outside the
#: checkout instead, so a test run writes nothing into it.
set_hypothesis_home_dir(Path(tempfile.gettempdir()) / "openai-assistants-hypothesis")

#: Reproducible in CI (the same examples every run, none replayed from a local database), and no
#: per-example deadline: the machine running the suite may be busy. The properties generate large
#: JSON trees on purpose. Each test sets its own ``max_examples``.
settings.register_profile(
    "tests",
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
#: For properties that share one server and client across their examples on purpose (a
#: function-scoped fixture): ``@settings(settings.get_profile("shared-fixture"), ...)``.
settings.register_profile(
    "shared-fixture",
    settings.get_profile("tests"),
    suppress_health_check=[
        *settings.get_profile("tests").suppress_health_check,
        HealthCheck.function_scoped_fixture,
    ],
)
settings.load_profile("tests")


@pytest.fixture
def no_sleep(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """Retries and rate-limit holds without waiting; the list collects the delays that would
    have been slept."""
    slept: list[float] = []

    async def fake_sleep(delay: float) -> None:
        slept.append(delay)

    monkeypatch.setattr("openai_assistants._http.transport._sleep", fake_sleep)
    monkeypatch.setattr("openai_assistants._http.transport._hold", fake_sleep)
    return slept


@pytest.fixture
def mocked(monkeypatch: pytest.MonkeyPatch) -> Iterator[aioresponses]:
    monkeypatch.setattr("aioresponses.core.ClientResponse", aioresponses_compat())
    with aioresponses() as m:
        yield m


@pytest.fixture
async def client(no_sleep: list[float]) -> AsyncIterator[AssistantsClient]:
    async with AssistantsClient(api_key=KEY, base_url=BASE) as c:
        yield c


@pytest.fixture
async def client_v1(no_sleep: list[float]) -> AsyncIterator[AssistantsClient]:
    async with AssistantsClient(api_key=KEY, base_url=BASE, api_version="v1") as c:
        yield c
