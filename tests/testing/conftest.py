"""Fixtures for the fake-server tests."""

from __future__ import annotations

from collections.abc import AsyncIterator

import aiohttp
import openai
import pytest_asyncio

from openai_assistants.testing._server import FakeAssistantsServer

from .spec_client import SpecClient

# ``fake_assistants_server`` comes from the plugin, registered by the package's pytest11 entry
# point: these tests prove the installed plugin works.
__all__ = ["api", "official", "server"]


@pytest_asyncio.fixture
async def server(fake_assistants_server: FakeAssistantsServer) -> FakeAssistantsServer:
    """The plugin's server under a short name."""
    return fake_assistants_server


@pytest_asyncio.fixture
async def api(server: FakeAssistantsServer) -> AsyncIterator[SpecClient]:
    """A raw HTTP client whose every exchange is checked against the spec (v2 by default)."""
    async with aiohttp.ClientSession() as session:
        yield SpecClient(session, server)


@pytest_asyncio.fixture
async def official(server: FakeAssistantsServer) -> AsyncIterator[openai.AsyncOpenAI]:
    """The official ``openai`` client pointed at the server (no retries: faults show)."""
    async with openai.AsyncOpenAI(
        api_key=server.api_key, base_url=server.base_url, max_retries=0
    ) as client:
        yield client
