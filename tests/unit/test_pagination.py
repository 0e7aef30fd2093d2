"""Cursor rules and the pager, driven by an in-memory list (no sockets)."""

from __future__ import annotations

import asyncio
import gc
from typing import Any

import pytest

from openai_assistants import NOT_GIVEN, PaginationError, ResponseValidationError
from openai_assistants.resources._pagination import AsyncPager, Page, check_list_params, parse_page

ITEMS = [f"it_{i:03d}" for i in range(25)]  # ascending by creation


def server_page(query: dict[str, Any]) -> dict[str, Any]:
    """What a correct server returns: after/before slices, always in the requested order."""
    order = query.get("order", "desc")
    limit = query.get("limit", 20)
    seq = ITEMS if order == "asc" else ITEMS[::-1]
    if "after" in query:
        start = seq.index(query["after"]) + 1
        chunk, more = seq[start : start + limit], start + limit < len(seq)
    elif "before" in query:
        end = seq.index(query["before"])
        begin = max(end - limit, 0)
        chunk, more = seq[begin:end], begin > 0
    else:
        chunk, more = seq[:limit], limit < len(seq)
    data = [{"id": i} for i in chunk]
    return {
        "object": "list",
        "data": data,
        "first_id": chunk[0] if chunk else None,
        "last_id": chunk[-1] if chunk else None,
        "has_more": more,
    }


def make_pager(
    respond: Any = server_page, max_items: int | None = None, **params: Any
) -> tuple[AsyncPager[str], list[dict[str, Any]]]:
    queries: list[dict[str, Any]] = []
    checked = check_list_params(
        limit=params.get("limit", NOT_GIVEN),
        order=params.get("order", NOT_GIVEN),
        after=params.get("after", NOT_GIVEN),
        before=params.get("before", NOT_GIVEN),
        max_items=max_items,
    )

    async def fetch(query: dict[str, Any]) -> Page[str]:
        queries.append(dict(query))
        return parse_page(
            respond(query),
            limit=checked.limit,
            structure_items=lambda raw: [r["id"] for r in raw],
            request_id=None,
        )

    return AsyncPager(fetch, checked, max_items=max_items), queries


async def test_forward_walk_follows_after_last_id() -> None:
    pager, queries = make_pager(limit=10, order="asc")
    assert [i async for i in pager] == ITEMS
    assert queries == [
        {"limit": 10, "order": "asc"},
        {"limit": 10, "order": "asc", "after": "it_009"},
        {"limit": 10, "order": "asc", "after": "it_019"},
    ]


async def test_forward_walk_from_an_after_cursor_desc() -> None:
    pager, _ = make_pager(limit=7, after="it_020")
    assert await pager.to_list() == ITEMS[:20][::-1]


async def test_backward_walk_follows_before_first_id_moving_away() -> None:
    pager, queries = make_pager(limit=4, order="asc", before="it_012")
    items = await pager.to_list()
    assert items == ITEMS[:12][::-1]  # nearest to it_012 first, then older and older
    assert [q.get("before") for q in queries] == ["it_012", "it_008", "it_004"]
    assert all("after" not in q for q in queries)


async def test_backward_walk_desc_moves_to_newer_items() -> None:
    pager, _ = make_pager(limit=5, order="desc", before="it_010")
    assert await pager.to_list() == ITEMS[11:]


async def test_max_items_caps_the_total_and_stops_fetching() -> None:
    pager, queries = make_pager(limit=5, order="asc", max_items=7)
    assert await pager.to_list() == ITEMS[:7]
    assert len(queries) == 2
    zero, queries0 = make_pager(max_items=0)
    assert await zero.to_list() == []
    assert queries0 == []


async def test_awaiting_the_pager_gives_the_first_page() -> None:
    pager, queries = make_pager(limit=3, order="asc")
    page = await pager
    assert page.data == ITEMS[:3]
    assert (page.first_id, page.last_id, page.has_more) == ("it_000", "it_002", True)
    assert len(queries) == 1


async def test_pages_yields_page_objects() -> None:
    pager, _ = make_pager(limit=10, order="asc")
    sizes = [len(p.data) async for p in pager.pages()]
    assert sizes == [10, 10, 5]


async def test_stops_on_empty_page_even_if_has_more_lies() -> None:
    calls = 0

    def lying(query: dict[str, Any]) -> dict[str, Any]:
        nonlocal calls
        calls += 1
        if "after" in query:
            return {"data": [], "has_more": True}
        return {"data": [{"id": "a"}], "has_more": True, "last_id": "a"}

    pager, _ = make_pager(lying)
    assert await pager.to_list() == ["a"]
    assert calls == 2


async def test_repeated_cursor_raises_pagination_error() -> None:
    def looping(query: dict[str, Any]) -> dict[str, Any]:
        return {"data": [{"id": "a"}, {"id": "b"}], "has_more": True, "last_id": "b"}

    pager, _ = make_pager(looping)
    seen: list[str] = []

    async def consume() -> None:
        async for item in pager:
            seen.append(item)

    with pytest.raises(PaginationError, match="'b'"):
        await consume()
    assert seen == ["a", "b"]  # the first page was delivered, the loop was not


