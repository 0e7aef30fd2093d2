"""Vector stores, their files and file batches over real sockets: CRUD, lists, counts, the
processing clocks, scripted processing failures and search, each exchange checked against
``files-vector-stores.openapi.yaml``."""

from __future__ import annotations

from typing import Any

import aiohttp
import pytest
from support import eventually

from openai_assistants.testing import FakeAssistantsServer, ProcessingFailure

from .spec_client import FILES, SpecClient, spec_validator

JSONDict = dict[str, Any]


def counts(
    in_progress: int = 0, completed: int = 0, failed: int = 0, cancelled: int = 0
) -> JSONDict:
    total = in_progress + completed + failed + cancelled
    return {
        "in_progress": in_progress,
        "completed": completed,
        "failed": failed,
        "cancelled": cancelled,
        "total": total,
    }


async def get(api: SpecClient, path: str, **params: str) -> JSONDict:
    reply = await api.get(path, version=None, params=params or None)
    assert reply.status == 200, reply
    body: JSONDict = reply.body
    return body


async def post(api: SpecClient, path: str, body: Any = None) -> JSONDict:
    reply = await api.post(path, body, version=None)
    assert reply.status == 200, reply
    out: JSONDict = reply.body
    return out


# Vector stores ------------------------------------------------------------------------------


async def test_vector_store_lifecycle(api: SpecClient, server: FakeAssistantsServer) -> None:
    file = server.factories.file("Saturn has rings.", filename="saturn.txt")
    created = await post(
        api,
        "/vector_stores",
        {
            "name": "Planets",
            "description": "Facts",
            "file_ids": [file["id"]],
            "metadata": {"team": "astro"},
            "expires_after": {"anchor": "last_active_at", "days": 7},
            "chunking_strategy": {
                "type": "static",
                "static": {"max_chunk_size_tokens": 200, "chunk_overlap_tokens": 100},
            },
        },
    )
    assert created["id"].startswith("vs_")
    assert (created["object"], created["name"], created["metadata"]) == (
        "vector_store",
        "Planets",
        {"team": "astro"},
    )
    # The answer shows the file processing; by the next read (instant clock) it is done.
    assert created["status"] == "in_progress"
    assert created["file_counts"] == counts(in_progress=1)
    assert created["usage_bytes"] == 0
    assert created["expires_after"] == {"anchor": "last_active_at", "days": 7}
    assert created["expires_at"] == created["last_active_at"] + 7 * 86400
    store = await get(api, f"/vector_stores/{created['id']}")
    assert store["status"] == "completed"
    assert store["file_counts"] == counts(completed=1)
    assert store["usage_bytes"] == len("Saturn has rings.")
    attached = await get(api, f"/vector_stores/{created['id']}/files/{file['id']}")
    assert attached["chunking_strategy"] == {
        "type": "static",
        "static": {"max_chunk_size_tokens": 200, "chunk_overlap_tokens": 100},
    }

    modified = await post(
        api,
        f"/vector_stores/{created['id']}",
        {"name": "Renamed", "metadata": {"v": "2"}, "expires_after": None},
    )
    assert (modified["name"], modified["metadata"], modified["expires_at"]) == (
        "Renamed",
        {"v": "2"},
        None,
    )
    assert "expires_after" not in modified
    deleted = await api.delete(f"/vector_stores/{created['id']}", version=None)
    assert deleted.body == {"id": created["id"], "object": "vector_store.deleted", "deleted": True}
    missing = await api.get(f"/vector_stores/{created['id']}", version=None)
    assert missing.status == 404
    assert missing.error["message"] == f"No vector store found with id '{created['id']}'."
    assert (await api.get(f"/files/{file['id']}", version=None)).status == 200  # File stays


async def test_beta_header_optional_any_version(api: SpecClient) -> None:
    plain = await api.post("/vector_stores", {}, version=None)
    assert plain.status == 200
    assert plain.body["name"] == ""  # required, not nullable: empty when none was given
    with_v2 = await api.post("/vector_stores", {"name": "b"}, version="v2")
    assert with_v2.status == 200
    assert (await api.get(f"/vector_stores/{with_v2.body['id']}", version="v1")).status == 200


