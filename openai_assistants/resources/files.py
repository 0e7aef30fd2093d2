"""``client.files`` and ``client.uploads``: stored files, their bytes, and multi-part uploads."""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, Final

import attrs
from typing_extensions import Unpack

from .._errors import NotFoundError, ResponseValidationError
from .._http.multipart import FileInput, FileSource, MultipartForm, file_source
from .._http.sansio import build_path
from .._types import NOT_GIVEN, ListParams, NotGiven, RequestOptions
from ..models import DeletionStatus, FileExpiresAfter, FileObject, FilePurpose, Upload, UploadPart
from ._base import Call, ResponseView, Service, check_options, endpoint
from ._pagination import AsyncPager
from ._transfers import (
    DEFAULT_PART_SIZE,
    MAX_PART_SIZE,
    ByteStream,
    download_to,
    read_all,
    send_in_parts,
)

__all__ = ["Files", "FilesWithResponse", "Uploads", "UploadsWithResponse"]

_ONE = "/files/{file_id}"
_UPLOAD = "/uploads/{upload_id}"

#: ``purpose`` values each endpoint takes (the spec's enums).
FILE_PURPOSES: Final = frozenset(
    {"assistants", "batch", "fine-tune", "vision", "user_data", "evals"}
)
UPLOAD_PURPOSES: Final = frozenset({"assistants", "batch", "fine-tune", "vision"})
#: Files up to this size go in one request by default; larger ones through the Uploads API.
SINGLE_REQUEST_LIMIT: Final = 64 * 1024 * 1024
#: The Uploads API's ceiling for one upload.
MAX_UPLOAD_SIZE: Final = 8 * 1024**3


def check_purpose(purpose: object, allowed: frozenset[str], operation: str) -> str:
    """``ValueError`` for a purpose the endpoint does not take (before any request)."""
    if not isinstance(purpose, str):
        raise TypeError(f"purpose must be a str, got {type(purpose).__name__}")
    if purpose not in allowed:
        raise ValueError(
            f"{operation} takes purpose {' | '.join(sorted(allowed))}, got {purpose!r}"
        )
    return purpose


ExpiresAfterInput = FileExpiresAfter | Mapping[str, Any] | NotGiven


def _expiry(expires_after: ExpiresAfterInput) -> dict[str, Any] | NotGiven:
    """``expires_after`` checked, as the JSON object ``{anchor, seconds}`` (an upload's body
    carries it so; a file's multipart body as two bracketed fields, see ``_file_form``)."""
    if isinstance(expires_after, NotGiven):
        return expires_after
    value: Any = expires_after
    if isinstance(expires_after, FileExpiresAfter):
        value = attrs.asdict(expires_after)
    if not isinstance(value, Mapping) or set(value) != {"anchor", "seconds"}:
        raise TypeError("expires_after must be FileExpiresAfter(seconds=...) or {anchor, seconds}")
    seconds = value["seconds"]
    if isinstance(seconds, bool) or not isinstance(seconds, int):
        raise TypeError(f"expires_after seconds must be an int, got {seconds!r}")
    return {"anchor": str(value["anchor"]), "seconds": seconds}


def _file_form(source: FileSource, purpose: str, expires_after: ExpiresAfterInput) -> MultipartForm:
    """createFile's body: ``purpose``, the expiry as bracketed text fields, the file."""
    fields = {"purpose": purpose}
    expiry = _expiry(expires_after)
    if not isinstance(expiry, NotGiven):
        fields["expires_after[anchor]"] = expiry["anchor"]
        fields["expires_after[seconds]"] = str(expiry["seconds"])
    return MultipartForm(fields, "file", source)


