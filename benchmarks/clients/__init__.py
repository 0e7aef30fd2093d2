"""The three clients under test, behind one interface (each module imports only its own stack).

``ours`` is ``openai_assistants``; ``openai`` is the official package, used idiomatically;
``floor`` is one bare aiohttp session decoding with orjson into dicts: what any client must at
least spend. A client process imports exactly one of these modules.
"""

from __future__ import annotations

import importlib
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Final, Protocol

__all__ = ["CLIENTS", "CLIENT_NAMES", "BenchClient", "Consume", "Target", "open_client"]

#: Client name -> module under ``benchmarks.clients``.
CLIENTS: Final = {"ours": "ours", "openai": "official", "floor": "floor"}
CLIENT_NAMES: Final = tuple(CLIENTS)

#: What the consumer does with each listed item (the prefetch scenario burns 0.2 ms in it).
Consume = Callable[[], Awaitable[None]]


@dataclass(frozen=True)
class Target:
    """Where the load server is and which objects it holds."""

    base_url: str
    api_key: str
    assistant_id: str
    create_thread_id: str
    stream_thread_id: str


class BenchClient(Protocol):
    """The operations the scenarios time; every client implements them the idiomatic way."""

    async def retrieve(self) -> str:
        """Retrieve the assistant; return its id."""

    async def create(self) -> str:
        """Add a user message to the create thread; return the new message's id."""

    async def list_items(
        self, thread_id: str, page_size: int, consume: Consume | None, max_items: int | None
    ) -> int:
        """Walk the thread's messages (oldest first) page by page; return how many came."""

    async def list_items_prefetch(self, thread_id: str, page_size: int, consume: Consume) -> int:
        """Like ``list_items``, fetching page N+1 while page N is consumed.

        Only scenario (f) calls it; a client its jobs skip (openai, which has no prefetching
        pager) need not have it.
        """

    async def stream_text(self) -> int:
        """One streamed run with the recommended high-level API; return the text deltas seen."""

    async def stream_events(self) -> int:
        """One streamed run with the lowest-level event iterator; return the delta events seen."""

    async def aclose(self) -> None:
        """Close the connections."""


async def open_client(name: str, target: Target, *, max_connections: int) -> BenchClient:
    """Import the client's module (only now) and build the client inside the running loop."""
    module = importlib.import_module(f"{__name__}.{CLIENTS[name]}")
    opener: Callable[[Target, int], Awaitable[BenchClient]] = module.open_client
    return await opener(target, max_connections)
