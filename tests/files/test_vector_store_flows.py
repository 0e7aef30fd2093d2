"""The vector-store helpers against the fake server: processing waits with deadlines, failures
surfaced with their ``last_error``, batches that upload many files at once."""

from __future__ import annotations

import pytest

from openai_assistants import FileProcessingError, WaitTimeoutError
from openai_assistants.testing import FakeAssistantsServer


async def test_a_file_that_fails_to_process_comes_back_with_its_last_error() -> None:
    async with FakeAssistantsServer() as server:
        server.fail_processing("scan.pdf", code="unsupported_file", message="no text in it")
        async with server.client() as client:
            store = await client.vector_stores.create(name="docs")
            failed = await client.vector_store_files.upload_and_poll(
                store.id, file=b"%PDF-1.7", filename="scan.pdf"
            )
            assert failed.status == "failed"
            assert failed.last_error is not None
            assert (failed.last_error.code, failed.last_error.message) == (
                "unsupported_file",
                "no text in it",
            )
            store = await client.vector_stores.retrieve(store.id)
            assert store.file_counts.failed == 1


async def test_a_batch_lists_every_failed_file_and_can_raise_for_them() -> None:
    async with FakeAssistantsServer() as server:
        server.fail_processing("bad-*.txt", code="invalid_file", message="unreadable")
        async with server.client() as client:
            store = await client.vector_stores.create(name="docs")
            files = [
                server.factories.file(b"good one", filename="a.txt")["id"],
                server.factories.file(b"bad one", filename="bad-1.txt")["id"],
                server.factories.file(b"bad two", filename="bad-2.txt")["id"],
            ]
            result = await client.vector_store_file_batches.create_and_poll(
                store.id, file_ids=files
            )
            assert result.batch.status == "completed"
            assert result.batch.file_counts.completed == 1
            assert result.batch.file_counts.failed == 2
            assert result.file_ids == files
            assert sorted(f.id for f in result.failed) == sorted(files[1:])
            assert all(f.last_error and f.last_error.code == "invalid_file" for f in result.failed)
            assert not result.ok
            with pytest.raises(FileProcessingError, match="2 of 3 files failed") as info:
                result.raise_for_failures()
            assert info.value.failed == result.failed


async def test_upload_and_poll_uploads_concurrently_then_attaches_one_batch() -> None:
    async with FakeAssistantsServer() as server:
        async with server.client() as client:
            store = await client.vector_stores.create(name="docs")
            result = await client.vector_store_file_batches.upload_and_poll(
                store.id,
                files=[f"document {i}".encode() for i in range(12)],
                max_concurrency=3,
            )
            assert result.ok
            assert result.batch.file_counts.completed == 12
            assert len(result.file_ids) == 12
            for file_id, i in zip(result.file_ids, range(12), strict=True):
                assert server.file_content(file_id) == f"document {i}".encode()
            listed = await client.vector_store_file_batches.list_files(
                store.id, result.batch.id
            ).to_list()
            assert sorted(f.id for f in listed) == sorted(result.file_ids)
        batches = [r for r in server.requests if r.path.endswith("/file_batches")]
        assert len(batches) == 1


async def test_processing_that_outlasts_max_wait_raises_with_the_last_state() -> None:
    server = FakeAssistantsServer(clock="per_poll", processing_steps=1000)
    async with server, server.client() as client:
        store = await client.vector_stores.create(name="docs")
        file_id = server.factories.file(b"slow")["id"]
        with pytest.raises(WaitTimeoutError, match=r"max_wait=0\.3") as info:
            await client.vector_store_files.create_and_poll(
                store.id, file_id=file_id, max_wait=0.3, interval=0.05
            )
        assert info.value.last is not None
        assert info.value.last.status == "in_progress"
        assert isinstance(info.value, TimeoutError)
