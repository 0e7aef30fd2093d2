"""The floor: one bare aiohttp session, orjson into dicts, a manual cursor loop, a tiny SSE parser.

No models, no validation, no retries: the least CPU any aiohttp-based client can spend.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import orjson
from yarl import URL

from . import Consume, Target

__all__ = ["FloorClient", "open_client"]

_JSON = {"Content-Type": "application/json"}


class FloorClient:
    def __init__(self, target: Target, max_connections: int) -> None:
        self._base = target.base_url
        self._session = aiohttp.ClientSession(
            connector=aiohttp.TCPConnector(limit=max_connections),
            headers={"Authorization": f"Bearer {target.api_key}", "OpenAI-Beta": "assistants=v2"},
        )
        # Pre-built, already-encoded URLs: aiohttp's cheapest way to send a request.
        self._assistant_url = URL(f"{self._base}/assistants/{target.assistant_id}", encoded=True)
        self._create_url = URL(
            f"{self._base}/threads/{target.create_thread_id}/messages", encoded=True
        )
        self._create_body = orjson.dumps({"role": "user", "content": "Where is my order?"})
        self._run_url = URL(f"{self._base}/threads/{target.stream_thread_id}/runs", encoded=True)
        self._run_body = orjson.dumps({"assistant_id": target.assistant_id, "stream": True})

    async def _get(self, url: URL) -> Any:
        async with self._session.get(url) as response:
            body = await response.read()
            if response.status != 200:
                raise RuntimeError(f"GET {url}: {response.status} {body[:200]!r}")
        return orjson.loads(body)

    async def retrieve(self) -> str:
        assistant: str = (await self._get(self._assistant_url))["id"]
        return assistant

    async def create(self) -> str:
        async with self._session.post(
            self._create_url, data=self._create_body, headers=_JSON
        ) as response:
            body = await response.read()
            if response.status != 200:
                raise RuntimeError(f"POST messages: {response.status} {body[:200]!r}")
        message: str = orjson.loads(body)["id"]
        return message

    def _page_url(self, thread_id: str, page_size: int, after: str | None) -> URL:
        url = f"{self._base}/threads/{thread_id}/messages?limit={page_size}&order=asc"
        return URL(url if after is None else f"{url}&after={after}", encoded=True)

    async def list_items(
        self, thread_id: str, page_size: int, consume: Consume | None, max_items: int | None
    ) -> int:
        count = 0
        after: str | None = None
        while True:
            page = await self._get(self._page_url(thread_id, page_size, after))
            for _item in page["data"]:
                count += 1
                if consume is not None:
                    await consume()
                if count == max_items:
                    return count
            if not page["has_more"] or not page["data"]:
                return count
            after = page["last_id"]

    async def list_items_prefetch(self, thread_id: str, page_size: int, consume: Consume) -> int:
        count = 0
        first = self._page_url(thread_id, page_size, None)
        fetching: asyncio.Future[Any] | None = asyncio.ensure_future(self._get(first))
        try:
            while fetching is not None:
                page = await fetching
                fetching = None
                if page["has_more"] and page["data"]:
                    url = self._page_url(thread_id, page_size, page["last_id"])
                    fetching = asyncio.ensure_future(self._get(url))
                for _item in page["data"]:
                    count += 1
                    await consume()
        finally:
            if fetching is not None:
                fetching.cancel()
        return count

    async def _events(self) -> AsyncIterator[tuple[bytes, Any]]:
        """(event name, decoded data) of one streamed run, until ``[DONE]``."""
        async with self._session.post(self._run_url, data=self._run_body, headers=_JSON) as r:
            if r.status != 200:
                raise RuntimeError(f"POST runs: {r.status} {(await r.read())[:200]!r}")
            buffer = b""
            done = False
            # Read to the end of the body (it ends right after [DONE]) so the connection is
            # reused, as the SDKs do.
            async for chunk in r.content.iter_any():
                if done:
                    continue
                buffer += chunk
                *frames, buffer = buffer.split(b"\n\n")
                for frame in frames:
                    name = data = b""
                    for line in frame.split(b"\n"):
                        if line.startswith(b"data:"):
                            data = line[5:].strip()
                        elif line.startswith(b"event:"):
                            name = line[6:].strip()
                    if data == b"[DONE]":
                        done = True
                        break
                    if data:
                        yield name, orjson.loads(data)

    async def stream_text(self) -> int:
        count = 0
        async for name, data in self._events():
            if name == b"thread.message.delta":
                for part in data["delta"].get("content") or ():
                    if part.get("type") == "text" and part["text"].get("value"):
                        count += 1
        return count

    async def stream_events(self) -> int:
        count = 0
        async for name, _data in self._events():
            if name == b"thread.message.delta":
                count += 1
        return count

    async def aclose(self) -> None:
        await self._session.close()


async def open_client(target: Target, max_connections: int) -> FloorClient:
    return FloorClient(target, max_connections)
