"""Fixtures for the fake-server tests."""

from __future__ import annotations

from collections.abc import AsyncIterator

import aiohttp
import pytest_asyncio

# The plugin's fixture, imported so these tests run without the package being installed
# (installed, the pytest11 entry point registers the same fixture).
from openai_assistants.testing._plugin import fake_assistants_server
from openai_assistants.testing._server import FakeAssistantsServer

from .spec_client import SpecClient

__all__ = ["api", "fake_assistants_server", "server"]


@pytest_asyncio.fixture
async def server(fake_assistants_server: FakeAssistantsServer) -> FakeAssistantsServer:
    """The plugin's server under a short name."""
    return fake_assistants_server


@pytest_asyncio.fixture
async def api(server: FakeAssistantsServer) -> AsyncIterator[SpecClient]:
    """A raw HTTP client whose every exchange is checked against the spec (v2 by default)."""
    async with aiohttp.ClientSession() as session:
        yield SpecClient(session, server)