async def test_list_vector_stores_both_cursors(api: SpecClient) -> None:
    ids = [(await post(api, "/vector_stores", {"name": str(i)}))["id"] for i in range(5)]
    assert [s["id"] for s in (await get(api, "/vector_stores"))["data"]] == ids[::-1]
    after = await get(api, "/vector_stores", order="asc", after=ids[1], limit="2")
    assert [s["id"] for s in after["data"]] == ids[2:4]
    assert after["has_more"] is True
    before = await get(api, "/vector_stores", order="asc", before=ids[3])
    assert [s["id"] for s in before["data"]] == ids[:3]
    too_many = await api.get("/vector_stores", version=None, params={"limit": "101"})
    assert too_many.status == 400


async def test_create_with_unknown_file_makes_nothing(
    api: SpecClient, server: FakeAssistantsServer
) -> None:
    file = server.factories.file("x")
    reply = await api.post(
        "/vector_stores", {"file_ids": [file["id"], "file-missing"]}, version=None
    )
    assert reply.status == 404
    assert reply.error["message"] == "No file found with id 'file-missing'."
    assert len(server.store.vector_stores) == 0


@pytest.mark.parametrize(
    ("strategy", "param"),
    [
        ({"type": "static", "static": {"max_chunk_size_tokens": 99, "chunk_overlap_tokens": 0}},
         "chunking_strategy.static.max_chunk_size_tokens"),
        ({"type": "static", "static": {"max_chunk_size_tokens": 800, "chunk_overlap_tokens": 401}},
         "chunking_strategy.static.chunk_overlap_tokens"),
        ({"type": "static", "static": {"max_chunk_size_tokens": 800}},
         "chunking_strategy.static.chunk_overlap_tokens"),
        ({"type": "static", "max_chunk_size_tokens": 1200, "chunk_overlap_tokens": 200},
         "chunking_strategy.static"),  # the batch example's shape, without the wrapper
        ({"type": "other"}, "chunking_strategy.type"),
        ({"type": "auto", "static": {}}, "chunking_strategy.static"),
    ],
)  # fmt: skip
async def test_chunking_strategy_rules(
    api: SpecClient, server: FakeAssistantsServer, strategy: JSONDict, param: str
) -> None:
    vector_store = server.factories.vector_store()
    file = server.factories.file("x")
    reply = await api.post(
        f"/vector_stores/{vector_store['id']}/files",
        {"file_id": file["id"], "chunking_strategy": strategy},
        version=None,
    )
    assert reply.status == 400
    assert reply.error["param"] == param


async def test_an_expired_store(api: SpecClient, server: FakeAssistantsServer) -> None:
    old = server.factories.vector_store(
        expires_after={"anchor": "last_active_at", "days": 1},
        created_at=1_700_000_000,
        last_active_at=1_700_000_000,
    )
    store = await get(api, f"/vector_stores/{old['id']}")
    assert store["status"] == "expired"
    assert store["expires_at"] == 1_700_000_000 + 86400


# Vector store files -------------------------------------------------------------------------


