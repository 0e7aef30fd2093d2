"""Every one of the 25 Files, Uploads and Vector stores operations, in one walk over real
sockets, each answer validated against ``files-vector-stores.openapi.yaml``: the spec client
records the operations it validated, so an operation the fake stops serving (or answers off
spec) fails here by name."""

from __future__ import annotations

import hashlib

from openai_assistants.testing import FakeAssistantsServer

from .spec_client import FILES, SpecClient, operation_ids


async def test_all_25_operations(api: SpecClient, server: FakeAssistantsServer) -> None:
    server.clock = "per_poll"
    ok = 200

    async def post(path: str, body: object = None) -> dict[str, object]:
        reply = await api.post(path, body, version=None)
        assert reply.status == ok, reply
        out: dict[str, object] = reply.body
        return out

    async def get(path: str) -> dict[str, object]:
        reply = await api.get(path, version=None)
        assert reply.status == ok, reply
        out: dict[str, object] = reply.body
        return out

    created = await api.post_form(
        "/files",
        {"purpose": "assistants"},
        {"file": ("moon.txt", b"The Moon orbits the Earth.", "text/plain")},
    )
    file_id = str(created.body["id"])
    await get("/files")
    await get(f"/files/{file_id}")
    assert (await api.download(f"/files/{file_id}/content")).body == b"The Moon orbits the Earth."

    upload = await post(
        "/uploads",
        {"filename": "sun.txt", "purpose": "assistants", "bytes": 8, "mime_type": "text/plain"},
    )
    part = await api.post_form(
        f"/uploads/{upload['id']}/parts", files={"data": ("b", b"Sun hot!", None)}
    )
    done = await post(
        f"/uploads/{upload['id']}/complete",
        {"part_ids": [part.body["id"]], "md5": hashlib.md5(b"Sun hot!").hexdigest()},
    )
    other = await post(
        "/uploads",
        {"filename": "x.txt", "purpose": "vision", "bytes": 1, "mime_type": "text/plain"},
    )
    await post(f"/uploads/{other['id']}/cancel")

    store = await post("/vector_stores", {"name": "sky", "file_ids": [file_id]})
    vs = f"/vector_stores/{store['id']}"
    await get("/vector_stores")
    await get(vs)
    await post(vs, {"name": "night sky"})
    sun_id = done["file"]["id"]  # type: ignore[index]
    await post(f"{vs}/files", {"file_id": sun_id})
    await get(f"{vs}/files")
    await get(f"{vs}/files/{file_id}")
    await post(f"{vs}/files/{file_id}", {"attributes": {"body": "moon"}})
    await get(f"{vs}/files/{file_id}/content")
    await post(f"{vs}/search", {"query": "moon"})
    batch_file = server.factories.file("Mars is red.", filename="mars.txt")
    server.processing_steps = 3
    batch = await post(f"{vs}/file_batches", {"file_ids": [batch_file["id"]]})
    await get(f"{vs}/file_batches/{batch['id']}")
    await get(f"{vs}/file_batches/{batch['id']}/files")
    await post(f"{vs}/file_batches/{batch['id']}/cancel")
    deleted_vs_file = await api.delete(f"{vs}/files/{file_id}", version=None)
    assert deleted_vs_file.status == ok
    assert (await api.delete(vs, version=None)).status == ok
    assert (await api.delete(f"/files/{file_id}", version=None)).status == ok

    expected = operation_ids(FILES)
    assert len(expected) == 25
    assert sorted(expected - api.operations) == []
