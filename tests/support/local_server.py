"""A local aiohttp server whose behaviour each test sets, for crafted responses over sockets."""

from __future__ import annotations

import asyncio
import ssl
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager

from aiohttp import web

from openai_assistants import AssistantsClient

ASSISTANT = {"id": "asst_1", "object": "assistant", "created_at": 1, "model": "m", "tools": []}
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


class LocalServer:
    """Routes every request to ``handler``; counts requests and concurrent peaks."""

    def __init__(self) -> None:
        self.handler: Handler = self.ok
        self.url = ""
        self.active = 0
        self.peak = 0
        self.hits = 0

    @property
    def base_url(self) -> str:
        return self.url + "/v1"

    async def ok(self, request: web.Request) -> web.StreamResponse:
        return web.json_response(ASSISTANT)

    async def dispatch(self, request: web.Request) -> web.StreamResponse:
        self.hits += 1
        self.active += 1
        self.peak = max(self.peak, self.active)
        try:
            return await self.handler(request)
        finally:
            self.active -= 1


@asynccontextmanager
async def local_server(ssl_context: ssl.SSLContext | None = None) -> AsyncIterator[LocalServer]:
    """A ``LocalServer`` on a free port of 127.0.0.1; over TLS (``https``) with ``ssl_context``."""
    state = LocalServer()
    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", state.dispatch)
    runner = web.AppRunner(app, handler_cancellation=True)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0, ssl_context=ssl_context)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    scheme = "http" if ssl_context is None else "https"
    state.url = f"{scheme}://127.0.0.1:{port}"
    try:
        yield state
    finally:
        await runner.cleanup()


def sse_handler(payload: bytes, *, close_early: bool = False, chunk: int = 0) -> Handler:
    """A handler that answers with ``payload`` as an event stream (optionally in chunks)."""

    async def handle(request: web.Request) -> web.StreamResponse:
        response = web.StreamResponse(headers={"Content-Type": "text/event-stream"})
        await response.prepare(request)
        step = chunk or len(payload) or 1
        for start in range(0, len(payload), step):
            await response.write(payload[start : start + step])
        if close_early and request.transport is not None:
            request.transport.close()  # no clean end of the chunked body
            return response
        await response.write_eof()
        return response

    return handle


async def half_body_then_stall(request: web.Request) -> web.StreamResponse:
    """A handler that sends the headers (1,000 bytes announced), part of the body, then stalls."""
    response = web.StreamResponse(headers={"Content-Type": "application/json"})
    response.content_length = 1000
    await response.prepare(request)
    await response.write(b'{"id": "asst_1", ')
    await asyncio.sleep(30)
    return response


def connections_in_use(client: AssistantsClient) -> int:
    """Connections the client's connector has checked out right now."""
    session = client._transport.sessions._session
    assert session is not None
    connector = session.connector
    assert connector is not None
    return sum(len(v) for v in connector._acquired_per_host.values())


def free_pool_slots(client: AssistantsClient) -> int:
    """Slots of the client's pool (``max_connections`` in all) that no call holds right now."""
    slots = client._transport.sessions._slots
    assert slots is not None
    return slots._value
