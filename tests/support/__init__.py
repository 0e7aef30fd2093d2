"""Helpers shared by the test suites (on sys.path through pytest's ``pythonpath``)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path

#: The API's OpenAPI documents, vendored as test data (``tests/spec/README.md`` says whence).
SPEC_DIR = Path(__file__).resolve().parents[1] / "spec"

#: How far past its budget a bounded wait (a timeout, ``max_wait``, a retry budget) may end before
#: a test calls it a hang. Loose on purpose: a busy 2-core CI host stalls the event loop for up to
#: a second or so, while the hangs these bounds catch run 30 s or forever. The behaviour (which
#: error, how many attempts, nothing resent) is what the tests assert exactly.
SLACK = 5.0

BASE = "http://api.test/v1"
KEY = "sk-test-secret-key-123"


async def eventually(
    predicate: Callable[[], object],
    timeout: float = 5.0,
    interval: float = 0.01,
    *,
    what: str = "",
) -> None:
    """Wait until ``predicate()`` is true; fail the test if it is still false after ``timeout`` s.

    For waiting on something another task does (a server handling a request its client left):
    unlike a bounded loop that falls through, a condition that never came true is an error,
    described by ``what`` (else by the predicate's name).
    """
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not predicate():
        if loop.time() >= deadline:
            name = what or getattr(predicate, "__qualname__", repr(predicate))
            raise AssertionError(f"still not true after {timeout} s: {name}")
        await asyncio.sleep(interval)


def aioresponses_compat() -> type:
    """A ClientResponse that aioresponses 0.7.x can build on aiohttp >= 3.14.

    aiohttp 3.14 added a required ``stream_writer`` argument that aioresponses does not pass yet;
    a stand-in with ``output_size`` is all a finished request needs.
    """
    import inspect
    from types import SimpleNamespace
    from typing import Any

    from aiohttp import ClientResponse

    if "stream_writer" not in inspect.signature(ClientResponse.__init__).parameters:
        return ClientResponse

    class CompatResponse(ClientResponse):
        def __init__(self, method: str, url: Any, **kwargs: Any) -> None:
            kwargs.setdefault("stream_writer", SimpleNamespace(output_size=0))
            super().__init__(method, url, **kwargs)

    return CompatResponse
