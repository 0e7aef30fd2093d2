"""Server-sent event framing: ``event: NAME\\ndata: JSON\\n\\n``, and the streaming response."""

from __future__ import annotations

import json
from typing import Any

from aiohttp import web

__all__ = ["DONE_FRAME", "EventStream", "format_event"]


def format_event(name: str, data: Any) -> bytes:
    """Frame one event; ``data`` is JSON-encoded unless it is already a string."""
    payload = data if isinstance(data, str) else json.dumps(data, separators=(",", ":"))
    return f"event: {name}\ndata: {payload}\n\n".encode()


#: The frame that ends every complete stream.
DONE_FRAME = format_event("done", "[DONE]")


class EventStream(web.StreamResponse):
    """An event-stream response with the transcript of every event its run produced.

    The transcript is whole even when the client left or a fault cut the stream, so a repeated
    ``Idempotency-Key`` replays what the run did instead of starting another run.
    """

    def __init__(self) -> None:
        super().__init__(
            headers={
                "Content-Type": "text/event-stream; charset=utf-8",
                "Cache-Control": "no-cache",
            }
        )
        self.transcript = bytearray()
