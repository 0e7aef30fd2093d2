"""Bad input to the files and vector-store services raises before any request; sources stream."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from aioresponses import aioresponses

from openai_assistants import AssistantsClient
from openai_assistants._http.multipart import file_source


@pytest.fixture
def text_file(tmp_path: Path) -> Path:
    path = tmp_path / "notes.md"
    path.write_bytes(b"# notes\n" * 100)
    return path


def test_a_path_source_knows_its_name_type_and_size(text_file: Path) -> None:
    source = file_source(text_file)
    assert (source.filename, source.content_type, source.size) == ("notes.md", "text/markdown", 800)
    assert source.replayable
    assert source.splittable


def test_given_names_and_types_win(text_file: Path) -> None:
    source = file_source(text_file, filename="a.json", content_type="application/x-ndjson")
    assert (source.filename, source.content_type) == ("a.json", "application/x-ndjson")
    assert file_source(b"{}", filename="data.json").content_type == "application/json"
    assert file_source(b"xyz").filename == "upload"


def test_a_seekable_file_object_is_rewound_for_each_attempt(text_file: Path) -> None:
    with text_file.open("rb") as handle:
        handle.read(100)
        source = file_source(handle)
        assert source.size == 700  # from where the caller left it
        first = source.payload().read()
        second = source.payload().read()
        assert first == second == text_file.read_bytes()[100:]
        assert not handle.closed  # the caller's to close


def test_a_stream_that_cannot_seek_is_sent_once() -> None:
    class Pipe(io.RawIOBase):
        def readable(self) -> bool:
            return True

        def readinto(self, buffer: Any) -> int:
            return 0

    source = file_source(Pipe())
    assert source.size is None
    assert not source.replayable
    source.payload()
    with pytest.raises(RuntimeError, match="only once"):
        source.payload()


@pytest.mark.parametrize(
    ("make", "error", "message"),
    [
        (lambda tmp: tmp / "missing.txt", FileNotFoundError, "no such file"),
        (lambda tmp: tmp, IsADirectoryError, "is a directory"),
        (lambda tmp: io.StringIO("text"), TypeError, "binary mode"),
        (lambda tmp: 42, TypeError, "file must be a path"),
        (lambda tmp: ["a", "b"], TypeError, "file must be a path"),
    ],
    ids=["missing", "directory", "text-mode", "number", "list"],
)
async def test_bad_files_raise_before_any_request(
    tmp_path: Path, make: Any, error: type[Exception], message: str
) -> None:
    bad = make(tmp_path)
    async with AssistantsClient(api_key="k", base_url="http://127.0.0.1:9/v1") as client:
        with aioresponses() as mocked:
            with pytest.raises(error, match=message):
                await client.files.create(file=bad, purpose="assistants")
            with pytest.raises(error, match=message):
                await client.files.upload(bad, purpose="assistants")
            with pytest.raises(error, match=message):
                await client.vector_store_files.upload_and_poll("vs_1", file=bad)
            with pytest.raises(error, match=message):
                await client.vector_store_file_batches.upload_and_poll("vs_1", files=[b"ok", bad])
            assert not mocked.requests


async def test_bad_arguments_raise_before_any_request(text_file: Path, tmp_path: Path) -> None:
    async with AssistantsClient(api_key="k", base_url="http://127.0.0.1:9/v1") as client:
        with aioresponses() as mocked:
            with pytest.raises(ValueError, match="purpose"):
                await client.files.create(file=text_file, purpose="homework")  # type: ignore[arg-type]
            with pytest.raises(ValueError, match="purpose"):
                await client.uploads.create(
                    filename="a", purpose="user_data", bytes=1, mime_type="text/plain"
                )
            with pytest.raises(ValueError, match="at least one file"):
                await client.vector_store_file_batches.upload_and_poll("vs_1", files=[])
            with pytest.raises(ValueError, match="1 to 2000"):
                await client.vector_store_file_batches.create("vs_1", file_ids=[])
            with pytest.raises(ValueError, match="forward only"):
                client.files.list(before="file-1")
            with pytest.raises(ValueError, match="between 1 and 10000"):
                client.files.list(limit=10_001)
            with pytest.raises(ValueError, match="filter"):
                client.vector_store_files.list("vs_1", filter="done")  # type: ignore[arg-type]
            with pytest.raises(ValueError, match="max_num_results"):
                await client.vector_stores.search("vs_1", query="q", max_num_results=51)
            with pytest.raises(ValueError, match="query"):
                await client.vector_stores.search("vs_1", query=" ")
            with pytest.raises(ValueError, match="part_ids"):
                await client.uploads.complete("upload_1", part_ids=[])
            with pytest.raises(ValueError, match="part_size"):
                await client.files.upload(text_file, purpose="assistants", part_size=65 << 20)
            with pytest.raises(ValueError, match=r"vector_store_id .* starts with 'file-'"):
                await client.vector_store_files.create("file-abc", file_id="vs_1")
            with pytest.raises(IsADirectoryError):
                await client.files.download("file-1", tmp_path)
            with pytest.raises(FileNotFoundError, match="no folder"):
                await client.files.download("file-1", tmp_path / "nowhere" / "out.bin")
            with pytest.raises(TypeError, match="expires_after"):
                await client.files.create(
                    file=text_file,
                    purpose="assistants",
                    expires_after={"days": 3},  # the vector stores' shape, not the files'
                )
            assert not mocked.requests
