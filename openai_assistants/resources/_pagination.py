"""Cursor pagination: the ``Page`` shape, the cursor rules, and the async pager over them.

Forward (the default, or ``after=X``): each next page is asked for with ``after=<last_id>``.
Backward (``before=X`` without ``after``): each next page is asked for with ``before=<first_id>``,
and items are yielded nearest to X first, so the walk moves steadily away from X. A page in
either direction is still returned by the server in the requested ``order``.
"""

from __future__ import annotations

import asyncio
from collections.abc import (
    AsyncGenerator,
    AsyncIterator,
    Awaitable,
    Callable,
    Generator,
    Iterator,
    Mapping,
)
from typing import Any, Generic, NoReturn, TypeVar

import attrs

from .._errors import PaginationError, ResponseValidationError
from .._serde.lenient import json_type, log_deviations
from .._types import NOT_GIVEN, NotGiven
from ..models import Deviation

__all__ = ["Page", "AsyncPager", "PageQuery", "check_list_params", "parse_page"]

T = TypeVar("T")


@attrs.frozen
class Page(Generic[T]):
    """One page of a list response, in the order the server returned it."""

    data: list[T]
    first_id: str | None = None
    last_id: str | None = None
    has_more: bool = False
    request_id: str | None = None
    #: How the list envelope left the spec, as read (the items carry their own).
    deviations: tuple[Deviation, ...] = ()


@attrs.frozen(kw_only=True)
class PageQuery:
    """Checked list parameters (the query of the first page)."""

    limit: int | None
    order: str | None
    after: str | None
    before: str | None

    @property
    def backward(self) -> bool:
        return self.before is not None and self.after is None

    def first_query(self) -> dict[str, Any]:
        return {k: v for k, v in attrs.asdict(self).items() if v is not None}


def _opt(value: Any) -> Any:
    return None if isinstance(value, NotGiven) else value


def check_list_params(
    *,
    limit: Any = NOT_GIVEN,
    order: Any = NOT_GIVEN,
    after: Any = NOT_GIVEN,
    before: Any = NOT_GIVEN,
    max_items: Any = None,
    max_limit: int = 100,
) -> PageQuery:
    """Validate list arguments before any request (``NOT_GIVEN`` = not sent)."""
    limit, order, after, before = _opt(limit), _opt(order), _opt(after), _opt(before)
    if limit is not None:
        if isinstance(limit, bool) or not isinstance(limit, int):
            raise TypeError(f"limit must be an int, got {type(limit).__name__}")
        if not 1 <= limit <= max_limit:
            raise ValueError(
                f"limit is the page size and must be between 1 and {max_limit}, got {limit}"
            )
    if order is not None and order not in ("asc", "desc"):
        raise ValueError(f"order must be 'asc' or 'desc', got {order!r}")
    for name, cursor in (("after", after), ("before", before)):
        if cursor is not None and (not isinstance(cursor, str) or not cursor):
            raise TypeError(f"{name} must be a non-empty str (an object id), got {cursor!r}")
    if after is not None and before is not None:
        raise ValueError("pass after or before, not both: they would walk in opposite directions")
    if max_items is not None and (
        isinstance(max_items, bool) or not isinstance(max_items, int) or max_items < 0
    ):
        raise ValueError(f"max_items must be an int >= 0 or None, got {max_items!r}")
    return PageQuery(limit=limit, order=order, after=after, before=before)


def _item_id(item: Any) -> str | None:
    # A server's ids may be numbers; the items read them as strings, so the cursors do too.
    if isinstance(item, Mapping) and type(item.get("id")) is int:
        return str(item["id"])
    value = item.get("id") if isinstance(item, Mapping) else None
    return value if isinstance(value, str) else None


def parse_page(
    body: Any,
    *,
    limit: int | None,
    structure_items: Callable[[list[Any]], list[T]],
    request_id: str | None,
    strict: bool = False,
) -> Page[T]:
    """Read a list response, tolerating servers that leave out the cursor fields.

    A bare JSON array is a page of those items (``null``, or ``"data": null``, an empty one);
    missing ``first_id``/``last_id`` are taken from the items; a missing ``has_more`` is guessed
    from whether the page came back full (an extra empty page then ends the walk). Each such
    reading is a deviation on the page; ``strict`` raises ``ResponseValidationError`` instead.
    ``first_id``/``last_id`` may be ``null`` on an empty page, as the API itself sent them.
    """
    found: list[Deviation] = []
    if isinstance(body, list) or body is None:
        raw = body or []
        first_id = last_id = has_more = _ABSENT
        what = "a bare array" if body is not None else "null"
        found.append(Deviation("$", f"{what}, not a list object; read as its items", body))
    elif isinstance(body, Mapping) and (
        isinstance(body.get("data"), list) or body.get("data", 0) is None
    ):
        raw = body["data"] or []
        if body["data"] is None:
            found.append(Deviation("$.data", "expected an array, got null; read as []"))
        if body.get("object") != "list":
            sent = body.get("object", _ABSENT)
            _deviate(found, "object", sent, "list")
        first_id, last_id, has_more = (
            body.get("first_id", _ABSENT),
            body.get("last_id", _ABSENT),
            body.get("has_more", _ABSENT),
        )
    else:
        raise ResponseValidationError(
            "a list response must be a JSON object with a 'data' array, or a bare array",
            errors=["missing or not an array @ $.data"],
            body=body,
            request_id=request_id,
        )
    first_id = _cursor(found, "first_id", first_id, _item_id(raw[0]) if raw else None)
    last_id = _cursor(found, "last_id", last_id, _item_id(raw[-1]) if raw else None)
    if not isinstance(has_more, bool):
        text = has_more.strip().lower() if isinstance(has_more, str) else None
        full = bool(raw) and len(raw) >= (limit or 20)
        guess = text == "true" if text in ("true", "false") else full
        _deviate(found, "has_more", has_more, guess)
        has_more = guess
    if found and strict:
        raise ResponseValidationError(
            f"the list response does not fit the spec: {found[0].problem} @ {found[0].path}",
            errors=[f"{d.problem} @ {d.path}" for d in found],
            body=body,
            request_id=request_id,
        )
    if found:
        log_deviations("list page", found)
    items = structure_items(raw)
    return Page(items, first_id, last_id, has_more, request_id, deviations=tuple(found))


