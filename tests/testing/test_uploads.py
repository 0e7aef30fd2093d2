"""Uploads over real sockets: createUpload, addUploadPart (multipart), completeUpload and
cancelUpload, checked against ``files-vector-stores.openapi.yaml``; the parts a test can see."""

from __future__ import annotations

import hashlib
from typing import Any

import aiohttp
import pytest

from openai_assistants.testing import FakeAssistantsServer, ReceivedPart

from .spec_client import SpecClient


async def create(api: SpecClient, size: int, **fields: Any) -> dict[str, Any]:
    body = {
        "filename": "data.txt",
        "purpose": "assistants",
        "bytes": size,
        "mime_type": "text/plain",
    }
    reply = await api.post("/uploads", {**body, **fields}, version=None)
    assert reply.status == 200, reply
    upload: dict[str, Any] = reply.body
    return upload


async def add_part(
    api: SpecClient, upload_id: str, data: bytes, headers: dict[str, str] | None = None
) -> Any:
    return await api.post_form(
        f"/uploads/{upload_id}/parts",
        files={"data": ("blob", data, "application/octet-stream")},
        headers=headers,
    )


async def test_parts_in_the_order_given_make_the_file(
    api: SpecClient, server: FakeAssistantsServer
) -> None:
    upload = await create(api, 9)
    assert upload["id"].startswith("upload_")
    assert (upload["status"], upload["object"], upload["file"]) == ("pending", "upload", None)
    assert upload["expires_at"] == upload["created_at"] + 3600
    first = (await add_part(api, upload["id"], b"abc")).body
    second = (await add_part(api, upload["id"], b"def")).body
    third = (await add_part(api, upload["id"], b"ghi")).body
    assert first["id"].startswith("part_")
    assert (first["object"], first["upload_id"]) == ("upload.part", upload["id"])
    order = [third["id"], first["id"], second["id"]]
    data = b"ghiabcdef"
    done = await api.post(
        f"/uploads/{upload['id']}/complete",
        {"part_ids": order, "md5": hashlib.md5(data).hexdigest().upper()},  # any hex case
        version=None,
    )
    assert done.status == 200, done
    assert done.body["status"] == "completed"
    file = done.body["file"]
    assert (file["object"], file["bytes"], file["filename"], file["purpose"]) == (
        "file",
        9,
        "data.txt",
        "assistants",
    )
    assert (await api.download(f"/files/{file['id']}/content")).body == data
    assert (await api.get(f"/files/{file['id']}", version=None)).body == file
    parts = server.upload_parts(upload["id"])
    assert [part.id for part in parts] == [first["id"], second["id"], third["id"]]
    assert all(isinstance(part, ReceivedPart) for part in parts)
    assert [part.data for part in parts] == [b"abc", b"def", b"ghi"]
    # Parts left out of part_ids are not in the file.
    partial = await create(api, 3)
    kept = (await add_part(api, partial["id"], b"yes")).body
    await add_part(api, partial["id"], b"no!")
    finished = await api.post(
        f"/uploads/{partial['id']}/complete", {"part_ids": [kept["id"]]}, version=None
    )
    assert server.file_content(finished.body["file"]["id"]) == b"yes"


async def test_wrong_md5_and_wrong_total(api: SpecClient) -> None:
    upload = await create(api, 4)
    part = (await add_part(api, upload["id"], b"abcd")).body
    path = f"/uploads/{upload['id']}/complete"
    wrong = await api.post(path, {"part_ids": [part["id"]], "md5": "0" * 32}, version=None)
    assert wrong.status == 400
    assert (wrong.error["param"], wrong.error["code"]) == ("md5", "invalid_value")
    assert hashlib.md5(b"abcd").hexdigest() in wrong.error["message"]
    short = await api.post(path, {"part_ids": []}, version=None)
    assert short.status == 400
    assert "add up to 0 bytes" in short.error["message"]
    assert "bytes=4" in short.error["message"]
    long_part = (await add_part(api, upload["id"], b"e")).body
    too_long = await api.post(path, {"part_ids": [part["id"], long_part["id"]]}, version=None)
    assert too_long.status == 400
    twice = await api.post(path, {"part_ids": [part["id"], part["id"]]}, version=None)
    assert twice.status == 400
    assert "more than once" in twice.error["message"]
    unknown = await api.post(path, {"part_ids": ["part_nope"]}, version=None)
    assert unknown.status == 400
    assert unknown.error["param"] == "part_ids[0]"
    # Still pending after every refusal: the right request completes it.
    ok = await api.post(path, {"part_ids": [part["id"]]}, version=None)
    assert ok.body["status"] == "completed"


async def test_no_part_after_complete_or_cancel(api: SpecClient) -> None:
    done = await create(api, 1)
    part = (await add_part(api, done["id"], b"x")).body
    await api.post(f"/uploads/{done['id']}/complete", {"part_ids": [part["id"]]}, version=None)
    late = await add_part(api, done["id"], b"y")
    assert late.status == 400
    assert late.error["message"] == (
        f"Upload {done['id']} is already completed; no more parts can be added to it."
    )
    again = await api.post(
        f"/uploads/{done['id']}/complete", {"part_ids": [part["id"]]}, version=None
    )
    assert again.status == 400
    assert (await api.post(f"/uploads/{done['id']}/cancel", version=None)).status == 400

    cancelled = await create(api, 1)
    reply = await api.post(f"/uploads/{cancelled['id']}/cancel", version=None)
    assert reply.status == 200
    assert reply.body["status"] == "cancelled"
    assert (await add_part(api, cancelled["id"], b"x")).status == 400
    refused = await api.post(f"/uploads/{cancelled['id']}/complete", {"part_ids": []}, version=None)
    assert refused.status == 400
    assert "already cancelled" in refused.error["message"]


