"""What an upload's bytes come from, and the ``multipart/form-data`` bodies that carry them.

A ``FileSource`` is checked when it is made (a missing path, a directory, a text-mode file, a
type that holds no bytes: each raises before any request). It never reads the whole file into
memory: a path is streamed from disk for each attempt, a seekable file object is rewound, bytes
are sent as they are, and an async iterator is streamed once (so a request carrying one is not
retried). Parts of a file (for the Uploads API) are read range by range, in a worker thread.
"""

from __future__ import annotations

import asyncio
import hashlib
import io
import mimetypes
import os
from collections.abc import AsyncIterable, AsyncIterator, Callable, Mapping
from pathlib import Path
from typing import IO, Any, Final, TypeAlias

import aiohttp
import attrs

__all__ = ["FileInput", "FileSource", "MultipartForm", "file_source"]

#: What an upload takes: a path, bytes, a binary file object, or an async iterator of bytes.
FileInput: TypeAlias = (
    str | os.PathLike[str] | bytes | bytearray | memoryview | IO[bytes] | AsyncIterable[bytes]
)

#: How much of a file is read from disk at a time.
CHUNK: Final = 1 << 20


@attrs.frozen
class FileSource:
    """One upload's bytes, with the name and content type sent for them."""

    filename: str
    content_type: str
    #: The size in bytes, when it is known up front (an async iterator's is not).
    size: int | None
    #: Whether the bytes can be sent again (a retry, or a second request).
    replayable: bool
    _open: Callable[[], Any] = attrs.field(alias="open")
    _path: Path | None = attrs.field(default=None, alias="path")
    _data: bytes | None = attrs.field(default=None, alias="data")

    def payload(self) -> Any:
        """The file's bytes for one request (a fresh stream each time)."""
        return self._open()

    def part(self, offset: int, length: int) -> Any:
        """Bytes ``offset .. offset + length`` for one request (paths and in-memory data)."""
        if self._data is not None:
            return memoryview(self._data)[offset : offset + length].tobytes()
        if self._path is not None:
            return _read_range(self._path, offset, length)
        raise TypeError("only a path or in-memory bytes can be sent in parts")

    @property
    def splittable(self) -> bool:
        """Whether ``part`` works: the Uploads API can send this source in parts."""
        return self._data is not None or self._path is not None

    async def md5(self) -> str:
        """The hex MD5 of the whole file (read in a worker thread for a path)."""
        if self._data is not None:
            return hashlib.md5(self._data, usedforsecurity=False).hexdigest()
        if self._path is None:
            raise TypeError("only a path or in-memory bytes has an MD5 before it is sent")
        return await asyncio.to_thread(_md5_of_file, self._path)


def file_source(
    file: Any, *, filename: str | None = None, content_type: str | None = None
) -> FileSource:
    """Check ``file`` and describe it; raises ``TypeError``/``FileNotFoundError``/
    ``IsADirectoryError``/``ValueError`` before anything is sent."""
    if filename is not None and (not isinstance(filename, str) or not filename):
        raise TypeError(f"filename must be a non-empty str, got {filename!r}")
    if isinstance(file, (str, os.PathLike)):
        path = Path(file)
        if not path.exists():
            raise FileNotFoundError(f"no such file to upload: {str(path)!r}")
        if path.is_dir():
            raise IsADirectoryError(f"{str(path)!r} is a directory, not a file to upload")
        if not path.is_file():
            raise ValueError(f"{str(path)!r} is not a regular file")
        name = filename or path.name
        return FileSource(
            name,
            content_type or _guess(name),
            path.stat().st_size,
            True,
            open=lambda: path.open("rb"),
            path=path,
        )
    if isinstance(file, (bytes, bytearray, memoryview)):
        data = bytes(file)
        name = filename or "upload"
        return FileSource(
            name, content_type or _guess(name), len(data), True, open=lambda: data, data=data
        )
    if isinstance(file, io.TextIOBase):
        raise TypeError("open the file in binary mode ('rb'): uploads send bytes, not text")
    if hasattr(file, "read"):
        return _file_object_source(file, filename, content_type)
    if isinstance(file, AsyncIterable):
        name = filename or "upload"
        iterator = _once(file)
        return FileSource(name, content_type or _guess(name), None, False, open=iterator)
    raise TypeError(
        "file must be a path, bytes, a binary file object or an async iterator of bytes, "
        f"got {type(file).__name__}"
    )