async def test_vector_store_files(api: SpecClient, server: FakeAssistantsServer) -> None:
    vector_store = server.factories.vector_store(name="kb")
    path = f"/vector_stores/{vector_store['id']}/files"
    files = [server.factories.file(f"text {i}", filename=f"{i}.txt") for i in range(4)]
    created = await post(api, path, {"file_id": files[0]["id"], "attributes": {"year": 2024}})
    assert created == {
        "id": files[0]["id"],  # a vector store file's id is its File's id
        "object": "vector_store.file",
        "usage_bytes": 0,
        "created_at": created["created_at"],
        "vector_store_id": vector_store["id"],
        "status": "in_progress",
        "last_error": None,
        "chunking_strategy": {  # auto (or none) is answered as the static default
            "type": "static",
            "static": {"max_chunk_size_tokens": 800, "chunk_overlap_tokens": 400},
        },
        "attributes": {"year": 2024},
    }
    for file in files[1:]:
        await post(api, path, {"file_id": file["id"], "chunking_strategy": {"type": "auto"}})
    got = await get(api, f"{path}/{files[0]['id']}")
    assert (got["status"], got["usage_bytes"]) == ("completed", len("text 0"))
    listed = await get(api, path, order="asc")
    assert [f["id"] for f in listed["data"]] == [f["id"] for f in files]
    page = await get(api, path, order="desc", after=files[2]["id"])
    assert [f["id"] for f in page["data"]] == [files[1]["id"], files[0]["id"]]
    before = await get(api, path, order="asc", before=files[2]["id"], limit="1")
    assert [f["id"] for f in before["data"]] == [files[1]["id"]]
    assert before["has_more"] is True
    assert (await get(api, path, filter="failed"))["data"] == []
    assert len((await get(api, path, filter="completed"))["data"]) == 4
    bad_filter = await api.get(path, version=None, params={"filter": "done"})
    assert bad_filter.status == 400
    assert bad_filter.error["param"] == "filter"

    updated = await post(api, f"{path}/{files[0]['id']}", {"attributes": {"lang": "en"}})
    assert updated["attributes"] == {"lang": "en"}
    cleared = await post(api, f"{path}/{files[0]['id']}", {"attributes": None})
    assert cleared["attributes"] is None
    too_many = await api.post(
        f"{path}/{files[0]['id']}",
        {"attributes": {f"k{i}": i for i in range(17)}},
        version=None,
    )
    assert too_many.status == 400
    assert too_many.error["code"] == "object_above_max_properties"

    content = await get(api, f"{path}/{files[1]['id']}/content")
    assert content == {
        "object": "vector_store.file_content.page",
        "data": [{"type": "text", "text": "text 1"}],
        "has_more": False,
        "next_page": None,
    }
    deleted = await api.delete(f"{path}/{files[1]['id']}", version=None)
    assert deleted.body == {
        "id": files[1]["id"],
        "object": "vector_store.file.deleted",
        "deleted": True,
    }
    assert (await get(api, f"/files/{files[1]['id']}"))["id"] == files[1]["id"]  # File stays
    gone = await api.get(f"{path}/{files[1]['id']}", version=None)
    assert gone.status == 404
    assert gone.error["message"] == (
        f"No file found with id '{files[1]['id']}' in vector store '{vector_store['id']}'."
    )
    store = await get(api, f"/vector_stores/{vector_store['id']}")
    assert store["file_counts"] == counts(completed=3)
    assert store["usage_bytes"] == 3 * len("text 0")
    unknown = await api.post(path, {"file_id": "file-nope"}, version=None)
    assert unknown.status == 404
    assert unknown.error["message"] == "No file found with id 'file-nope'."
    no_store = await api.post("/vector_stores/vs_nope/files", {"file_id": "x"}, version=None)
    assert no_store.status == 404


async def test_attaching_twice_changes_nothing(
    api: SpecClient, server: FakeAssistantsServer
) -> None:
    vector_store = server.factories.vector_store()
    file = server.factories.file("once")
    path = f"/vector_stores/{vector_store['id']}/files"
    first = await post(api, path, {"file_id": file["id"]})
    again = await post(api, path, {"file_id": file["id"]})
    assert again["created_at"] == first["created_at"]
    store = await get(api, f"/vector_stores/{vector_store['id']}")
    assert store["file_counts"] == counts(completed=1)


# Processing on the clocks -------------------------------------------------------------------