#: A key the body does not have (``None`` is a value).
_ABSENT: Any = object()


def _cursor(found: list[Deviation], key: str, sent: Any, guess: str | None) -> str | None:
    """A page's ``first_id``/``last_id``: as sent, or taken from the items."""
    if isinstance(sent, str):
        return sent
    if sent is None and guess is None:  # null on an empty page, as the API itself sends it
        return None
    _deviate(found, key, sent, guess)
    return guess


def _deviate(found: list[Deviation], key: str, sent: Any, guess: Any) -> None:
    """Record that ``key`` was read as ``guess`` instead of what was sent."""
    if sent is _ABSENT:
        found.append(Deviation(f"$.{key}", f"missing; read as {guess!r}"))
    else:
        problem = f"unexpected {json_type(sent)}; read as {guess!r}"
        found.append(Deviation(f"$.{key}", problem, sent))


def next_query(params: PageQuery, page: Page[Any]) -> dict[str, Any] | None:
    """The query of the page after ``page``, or ``None`` when the walk is over."""
    if not page.has_more or not page.data:
        return None
    query = params.first_query()
    if params.backward:
        if page.first_id is None:
            return None
        query["before"] = page.first_id
    else:
        if page.last_id is None:
            return None
        query.pop("before", None)
        query["after"] = page.last_id
    return query


class AsyncPager(Generic[T]):
    """Every item of a list endpoint across pages.

    ``async for item in pager`` walks all pages; ``pager.pages()`` yields ``Page`` objects;
    ``await pager`` fetches only the first page; ``await pager.to_list()`` collects the items.
    Each of these starts a fresh walk. No request is sent until one of them is used.
    """

    def __init__(
        self,
        fetch: Callable[[dict[str, Any]], Awaitable[Page[T]]],
        params: PageQuery,
        *,
        max_items: int | None = None,
        prefetch: bool = False,
    ) -> None:
        self._fetch = fetch
        self._params = params
        self._max_items = max_items
        self._prefetch = prefetch

    def __repr__(self) -> str:
        return (
            f"<AsyncPager {self._params!r} max_items={self._max_items} prefetch={self._prefetch}>"
        )

    def __await__(self) -> Generator[Any, None, Page[T]]:
        return self._fetch(self._params.first_query()).__await__()

    async def pages(self) -> AsyncGenerator[Page[T], None]:
        """Yield each page in turn, following the cursor until the server has no more.

        With ``prefetch`` the next page is requested as soon as the current one arrives, so
        its round trip overlaps with the caller's work on the current page. Fetching stops
        once ``max_items`` items have been delivered.
        """
        # The cursor we start from counts: a server answering after=X with last_id=X loops too.
        seen = {c for c in (self._params.after, self._params.before) if c is not None}
        delivered = 0
        query: dict[str, Any] | None
        ahead: asyncio.Future[Page[T]] | None = None
        try:
            page = await self._fetch(self._params.first_query())
            while True:
                delivered += len(page.data)
                query = next_query(self._params, page)
                if self._max_items is not None and delivered >= self._max_items:
                    query = None
                if query is not None:
                    cursor = query["before" if self._params.backward else "after"]
                    if cursor in seen:
                        # Checked before yielding: a page that points back is most likely a
                        # repeat.
                        raise PaginationError(
                            f"the server returned the cursor {cursor!r} twice; stopping instead "
                            "of looping (or yielding items twice)"
                        )
                    seen.add(cursor)
                    if self._prefetch:
                        ahead = asyncio.ensure_future(self._fetch(query))
                yield page
                if query is None:
                    return
                if ahead is not None:
                    page, ahead = await ahead, None
                else:
                    page = await self._fetch(query)
        finally:
            if ahead is not None:
                # The caller stopped early: drop the page fetched ahead (and any error it had).
                ahead.add_done_callback(_discard)
                ahead.cancel()

    async def __aiter__(self) -> AsyncIterator[T]:
        remaining = self._max_items
        if remaining == 0:
            return
        async for page in self.pages():
            items = reversed(page.data) if self._params.backward else page.data
            for item in items:
                yield item
                if remaining is not None:
                    remaining -= 1
                    if remaining == 0:
                        return

    async def to_list(self) -> list[T]:
        """Collect every item (up to ``max_items``) into a list."""
        return [item async for item in self]

    def __iter__(self) -> Iterator[NoReturn]:
        raise TypeError(
            "a list call returns an async pager: use 'async for item in client.x.list(...)' "
            "or 'await client.x.list(...).to_list()', not a plain 'for'"
        )


def _discard(future: asyncio.Future[Any]) -> None:
    """Retrieve an abandoned prefetch's outcome so asyncio does not report it as unhandled."""
    if not future.cancelled():
        future.exception()
