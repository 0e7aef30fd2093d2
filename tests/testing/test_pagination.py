"""Exact cursor pagination: limit, order, after, before, has_more, first/last ids."""

from __future__ import annotations

import pytest

from openai_assistants.testing import FakeAssistantsServer

from .spec_client import SpecClient


@pytest.fixture
def thread_with_messages(server: FakeAssistantsServer) -> tuple[str, list[str]]:
    """A thread with 7 messages sharing one created_at (order = insertion order)."""
    thread = server.factories.thread()
    ids = server.factories.messages(thread["id"], 7, created_at=1_700_000_000)
    return thread["id"], ids


async def _ids(api: SpecClient, path: str, **params: object) -> tuple[list[str], dict[str, object]]:
    reply = await api.get(path, params={k: str(v) for k, v in params.items()})
    assert reply.status == 200, reply
    return [item["id"] for item in reply.body["data"]], reply.body


@pytest.mark.parametrize(
    ("params", "expected", "has_more"),
    [
        ({}, slice(None, None, -1), False),
        ({"limit": 3}, slice(6, 3, -1), True),
        ({"order": "asc", "limit": 3}, slice(0, 3), True),
        ({"order": "asc", "after": 2, "limit": 2}, slice(3, 5), True),
        ({"order": "asc", "after": 4, "limit": 5}, slice(5, 7), False),
        ({"order": "desc", "after": 4, "limit": 2}, slice(3, 1, -1), True),
        ({"order": "desc", "after": 1}, slice(0, 1), False),
        # before: the items immediately preceding the cursor, still in the chosen order.
        ({"order": "desc", "before": 2, "limit": 2}, slice(4, 2, -1), True),
        ({"order": "desc", "before": 4, "limit": 5}, slice(6, 4, -1), False),
        ({"order": "asc", "before": 4, "limit": 2}, slice(2, 4), True),
        ({"order": "asc", "before": 1, "limit": 5}, slice(0, 1), False),
        ({"order": "asc", "after": 1, "before": 5}, slice(2, 5), False),
        ({"order": "asc", "after": 1, "before": 5, "limit": 2}, slice(2, 4), True),
    ],
)
async def test_page_slices(
    api: SpecClient,
    thread_with_messages: tuple[str, list[str]],
    params: dict[str, object],
    expected: slice,
    has_more: bool,
) -> None:
    thread_id, ids = thread_with_messages
    query = {
        k: ids[v] if k in ("after", "before") and isinstance(v, int) else v
        for k, v in params.items()
    }
    got, body = await _ids(api, f"/threads/{thread_id}/messages", **query)
    assert got == ids[expected]
    assert body["has_more"] is has_more
    assert body["first_id"] == got[0]
    assert body["last_id"] == got[-1]


async def test_empty_page_has_null_ids(
    api: SpecClient, thread_with_messages: tuple[str, list[str]]
) -> None:
    thread_id, ids = thread_with_messages
    got, body = await _ids(api, f"/threads/{thread_id}/messages", order="asc", after=ids[-1])
    assert got == []
    assert body == {
        "object": "list",
        "data": [],
        "first_id": None,
        "last_id": None,
        "has_more": False,
    }


async def test_cursor_of_a_deleted_message_still_marks_its_place(
    api: SpecClient, thread_with_messages: tuple[str, list[str]]
) -> None:
    thread_id, ids = thread_with_messages
    assert (await api.delete(f"/threads/{thread_id}/messages/{ids[3]}")).status == 200
    got, _ = await _ids(api, f"/threads/{thread_id}/messages", order="asc", after=ids[3])
    assert got == ids[4:]