async def test_per_poll_one_step_per_get(api: SpecClient, server: FakeAssistantsServer) -> None:
    server.clock = "per_poll"
    server.processing_steps = 2
    vector_store = server.factories.vector_store()
    file = server.factories.file("per poll")
    path = f"/vector_stores/{vector_store['id']}/files"
    assert (await post(api, path, {"file_id": file["id"]}))["status"] == "in_progress"
    # Lists and content do not move the clock; a GET of the file does, one step each.
    assert (await get(api, path))["data"][0]["status"] == "in_progress"
    assert (await get(api, f"{path}/{file['id']}/content"))["data"] == []
    assert (await get(api, f"{path}/{file['id']}"))["status"] == "in_progress"
    done = await get(api, f"{path}/{file['id']}")
    assert (done["status"], done["usage_bytes"]) == ("completed", len("per poll"))
    # A GET of the store is a poll of every file processing in it.
    other = server.factories.file("other")
    await post(api, path, {"file_id": other["id"]})
    assert (await get(api, f"/vector_stores/{vector_store['id']}"))["status"] == "in_progress"
    store = await get(api, f"/vector_stores/{vector_store['id']}")
    assert (store["status"], store["file_counts"]) == ("completed", counts(completed=2))


async def test_per_poll_batches_move_on_their_gets(
    api: SpecClient, server: FakeAssistantsServer
) -> None:
    server.clock = "per_poll"
    vector_store = server.factories.vector_store()
    files = [server.factories.file(f"f{i}")["id"] for i in range(3)]
    batch = await post(
        api, f"/vector_stores/{vector_store['id']}/file_batches", {"file_ids": files}
    )
    assert (batch["status"], batch["file_counts"]) == ("in_progress", counts(in_progress=3))
    path = f"/vector_stores/{vector_store['id']}/file_batches/{batch['id']}"
    listed = await get(api, f"{path}/files", filter="in_progress")
    assert len(listed["data"]) == 3
    polled = await get(api, path)
    assert (polled["status"], polled["file_counts"]) == ("completed", counts(completed=3))


async def test_real_clock_processes_in_the_background(
    api: SpecClient, server: FakeAssistantsServer
) -> None:
    server.clock = "real"
    server.state.step_delay = 0.02
    server.processing_steps = 3
    file = server.factories.file("real time")
    created = await post(api, "/vector_stores", {"file_ids": [file["id"]]})
    assert created["status"] == "in_progress"
    stored = server.store.vector_stores.get(created["id"])
    assert stored is not None
    await eventually(lambda: stored["status"] == "completed", what="the file was processed")
    store = await get(api, f"/vector_stores/{created['id']}")
    assert store["file_counts"] == counts(completed=1)


async def test_instant_finishes_by_the_next_read(
    api: SpecClient, server: FakeAssistantsServer
) -> None:
    file = server.factories.file("abc")
    vector_store = server.factories.vector_store(file_ids=[file["id"]], processed=False)
    assert vector_store["file_counts"] == counts(in_progress=1)  # factory: not processed yet
    listed = await get(api, f"/vector_stores/{vector_store['id']}/files")
    assert listed["data"][0]["status"] == "completed"


# Failures -----------------------------------------------------------------------------------


async def test_scripted_processing_failures(api: SpecClient, server: FakeAssistantsServer) -> None:
    server.fail_processing("*.png", code="unsupported_file")
    server.fail_processing("broken.txt", code="invalid_file", message="Bad UTF-8.", times=1)
    good = server.factories.file("fine", filename="good.txt")
    image = server.factories.file(b"\x89PNG", filename="chart.png")
    broken = server.factories.file("x", filename="broken.txt")
    again = server.factories.file("y", filename="broken.txt")
    created = await post(
        api,
        "/vector_stores",
        {"file_ids": [good["id"], image["id"], broken["id"], again["id"]]},
    )
    path = f"/vector_stores/{created['id']}/files"
    failed_image = await get(api, f"{path}/{image['id']}")
    assert failed_image["status"] == "failed"
    assert failed_image["usage_bytes"] == 0
    assert failed_image["last_error"] == {
        "code": "unsupported_file",
        "message": "The file type is not supported for file search.",
    }
    assert (await get(api, f"{path}/{broken['id']}"))["last_error"] == {
        "code": "invalid_file",
        "message": "Bad UTF-8.",
    }
    assert (await get(api, f"{path}/{again['id']}"))["status"] == "completed"  # times=1
    store = await get(api, f"/vector_stores/{created['id']}")
    assert store["file_counts"] == counts(completed=2, failed=2)
    assert store["usage_bytes"] == len("fine") + len("y")
    failed = await get(api, path, filter="failed", order="asc")
    assert [f["id"] for f in failed["data"]] == [image["id"], broken["id"]]
    assert (await get(api, f"{path}/{image['id']}/content"))["data"] == []


