"""Helpers shared by the test suites (on sys.path through pytest's ``pythonpath``)."""

BASE = "http://api.test/v1"
KEY = "sk-test-secret-key-123"


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