class Files(Service):
    """The ``/files`` endpoints, and uploads and downloads that stream."""

    __slots__ = ()
    _versioned = False

    @property
    def with_response(self) -> FilesWithResponse:
        """The same methods, each returning an ``APIResponse`` (model, status, headers)."""
        return FilesWithResponse(self._t)

    @endpoint
    def create(
        self,
        *,
        file: FileInput,
        purpose: FilePurpose,
        filename: str | None = None,
        content_type: str | None = None,
        expires_after: FileExpiresAfter | Mapping[str, Any] | NotGiven = NOT_GIVEN,
        **options: Unpack[RequestOptions],
    ) -> Call[FileObject]:
        """Upload a file in one ``multipart/form-data`` request (``createFile``), streamed.

        ``file`` is a path, bytes, a binary file object or an async iterator of bytes; the
        filename and content type are sent (guessed from the name unless given). A path or a
        seekable file is read again for a retry; an async iterator is sent once, not retried.
        """
        check_purpose(purpose, FILE_PURPOSES, "files.create")
        source = file_source(file, filename=filename, content_type=content_type)
        form = _file_form(source, purpose, expires_after)
        return self._call("POST", "/files", FileObject, options, form=form)

    @endpoint
    def retrieve(self, file_id: str, **options: Unpack[RequestOptions]) -> Call[FileObject]:
        """Retrieve a file's metadata (``retrieveFile``)."""
        return self._call("GET", build_path(_ONE, file_id=file_id), FileObject, options)

    @endpoint
    def delete(self, file_id: str, **options: Unpack[RequestOptions]) -> Call[DeletionStatus]:
        """Delete a file, also from every vector store (``deleteFile``)."""
        return self._call("DELETE", build_path(_ONE, file_id=file_id), DeletionStatus, options)

    def list(
        self, *, purpose: str | NotGiven = NOT_GIVEN, **params: Unpack[ListParams]
    ) -> AsyncPager[FileObject]:
        """Every file, following ``after`` cursors (``listFiles``: no ``before``; ``limit``
        up to 10,000)."""
        query = {"purpose": purpose}
        return self._list(
            "/files", FileObject, params, query=query, max_limit=10_000, backward=False
        )

    def stream_content(
        self, file_id: str, *, chunk_size: int = 1 << 16, **options: Unpack[RequestOptions]
    ) -> ByteStream:
        """A file's bytes as they arrive (``downloadFile``): ``async for chunk in ...``."""
        if isinstance(chunk_size, bool) or not isinstance(chunk_size, int) or chunk_size < 1:
            raise ValueError(f"chunk_size must be an int >= 1, got {chunk_size!r}")
        call = self._call("GET", build_path(_ONE + "/content", file_id=file_id), bytes, options)
        return ByteStream(lambda: self._open(call, events=False), chunk_size=chunk_size)

    async def content(self, file_id: str, **options: Unpack[RequestOptions]) -> bytes:
        """A file's bytes (``downloadFile``); ``download`` writes a large file to disk instead."""
        return await read_all(self.stream_content(file_id, **options))

    async def download(
        self, file_id: str, path: str | os.PathLike[str], **options: Unpack[RequestOptions]
    ) -> Path:
        """Write a file's bytes to ``path`` (``downloadFile``) as they arrive; ``path`` is
        replaced only once the whole file is there. Returns the path."""
        await download_to(self.stream_content(file_id, **options), path)
        return Path(path)

    async def upload(
        self,
        file: FileInput,
        *,
        purpose: FilePurpose,
        filename: str | None = None,
        content_type: str | None = None,
        expires_after: FileExpiresAfter | Mapping[str, Any] | NotGiven = NOT_GIVEN,
        single_request_limit: int = SINGLE_REQUEST_LIMIT,
        part_size: int = DEFAULT_PART_SIZE,
        max_concurrency: int = 4,
        **options: Unpack[RequestOptions],
    ) -> FileObject:
        """Upload a file of any size: one request up to ``single_request_limit`` bytes (or
        when the size is not known up front), else the Uploads API in parts of ``part_size``,
        ``max_concurrency`` at a time. A server without the Uploads API (404) gets the file in
        one request instead."""
        source = file_source(file, filename=filename, content_type=content_type)
        _check_sizes(single_request_limit, part_size, max_concurrency)
        check_purpose(purpose, FILE_PURPOSES, "files.upload")
        if (
            source.size is None
            or source.size <= single_request_limit
            or not source.splittable
            or purpose not in UPLOAD_PURPOSES  # the Uploads API does not take it
        ):
            return await self._single(source, purpose, expires_after, options)
        uploads = Uploads(self._t)
        try:
            upload = await uploads._upload_source(
                source,
                purpose=purpose,
                expires_after=expires_after,
                part_size=part_size,
                max_concurrency=max_concurrency,
                options=options,
            )
        except _NoUploadsAPI:  # the server has no Uploads API: the file goes in one request
            return await self._single(source, purpose, expires_after, options)
        if upload.file is None:
            raise ResponseValidationError(
                f"upload {upload.id} ended {upload.status!r} without the file it made",
                errors=["missing @ $.file"],
                body=None,
                request_id=None,
            )
        return upload.file

    async def _single(
        self,
        source: FileSource,
        purpose: str,
        expires_after: FileExpiresAfter | Mapping[str, Any] | NotGiven,
        options: RequestOptions,
    ) -> FileObject:
        form = _file_form(source, purpose, expires_after)
        call = self._call("POST", "/files", FileObject, options, form=form)
        return (await self._send(call)).data