async def test_failures_by_id_in_batches_and_by_control_api(
    api: SpecClient, server: FakeAssistantsServer
) -> None:
    vector_store = server.factories.vector_store()
    one = server.factories.file("one")
    two = server.factories.file("two")
    server.fail_processing(one["id"])  # server_error by default
    async with aiohttp.ClientSession(base_url=server.url) as session:
        async with session.post(
            "/_fake/processing_failures",
            json={"match": "file-*", "code": "server_error", "message": "boom"},
        ) as response:
            assert (response.status, await response.json()) == (200, {"armed": 2})
        async with session.post(
            "/_fake/processing_failures", json={"match": "x", "code": "disk_full"}
        ) as response:
            assert response.status == 400
            assert "code must be one of" in (await response.json())["error"]["message"]
    two_named = server.store.files.get(two["id"])
    assert two_named is not None
    two_named["filename"] = "file-two.txt"
    batch = await post(
        api,
        f"/vector_stores/{vector_store['id']}/file_batches",
        {"file_ids": [one["id"], two["id"]]},
    )
    polled = await get(api, f"/vector_stores/{vector_store['id']}/file_batches/{batch['id']}")
    assert (polled["status"], polled["file_counts"]) == ("failed", counts(failed=2))
    errors = {
        f["id"]: f["last_error"]
        for f in (await get(api, f"/vector_stores/{vector_store['id']}/files"))["data"]
    }
    assert errors[one["id"]]["code"] == "server_error"
    assert errors[two["id"]] == {"code": "server_error", "message": "boom"}
    server.clear_processing_failures()
    three = server.factories.file("three", filename="file-3.txt")
    attached = server.factories.vector_store_file(vector_store["id"], three["id"])
    assert attached["status"] == "completed"


# File batches -------------------------------------------------------------------------------


async def test_file_batches(api: SpecClient, server: FakeAssistantsServer) -> None:
    vector_store = server.factories.vector_store()
    files = [server.factories.file(f"batch file {i}")["id"] for i in range(3)]
    path = f"/vector_stores/{vector_store['id']}/file_batches"
    batch = await post(
        api,
        path,
        {
            "file_ids": files[:2],
            "attributes": {"source": "wiki"},
            "chunking_strategy": {
                "type": "static",
                "static": {"max_chunk_size_tokens": 300, "chunk_overlap_tokens": 0},
            },
        },
    )
    assert batch["id"].startswith("vsfb_")
    assert batch["object"] == "vector_store.files_batch"
    assert batch["vector_store_id"] == vector_store["id"]
    got = await get(api, f"{path}/{batch['id']}")
    assert (got["status"], got["file_counts"]) == ("completed", counts(completed=2))
    in_batch = await get(api, f"{path}/{batch['id']}/files", order="asc")
    assert [f["id"] for f in in_batch["data"]] == files[:2]
    assert {f["attributes"]["source"] for f in in_batch["data"]} == {"wiki"}
    assert in_batch["data"][0]["chunking_strategy"]["static"]["max_chunk_size_tokens"] == 300
    second = await post(
        api,
        path,
        {
            "files": [
                {"file_id": files[2], "attributes": {"n": 2}},
                {"file_id": files[0]},  # already attached: stays as it is, listed in the batch
            ]
        },
    )
    listed = await get(api, f"{path}/{second['id']}/files", order="asc")
    assert [f["id"] for f in listed["data"]] == [files[2], files[0]]
    assert listed["data"][0]["attributes"] == {"n": 2}
    newest_first = await get(api, f"{path}/{second['id']}/files", limit="1")
    assert newest_first["has_more"] is True
    store = await get(api, f"/vector_stores/{vector_store['id']}")
    assert store["file_counts"] == counts(completed=3)

    both = await api.post(path, {"file_ids": files, "files": [{"file_id": files[0]}]}, version=None)
    assert both.status == 400
    assert "mutually exclusive" in both.error["message"]
    neither = await api.post(path, {"attributes": {"a": "b"}}, version=None)
    assert neither.error["message"] == "Missing required parameter: 'file_ids' or 'files'."
    empty = await api.post(path, {"file_ids": []}, version=None)
    assert empty.error["code"] == "array_below_min_length"
    too_many = await api.post(path, {"file_ids": ["f"] * 2001}, version=None)
    assert too_many.error["code"] == "array_above_max_length"
    unknown = await api.post(path, {"file_ids": [files[0], "file-nope"]}, version=None)
    assert unknown.status == 404
    assert len(server.store.file_batches(vector_store["id"])) == 2  # nothing made
    missing = await api.get(f"{path}/vsfb_nope", version=None)
    assert missing.status == 404
    assert missing.error["message"] == "No vector store file batch found with id 'vsfb_nope'."


