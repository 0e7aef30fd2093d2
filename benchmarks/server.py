"""The load server: a minimal HTTP/1.1 keep-alive server answering from pre-built bytes.

It runs in its own process (``python -m benchmarks.server``), listens on two ports of 127.0.0.1 and
prints one JSON line with their URLs once ready. The second ("slow") port answers list pages
20 ms late (``--delay-ms``), for the prefetch scenario. Every response body is serialized once at
start-up; a list page is the join of pre-serialized messages, sliced in O(limit) through an
id -> index dict. ``GET /__stats`` reports the server's own CPU time, so the runner can show the
server was never the bottleneck. The server exits when its stdin closes (its parent is gone) or on
SIGTERM/SIGINT.

Routes (under ``/v1``; every one but ``/__stats`` needs ``Authorization: Bearer <API_KEY>``):
``GET /assistants/{id}``, ``POST /threads/{id}/messages``, ``GET /threads/{id}/messages``
(``limit``, ``order``, ``after``, ``before``) and ``POST /threads/{id}/runs`` (with
``"stream": true``: an SSE run of ``--deltas`` message deltas, one HTTP chunk per event).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import gc
import json
import signal
import sys
import threading
import time
from collections.abc import Sequence
from typing import Final, cast
from urllib.parse import parse_qsl

from . import data
from .client_main import pin
from .scenarios import Sizes

__all__ = ["App", "ThreadStore", "main"]

_HEAD_LIMIT: Final = 65536


def response(body: bytes, status: str = "200 OK") -> bytes:
    """A complete ``Content-Length`` response."""
    head = (
        f"HTTP/1.1 {status}\r\ncontent-type: application/json\r\n"
        f"content-length: {len(body)}\r\nx-request-id: req_bench\r\n\r\n"
    )
    return head.encode() + body


def error(status: str, message: str) -> bytes:
    body = {"error": {"message": message, "type": "invalid_request_error", "param": None}}
    return response(data.dumps(body), status)


def sse_response(events: Sequence[tuple[str, bytes]]) -> bytes:
    """A chunked ``text/event-stream`` response: each event in its own HTTP chunk, as the API."""
    head = (
        b"HTTP/1.1 200 OK\r\ncontent-type: text/event-stream; charset=utf-8\r\n"
        b"cache-control: no-cache\r\ntransfer-encoding: chunked\r\nx-request-id: req_bench\r\n\r\n"
    )
    frames = [b"event: %s\ndata: %s\n\n" % (name.encode(), payload) for name, payload in events]
    frames.append(b"event: done\ndata: [DONE]\n\n")
    chunks = [b"%x\r\n%s\r\n" % (len(frame), frame) for frame in frames]
    return head + b"".join(chunks) + b"0\r\n\r\n"


class ThreadStore:
    """The messages of one thread, pre-serialized, with exact ``after``/``before`` cursors."""

    def __init__(self, thread_id: str, size: int) -> None:
        messages = [data.message(thread_id, i) for i in range(size)]
        self.size = size
        self._asc_ids = [m["id"] for m in messages]
        self._asc = [data.dumps(m) for m in messages]
        self._desc_ids = self._asc_ids[::-1]
        self._desc = self._asc[::-1]
        self._index = {message_id: i for i, message_id in enumerate(self._asc_ids)}

    def page(self, query: dict[str, str]) -> bytes:
        """The list response for one query (or an error response)."""
        try:
            limit = int(query.get("limit", "20"))
        except ValueError:
            return error("400 Bad Request", "limit must be an integer")
        if not 1 <= limit <= 100:
            return error("400 Bad Request", "limit must be between 1 and 100")
        order = query.get("order", "desc")
        if order not in ("asc", "desc"):
            return error("400 Bad Request", "order must be asc or desc")
        ids, items = (self._asc_ids, self._asc) if order == "asc" else (self._desc_ids, self._desc)
        after, before = query.get("after"), query.get("before")
        cursor = after if after is not None else before
        position = None
        if cursor is not None:
            index = self._index.get(cursor)
            if index is None:
                return error("400 Bad Request", f"no message {cursor!r} in this thread")
            position = index if order == "asc" else self.size - 1 - index
        if after is not None and position is not None:
            start = position + 1
            end = min(self.size, start + limit)
            has_more = end < self.size
        elif position is not None:  # before: the page just before the cursor, same order
            end = position
            start = max(0, end - limit)
            has_more = start > 0
        else:
            start, end = 0, min(self.size, limit)
            has_more = end < self.size
        if start >= end:
            return response(
                b'{"object":"list","data":[],"first_id":null,"last_id":null,"has_more":false}'
            )
        body = b'{"object":"list","data":[%s],"first_id":"%s","last_id":"%s","has_more":%s}' % (
            b",".join(items[start:end]),
            ids[start].encode(),
            ids[end - 1].encode(),
            b"true" if has_more else b"false",
        )
        return response(body)


class App:
    """Routes a parsed request to its pre-built response."""

    def __init__(self, sizes: Sequence[int], n_deltas: int) -> None:
        self._auth = f"Bearer {data.API_KEY}"
        self._assistant = response(data.dumps(data.assistant()))
        self._created = response(data.dumps(data.created_message(data.CREATE_THREAD_ID)))
        self._stream = sse_response(data.stream_events(data.STREAM_THREAD_ID, n_deltas))
        self._threads = {
            data.list_thread_id(n): ThreadStore(data.list_thread_id(n), n) for n in sizes
        }
        self._not_found = error("404 Not Found", "no such route")

    def stats(self) -> bytes:
        return response(data.dumps({"cpu": time.process_time()}))

    def handle(self, method: str, target: str, headers: dict[str, str], body: bytes) -> bytes:
        """The response bytes for one request."""
        path, _, raw_query = target.partition("?")
        if path == "/__stats":
            return self.stats()
        if headers.get("authorization") != self._auth:
            return error("401 Unauthorized", "Incorrect API key provided")
        parts = path.split("/")
        # ['', 'v1', 'assistants', id] or ['', 'v1', 'threads', id, 'messages' | 'runs']
        if len(parts) == 4 and parts[2] == "assistants" and method == "GET":
            return self._assistant if parts[3] == data.ASSISTANT_ID else self._not_found
        if len(parts) == 5 and parts[2] == "threads":
            if parts[4] == "messages":
                if method == "GET":
                    store = self._threads.get(parts[3])
                    if store is None:
                        return error("404 Not Found", f"No thread found with id '{parts[3]}'.")
                    return store.page(dict(parse_qsl(raw_query)))
                if method == "POST":
                    if b'"role"' not in body or b'"content"' not in body:
                        return error("400 Bad Request", "role and content are required")
                    return self._created
            if parts[4] == "runs" and method == "POST":
                try:
                    request = json.loads(body)
                except ValueError:
                    return error("400 Bad Request", "the body is not JSON")
                if not isinstance(request, dict) or request.get("stream") is not True:
                    return error("400 Bad Request", "this server only streams runs")
                return self._stream
        return self._not_found


def _dechunk(buf: bytes, start: int) -> tuple[bytes, int] | None:
    """A chunked request body starting at ``start``: (body, end) or None if incomplete."""
    parts: list[bytes] = []
    position = start
    while True:
        line_end = buf.find(b"\r\n", position)
        if line_end < 0:
            return None
        size = int(buf[position:line_end].split(b";")[0], 16)
        position = line_end + 2
        if size == 0:
            trailer_end = buf.find(b"\r\n\r\n", position - 2)
            return (b"".join(parts), trailer_end + 4) if trailer_end >= 0 else None
        if len(buf) < position + size + 2:
            return None
        parts.append(buf[position : position + size])
        position += size + 2


class HTTPProtocol(asyncio.Protocol):
    """One connection: parses requests in order, answers each from ``App``, keeps it alive."""

    def __init__(self, app: App, delay: float) -> None:
        self._app = app
        self._delay = delay
        self._transport: asyncio.Transport | None = None
        self._buf = b""
        self._waiting = False

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        # uvloop's transports are not asyncio.Transport subclasses, but have its methods
        self._transport = cast(asyncio.Transport, transport)

    def connection_lost(self, exc: Exception | None) -> None:
        self._transport = None

    def data_received(self, chunk: bytes) -> None:
        self._buf = self._buf + chunk if self._buf else chunk
        if not self._waiting:
            self._drain()

    def _drain(self) -> None:
        transport = self._transport
        buf = self._buf
        while buf and transport is not None:
            end = buf.find(b"\r\n\r\n")
            if end < 0:
                if len(buf) > _HEAD_LIMIT:
                    transport.write(error("431 Request Header Fields Too Large", "too large"))
                    transport.close()
                    buf = b""
                break
            lines = buf[:end].decode("latin-1").split("\r\n")
            method, target, version = lines[0].split(" ", 2)
            headers = {}
            for line in lines[1:]:
                name, _, value = line.partition(":")
                headers[name.strip().lower()] = value.strip()
            start = end + 4
            if headers.get("transfer-encoding", "").lower() == "chunked":
                parsed = _dechunk(buf, start)
                if parsed is None:
                    break
                body, start = parsed
            else:
                length = int(headers.get("content-length") or 0)
                if len(buf) < start + length:
                    break
                body = buf[start : start + length]
                start += length
            buf = buf[start:]
            connection = headers.get("connection", "").lower()
            keep_alive = (
                connection != "close" if version == "HTTP/1.1" else connection == "keep-alive"
            )
            reply = self._app.handle(method, target, headers, body)
            if self._delay and method == "GET" and "/messages" in target:
                self._waiting = True
                self._buf = buf
                asyncio.get_running_loop().call_later(
                    self._delay, self._send_late, reply, keep_alive
                )
                return
            transport.write(reply)
            if not keep_alive:
                transport.close()
                buf = b""
                break
        self._buf = buf

    def _send_late(self, reply: bytes, keep_alive: bool) -> None:
        self._waiting = False
        if self._transport is None or self._transport.is_closing():
            return
        self._transport.write(reply)
        if keep_alive:
            self._drain()
        else:
            self._transport.close()


async def serve(args: argparse.Namespace) -> None:
    started = time.perf_counter()
    app = App(args.sizes, args.deltas)
    gc.collect()
    gc.freeze()  # the store is immortal: keep the collector from walking it
    loop = asyncio.get_running_loop()
    fast = await loop.create_server(lambda: HTTPProtocol(app, 0.0), "127.0.0.1", 0, backlog=1024)
    slow = await loop.create_server(
        lambda: HTTPProtocol(app, args.delay_ms / 1000), "127.0.0.1", 0, backlog=1024
    )
    stop = asyncio.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)

    def watch_stdin() -> None:  # the parent closing our stdin (or dying) stops us
        with contextlib.suppress(Exception):
            sys.stdin.buffer.read()
        loop.call_soon_threadsafe(stop.set)

    if args.watch_stdin:
        threading.Thread(target=watch_stdin, daemon=True).start()
    fast_port = fast.sockets[0].getsockname()[1]
    slow_port = slow.sockets[0].getsockname()[1]
    ready = {
        "base_url": f"http://127.0.0.1:{fast_port}/v1",
        "slow_base_url": f"http://127.0.0.1:{slow_port}/v1",
        "stats_url": f"http://127.0.0.1:{fast_port}/__stats",
        "startup_s": round(time.perf_counter() - started, 3),
    }
    print(json.dumps(ready), flush=True)
    async with fast, slow:
        await stop.wait()


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.server", description=__doc__)
    defaults = Sizes()
    parser.add_argument(
        "--sizes",
        type=lambda text: [int(n) for n in text.split(",")],
        default=defaults.thread_sizes(),
        help="message counts of the stored threads (comma-separated)",
    )
    parser.add_argument(
        "--deltas", type=int, default=defaults.deltas, help="message deltas per streamed run"
    )
    parser.add_argument(
        "--delay-ms", type=float, default=defaults.list_delay_ms, help="list delay of the slow port"
    )
    parser.add_argument("--cpu", type=int, default=None, help="pin the server to this CPU")
    parser.add_argument(
        "--watch-stdin", action="store_true", help="exit when stdin closes (set by the runner)"
    )
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> None:
    args = parse_args(argv)
    pin(args.cpu)
    try:
        import uvloop  # the server should be as cheap as possible; the clients choose their loop
    except ImportError:  # pragma: no cover - uvloop is in the bench extra
        asyncio.run(serve(args))
    else:
        uvloop.run(serve(args))


if __name__ == "__main__":
    main()
