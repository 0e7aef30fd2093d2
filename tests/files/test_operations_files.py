"""Every Files, Uploads and Vector stores operation's exact request (aioresponses)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from aioresponses import aioresponses
from support import SPEC_DIR
from support.recorder import record

from openai_assistants import AssistantsClient, ByteStream
from openai_assistants.models import (
    DeletionStatus,
    FileExpiresAfter,
    FileObject,
    StaticChunkingConfig,
    StaticChunkingStrategy,
    Upload,
    UploadPart,
    VectorStore,
    VectorStoreExpiresAfter,
    VectorStoreFile,
    VectorStoreFileBatch,
    VectorStoreFileContent,
    VectorStoreSearchResults,
)

OBJ = {
    "id": "file-1",
    "object": "x",
    "created_at": 1,
    "bytes": 3,
    "filename": "a.txt",
    "purpose": "assistants",
    "status": "completed",
    "vector_store_id": "vs_1",
    "upload_id": "upload_1",
    "usage_bytes": 3,
    "last_error": None,
    "file_counts": {"in_progress": 0, "completed": 1, "failed": 0, "cancelled": 0, "total": 1},
    "data": [],
    "has_more": False,
    "next_page": None,
    "search_query": ["q"],
}
DELETED = {"id": "file-1", "object": "file", "deleted": True}
LIST = {
    "object": "list",
    "data": [OBJ],
    "first_id": "file-1",
    "last_id": "file-1",
    "has_more": False,
}

Call = Callable[[AssistantsClient], Awaitable[Any]]


def names_in(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


async def first(pager: Any) -> Any:
    return await pager.to_list()


# operationId, call, method, path, query, body (a JSON body, or {"form": ...}), result type
CASES: list[tuple[str, Call, str, str, list[tuple[str, str]], Any, Any]] = [
    (
        "createFile",
        lambda c: c.files.create(
            file=b"abc",
            filename="a.txt",
            purpose="assistants",
            expires_after=FileExpiresAfter(seconds=3600),
        ),
        "POST",
        "/v1/files",
        [],
        {
            "form": {
                "purpose": "assistants",
                "expires_after[anchor]": "created_at",
                "expires_after[seconds]": "3600",
                "file": ("a.txt", "text/plain", b"abc"),
            }
        },
        FileObject,
    ),
    (
        "listFiles",
        lambda c: first(c.files.list(purpose="assistants", limit=500, order="asc", after="file-0")),
        "GET",
        "/v1/files",
        [("limit", "500"), ("order", "asc"), ("after", "file-0"), ("purpose", "assistants")],
        None,
        list,
    ),
    (
        "retrieveFile",
        lambda c: c.files.retrieve("file-1"),
        "GET",
        "/v1/files/file-1",
        [],
        None,
        FileObject,
    ),
    (
        "deleteFile",
        lambda c: c.files.delete("file-1"),
        "DELETE",
        "/v1/files/file-1",
        [],
        None,
        DeletionStatus,
    ),
    (
        "createUpload",
        lambda c: c.uploads.create(
            filename="big.jsonl", purpose="batch", bytes=1 << 30, mime_type="text/jsonl"
        ),
        "POST",
        "/v1/uploads",
        [],
        {"filename": "big.jsonl", "purpose": "batch", "bytes": 1 << 30, "mime_type": "text/jsonl"},
        Upload,
    ),
    (
        "addUploadPart",
        lambda c: c.uploads.add_part("upload_1", data=b"0123"),
        "POST",
        "/v1/uploads/upload_1/parts",
        [],
        {"form": {"data": ("part", "application/octet-stream", b"0123")}},
        UploadPart,
    ),
    (
        "completeUpload",
        lambda c: c.uploads.complete("upload_1", part_ids=["part_1", "part_2"], md5="abc"),
        "POST",
        "/v1/uploads/upload_1/complete",
        [],
        {"part_ids": ["part_1", "part_2"], "md5": "abc"},
        Upload,
    ),
    (
        "cancelUpload",
        lambda c: c.uploads.cancel("upload_1"),
        "POST",
        "/v1/uploads/upload_1/cancel",
        [],
        None,
        Upload,
    ),
    (
        "createVectorStore",
        lambda c: c.vector_stores.create(
            name="docs",
            file_ids=["file-1"],
            expires_after=VectorStoreExpiresAfter(days=7),
            chunking_strategy=StaticChunkingStrategy(StaticChunkingConfig(400, 100)),
            metadata={"team": "a"},
        ),
        "POST",
        "/v1/vector_stores",
        [],
        {
            "name": "docs",
            "file_ids": ["file-1"],
            "expires_after": {"days": 7, "anchor": "last_active_at"},
            "chunking_strategy": {
                "static": {"max_chunk_size_tokens": 400, "chunk_overlap_tokens": 100},
                "type": "static",
            },
            "metadata": {"team": "a"},
        },
        VectorStore,
    ),
    (
        "listVectorStores",
        lambda c: first(c.vector_stores.list(limit=2, before="vs_9")),
        "GET",
        "/v1/vector_stores",
        [("limit", "2"), ("before", "vs_9")],
        None,
        list,
    ),
    (
        "getVectorStore",
        lambda c: c.vector_stores.retrieve("vs_1"),
        "GET",
        "/v1/vector_stores/vs_1",
        [],
        None,
        VectorStore,
    ),
    (
        "modifyVectorStore",
        lambda c: c.vector_stores.update("vs_1", name="new", expires_after=None),
        "POST",
        "/v1/vector_stores/vs_1",
        [],
        {"name": "new", "expires_after": None},
        VectorStore,
    ),
    (
        "deleteVectorStore",
        lambda c: c.vector_stores.delete("vs_1"),
        "DELETE",
        "/v1/vector_stores/vs_1",
        [],
        None,
        DeletionStatus,
    ),
    (
        "searchVectorStore",
        lambda c: c.vector_stores.search(
            "vs_1",
            query=["refunds", "returns"],
            filters={"type": "gte", "key": "year", "value": 2024},
            max_num_results=5,
            rewrite_query=True,
        ),
        "POST",
        "/v1/vector_stores/vs_1/search",
        [],
        {
            "query": ["refunds", "returns"],
            "filters": {"type": "gte", "key": "year", "value": 2024},
            "max_num_results": 5,
            "rewrite_query": True,
        },
        VectorStoreSearchResults,
    ),
    (
        "createVectorStoreFile",
        lambda c: c.vector_store_files.create(
            "vs_1", file_id="file-1", attributes={"year": 2024, "draft": False}
        ),
        "POST",
        "/v1/vector_stores/vs_1/files",
        [],
        {"file_id": "file-1", "attributes": {"year": 2024, "draft": False}},
        VectorStoreFile,
    ),
    (
        "listVectorStoreFiles",
        lambda c: first(c.vector_store_files.list("vs_1", filter="failed", order="desc")),
        "GET",
        "/v1/vector_stores/vs_1/files",
        [("order", "desc"), ("filter", "failed")],
        None,
        list,
    ),
    (
        "getVectorStoreFile",
        lambda c: c.vector_store_files.retrieve("vs_1", "file-1"),
        "GET",
        "/v1/vector_stores/vs_1/files/file-1",
        [],
        None,
        VectorStoreFile,
    ),
    (
        "updateVectorStoreFileAttributes",
        lambda c: c.vector_store_files.update("vs_1", "file-1", attributes={"lang": "en"}),
        "POST",
        "/v1/vector_stores/vs_1/files/file-1",
        [],
        {"attributes": {"lang": "en"}},
        VectorStoreFile,
    ),
    (
        "deleteVectorStoreFile",
        lambda c: c.vector_store_files.delete("vs_1", "file-1"),
        "DELETE",
        "/v1/vector_stores/vs_1/files/file-1",
        [],
        None,
        DeletionStatus,
    ),
    (
        "retrieveVectorStoreFileContent",
        lambda c: c.vector_store_files.content("vs_1", "file-1"),
        "GET",
        "/v1/vector_stores/vs_1/files/file-1/content",
        [],
        None,
        VectorStoreFileContent,
    ),
    (
        "createVectorStoreFileBatch",
        lambda c: c.vector_store_file_batches.create(
            "vs_1", file_ids=["file-1", "file-2"], chunking_strategy={"type": "auto"}
        ),
        "POST",
        "/v1/vector_stores/vs_1/file_batches",
        [],
        {"file_ids": ["file-1", "file-2"], "chunking_strategy": {"type": "auto"}},
        VectorStoreFileBatch,
    ),
    (
        "getVectorStoreFileBatch",
        lambda c: c.vector_store_file_batches.retrieve("vs_1", "vsfb_1"),
        "GET",
        "/v1/vector_stores/vs_1/file_batches/vsfb_1",
        [],
        None,
        VectorStoreFileBatch,
    ),
    (
        "cancelVectorStoreFileBatch",
        lambda c: c.vector_store_file_batches.cancel("vs_1", "vsfb_1"),
        "POST",
        "/v1/vector_stores/vs_1/file_batches/vsfb_1/cancel",
        [],
        None,
        VectorStoreFileBatch,
    ),
    (
        "listFilesInVectorStoreBatch",
        lambda c: first(
            c.vector_store_file_batches.list_files("vs_1", "vsfb_1", filter="completed")
        ),
        "GET",
        "/v1/vector_stores/vs_1/file_batches/vsfb_1/files",
        [("filter", "completed")],
        None,
        list,
    ),
]


def test_the_table_covers_every_operation_of_the_document_but_the_download() -> None:
    document = yaml.safe_load((SPEC_DIR / "files-vector-stores.openapi.yaml").read_text())
    operations = {op["operationId"] for path in document["paths"].values() for op in path.values()}
    assert len(operations) == 25
    assert operations - {case[0] for case in CASES} == {"downloadFile"}  # tested below


@pytest.mark.parametrize(
    ("operation", "call", "method", "path", "query", "body", "result"),
    CASES,
    ids=[case[0] for case in CASES],
)
async def test_request_shape(
    client: AssistantsClient,
    mocked: aioresponses,
    operation: str,
    call: Call,
    method: str,
    path: str,
    query: list[tuple[str, str]],
    body: Any,
    result: Any,
) -> None:
    payload = LIST if result is list else (DELETED if result is DeletionStatus else OBJ)
    sent = record(mocked, method, payload)
    got = await call(client)
    assert len(sent) == 1
    [request] = sent
    assert (request.method, request.path) == (method, path)
    assert sorted(request.query) == sorted(query)
    assert request.body == body
    if body is not None and "form" not in body:
        assert request.headers["Content-Type"] == "application/json"
    if method != "GET":
        assert request.headers["Idempotency-Key"]
    if result is list:
        assert len(got) == 1
    else:
        assert type(got) is result


async def test_download_file_reads_the_raw_bytes(
    client: AssistantsClient, mocked: aioresponses, tmp_path: Path
) -> None:
    content = bytes(range(256)) * 50  # aioresponses feeds it at once: keep it small
    url = "http://api.test/v1/files/file-1/content"
    mocked.get(url, body=content, content_type="application/json", repeat=True)
    assert await client.files.content("file-1") == content  # JSON content type or not
    stream = client.files.stream_content("file-1", chunk_size=1000)
    assert isinstance(stream, ByteStream)
    chunks = [chunk async for chunk in stream]
    assert b"".join(chunks) == content
    assert max(map(len, chunks)) <= 1000
    target = await client.files.download("file-1", tmp_path / "out.bin")
    assert target.read_bytes() == content
    assert names_in(tmp_path) == ["out.bin"]  # no temporary left