async def test_cancelling_a_batch(api: SpecClient, server: FakeAssistantsServer) -> None:
    server.clock = "per_poll"
    server.processing_steps = 5
    vector_store = server.factories.vector_store()
    done = server.factories.file("done already")
    server.factories.vector_store_file(vector_store["id"], done["id"])
    files = [server.factories.file(f"slow {i}")["id"] for i in range(3)]
    path = f"/vector_stores/{vector_store['id']}/file_batches"
    batch = await post(api, path, {"file_ids": [done["id"], *files]})
    assert batch["file_counts"] == counts(in_progress=3, completed=1)
    cancelled = await post(api, f"{path}/{batch['id']}/cancel")
    assert (cancelled["status"], cancelled["file_counts"]) == (
        "cancelled",
        counts(completed=1, cancelled=3),
    )
    assert len((await get(api, f"{path}/{batch['id']}/files", filter="cancelled"))["data"]) == 3
    store = await get(api, f"/vector_stores/{vector_store['id']}")
    assert (store["status"], store["file_counts"]) == (
        "completed",
        counts(completed=1, cancelled=3),
    )
    assert store["usage_bytes"] == len("done already")
    again = await api.post(f"{path}/{batch['id']}/cancel", version=None)
    assert again.status == 400
    assert again.error["message"].endswith("it is already cancelled.")


# Search -------------------------------------------------------------------------------------


@pytest.fixture
def library(server: FakeAssistantsServer) -> tuple[str, dict[str, str]]:
    texts = {
        "cats.txt": "Cats purr. A cat sleeps most of the day; cats hunt mice at night.",
        "dogs.txt": "Dogs bark at the mail carrier. A dog needs long walks.",
        "pets.md": "Cats and dogs are the most popular pets. Fish are quiet pets.",
    }
    attributes: list[JSONDict] = [
        {"kind": "feline", "year": 2020, "public": True},
        {"kind": "canine", "year": 2023, "public": True},
        {"kind": "mixed", "year": 2024, "public": False},
    ]
    vector_store = server.factories.vector_store()
    ids = {}
    for (name, text), attrs in zip(texts.items(), attributes, strict=True):
        file = server.factories.file(text, filename=name)
        server.factories.vector_store_file(vector_store["id"], file["id"], attributes=attrs)
        ids[name] = file["id"]
    return vector_store["id"], ids


async def search(api: SpecClient, vector_store_id: str, **body: Any) -> JSONDict:
    return await post(api, f"/vector_stores/{vector_store_id}/search", body)