async def test_walking_all_pages_both_ways(
    api: SpecClient, thread_with_messages: tuple[str, list[str]]
) -> None:
    thread_id, ids = thread_with_messages
    seen: list[str] = []
    params: dict[str, object] = {"limit": 3, "order": "asc"}
    while True:
        page, body = await _ids(api, f"/threads/{thread_id}/messages", **params)
        seen += page
        if not body["has_more"]:
            break
        params["after"] = body["last_id"]
    assert seen == ids
    # Backwards from the end with `before`, newest-first pages.
    back: list[str] = []
    params = {"limit": 3, "order": "desc", "before": ids[0]}
    while True:
        page, body = await _ids(api, f"/threads/{thread_id}/messages", **params)
        back = page + back
        if not body["has_more"]:
            break
        params["before"] = body["first_id"]
    assert back == ids[:0:-1]


async def test_ties_in_created_at_follow_insertion_and_later_times_sort_after(
    api: SpecClient, server: FakeAssistantsServer
) -> None:
    late = server.factories.assistant(name="late", created_at=2_000)
    early = [server.factories.assistant(name=f"e{i}", created_at=1_000) for i in range(3)]
    got, _ = await _ids(api, "/assistants", order="asc")
    assert got == [a["id"] for a in early] + [late["id"]]


async def test_run_id_filter(api: SpecClient, server: FakeAssistantsServer) -> None:
    assistant = server.factories.assistant()
    thread = server.factories.thread(messages=["one"])
    first = server.factories.run(thread["id"], assistant["id"])
    server.factories.message(thread["id"], "two")
    second = server.factories.run(thread["id"], assistant["id"])
    for run in (first, second):
        got = await api.get(f"/threads/{thread['id']}/messages", params={"run_id": run["id"]})
        [message] = got.body["data"]
        assert message["run_id"] == run["id"]
        assert message["role"] == "assistant"
    everything, _ = await _ids(api, f"/threads/{thread['id']}/messages")
    assert len(everything) == 4


@pytest.mark.parametrize(
    ("params", "error"),
    [
        (
            {"limit": "0"},
            {
                "message": "Invalid 'limit': integer below minimum value. Expected a value >= 1, "
                "but got 0 instead.",
                "param": "limit",
                "code": "integer_below_min_value",
            },
        ),
        (
            {"limit": "101"},
            {
                "message": "Invalid 'limit': integer above maximum value. Expected a value <= "
                "100, but got 101 instead.",
                "param": "limit",
                "code": "integer_above_max_value",
            },
        ),
        (
            {"limit": "ten"},
            {
                "message": "Invalid type for 'limit': expected an integer, but got a string "
                "instead.",
                "param": "limit",
                "code": "invalid_type",
            },
        ),
        (
            {"order": "up"},
            {
                "message": "Invalid value: 'up'. Supported values are: 'asc' and 'desc'.",
                "param": "order",
                "code": "invalid_value",
            },
        ),
        (
            {"after": "asst_never"},
            {
                "message": "Invalid 'after': no object with id 'asst_never' exists.",
                "param": "after",
                "code": "invalid_value",
            },
        ),
    ],
)
async def test_bad_list_parameters(
    api: SpecClient, params: dict[str, str], error: dict[str, str]
) -> None:
    reply = await api.get("/assistants", params=params)
    assert reply.status == 400
    assert reply.error == {"type": "invalid_request_error", **error}


async def test_ten_thousand_messages_in_pages_of_100(
    api: SpecClient, server: FakeAssistantsServer
) -> None:
    thread = server.factories.thread()
    ids = server.factories.messages(thread["id"], 10_000)
    seen: list[str] = []
    after: str | None = None
    pages = 0
    while True:
        params = {"limit": "100", "order": "asc"}
        if after is not None:
            params["after"] = after
        async with api.session.get(
            f"{server.base_url}/threads/{thread['id']}/messages",
            params=params,
            headers=api.headers(),
        ) as response:
            body = await response.json()
        pages += 1
        seen += [message["id"] for message in body["data"]]
        if not body["has_more"]:
            break
        after = body["last_id"]
    assert pages == 100
    assert seen == ids
