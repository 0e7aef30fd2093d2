"""Files over real sockets: createFile (multipart), listFiles, retrieveFile, deleteFile and
downloadFile, each exchange checked against ``files-vector-stores.openapi.yaml``."""

from __future__ import annotations

import os
from typing import Any

import aiohttp
import pytest

from openai_assistants.testing import FakeAssistantsServer

from .spec_client import SpecClient


async def upload(
    api: SpecClient,
    content: bytes = b"hello",
    filename: str | None = "hello.txt",
    purpose: str | None = "assistants",
    content_type: str | None = "text/plain",
    fields: dict[str, str] | None = None,
) -> Any:
    """createFile (with extra text ``fields``); returns the reply."""
    fields = dict(fields or {})
    if purpose is not None:
        fields["purpose"] = purpose
    return await api.post_form("/files", fields, {"file": (filename, content, content_type)})


async def test_create_retrieve_download_delete(
    api: SpecClient, server: FakeAssistantsServer
) -> None:
    created = await upload(api, b"The quick brown fox.", "fox.txt")
    assert created.status == 200, created
    file = created.body
    assert file["id"].startswith("file-")
    assert len(file["id"]) == 29
    assert (file["object"], file["bytes"], file["filename"], file["purpose"]) == (
        "file",
        20,
        "fox.txt",
        "assistants",
    )
    assert file["status"] == "processed"  # deprecated, yet required by the schema
    assert "expires_at" not in file  # optional and not nullable: absent when it never expires
    assert server.file_content(file["id"]) == b"The quick brown fox."

    assert (await api.get(f"/files/{file['id']}", version=None)).body == file
    download = await api.download(f"/files/{file['id']}/content")
    assert download.status == 200
    assert download.body == b"The quick brown fox."
    assert download.headers["Content-Type"] == "text/plain"
    assert download.headers["Content-Length"] == "20"

    deleted = await api.delete(f"/files/{file['id']}", version=None)
    assert deleted.body == {"id": file["id"], "object": "file", "deleted": True}
    for path in (f"/files/{file['id']}", f"/files/{file['id']}/content"):
        missing = await api.get(path, version=None)
        assert missing.status == 404
        assert missing.error["message"] == f"No file found with id '{file['id']}'."
    assert (await api.delete(f"/files/{file['id']}", version=None)).status == 404


async def test_download_is_the_exact_bytes_in_chunks(api: SpecClient) -> None:
    data = os.urandom(700_000) + b"\x00\xff" * 10  # binary, several download chunks
    file = (await upload(api, data, "blob.bin", content_type="application/octet-stream")).body
    download = await api.download(f"/files/{file['id']}/content")
    assert download.body == data
    assert download.headers["Content-Type"] == "application/octet-stream"
    image = (await upload(api, b"\x89PNG....", "chart.png", purpose="vision")).body
    got = await api.download(f"/files/{image['id']}/content")
    assert got.headers["Content-Type"] == "image/png"


async def test_a_file_over_aiohttp_default_body_limit(api: SpecClient) -> None:
    data = os.urandom(5 * 1024 * 1024)  # aiohttp's client_max_size is 1 MB
    file = (await upload(api, data, "big.bin")).body
    assert file["bytes"] == len(data)
    assert (await api.download(f"/files/{file['id']}/content")).body == data