async def test_search_ranks_by_keywords(
    api: SpecClient, library: tuple[str, dict[str, str]]
) -> None:
    store_id, ids = library
    page = await search(api, store_id, query="Which cats hunt mice?")
    assert page["object"] == "vector_store.search_results.page"
    assert page["search_query"] == ["Which cats hunt mice?"]  # an array, though sent a string
    assert (page["has_more"], page["next_page"]) == (False, None)
    assert [(r["filename"], r["score"]) for r in page["data"]] == [
        ("cats.txt", 1.0),
        ("pets.md", 0.3333),
    ]
    first = page["data"][0]
    assert first["file_id"] == ids["cats.txt"]
    assert first["attributes"] == {"kind": "feline", "year": 2020, "public": True}
    assert first["content"] == [
        {
            "type": "text",
            "text": "Cats purr. A cat sleeps most of the day; cats hunt mice at night.",
        }
    ]
    both = await search(api, store_id, query=["dogs", "pets"])
    assert both["search_query"] == ["dogs", "pets"]
    assert [r["filename"] for r in both["data"]] == ["pets.md", "dogs.txt"]
    one = await search(api, store_id, query="cats dogs", max_num_results=1)
    assert [r["filename"] for r in one["data"]] == ["pets.md"]
    nothing = await search(api, store_id, query="submarines")
    assert nothing["data"] == []
    strict = await search(
        api, store_id, query="cats hunt", ranking_options={"score_threshold": 0.9}
    )
    assert [r["filename"] for r in strict["data"]] == ["cats.txt"]
    rewritten = await search(api, store_id, query="What do the cats do?", rewrite_query=True)
    assert rewritten["search_query"] == ["cat"]  # the search words, normalised


@pytest.mark.parametrize(
    ("search_filter", "expected"),
    [
        ({"type": "eq", "key": "kind", "value": "canine"}, ["dogs.txt"]),
        ({"type": "ne", "key": "kind", "value": "canine"}, ["pets.md", "cats.txt"]),
        ({"type": "gte", "key": "year", "value": 2023}, ["pets.md", "dogs.txt"]),
        ({"type": "lt", "key": "year", "value": 2023}, ["cats.txt"]),
        ({"type": "in", "key": "kind", "value": ["feline", "mixed"]}, ["pets.md", "cats.txt"]),
        ({"type": "nin", "key": "kind", "value": ["feline", "mixed"]}, ["dogs.txt"]),
        ({"type": "eq", "key": "public", "value": False}, ["pets.md"]),
        ({"type": "eq", "key": "missing", "value": 1}, []),
        ({"type": "gt", "key": "kind", "value": 3}, []),  # no order between a string and a number
        (
            {
                "type": "and",
                "filters": [
                    {"type": "eq", "key": "public", "value": True},
                    {
                        "type": "or",
                        "filters": [
                            {"type": "eq", "key": "kind", "value": "feline"},
                            {"type": "gt", "key": "year", "value": 2022},
                        ],
                    },
                ],
            },
            ["cats.txt", "dogs.txt"],  # one word each: more occurrences first
        ),
    ],
)
async def test_search_filters(
    api: SpecClient,
    library: tuple[str, dict[str, str]],
    search_filter: JSONDict,
    expected: list[str],
) -> None:
    store_id, _ = library
    page = await search(api, store_id, query="cats dogs pets", filters=search_filter)
    assert [r["filename"] for r in page["data"]] == expected


async def test_search_rules_and_only_completed_files(
    api: SpecClient, server: FakeAssistantsServer, library: tuple[str, dict[str, str]]
) -> None:
    store_id, _ = library
    path = f"/vector_stores/{store_id}/search"
    assert (await api.post(path, {}, version=None)).error["param"] == "query"
    too_many = await api.post(path, {"query": "x", "max_num_results": 51}, version=None)
    assert too_many.error["code"] == "integer_above_max_value"
    bad_filter = await api.post(
        path, {"query": "x", "filters": {"type": "eq", "key": "k"}}, version=None
    )
    assert bad_filter.error["param"] == "filters.value"
    bad_ranker = await api.post(
        path, {"query": "x", "ranking_options": {"ranker": "best"}}, version=None
    )
    assert bad_ranker.error["param"] == "ranking_options.ranker"
    server.clock = "per_poll"
    late = server.factories.file("Hamsters love cats.", filename="hamsters.txt")
    server.factories.vector_store_file(store_id, late["id"], processed=False)
    page = await search(api, store_id, query="hamsters")
    assert page["data"] == []  # still processing
    server.fail_processing(late["id"])