def _file_object_source(
    file: IO[bytes], filename: str | None, content_type: str | None
) -> FileSource:
    given = getattr(file, "name", None)
    name = filename or (Path(given).name if isinstance(given, str) and given else "upload")
    seekable = bool(getattr(file, "seekable", lambda: False)())
    if not seekable:
        return FileSource(name, content_type or _guess(name), None, False, open=_once_io(file))
    start = file.tell()
    size = file.seek(0, io.SEEK_END) - start
    file.seek(start)

    def rewound() -> Any:
        file.seek(start)
        return _Unclosed(file)

    return FileSource(name, content_type or _guess(name), size, True, open=rewound)


@attrs.define
class MultipartForm:
    """A ``multipart/form-data`` body of text fields and one file (see ``_http.transport.Form``)."""

    fields: Mapping[str, str]
    file_field: str
    source: FileSource
    #: Bytes of the source to send instead of all of them: ``(offset, length)``.
    span: tuple[int, int] | None = None

    @property
    def replayable(self) -> bool:
        return self.source.replayable

    def build(self) -> aiohttp.FormData:
        form = aiohttp.FormData(quote_fields=False)
        for name, value in self.fields.items():
            form.add_field(name, value)
        value = self.source.payload() if self.span is None else self.source.part(*self.span)
        form.add_field(
            self.file_field,
            value,
            filename=self.source.filename,
            content_type=self.source.content_type,
        )
        return form


def _guess(name: str) -> str:
    return mimetypes.guess_type(name)[0] or "application/octet-stream"


def _once(iterable: AsyncIterable[bytes]) -> Callable[[], AsyncIterator[bytes]]:
    used = False

    def take() -> AsyncIterator[bytes]:
        nonlocal used
        if used:
            raise RuntimeError("an async iterator upload can be sent only once")
        used = True
        return _checked(iterable)

    return take


def _once_io(file: IO[bytes]) -> Callable[[], Any]:
    used = False

    def take() -> Any:
        nonlocal used
        if used:
            raise RuntimeError("a file object that cannot seek can be sent only once")
        used = True
        return _Unclosed(file)

    return take


async def _checked(iterable: AsyncIterable[bytes]) -> AsyncIterator[bytes]:
    async for chunk in iterable:
        if not isinstance(chunk, (bytes, bytearray, memoryview)):
            raise TypeError(f"an upload's async iterator must yield bytes, got {type(chunk)}")
        yield bytes(chunk)


async def _read_range(path: Path, offset: int, length: int) -> AsyncIterator[bytes]:
    """``length`` bytes of ``path`` from ``offset``, a chunk at a time (in a worker thread)."""
    with path.open("rb") as handle:
        await asyncio.to_thread(handle.seek, offset)
        left = length
        while left > 0:
            chunk = await asyncio.to_thread(handle.read, min(CHUNK, left))
            if not chunk:
                raise OSError(f"{str(path)!r} ended {left} bytes early: it changed while sent")
            left -= len(chunk)
            yield chunk


def _md5_of_file(path: Path) -> str:
    digest = hashlib.md5(usedforsecurity=False)
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


class _Unclosed(io.RawIOBase):
    """A caller's file object handed to aiohttp, which closes what it sent: this keeps the
    caller's open (it is theirs to close)."""

    def __init__(self, file: IO[bytes]) -> None:
        self._file = file
        self.name = getattr(file, "name", None)

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        data = self._file.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)

    def close(self) -> None:
        pass  # not ours
