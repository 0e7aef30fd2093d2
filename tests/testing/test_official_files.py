"""The official ``openai`` client (3.54.0) against the fake's Files, Uploads and Vector stores:
``client.files``, ``client.uploads`` and ``client.vector_stores`` (outside ``beta``; they send
no ``OpenAI-Beta`` for files and uploads, ``assistants=v2`` for most vector store calls)."""

from __future__ import annotations

import hashlib
from pathlib import Path

import openai
import pytest
from openai.types.beta.threads import FileCitationAnnotation

from openai_assistants.testing import FakeAssistantsServer, RunScript

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


@pytest.fixture
def client(official: openai.AsyncOpenAI) -> openai.AsyncOpenAI:
    """The official client (the ``official`` fixture of this folder's conftest)."""
    return official


async def test_files(client: openai.AsyncOpenAI, server: FakeAssistantsServer) -> None:
    created = await client.files.create(
        file=("notes.txt", b"Remember the milk."), purpose="assistants"
    )
    assert created.id.startswith("file-")
    assert (created.filename, created.bytes, created.purpose) == ("notes.txt", 18, "assistants")
    assert "OpenAI-Beta" not in server.requests[-1].headers
    expiring = await client.files.create(
        file=("batch.jsonl", b'{"custom_id": "1"}\n'),
        purpose="batch",
        expires_after={"anchor": "created_at", "seconds": 3600},
    )
    assert expiring.expires_at == expiring.created_at + 3600
    form = server.requests[-1].form
    assert form is not None
    assert {part.name for part in form} >= {"expires_after[anchor]", "expires_after[seconds]"}

    assert [f.id async for f in client.files.list()] == [expiring.id, created.id]
    assert [f.id async for f in client.files.list(purpose="assistants")] == [created.id]
    assert [f.id async for f in client.files.list(limit=1, order="asc")] == [
        created.id,
        expiring.id,
    ]  # auto-pagination with ``after``
    content = await client.files.content(created.id)
    assert content.content == b"Remember the milk."
    assert (await client.files.retrieve(created.id)).filename == "notes.txt"
    deleted = await client.files.delete(created.id)
    assert (deleted.id, deleted.deleted, deleted.object) == (created.id, True, "file")
    with pytest.raises(openai.NotFoundError):
        await client.files.retrieve(created.id)
    with pytest.raises(openai.BadRequestError) as caught:
        await client.files.create(file=("x.txt", b"x"), purpose="batch")
    assert caught.value.message.endswith("Invalid file format for Batch API. Must be .jsonl")


async def test_vector_store_with_upload_and_poll(
    client: openai.AsyncOpenAI, server: FakeAssistantsServer
) -> None:
    server.clock = "per_poll"
    server.processing_steps = 2
    vector_store = await client.vector_stores.create(name="Handbook", metadata={"team": "hr"})
    assert (vector_store.name, vector_store.status) == ("Handbook", "completed")
    batch = await client.vector_stores.file_batches.upload_and_poll(
        vector_store.id,
        files=[
            ("holidays.md", b"Employees get 25 days of holiday."),
            ("expenses.txt", b"Expenses are paid monthly."),
        ],
    )
    assert batch.status == "completed"
    assert batch.file_counts.completed == 2
    assert batch.file_counts.total == 2
    polls = [r for r in server.requests if r.method == "GET" and batch.id in r.path]
    assert len(polls) == 2  # two processing steps, one per poll
    store = await client.vector_stores.retrieve(vector_store.id)
    assert (store.file_counts.completed, store.usage_bytes) == (2, 33 + 26)
    files = [f async for f in client.vector_stores.files.list(vector_store.id)]
    assert {f.status for f in files} == {"completed"}
    in_batch = await client.vector_stores.file_batches.list_files(
        batch.id, vector_store_id=vector_store.id, filter="completed"
    )
    assert len(in_batch.data) == 2

    results = await client.vector_stores.search(vector_store.id, query="holiday days")
    [hit] = results.data
    assert hit.filename == "holidays.md"
    assert hit.content[0].text == "Employees get 25 days of holiday."
    updated = await client.vector_stores.update(vector_store.id, name="HR handbook")
    assert updated.name == "HR handbook"
    assert [s.id async for s in client.vector_stores.list()] == [vector_store.id]
    assert (await client.vector_stores.delete(vector_store.id)).deleted


