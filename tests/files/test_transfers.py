"""Uploads and downloads over real sockets: nothing short without an error, nothing left behind,
parts in order with their checksum, a server without the Uploads API still gets the file."""

from __future__ import annotations

import asyncio
import hashlib
from pathlib import Path
from typing import Any

import pytest
from aiohttp import BodyPartReader, web
from support.local_server import connections_in_use, local_server

from openai_assistants import APIConnectionError, AssistantsClient, InternalServerError
from openai_assistants.testing import FakeAssistantsServer, Fault

CONTENT = bytes(range(256)) * 4096  # 1 MiB


def names_in(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def truncated(announced: int, sent: bytes) -> Any:
    """Announce ``announced`` bytes, send ``sent``, then close the connection."""

    async def handle(request: web.Request) -> web.StreamResponse:
        response = web.StreamResponse(headers={"Content-Type": "application/octet-stream"})
        response.content_length = announced
        await response.prepare(request)
        await response.write(sent)
        assert request.transport is not None
        request.transport.close()
        return response

    return handle


async def test_a_download_that_breaks_raises_and_leaves_no_file(tmp_path: Path) -> None:
    async with local_server() as server:
        server.handler = truncated(len(CONTENT), CONTENT[:300_000])
        async with AssistantsClient(api_key="k", base_url=server.base_url, max_retries=0) as client:
            target = tmp_path / "out.bin"
            target.write_bytes(b"the old version")
            with pytest.raises(APIConnectionError, match="download"):
                await client.files.download("file-1", target)
            assert target.read_bytes() == b"the old version"  # replaced only when complete
            assert names_in(tmp_path) == ["out.bin"]  # no temporary left
            with pytest.raises(APIConnectionError, match="download"):
                await client.files.content("file-1")
            assert connections_in_use(client) == 0


async def test_leaving_a_download_early_frees_its_connection() -> None:
    async def big(request: web.Request) -> web.StreamResponse:
        return web.Response(body=CONTENT * 8, content_type="application/octet-stream")

    async with local_server() as server:
        server.handler = big
        async with AssistantsClient(api_key="k", base_url=server.base_url) as client:
            async with client.files.stream_content("file-1", chunk_size=4096) as stream:
                async for _ in stream:
                    break
            assert stream.received == 4096
            assert stream.size == len(CONTENT) * 8
            assert connections_in_use(client) == 0


def uploads_server(store: dict[str, Any]) -> Any:
    """A server with the Uploads API: records each part (by id) and assembles ``part_ids``."""

    async def handle(request: web.Request) -> web.StreamResponse:
        path = request.path
        if path == "/v1/uploads":
            body = await request.json()
            store["declared"] = body
            return web.json_response({"id": "upload_1", "object": "upload", "status": "pending"})
        if path.endswith("/parts"):
            reader = await request.multipart()
            part = await reader.next()
            assert isinstance(part, BodyPartReader)
            data = await part.read()
            store["active"] = store.get("active", 0) + 1
            store["peak"] = max(store.get("peak", 0), store["active"])
            await asyncio.sleep(0.01)
            store["active"] -= 1
            part_id = f"part_{len(store.setdefault('parts', {}))}"
            store["parts"][part_id] = bytes(data)
            return web.json_response({"id": part_id, "object": "upload.part"})
        if path.endswith("/complete"):
            body = await request.json()
            assembled = b"".join(store["parts"][p] for p in body["part_ids"])
            store["md5"] = body["md5"]
            store["file"] = assembled
            file = {"id": "file-1", "object": "file", "bytes": len(assembled), "filename": "f"}
            return web.json_response({"id": "upload_1", "status": "completed", "file": file})
        return web.json_response({"error": {"message": "no"}}, status=404)

    return handle


async def test_a_large_file_goes_in_parts_in_order_with_its_md5(tmp_path: Path) -> None:
    path = tmp_path / "big.jsonl"
    path.write_bytes(CONTENT)
    store: dict[str, Any] = {}
    async with local_server() as server:
        server.handler = uploads_server(store)
        async with AssistantsClient(api_key="k", base_url=server.base_url) as client:
            file = await client.files.upload(
                path,
                purpose="batch",
                single_request_limit=100_000,
                part_size=100_000,
                max_concurrency=3,
            )
    assert file.id == "file-1"
    assert store["file"] == CONTENT  # every part, in order
    assert len(store["parts"]) == 11  # 1 MiB in parts of 100,000 bytes
    assert store["md5"] == hashlib.md5(CONTENT).hexdigest()
    assert store["declared"] == {
        "filename": "big.jsonl",
        "purpose": "batch",
        "bytes": len(CONTENT),
        "mime_type": "application/octet-stream",
    }
    assert 1 < store["peak"] <= 3  # concurrent, and bounded


async def test_a_server_without_the_uploads_api_gets_the_file_in_one_request(
    tmp_path: Path,
) -> None:
    path = tmp_path / "big.txt"
    path.write_bytes(CONTENT)
    received: dict[str, bytes] = {}

    async def handle(request: web.Request) -> web.StreamResponse:
        if request.path == "/v1/files":
            reader = await request.multipart()
            while (part := await reader.next()) is not None:
                assert isinstance(part, BodyPartReader)
                received[part.name or ""] = bytes(await part.read())
            return web.json_response({"id": "file-9", "object": "file", "bytes": len(CONTENT)})
        return web.json_response({"detail": "Not Found"}, status=404)

    async with local_server() as server:
        server.handler = handle
        async with AssistantsClient(api_key="k", base_url=server.base_url) as client:
            file = await client.files.upload(path, purpose="assistants", single_request_limit=1000)
    assert file.id == "file-9"
    assert received["file"] == CONTENT
    assert received["purpose"] == b"assistants"


# --- against the fake server -------------------------------------------------------------------


async def test_a_retried_part_is_not_added_twice(no_sleep: list[float]) -> None:
    """The answer to one part is lost after the server stored it; the retry carries the same
    ``Idempotency-Key``, so the server answers with that part instead of storing another."""
    data = CONTENT[: 5 * 100_000]
    async with FakeAssistantsServer() as server:
        lost = server.inject(
            Fault.drop_connection(after_handling=True), times=1, method="POST", path="/parts$"
        )
        async with server.client() as client:
            upload = await client.uploads.upload_file(
                data, filename="five.bin", purpose="assistants", part_size=100_000
            )
            assert upload.status == "completed"
            assert upload.file is not None
            assert await client.files.content(upload.file.id) == data
        parts = server.upload_parts(upload.id)
        tries = [r for r in server.requests if r.path.endswith("/parts")]
    assert lost.remaining == 0  # the fault took effect
    assert len(tries) == 6  # five parts, one of them sent twice
    assert len(parts) == 5  # ... and stored once
    assert len({r.headers["Idempotency-Key"] for r in tries}) == 5
    assert len(no_sleep) == 1  # one retry


async def test_a_part_that_keeps_failing_cancels_the_upload(no_sleep: list[float]) -> None:
    async with FakeAssistantsServer() as server:
        server.inject(Fault.error(500), times=None, method="POST", path="/parts$")
        async with server.client(max_retries=1) as client:
            with pytest.raises(InternalServerError):
                await client.uploads.upload_file(
                    CONTENT, filename="f.bin", purpose="assistants", part_size=300_000
                )
        cancels = [r for r in server.requests if r.path.endswith("/cancel")]
    assert len(cancels) == 1


async def test_a_compressed_download_is_checked_against_what_arrived_not_the_wire_size() -> None:
    async def gzipped(request: web.Request) -> web.StreamResponse:
        response = web.Response(body=CONTENT, content_type="application/octet-stream")
        response.enable_compression(web.ContentCoding.gzip)
        return response

    async with local_server() as server:
        server.handler = gzipped
        async with AssistantsClient(api_key="k", base_url=server.base_url) as client:
            assert await client.files.content("file-1") == CONTENT


async def test_a_purpose_the_uploads_api_does_not_take_goes_in_one_request() -> None:
    async with FakeAssistantsServer() as server:
        async with server.client() as client:
            file = await client.files.upload(
                CONTENT, filename="notes.txt", purpose="user_data", single_request_limit=1000
            )
        assert file.purpose == "user_data"
        assert server.file_content(file.id) == CONTENT
        assert not [r for r in server.requests if r.path.startswith("/v1/uploads")]
