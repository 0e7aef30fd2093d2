"""The official ``openai`` package (the ``bench`` extra pins it), used the way its docs show.

Lists use ``async for`` auto-paging; the high-level stream is ``runs.stream`` with an
``AsyncAssistantEventHandler``; the low-level one is ``runs.create(stream=True)``. The pool is
raised to the scenario's concurrency, as it is for the other clients.
"""

from __future__ import annotations

import warnings

import httpx2
import openai
from openai.lib.streaming import AsyncAssistantEventHandler
from openai.types.beta.threads import Text, TextDelta

from . import Consume, Target

__all__ = ["OfficialClient", "open_client"]

# The package marks the Assistants API deprecated and warns on every call.
warnings.filterwarnings("ignore", category=DeprecationWarning, module=r"openai\b.*")
warnings.filterwarnings("ignore", category=DeprecationWarning, module=__name__)


class _TextCounter(AsyncAssistantEventHandler):
    def __init__(self) -> None:
        super().__init__()
        self.count = 0

    async def on_text_delta(self, delta: TextDelta, snapshot: Text) -> None:
        if delta.value:
            self.count += 1


class OfficialClient:
    def __init__(self, target: Target, max_connections: int) -> None:
        self._target = target
        limits = httpx2.Limits(
            max_connections=max(max_connections, 1000),
            max_keepalive_connections=max(max_connections, 100),
        )
        self._client = openai.AsyncOpenAI(
            api_key=target.api_key,
            base_url=target.base_url,
            http_client=openai.DefaultAsyncHttpxClient(limits=limits),
        )

    async def retrieve(self) -> str:
        return (await self._client.beta.assistants.retrieve(self._target.assistant_id)).id

    async def create(self) -> str:
        message = await self._client.beta.threads.messages.create(
            self._target.create_thread_id, role="user", content="Where is my order?"
        )
        return message.id

    async def list_items(
        self, thread_id: str, page_size: int, consume: Consume | None, max_items: int | None
    ) -> int:
        count = 0
        async for _message in self._client.beta.threads.messages.list(
            thread_id, limit=page_size, order="asc"
        ):
            count += 1
            if consume is not None:
                await consume()
            if count == max_items:
                break
        return count

    async def stream_text(self) -> int:
        handler = _TextCounter()
        target = self._target
        async with self._client.beta.threads.runs.stream(
            thread_id=target.stream_thread_id,
            assistant_id=target.assistant_id,
            event_handler=handler,
        ) as stream:
            await stream.until_done()
        return handler.count

    async def stream_events(self) -> int:
        count = 0
        target = self._target
        stream = await self._client.beta.threads.runs.create(
            target.stream_thread_id, assistant_id=target.assistant_id, stream=True
        )
        async with stream:
            async for event in stream:
                if event.event == "thread.message.delta":
                    count += 1
        return count

    async def aclose(self) -> None:
        await self._client.close()


async def open_client(target: Target, max_connections: int) -> OfficialClient:
    return OfficialClient(target, max_connections)