async def test_vector_store_files_create_and_poll(
    client: openai.AsyncOpenAI, server: FakeAssistantsServer
) -> None:
    server.clock = "per_poll"
    vector_store = await client.vector_stores.create(name="kb")
    good = await client.files.create(file=("good.txt", b"Good text."), purpose="assistants")
    bad = await client.files.create(file=("scan.pdf", b"%PDF-1.7 ..."), purpose="assistants")
    server.fail_processing("*.pdf", code="invalid_file", message="Could not parse the PDF.")
    done = await client.vector_stores.files.create_and_poll(
        file_id=good.id, vector_store_id=vector_store.id, attributes={"lang": "en"}
    )
    assert (done.status, done.attributes, done.last_error) == ("completed", {"lang": "en"}, None)
    assert done.chunking_strategy is not None
    assert done.chunking_strategy.type == "static"
    failed = await client.vector_stores.files.create_and_poll(
        file_id=bad.id, vector_store_id=vector_store.id
    )
    assert failed.status == "failed"
    assert failed.last_error is not None
    assert (failed.last_error.code, failed.last_error.message) == (
        "invalid_file",
        "Could not parse the PDF.",
    )
    store = await client.vector_stores.retrieve(vector_store.id)
    assert (store.file_counts.completed, store.file_counts.failed) == (1, 1)
    failed_files = await client.vector_stores.files.list(vector_store.id, filter="failed")
    assert [f.id for f in failed_files.data] == [bad.id]

    page = await client.vector_stores.files.content(good.id, vector_store_id=vector_store.id)
    assert [c.text for c in page.data] == ["Good text."]
    attributes = await client.vector_stores.files.update(
        good.id, vector_store_id=vector_store.id, attributes={"lang": "fr"}
    )
    assert attributes.attributes == {"lang": "fr"}
    detached = await client.vector_stores.files.delete(good.id, vector_store_id=vector_store.id)
    assert detached.deleted
    assert (await client.files.retrieve(good.id)).id == good.id


async def test_cancel_a_batch(client: openai.AsyncOpenAI, server: FakeAssistantsServer) -> None:
    server.clock = "per_poll"
    server.processing_steps = 10
    file = await client.files.create(file=("slow.txt", b"slow"), purpose="assistants")
    vector_store = await client.vector_stores.create()
    batch = await client.vector_stores.file_batches.create(vector_store.id, file_ids=[file.id])
    cancelled = await client.vector_stores.file_batches.cancel(
        batch.id, vector_store_id=vector_store.id
    )
    assert (cancelled.status, cancelled.file_counts.cancelled) == ("cancelled", 1)


async def test_uploads_in_parts(
    client: openai.AsyncOpenAI, server: FakeAssistantsServer, tmp_path: Path
) -> None:
    data = bytes(range(256)) * 40  # 10,240 bytes
    upload = await client.uploads.upload_file_chunked(
        file=data,
        filename="table.txt",
        bytes=len(data),
        mime_type="text/plain",
        purpose="assistants",
        part_size=4096,
        md5=hashlib.md5(data).hexdigest(),
    )
    assert upload.status == "completed"
    assert upload.file is not None
    assert [part.size for part in server.upload_parts(upload.id)] == [4096, 4096, 2048]
    assert (await client.files.content(upload.file.id)).content == data

    path = tmp_path / "from-disk.txt"
    path.write_bytes(b"on disk" * 1000)
    from_path = await client.uploads.upload_file_chunked(
        file=path, mime_type="text/plain", purpose="assistants", part_size=3000
    )
    assert from_path.filename == "from-disk.txt"
    assert len(server.upload_parts(from_path.id)) == 3

    pending = await client.uploads.create(
        bytes=3, filename="x.txt", mime_type="text/plain", purpose="assistants"
    )
    part = await client.uploads.parts.create(pending.id, data=b"abc")
    with pytest.raises(openai.BadRequestError) as caught:
        await client.uploads.complete(pending.id, part_ids=[part.id], md5="0" * 32)
    assert caught.value.param == "md5"
    cancelled = await client.uploads.cancel(pending.id)
    assert cancelled.status == "cancelled"
    with pytest.raises(openai.BadRequestError):
        await client.uploads.parts.create(pending.id, data=b"more")


async def test_a_file_search_run_cites_the_file(
    client: openai.AsyncOpenAI, server: FakeAssistantsServer
) -> None:
    file = await client.files.create(
        file=("policy.txt", b"Refunds are possible within 30 days of purchase."),
        purpose="assistants",
    )
    assistant = await client.beta.assistants.create(
        model="gpt-4o",
        tools=[{"type": "file_search"}],
        tool_resources={"file_search": {"vector_stores": [{"file_ids": [file.id]}]}},
    )
    assert assistant.tool_resources is not None
    assert assistant.tool_resources.file_search is not None
    [store_id] = assistant.tool_resources.file_search.vector_store_ids or []
    assert (await client.vector_stores.retrieve(store_id)).file_counts.completed == 1
    server.script(RunScript.file_search().then_reply("Within 30 days."))
    run = await client.beta.threads.create_and_run_poll(
        assistant_id=assistant.id,
        thread={"messages": [{"role": "user", "content": "Can I get a refund?"}]},
    )
    assert run.status == "completed"
    messages = await client.beta.threads.messages.list(run.thread_id, limit=1)
    block = messages.data[0].content[0]
    assert block.type == "text"
    [annotation] = block.text.annotations
    assert isinstance(annotation, FileCitationAnnotation)
    assert annotation.file_citation.file_id == file.id
    assert block.text.value.endswith(annotation.text)
