"""pytest plugin (entry point ``openai_assistants``): the ``fake_assistants_server`` fixture."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from typing import Any

import pytest

from ._server import FakeAssistantsServer

__all__ = ["fake_assistants_server"]

try:  # strict-mode pytest-asyncio needs its own decorator; auto mode accepts either
    import pytest_asyncio

    _async_fixture: Callable[..., Any] = pytest_asyncio.fixture
except ImportError:  # pragma: no cover - without pytest-asyncio async fixtures cannot run
    _async_fixture = pytest.fixture


@_async_fixture
async def fake_assistants_server() -> AsyncIterator[FakeAssistantsServer]:
    """A started :class:`FakeAssistantsServer` (key ``sk-fake``), closed after the test."""
    async with FakeAssistantsServer() as server:
        yield server