async def test_an_upload_expires_after_an_hour(
    api: SpecClient, server: FakeAssistantsServer
) -> None:
    old = server.factories.upload(bytes=1, created_at=1_700_000_000)
    late = await add_part(api, old["id"], b"x")
    assert late.status == 400
    assert "already expired" in late.error["message"]
    stored = server.store.uploads.get(old["id"])
    assert stored is not None
    assert stored["status"] == "expired"
    fresh = server.factories.upload(bytes=1)
    assert (await add_part(api, fresh["id"], b"x")).status == 200


async def test_part_limits_and_form(api: SpecClient, server: FakeAssistantsServer) -> None:
    server.state.max_part_bytes = 100  # 64 MB on a default server
    upload = await create(api, 100)
    too_big = await add_part(api, upload["id"], b"x" * 101)
    assert too_big.status == 400
    assert (too_big.error["param"], too_big.error["code"]) == ("data", "file_too_large")
    assert server.upload_parts(upload["id"]) == []
    as_text = await api.post_form(
        f"/uploads/{upload['id']}/parts", files={"data": (None, b"plain text field", None)}
    )
    assert as_text.status == 200  # the curl example's -F data=... is a text field: bytes as sent
    assert server.upload_parts(upload["id"])[0].data == b"plain text field"
    missing = await api.post_form(f"/uploads/{upload['id']}/parts", {"other": "x"})
    assert missing.status == 400
    assert missing.error["code"] == "unknown_parameter"
    empty = await api.post_form(f"/uploads/{upload['id']}/parts", {})
    assert empty.error["message"] == "Missing required parameter: 'data'."
    unknown = await add_part(api, "upload_nope", b"x")
    assert unknown.status == 404
    assert unknown.error["message"] == "No upload found with id 'upload_nope'."


@pytest.mark.slow
async def test_a_part_of_64_mb(api: SpecClient, server: FakeAssistantsServer) -> None:
    limit = 64 * 1024 * 1024
    upload = await create(api, limit)
    assert (await add_part(api, upload["id"], b"\x01" * (limit + 1))).status == 400
    assert (await add_part(api, upload["id"], b"\x01" * limit)).status == 200
    assert [part.size for part in server.upload_parts(upload["id"])] == [limit]


@pytest.mark.parametrize(
    ("fields", "param", "code"),
    [
        ({"purpose": "user_data"}, "purpose", "invalid_value"),  # createFile only
        ({"purpose": "evals"}, "purpose", "invalid_value"),
        ({"bytes": 8 * 1024**3 + 1}, "bytes", "integer_above_max_value"),
        ({"bytes": -1}, "bytes", "integer_below_min_value"),
        ({"mime_type": None}, "mime_type", "invalid_type"),
        ({"expires_after": {"anchor": "created_at", "seconds": 10}}, "expires_after.seconds",
         "integer_below_min_value"),
        ({"name": "x"}, "name", "unknown_parameter"),
        ({"filename": "rows.csv", "purpose": "batch"}, "filename", None),
    ],
)  # fmt: skip
async def test_create_upload_rules(
    api: SpecClient, fields: dict[str, Any], param: str, code: str | None
) -> None:
    body = {"filename": "d.txt", "purpose": "assistants", "bytes": 1, "mime_type": "text/plain"}
    reply = await api.post("/uploads", {**body, **fields}, version=None)
    assert reply.status == 400
    assert (reply.error["param"], reply.error["code"]) == (param, code)
    missing = await api.post("/uploads", {"filename": "d.txt"}, version=None)
    assert missing.error["code"] == "missing_required_parameter"


async def test_the_expiry_policy_goes_to_the_file(api: SpecClient) -> None:
    upload = await create(api, 2, expires_after={"anchor": "created_at", "seconds": 7200})
    part = (await add_part(api, upload["id"], b"hi")).body
    done = await api.post(
        f"/uploads/{upload['id']}/complete", {"part_ids": [part["id"]]}, version=None
    )
    file = done.body["file"]
    assert file["expires_at"] == file["created_at"] + 7200


async def test_a_retried_part_is_replayed_not_added_again(
    api: SpecClient, server: FakeAssistantsServer
) -> None:
    upload = await create(api, 6)
    headers = api.headers(None, **{"Idempotency-Key": "part-1"})
    first = await add_part(api, upload["id"], b"abc", headers=headers)
    retry = await add_part(api, upload["id"], b"abc", headers=headers)
    assert retry.status == 200
    assert retry.body == first.body
    assert len(server.upload_parts(upload["id"])) == 1
    assert server.store.upload_parts_received(upload["id"]) == 1
    assert len([r for r in server.requests if r.path.endswith("/parts")]) == 2  # both arrived
    other = await add_part(api, upload["id"], b"def", headers=api.headers(None))
    assert other.body["id"] != first.body["id"]
    assert len(server.upload_parts(upload["id"])) == 2
    second = await create(api, 1)
    await add_part(api, second["id"], b"x")
    assert server.store.upload_parts_received() == 3  # every upload's


async def test_parts_through_the_control_api(api: SpecClient, server: FakeAssistantsServer) -> None:
    upload = await create(api, 5)
    part = (await add_part(api, upload["id"], b"hello")).body
    async with aiohttp.ClientSession(base_url=server.url) as session:
        async with session.get(f"/_fake/uploads/{upload['id']}/parts") as response:
            listed = await response.json()
        async with session.get("/_fake/uploads/upload_nope/parts") as response:
            assert response.status == 400
    assert listed == [
        {"id": part["id"], "upload_id": upload["id"], "created_at": part["created_at"], "bytes": 5}
    ]