@pytest.mark.slow
async def test_a_200_mb_file(api: SpecClient, server: FakeAssistantsServer) -> None:
    data = bytes(range(256)) * (200 * 1024 * 1024 // 256)
    created = await upload(api, data, "huge.bin", content_type=None)
    assert created.status == 200, created
    assert created.body["bytes"] == 200 * 1024 * 1024
    assert server.file_content(created.body["id"]) == data
    recorded = server.requests[-1]
    assert recorded.body == b""  # the bytes are kept once, in the recorded form's part
    assert recorded.form is not None
    file_part = recorded.form.get("file")
    assert file_part is not None
    assert file_part.data is server.file_content(created.body["id"])


async def test_file_too_large(api: SpecClient, server: FakeAssistantsServer) -> None:
    server.state.max_file_bytes = 1000  # 512 MB on a default server
    reply = await upload(api, b"x" * 1001, "big.txt")
    assert reply.status == 400
    assert reply.error["param"] == "file"
    assert reply.error["code"] == "file_too_large"
    assert "at most 1000 bytes" in reply.error["message"]
    assert (await upload(api, b"x" * 1000, "ok.txt")).status == 200


async def test_expires_after_as_bracketed_fields(api: SpecClient) -> None:
    created = await upload(
        api, fields={"expires_after[anchor]": "created_at", "expires_after[seconds]": "3600"}
    )
    assert created.status == 200, created
    assert created.body["expires_at"] == created.body["created_at"] + 3600
    batch = (await upload(api, b'{"a": 1}\n', "input.jsonl", purpose="batch")).body
    assert batch["expires_at"] == batch["created_at"] + 30 * 24 * 3600  # batch files: 30 days


@pytest.mark.parametrize(
    ("fields", "status", "param", "code"),
    [
        ({"expires_after[anchor]": "last_active_at", "expires_after[seconds]": "3600"}, 400,
         "expires_after.anchor", "invalid_value"),
        ({"expires_after[anchor]": "created_at", "expires_after[seconds]": "60"}, 400,
         "expires_after.seconds", "integer_below_min_value"),
        ({"expires_after[anchor]": "created_at"}, 400, "expires_after.seconds",
         "missing_required_parameter"),
        ({"expires_after[anchor]": "created_at", "expires_after[seconds]": "soon"}, 400,
         "expires_after.seconds", "invalid_type"),
        ({"colour": "blue"}, 400, "colour", "unknown_parameter"),
    ],
)  # fmt: skip
async def test_bad_form_fields(
    api: SpecClient, fields: dict[str, str], status: int, param: str, code: str
) -> None:
    reply = await upload(api, fields=fields)
    assert reply.status == status
    assert (reply.error["param"], reply.error["code"]) == (param, code)


async def test_missing_and_unknown_purpose_and_file(api: SpecClient) -> None:
    missing_purpose = await upload(api, purpose=None)
    assert missing_purpose.status == 400
    assert missing_purpose.error == {
        "message": "Missing required parameter: 'purpose'.",
        "type": "invalid_request_error",
        "param": "purpose",
        "code": "missing_required_parameter",
    }
    unknown = await upload(api, purpose="assistants_output")  # a response-only value
    assert unknown.status == 400
    assert unknown.error["param"] == "purpose"
    assert unknown.error["code"] == "invalid_value"
    assert unknown.error["message"].startswith("Invalid value: 'assistants_output'.")
    no_file = await api.post_form("/files", {"purpose": "assistants"})
    assert no_file.status == 400
    assert no_file.error["message"] == "Missing required parameter: 'file'."
    text_not_file = await api.post_form(
        "/files", {"purpose": "assistants"}, {"file": (None, b"abc", None)}
    )
    assert text_not_file.status == 400
    assert text_not_file.error["code"] == "invalid_type"


@pytest.mark.parametrize(
    "purpose", ["assistants", "batch", "fine-tune", "vision", "user_data", "evals"]
)
async def test_every_create_file_purpose(api: SpecClient, purpose: str) -> None:
    name = "data.jsonl" if purpose in ("batch", "fine-tune") else "data.txt"
    reply = await upload(api, b'{"x": 1}\n', name, purpose=purpose)
    assert reply.status == 200, reply
    assert reply.body["purpose"] == purpose  # evals too, though the response enum lacks it


async def test_batch_and_fine_tune_files_must_be_jsonl(api: SpecClient) -> None:
    for purpose, api_name in (("batch", "Batch API"), ("fine-tune", "Fine-Tuning API")):
        reply = await upload(api, b"a,b", "data.csv", purpose=purpose)
        assert reply.status == 400
        assert reply.error["message"] == f"Invalid file format for {api_name}. Must be .jsonl"


async def test_create_file_needs_multipart(api: SpecClient, server: FakeAssistantsServer) -> None:
    reply = await api.post("/files", {"purpose": "assistants"}, version=None)
    assert reply.status == 400
    assert "expected multipart/form-data" in reply.error["message"]
    async with api.session.post(
        server.base_url + "/files",
        data=b"--nope\r\nbroken",
        headers={**api.headers(None), "Content-Type": "multipart/form-data; boundary=x"},
    ) as response:
        body = await response.json()
    assert response.status == 400
    assert body["error"]["message"].startswith("Could not parse the multipart")


async def test_list_files_filter_cursor_and_limits(api: SpecClient) -> None:
    ids = []
    for index in range(5):
        purpose = "vision" if index % 2 else "assistants"
        ids.append((await upload(api, b"x", f"f{index}.txt", purpose=purpose)).body["id"])
    listed = await api.get("/files", version=None)
    assert [f["id"] for f in listed.body["data"]] == ids[::-1]  # desc by default
    assert listed.body["has_more"] is False
    page = await api.get("/files", version=None, params={"order": "asc", "limit": "2"})
    assert [f["id"] for f in page.body["data"]] == ids[:2]
    assert page.body["has_more"] is True
    rest = await api.get(
        "/files", version=None, params={"order": "asc", "after": page.body["last_id"]}
    )
    assert [f["id"] for f in rest.body["data"]] == ids[2:]
    vision = await api.get("/files", version=None, params={"purpose": "vision", "order": "asc"})
    assert [f["id"] for f in vision.body["data"]] == [ids[1], ids[3]]
    assert (await api.get("/files", version=None, params={"limit": "10000"})).status == 200
    too_many = await api.get("/files", version=None, params={"limit": "10001"})
    assert too_many.status == 400
    assert too_many.error["code"] == "integer_above_max_value"
    assert (await api.get("/files", version=None, params={"limit": "0"})).status == 400
    # listFiles has no 'before': ignored, like any unknown query parameter.
    ignored = await api.get("/files", version=None, params={"before": ids[2]})
    assert len(ignored.body["data"]) == 5
    empty = await api.get("/files", version=None, params={"purpose": "batch"})
    assert empty.body["data"] == []


async def test_expired_files_are_gone(api: SpecClient, server: FakeAssistantsServer) -> None:
    old = server.factories.file("old", expires_after_seconds=3600)
    fresh = server.factories.file("fresh")
    vector_store = server.factories.vector_store(file_ids=[old["id"], fresh["id"]])
    assert vector_store["file_counts"]["total"] == 2
    stored = server.store.files.get(old["id"])
    assert stored is not None
    stored["expires_at"] = stored["created_at"] - 1  # as if an hour had passed
    assert (await api.get(f"/files/{old['id']}", version=None)).status == 404
    listed = await api.get("/files", version=None)
    assert [f["id"] for f in listed.body["data"]] == [fresh["id"]]
    store = await api.get(f"/vector_stores/{vector_store['id']}", version=None)
    assert store.body["file_counts"]["total"] == 1


async def test_no_beta_header_needed_and_any_accepted(api: SpecClient) -> None:
    # The fixture's server requires OpenAI-Beta for the Assistants API...
    assert (await api.get("/assistants", version=None)).status == 400
    # ...but not for Files; v1, v2 or an unknown value are all fine.
    assert (await api.get("/files", version=None)).status == 200
    assert (await api.get("/files", version="v1")).status == 200
    assert (await api.get("/files", version="v2")).status == 200
    odd = await api.get("/files", headers={**api.headers(None), "OpenAI-Beta": "assistants=v9"})
    assert odd.status == 200
    assert (await upload(api)).status == 200


async def test_recorded_and_logged_form(api: SpecClient, server: FakeAssistantsServer) -> None:
    await upload(api, b"abc", "a.txt")
    recorded = server.requests[-1]
    assert recorded.form is not None
    purpose = recorded.form.get("purpose")
    assert purpose is not None
    assert purpose.text == "assistants"
    async with (
        aiohttp.ClientSession() as session,
        session.get(f"{server.url}/_fake/requests") as response,
    ):
        log = await response.json()
    assert log[-1]["form"] == {
        "purpose": "assistants",
        "file": {"filename": "a.txt", "content_type": "text/plain", "bytes": 3},
    }


async def test_deleting_a_file_detaches_it_everywhere(
    api: SpecClient, server: FakeAssistantsServer
) -> None:
    shared = server.factories.file("shared text")
    other = server.factories.file("other text!")
    first = server.factories.vector_store(file_ids=[shared["id"], other["id"]])
    second = server.factories.vector_store(file_ids=[shared["id"]])
    await api.delete(f"/files/{shared['id']}", version=None)
    one = (await api.get(f"/vector_stores/{first['id']}", version=None)).body
    assert one["file_counts"] == {
        "in_progress": 0,
        "completed": 1,
        "failed": 0,
        "cancelled": 0,
        "total": 1,
    }
    assert one["usage_bytes"] == len("other text!")
    two = (await api.get(f"/vector_stores/{second['id']}", version=None)).body
    assert (two["file_counts"]["total"], two["usage_bytes"]) == (0, 0)
    gone = await api.get(f"/vector_stores/{second['id']}/files/{shared['id']}", version=None)
    assert gone.status == 404