async def test_cursor_equal_to_the_starting_cursor_is_a_loop() -> None:
    def stuck(query: dict[str, Any]) -> dict[str, Any]:
        return {"data": [{"id": "x"}], "has_more": True, "last_id": "start"}

    pager, _ = make_pager(stuck, after="start")
    with pytest.raises(PaginationError):
        await pager.to_list()


async def test_bare_array_and_missing_cursor_fields() -> None:
    def bare(query: dict[str, Any]) -> list[dict[str, str]]:
        page = server_page({**query, "order": "asc"})
        return list(page["data"])

    pager, queries = make_pager(bare, limit=10)
    assert await pager.to_list() == ITEMS
    # 10 + 10 + 5: the short page ends the walk without an extra request
    assert [q.get("after") for q in queries] == [None, "it_009", "it_019"]


async def test_bare_array_exactly_full_costs_one_empty_page() -> None:
    items = [{"id": i} for i in ITEMS[:10]]

    def full(query: dict[str, Any]) -> list[dict[str, str]]:
        start = 0 if "after" not in query else ITEMS.index(query["after"]) + 1
        return items[start : start + 5]

    pager, queries = make_pager(full, limit=5)
    assert await pager.to_list() == ITEMS[:10]
    assert len(queries) == 3


async def test_list_body_without_data_is_a_validation_error() -> None:
    pager, _ = make_pager(lambda q: {"object": "list", "items": []})
    with pytest.raises(ResponseValidationError, match="data"):
        await pager.to_list()


def test_plain_for_raises_a_helpful_type_error() -> None:
    pager, _ = make_pager()
    with pytest.raises(TypeError, match="async for"):
        for _ in pager:
            pass


@pytest.mark.parametrize(
    ("kwargs", "exc", "message"),
    [
        ({"limit": 0}, ValueError, "between 1 and 100"),
        ({"limit": 101}, ValueError, "between 1 and 100"),
        ({"limit": "10"}, TypeError, "limit must be an int"),
        ({"limit": True}, TypeError, "limit must be an int"),
        ({"order": "up"}, ValueError, "'asc' or 'desc'"),
        ({"after": "a", "before": "b"}, ValueError, "not both"),
        ({"after": ""}, TypeError, "after"),
        ({"before": 5}, TypeError, "before"),
        ({"max_items": -1}, ValueError, "max_items"),
    ],
)
def test_bad_list_params(kwargs: dict[str, Any], exc: type[Exception], message: str) -> None:
    args: dict[str, Any] = {
        "limit": NOT_GIVEN,
        "order": NOT_GIVEN,
        "after": NOT_GIVEN,
        "before": NOT_GIVEN,
        "max_items": None,
    }
    args.update(kwargs)
    with pytest.raises(exc, match=message):
        check_list_params(**args)


def make_prefetching(
    respond: Any = server_page, delay: float = 0.0, **params: Any
) -> tuple[AsyncPager[str], list[str]]:
    """A pager whose fetches take ``delay`` seconds and log when they start and end."""
    log: list[str] = []
    checked = check_list_params(
        limit=params.get("limit", NOT_GIVEN),
        order=params.get("order", NOT_GIVEN),
        after=NOT_GIVEN,
        before=NOT_GIVEN,
        max_items=params.get("max_items"),
    )

    async def fetch(query: dict[str, Any]) -> Page[str]:
        cursor = query.get("after", "first")
        log.append(f"start {cursor}")
        await asyncio.sleep(delay)
        log.append(f"end {cursor}")
        return parse_page(
            respond(query),
            limit=checked.limit,
            structure_items=lambda raw: [r["id"] for r in raw],
            request_id=None,
        )

    pager = AsyncPager(fetch, checked, max_items=params.get("max_items"), prefetch=True)
    return pager, log


async def test_prefetch_requests_the_next_page_while_the_caller_works() -> None:
    pager, log = make_prefetching(limit=10, order="asc", delay=0.01)
    items: list[str] = []
    async for item in pager:
        items.append(item)
        if item == "it_000":
            await asyncio.sleep(0.05)  # the caller is busy with the first item
            log.append("caller busy")
    assert items == ITEMS
    # the second page was asked for before the caller finished with the first one
    assert log.index("start it_009") < log.index("caller busy")
    assert log.count("start it_009") == 1
    assert log.count("start it_019") == 1
    assert "start it_024" not in log  # has_more was false: nothing fetched past the end


async def test_prefetch_respects_max_items() -> None:
    pager, log = make_prefetching(limit=5, order="asc", max_items=5)
    assert await pager.to_list() == ITEMS[:5]
    assert log == ["start first", "end first"]


async def test_an_abandoned_prefetch_is_cancelled_quietly(caplog: pytest.LogCaptureFixture) -> None:
    def failing_second_page(query: dict[str, Any]) -> dict[str, Any]:
        if "after" in query:
            raise RuntimeError("page 2 failed")
        return server_page(query)

    pager, _ = make_prefetching(failing_second_page, limit=5, order="asc")
    pages = pager.pages()
    first = await pages.__anext__()
    assert first.data == ITEMS[:5]
    await asyncio.sleep(0.01)  # the prefetch runs (and fails) meanwhile
    await pages.aclose()
    gc.collect()
    await asyncio.sleep(0)
    assert "never retrieved" not in caplog.text