async def test_the_search_keeps_the_store_active(
    api: SpecClient, server: FakeAssistantsServer
) -> None:
    vector_store = server.factories.vector_store(
        files=["alpha beta"],
        expires_after={"anchor": "last_active_at", "days": 2},
        last_active_at=1_700_000_000,
        created_at=1_700_000_000,
    )
    assert vector_store["status"] == "expired"
    fresh = server.factories.vector_store(
        files=["alpha beta"], expires_after={"anchor": "last_active_at", "days": 2}
    )
    stored = server.store.vector_stores.get(fresh["id"])
    assert stored is not None
    stored["last_active_at"] -= 100
    await search(api, fresh["id"], query="alpha")
    store = await get(api, f"/vector_stores/{fresh['id']}")
    assert store["last_active_at"] >= fresh["last_active_at"]
    assert store["expires_at"] == store["last_active_at"] + 2 * 86400


# Set-up without HTTP, and the control API ------------------------------------------------------


async def test_factories_make_spec_shaped_objects(server: FakeAssistantsServer) -> None:
    file = server.factories.file("hello", filename="h.txt")
    spec_validator(FILES, "components/schemas/OpenAIFile").validate(file)
    assert server.file_content(file["id"]) == b"hello"
    vector_store = server.factories.vector_store(files=["a b", "c"], name="x", metadata={"k": "v"})
    spec_validator(FILES, "components/schemas/VectorStoreObject").validate(vector_store)
    assert (vector_store["file_counts"], vector_store["usage_bytes"]) == (counts(completed=2), 4)
    attached = server.factories.vector_store_file(
        vector_store["id"], file["id"], attributes={"a": 1}, processed=False
    )
    spec_validator(FILES, "components/schemas/VectorStoreFileObject").validate(attached)
    assert attached["status"] == "in_progress"
    assert not any(key.startswith("_") for key in attached)
    upload = server.factories.upload(bytes=3)
    spec_validator(FILES, "components/schemas/Upload").validate(upload)
    names = sorted(f["filename"] for f in server.store.files)
    assert names == ["file-1.txt", "file-2.txt", "h.txt"]


async def test_processing_failure_arguments(server: FakeAssistantsServer) -> None:
    with pytest.raises(ValueError, match="code must be one of"):
        server.fail_processing("x", code="disk_full")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="times must be at least 1"):
        server.fail_processing("x", times=0)
    with pytest.raises(ValueError, match="at least 1"):
        server.processing_steps = 0
    failure = server.fail_processing("x.txt", times=2)
    assert isinstance(failure, ProcessingFailure)
    assert failure.last_error["code"] == "server_error"


async def test_control_settings_and_reset(server: FakeAssistantsServer) -> None:
    server.fail_processing("*")
    server.factories.vector_store(files=["x"])
    async with aiohttp.ClientSession(base_url=server.url) as session:
        async with session.put("/_fake/settings", json={"processing_steps": 3}) as response:
            assert response.status == 200
        assert server.processing_steps == 3
        async with session.put("/_fake/settings", json={"processing_steps": 0}) as response:
            assert response.status == 400
        async with session.delete("/_fake/processing_failures") as response:
            assert await response.json() == {"armed": 0}
        server.fail_processing("*")
        async with session.post("/_fake/reset") as response:
            assert response.status == 200
    assert server.state.processing_failures == []
    assert len(server.store.files) == 0
    assert len(server.store.vector_stores) == 0
