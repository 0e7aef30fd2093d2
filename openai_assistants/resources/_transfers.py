"""Moving file bytes: an upload sent in parts, and downloads that stream.

Neither holds a whole file in memory. An upload in parts reads each part from disk as it is sent
(at most ``max_concurrency`` at once) and lists the parts in byte order at the end, with the MD5
of the whole file; a retried part carries the same ``Idempotency-Key`` as its first try, so a
server that got it once answers with the same part instead of adding another. A download hands
the response's chunks on as they arrive, or writes them to a temporary file beside the target
that replaces it only once every byte has arrived.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import uuid
from collections.abc import Awaitable, Callable, Sequence
from pathlib import Path
from typing import Final

import aiohttp

from .._errors import APIConnectionError, APITimeoutError
from .._http.multipart import FileSource
from .._http.transport import Exchange, ExchangeReader
from ..models import Upload, UploadPart

__all__ = [
    "ByteStream",
    "DEFAULT_PART_SIZE",
    "MAX_PART_SIZE",
    "download_to",
    "read_all",
    "send_in_parts",
]

#: The Uploads API takes parts of at most 64 MB.
MAX_PART_SIZE: Final = 64 * 1024 * 1024
#: Parts of 16 MiB: four in flight keep a link busy without a part taking long to retry.
DEFAULT_PART_SIZE: Final = 16 * 1024 * 1024
#: Buffered before each write to disk (one worker-thread hop per MiB, not per network chunk).
_WRITE_BUFFER: Final = 1 << 20


async def send_in_parts(
    source: FileSource,
    *,
    create: Callable[[], Awaitable[Upload]],
    add_part: Callable[[str, int, int], Awaitable[UploadPart]],
    complete: Callable[[str, Sequence[str], str], Awaitable[Upload]],
    cancel: Callable[[str], Awaitable[object]],
    part_size: int,
    max_concurrency: int,
) -> Upload:
    """Create an upload, send ``source`` in parts (bounded concurrency), complete it in order.

    If a part fails (after its retries) the others are stopped and the upload is cancelled
    before the error is raised, so nothing is left half-made.
    """
    assert source.size is not None
    upload = await create()
    spans = [
        (offset, min(part_size, source.size - offset))
        for offset in range(0, source.size, part_size)
    ] or [(0, 0)]
    gate = asyncio.Semaphore(max_concurrency)

    async def send(offset: int, length: int) -> str:
        async with gate:
            part = await add_part(upload.id, offset, length)
            return part.id

    tasks = [asyncio.ensure_future(send(offset, length)) for offset, length in spans]
    digest = asyncio.ensure_future(source.md5())
    try:
        part_ids = await asyncio.gather(*tasks)
        md5 = await digest
    except BaseException:
        for task in (*tasks, digest):
            task.cancel()
        await asyncio.gather(*tasks, digest, return_exceptions=True)
        with contextlib.suppress(Exception):  # the original error is what matters
            await asyncio.shield(cancel(upload.id))
        raise
    return await complete(upload.id, part_ids, md5)


class ByteStream(ExchangeReader):
    """A file's bytes as they arrive: an async iterator and an async context manager.

    Nothing is sent until it is entered or first iterated. It ends when every byte announced
    has arrived; a connection that breaks first raises ``APIConnectionError`` (never a short
    file without an error). Leaving early closes the response and frees its connection.
    """

    def __init__(self, opener: Callable[[], Awaitable[Exchange]], *, chunk_size: int) -> None:
        self._opener: Callable[[], Awaitable[Exchange]] | None = opener
        self._chunk_size = chunk_size
        self._exchange: Exchange | None = None
        self._received = 0
        self._finished = False

    def __repr__(self) -> str:
        return f"<ByteStream {self._received} bytes received>"

    @property
    def received(self) -> int:
        """Bytes handed out so far."""
        return self._received

    @property
    def size(self) -> int | None:
        """The size the server announced (``Content-Length``), once the response is open."""
        if self._exchange is None:
            return None
        return self._exchange.response.content_length

    async def _start(self) -> None:
        if self._opener is not None:
            opener, self._opener = self._opener, None
            self._exchange = await opener()

    def __aiter__(self) -> ByteStream:
        return self

    async def __anext__(self) -> bytes:
        if self._finished:
            raise StopAsyncIteration
        try:
            await self._start()
            assert self._exchange is not None
            response = self._exchange.response
            try:
                chunk = await response.content.read(self._chunk_size)
            except (asyncio.TimeoutError, aiohttp.ServerTimeoutError):
                raise APITimeoutError(
                    f"the download went silent after {self._received} bytes"
                ) from None
            except (aiohttp.ClientError, OSError) as exc:
                raise APIConnectionError(
                    f"the download broke after {self._received} bytes ({type(exc).__name__}: {exc})"
                ) from exc
        except BaseException:
            self.close()
            raise
        if not chunk:
            # Content-Length counts the bytes on the wire: compressed ones, if the server
            # compressed them (aiohttp hands them on decompressed).
            encoded = response.headers.get("Content-Encoding", "identity") != "identity"
            expected = None if encoded else response.content_length
            self.close()
            if expected is not None and self._received != expected:
                raise APIConnectionError(
                    f"the download ended after {self._received} of {expected} bytes"
                )
            raise StopAsyncIteration
        self._received += len(chunk)
        return chunk


async def download_to(stream: ByteStream, path: str | os.PathLike[str]) -> int:
    """Write ``stream`` to ``path`` through a temporary file in the same folder, replaced only
    when complete (a broken download leaves no partial file behind). Returns the byte count."""
    target, temporary = download_paths(path)
    try:
        with temporary.open("xb") as out:
            buffer = bytearray()
            async with stream:
                async for chunk in stream:
                    buffer += chunk
                    if len(buffer) >= _WRITE_BUFFER:
                        await asyncio.to_thread(out.write, bytes(buffer))
                        buffer.clear()
            if buffer:
                await asyncio.to_thread(out.write, bytes(buffer))
        os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
    return stream.received


def download_paths(path: str | os.PathLike[str]) -> tuple[Path, Path]:
    """The target of a download and the temporary file beside it; raises before any request
    if the target cannot be written (a folder, or a folder that does not exist)."""
    target = Path(path)
    if target.is_dir():
        raise IsADirectoryError(f"{str(target)!r} is a directory; give the file's path")
    if not target.parent.is_dir():
        raise FileNotFoundError(f"no folder {str(target.parent)!r} to download into")
    # Created like any new file (the umask applies), under a name no one else uses.
    return target, target.parent / f".{target.name}.{uuid.uuid4().hex}.part"


async def read_all(stream: ByteStream) -> bytes:
    """The whole download as bytes."""
    chunks: list[bytes] = []
    async with stream:
        async for chunk in stream:
            chunks.append(chunk)
    return b"".join(chunks)
