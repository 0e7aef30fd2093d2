"""Sentinels and shared type aliases.

``NOT_GIVEN`` is the default of every optional parameter and means "leave the key out of the
request". ``None`` is a real value and is sent as JSON ``null``. Keeping the two apart is what lets
a caller clear a nullable field (``instructions=None``) without also sending every key it did not
mention.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final, Literal, TypeAlias

from typing_extensions import TypedDict

__all__ = ["NOT_GIVEN", "NotGiven", "JSON", "RequestOptions", "ListParams"]

JSON: TypeAlias = Any


class NotGiven:
    """The type of ``NOT_GIVEN``: a falsy singleton that means "omit this key"."""

    _instance: NotGiven | None = None

    def __new__(cls) -> NotGiven:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __bool__(self) -> Literal[False]:
        return False

    def __repr__(self) -> str:
        return "NOT_GIVEN"

    def __reduce__(self) -> str:
        return "NOT_GIVEN"


NOT_GIVEN: Final = NotGiven()


class RequestOptions(TypedDict, total=False):
    """Per-call options accepted by every service method as keyword arguments."""

    timeout: float | None
    extra_headers: Mapping[str, str]
    extra_query: Mapping[str, str]
    extra_body: Mapping[str, Any]
    idempotency_key: str
    max_retries: int


class ListParams(RequestOptions, total=False):
    """The keyword arguments of every ``list()``: paging, then the request options.

    ``limit`` is the page size (1-100), not a cap on the items: ``max_items`` is that.
    ``after``/``before`` start after/before an object id (``before`` walks backward).
    ``prefetch=True`` asks for the next page while the current one is being consumed.
    """

    limit: int | NotGiven
    order: Literal["asc", "desc"] | NotGiven
    after: str | NotGiven
    before: str | NotGiven
    max_items: int | None
    prefetch: bool
