"""``openai_assistants``, used the way its README shows."""

from __future__ import annotations

from openai_assistants import AssistantsClient

from . import Consume, Target

__all__ = ["OursClient", "open_client"]


class OursClient:
    def __init__(self, target: Target, max_connections: int) -> None:
        self._target = target
        self._client = AssistantsClient(
            api_key=target.api_key,
            base_url=target.base_url,
            max_connections=max(max_connections, 100),
        )

    async def retrieve(self) -> str:
        return (await self._client.assistants.retrieve(self._target.assistant_id)).id

    async def create(self) -> str:
        message = await self._client.messages.create(
            self._target.create_thread_id, role="user", content="Where is my order?"
        )
        return message.id

    async def list_items(
        self, thread_id: str, page_size: int, consume: Consume | None, max_items: int | None
    ) -> int:
        count = 0
        pager = self._client.messages.list(
            thread_id, limit=page_size, order="asc", max_items=max_items
        )
        async for _message in pager:
            count += 1
            if consume is not None:
                await consume()
        return count

    async def list_items_prefetch(self, thread_id: str, page_size: int, consume: Consume) -> int:
        count = 0
        pager = self._client.messages.list(thread_id, limit=page_size, order="asc", prefetch=True)
        async for _message in pager:
            count += 1
            await consume()
        return count

    async def stream_text(self) -> int:
        count = 0
        target = self._target
        async with self._client.runs.stream(
            target.stream_thread_id, assistant_id=target.assistant_id
        ) as stream:
            async for _text in stream.text_deltas():
                count += 1
        return count

    async def stream_events(self) -> int:
        count = 0
        target = self._target
        async with self._client.runs.stream(
            target.stream_thread_id, assistant_id=target.assistant_id
        ) as stream:
            async for event in stream:
                if event.event == "thread.message.delta":
                    count += 1
        return count

    async def aclose(self) -> None:
        await self._client.close()


async def open_client(target: Target, max_connections: int) -> OursClient:
    return OursClient(target, max_connections)