class FilesWithResponse(ResponseView, Files):
    """``client.files.with_response``: each endpoint returns an ``APIResponse``."""

    __slots__ = ()


def _check_sizes(single_request_limit: int, part_size: int, max_concurrency: int) -> None:
    for name, value in (
        ("single_request_limit", single_request_limit),
        ("part_size", part_size),
        ("max_concurrency", max_concurrency),
    ):
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise ValueError(f"{name} must be an int >= 1, got {value!r}")
    if part_size > MAX_PART_SIZE:
        raise ValueError(
            f"part_size must be at most {MAX_PART_SIZE} bytes (64 MB), got {part_size}"
        )


class Uploads(Service):
    """The ``/uploads`` endpoints: a large file sent in parts, then assembled."""

    __slots__ = ()
    _versioned = False

    @property
    def with_response(self) -> UploadsWithResponse:
        """The same methods, each returning an ``APIResponse`` (model, status, headers)."""
        return UploadsWithResponse(self._t)

    @endpoint
    def create(
        self,
        *,
        filename: str,
        purpose: str,
        bytes: int,
        mime_type: str,
        expires_after: FileExpiresAfter | Mapping[str, Any] | NotGiven = NOT_GIVEN,
        **options: Unpack[RequestOptions],
    ) -> Call[Upload]:
        """Start an upload of ``bytes`` bytes (``createUpload``); it expires after an hour."""
        check_purpose(purpose, UPLOAD_PURPOSES, "uploads.create")
        if (
            isinstance(bytes, bool)
            or not isinstance(bytes, int)
            or not 0 <= bytes <= MAX_UPLOAD_SIZE
        ):
            raise ValueError(
                f"bytes must be an int from 0 to {MAX_UPLOAD_SIZE} (8 GB), got {bytes!r}"
            )
        body = {
            "filename": filename,
            "purpose": purpose,
            "bytes": bytes,
            "mime_type": mime_type,
            "expires_after": _expiry(expires_after),
        }
        return self._call("POST", "/uploads", Upload, options, body=body)

    @endpoint
    def add_part(
        self, upload_id: str, *, data: FileInput, **options: Unpack[RequestOptions]
    ) -> Call[UploadPart]:
        """Add one part, at most 64 MB (``addUploadPart``); parts may be sent concurrently."""
        source = file_source(data, filename="part")
        if source.size is not None and source.size > MAX_PART_SIZE:
            raise ValueError(f"a part is at most {MAX_PART_SIZE} bytes (64 MB), got {source.size}")
        path = build_path(_UPLOAD + "/parts", upload_id=upload_id)
        form = MultipartForm({}, "data", source)
        return self._call("POST", path, UploadPart, options, form=form)

    @endpoint
    def complete(
        self,
        upload_id: str,
        *,
        part_ids: Sequence[str],
        md5: str | NotGiven = NOT_GIVEN,
        **options: Unpack[RequestOptions],
    ) -> Call[Upload]:
        """Assemble the parts in the order of ``part_ids`` into a file (``completeUpload``);
        ``md5`` (hex) lets the server check the bytes."""
        if isinstance(part_ids, str) or not part_ids:
            raise ValueError("part_ids must be a non-empty list of part ids, in byte order")
        path = build_path(_UPLOAD + "/complete", upload_id=upload_id)
        body = {"part_ids": list(part_ids), "md5": md5}
        return self._call("POST", path, Upload, options, body=body)

    @endpoint
    def cancel(self, upload_id: str, **options: Unpack[RequestOptions]) -> Call[Upload]:
        """Cancel an upload; no part can be added after (``cancelUpload``)."""
        return self._call(
            "POST", build_path(_UPLOAD + "/cancel", upload_id=upload_id), Upload, options
        )

    async def upload_file(
        self,
        file: FileInput,
        *,
        purpose: str,
        filename: str | None = None,
        content_type: str | None = None,
        expires_after: FileExpiresAfter | Mapping[str, Any] | NotGiven = NOT_GIVEN,
        part_size: int = DEFAULT_PART_SIZE,
        max_concurrency: int = 4,
        **options: Unpack[RequestOptions],
    ) -> Upload:
        """The whole flow: create, send the parts (read from disk as they go, at most
        ``max_concurrency`` at once), complete with the MD5. A part that fails cancels the
        upload. ``file`` is a path or bytes (the Uploads API needs the size up front)."""
        source = file_source(file, filename=filename, content_type=content_type)
        if not source.splittable:
            raise TypeError("uploads.upload_file takes a path or bytes (its size comes first)")
        _check_sizes(1, part_size, max_concurrency)
        check_purpose(purpose, UPLOAD_PURPOSES, "uploads.upload_file")
        return await self._upload_source(
            source,
            purpose=purpose,
            expires_after=expires_after,
            part_size=part_size,
            max_concurrency=max_concurrency,
            options=options,
        )

    async def _upload_source(
        self,
        source: FileSource,
        *,
        purpose: str,
        expires_after: FileExpiresAfter | Mapping[str, Any] | NotGiven,
        part_size: int,
        max_concurrency: int,
        options: RequestOptions,
    ) -> Upload:
        check_options(options, "upload")
        assert source.size is not None

        async def create() -> Upload:
            call = Uploads.create.build(
                self,
                filename=source.filename,
                purpose=purpose,
                bytes=source.size or 0,
                mime_type=source.content_type,
                expires_after=expires_after,
                **options,
            )
            try:
                return (await self._send(call)).data
            except NotFoundError as exc:
                raise _NoUploadsAPI from exc

        async def add_part(upload_id: str, offset: int, length: int) -> UploadPart:
            path = build_path(_UPLOAD + "/parts", upload_id=upload_id)
            form = MultipartForm({}, "data", source, span=(offset, length))
            call = self._call("POST", path, UploadPart, options, form=form)
            return (await self._send(call)).data

        async def complete(upload_id: str, part_ids: Sequence[str], md5: str) -> Upload:
            call = Uploads.complete.build(self, upload_id, part_ids=part_ids, md5=md5, **options)
            return (await self._send(call)).data

        async def cancel(upload_id: str) -> Upload:
            return (await self._send(Uploads.cancel.build(self, upload_id))).data

        return await send_in_parts(
            source,
            create=create,
            add_part=add_part,
            complete=complete,
            cancel=cancel,
            part_size=part_size,
            max_concurrency=max_concurrency,
        )


class UploadsWithResponse(ResponseView, Uploads):
    """``client.uploads.with_response``: each endpoint returns an ``APIResponse``."""

    __slots__ = ()


class _NoUploadsAPI(Exception):
    """``createUpload`` answered 404: this server has no Uploads API."""
