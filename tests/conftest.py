"""Shared fixtures: a client wired to aioresponses, and retries that do not sleep."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import pytest
from aioresponses import aioresponses
from support import BASE, KEY, aioresponses_compat

from openai_assistants import AssistantsClient

# The reliability suites' fixtures live in a module of their own (one conftest keeps mypy's
# module names unique).
pytest_plugins = ["support.reliability"]


@pytest.fixture
def no_sleep(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """Retries without waiting; the list collects the delays that would have been slept."""
    slept: list[float] = []

    async def fake_sleep(delay: float) -> None:
        slept.append(delay)

    monkeypatch.setattr("openai_assistants._transport._sleep", fake_sleep)
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
