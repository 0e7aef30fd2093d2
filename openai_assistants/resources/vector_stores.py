"""``client.vector_stores``, ``client.vector_store_files`` and ``client.vector_store_file_batches``.

Vector stores hold files for ``file_search``; a file attached to one is processed (parsed,
chunked, embedded) before it can be searched. The ``*_and_poll`` helpers wait for that with the
same deadline rules as runs: ``max_wait`` (default: the client's) bounds the wait, the server's
``openai-poll-after-ms`` paces it, a request's own failure is raised as it is. A file that fails
to process is never hidden: it comes back with ``status="failed"`` and its ``last_error``, and a
batch's result lists every failed file (``FileBatchResult.failed``).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import Any, Final, Literal, TypeAlias, TypeVar

import attrs
from typing_extensions import Unpack

from .._deadline import Deadline
from .._errors import FileProcessingError, WaitTimeoutError
from .._http.multipart import FileInput, file_source
from .._http.sansio import build_path, check_id
from .._http.transport import APIResponse
from .._runs.polling import watch_status
from .._types import NOT_GIVEN, ListParams, NotGiven, RequestOptions
from ..models import (
    ChunkingStrategy,
    DeletionStatus,
    VectorStore,
    VectorStoreExpiresAfter,
    VectorStoreFile,
    VectorStoreFileBatch,
    VectorStoreFileContent,
    VectorStoreSearchResults,
)
from ._base import Call, ResponseView, Service, endpoint
from ._inputs import JSONDict, Metadata, SearchFilter, SearchRankingOptions
from ._pagination import AsyncPager
from .files import Files

__all__ = [
    "FileBatchResult",
    "VectorStoreFileBatches",
    "VectorStoreFileBatchesWithResponse",
    "VectorStoreFiles",
    "VectorStoreFilesWithResponse",
    "VectorStores",
    "VectorStoresWithResponse",
]

T = TypeVar("T", VectorStoreFile, VectorStoreFileBatch)

_STORE = "/vector_stores/{vector_store_id}"
_FILES = _STORE + "/files"
_FILE = _FILES + "/{file_id}"
_BATCHES = _STORE + "/file_batches"
_BATCH = _BATCHES + "/{batch_id}"

#: Statuses a vector store file or a file batch stops in: waiting ends at any of them.
PROCESSED: Final = frozenset({"completed", "failed", "cancelled"})
FileStatus: TypeAlias = Literal["in_progress", "completed", "failed", "cancelled"]
_FILE_STATUSES: Final = frozenset({"in_progress", "completed", "failed", "cancelled"})

ChunkingInput: TypeAlias = "ChunkingStrategy | JSONDict"
AttributesInput: TypeAlias = Mapping[str, "str | float | bool"]
ExpiresAfterInput: TypeAlias = "VectorStoreExpiresAfter | JSONDict"


def _check_filter(value: object) -> object:
    if not isinstance(value, NotGiven) and value not in _FILE_STATUSES:
        raise ValueError(
            f"filter must be one of {' | '.join(sorted(_FILE_STATUSES))}, got {value!r}"
        )
    return value


def _expired(what: str) -> Callable[[Deadline, Any], WaitTimeoutError]:
    def expired(deadline: Deadline, last: Any) -> WaitTimeoutError:
        status = last.status if last is not None else "unknown"
        return WaitTimeoutError(
            f"the {what} did not finish processing within max_wait={deadline.max_wait}s "
            f"(last status {status!r})",
            last=last,
        )

    return expired


async def _settle(
    service: Service,
    fetch: Callable[[str], Call[T]],
    *,
    what: str,
    interval: float | None,
    max_wait: float | NotGiven | None,
    object_id: str | None = None,
    first: Awaitable[APIResponse[T]] | None = None,
) -> T:
    """Poll the object ``object_id`` (``fetch`` makes the call that reads it) until it is
    processed; with ``first``, send that request first and poll the object it answers with."""
    deadline = Deadline(service._max_wait(max_wait))
    expired = _expired(what)
    response = None
    if first is not None:
        response = await deadline.run(first, lambda: expired(deadline, None))
        object_id = response.data.id
    assert object_id is not None
    last: T | None = None
    async for last in watch_status(  # noqa: B007 - the loop is only there to reach the last one
        lambda: service._send(fetch(object_id)),
        terminal=PROCESSED,
        interval=interval,
        deadline=deadline,
        expired=expired,
        first=response,
    ):
        pass
    assert last is not None
    return last


# --- vector stores ---------------------------------------------------------------------------


class VectorStores(Service):
    """The ``/vector_stores`` endpoints."""

    __slots__ = ()
    _versioned = False

    @property
    def with_response(self) -> VectorStoresWithResponse:
        """The same methods, each returning an ``APIResponse`` (model, status, headers)."""
        return VectorStoresWithResponse(self._t)

    @endpoint
    def create(
        self,
        *,
        name: str | NotGiven = NOT_GIVEN,
        file_ids: Sequence[str] | NotGiven = NOT_GIVEN,
        description: str | NotGiven = NOT_GIVEN,
        expires_after: ExpiresAfterInput | NotGiven = NOT_GIVEN,
        chunking_strategy: ChunkingInput | NotGiven = NOT_GIVEN,
        metadata: Metadata | NotGiven | None = NOT_GIVEN,
        **options: Unpack[RequestOptions],
    ) -> Call[VectorStore]:
        """Create a vector store, optionally with files (``createVectorStore``)."""
        if not isinstance(file_ids, NotGiven) and len(file_ids) > 500:
            raise ValueError(
                f"a vector store is created with at most 500 file_ids, got {len(file_ids)}"
            )
        body = {
            "name": name,
            "file_ids": _ids("file_ids", file_ids),
            "description": description,
            "expires_after": expires_after,
            "chunking_strategy": chunking_strategy,
            "metadata": metadata,
        }
        return self._call("POST", "/vector_stores", VectorStore, options, body=body)

    @endpoint
    def retrieve(
        self, vector_store_id: str, **options: Unpack[RequestOptions]
    ) -> Call[VectorStore]:
        """Retrieve a vector store (``getVectorStore``)."""
        path = build_path(_STORE, vector_store_id=vector_store_id)
        return self._call("GET", path, VectorStore, options)

    @endpoint
    def update(
        self,
        vector_store_id: str,
        *,
        name: str | NotGiven | None = NOT_GIVEN,
        expires_after: ExpiresAfterInput | NotGiven | None = NOT_GIVEN,
        metadata: Metadata | NotGiven | None = NOT_GIVEN,
        **options: Unpack[RequestOptions],
    ) -> Call[VectorStore]:
        """Change a vector store's name, expiry or metadata (``modifyVectorStore``)."""
        path = build_path(_STORE, vector_store_id=vector_store_id)
        body = {"name": name, "expires_after": expires_after, "metadata": metadata}
        return self._call("POST", path, VectorStore, options, body=body)

    @endpoint
    def delete(
        self, vector_store_id: str, **options: Unpack[RequestOptions]
    ) -> Call[DeletionStatus]:
        """Delete a vector store; its files stay (``deleteVectorStore``)."""
        path = build_path(_STORE, vector_store_id=vector_store_id)
        return self._call("DELETE", path, DeletionStatus, options)

    def list(self, **params: Unpack[ListParams]) -> AsyncPager[VectorStore]:
        """Every vector store, following cursors (``listVectorStores``)."""
        return self._list("/vector_stores", VectorStore, params)

    @endpoint
    def search(
        self,
        vector_store_id: str,
        *,
        query: str | Sequence[str],
        filters: SearchFilter | NotGiven = NOT_GIVEN,
        max_num_results: int | NotGiven = NOT_GIVEN,
        ranking_options: SearchRankingOptions | NotGiven = NOT_GIVEN,
        rewrite_query: bool | NotGiven = NOT_GIVEN,
        **options: Unpack[RequestOptions],
    ) -> Call[VectorStoreSearchResults]:
        """Search a vector store's chunks (``searchVectorStore``); ``filters`` match the files'
        ``attributes``."""
        if isinstance(query, str):
            if not query.strip():
                raise ValueError("query must not be empty")
        elif not query or not all(isinstance(q, str) for q in query):
            raise ValueError("query must be a string or a non-empty list of strings")
        for name, value in (("filters", filters), ("ranking_options", ranking_options)):
            if not isinstance(value, (NotGiven, Mapping)):
                raise TypeError(f"{name} must be a dict, got {type(value).__name__}")
        if not isinstance(max_num_results, NotGiven) and not (
            isinstance(max_num_results, int) and 1 <= max_num_results <= 50
        ):
            raise ValueError(
                f"max_num_results must be an int from 1 to 50, got {max_num_results!r}"
            )
        path = build_path(_STORE + "/search", vector_store_id=vector_store_id)
        body = {
            "query": query if isinstance(query, str) else list(query),
            "filters": filters,
            "max_num_results": max_num_results,
            "ranking_options": ranking_options,
            "rewrite_query": rewrite_query,
        }
        return self._call("POST", path, VectorStoreSearchResults, options, body=body)


class VectorStoresWithResponse(ResponseView, VectorStores):
    """``client.vector_stores.with_response``: each endpoint returns an ``APIResponse``."""

    __slots__ = ()


def _ids(name: str, ids: Sequence[str] | NotGiven) -> list[str] | NotGiven:
    if isinstance(ids, NotGiven):
        return ids
    if isinstance(ids, str):
        raise TypeError(f"{name} must be a list of file ids, not one string")
    return [check_id("file_id", i) for i in ids]


# --- files in a vector store -----------------------------------------------------------------


class VectorStoreFiles(Service):
    """The ``/vector_stores/{vector_store_id}/files`` endpoints, and waiting for processing."""

    __slots__ = ()
    _versioned = False

    @property
    def with_response(self) -> VectorStoreFilesWithResponse:
        """The same methods, each returning an ``APIResponse`` (model, status, headers)."""
        return VectorStoreFilesWithResponse(self._t)

    @endpoint
    def create(
        self,
        vector_store_id: str,
        *,
        file_id: str,
        chunking_strategy: ChunkingInput | NotGiven = NOT_GIVEN,
        attributes: AttributesInput | NotGiven | None = NOT_GIVEN,
        **options: Unpack[RequestOptions],
    ) -> Call[VectorStoreFile]:
        """Attach a file to a vector store; it is processed next (``createVectorStoreFile``)."""
        path = build_path(_FILES, vector_store_id=vector_store_id)
        body = {
            "file_id": check_id("file_id", file_id),
            "chunking_strategy": chunking_strategy,
            "attributes": attributes,
        }
        return self._call("POST", path, VectorStoreFile, options, body=body)

    @endpoint
    def retrieve(
        self, vector_store_id: str, file_id: str, **options: Unpack[RequestOptions]
    ) -> Call[VectorStoreFile]:
        """Retrieve a vector store file (``getVectorStoreFile``)."""
        path = build_path(_FILE, vector_store_id=vector_store_id, file_id=file_id)
        return self._call("GET", path, VectorStoreFile, options)

    @endpoint
    def update(
        self,
        vector_store_id: str,
        file_id: str,
        *,
        attributes: AttributesInput | None,
        **options: Unpack[RequestOptions],
    ) -> Call[VectorStoreFile]:
        """Replace a vector store file's attributes (``updateVectorStoreFileAttributes``)."""
        path = build_path(_FILE, vector_store_id=vector_store_id, file_id=file_id)
        return self._call("POST", path, VectorStoreFile, options, body={"attributes": attributes})

    @endpoint
    def delete(
        self, vector_store_id: str, file_id: str, **options: Unpack[RequestOptions]
    ) -> Call[DeletionStatus]:
        """Detach a file from a vector store; the file itself stays (``deleteVectorStoreFile``)."""
        path = build_path(_FILE, vector_store_id=vector_store_id, file_id=file_id)
        return self._call("DELETE", path, DeletionStatus, options)

    @endpoint
    def content(
        self, vector_store_id: str, file_id: str, **options: Unpack[RequestOptions]
    ) -> Call[VectorStoreFileContent]:
        """The file's parsed text (``retrieveVectorStoreFileContent``); its bytes come from
        ``files.content``."""
        path = build_path(_FILE + "/content", vector_store_id=vector_store_id, file_id=file_id)
        return self._call("GET", path, VectorStoreFileContent, options)

    def list(
        self,
        vector_store_id: str,
        *,
        filter: FileStatus | NotGiven = NOT_GIVEN,
        **params: Unpack[ListParams],
    ) -> AsyncPager[VectorStoreFile]:
        """Every file of a vector store (``filter``: those in one status), following cursors
        (``listVectorStoreFiles``)."""
        path = build_path(_FILES, vector_store_id=vector_store_id)
        return self._list(path, VectorStoreFile, params, query={"filter": _check_filter(filter)})

    async def poll(
        self,
        vector_store_id: str,
        file_id: str,
        *,
        interval: float | None = None,
        max_wait: float | NotGiven | None = NOT_GIVEN,
    ) -> VectorStoreFile:
        """Wait until the file is processed: ``completed``, ``failed`` (see ``last_error``) or
        ``cancelled``; ``WaitTimeoutError`` past ``max_wait``."""
        return await _settle(
            self,
            lambda file_id: VectorStoreFiles.retrieve.build(self, vector_store_id, file_id),
            what="vector store file",
            interval=interval,
            max_wait=max_wait,
            object_id=file_id,
        )

    async def create_and_poll(
        self,
        vector_store_id: str,
        *,
        file_id: str,
        chunking_strategy: ChunkingInput | NotGiven = NOT_GIVEN,
        attributes: AttributesInput | NotGiven | None = NOT_GIVEN,
        interval: float | None = None,
        max_wait: float | NotGiven | None = NOT_GIVEN,
        **options: Unpack[RequestOptions],
    ) -> VectorStoreFile:
        """``create``, then wait until the file is processed (see ``poll``)."""
        call = VectorStoreFiles.create.build(
            self,
            vector_store_id,
            file_id=file_id,
            chunking_strategy=chunking_strategy,
            attributes=attributes,
            **options,
        )
        return await _settle(
            self,
            lambda file_id: VectorStoreFiles.retrieve.build(self, vector_store_id, file_id),
            what="vector store file",
            interval=interval,
            max_wait=max_wait,
            first=self._send(call),
        )

    async def upload_and_poll(
        self,
        vector_store_id: str,
        *,
        file: FileInput,
        filename: str | None = None,
        content_type: str | None = None,
        chunking_strategy: ChunkingInput | NotGiven = NOT_GIVEN,
        attributes: AttributesInput | NotGiven | None = NOT_GIVEN,
        interval: float | None = None,
        max_wait: float | NotGiven | None = NOT_GIVEN,
        **options: Unpack[RequestOptions],
    ) -> VectorStoreFile:
        """Upload ``file`` (``files.upload``, purpose ``assistants``), attach it and wait until
        it is processed. ``max_wait`` bounds the wait for processing; the upload is bounded by
        its requests' timeouts."""
        check_id("vector_store_id", vector_store_id)
        uploaded = await Files(self._t).upload(
            file, purpose="assistants", filename=filename, content_type=content_type, **options
        )
        return await self.create_and_poll(
            vector_store_id,
            file_id=uploaded.id,
            chunking_strategy=chunking_strategy,
            attributes=attributes,
            interval=interval,
            max_wait=max_wait,
            **options,
        )


class VectorStoreFilesWithResponse(ResponseView, VectorStoreFiles):
    """``client.vector_store_files.with_response``: each endpoint returns an ``APIResponse``."""

    __slots__ = ()


# --- file batches ------------------------------------------------------------------------------


@attrs.frozen
class FileBatchResult:
    """A file batch once processed, with every file that failed (each with its ``last_error``).

    ``file_ids`` are the batch's files in the order given (uploaded ones first, in the order of
    ``files``). ``raise_for_failures()`` raises ``FileProcessingError`` if any failed.
    """

    batch: VectorStoreFileBatch
    file_ids: list[str]
    failed: list[VectorStoreFile]

    @property
    def ok(self) -> bool:
        """Whether every file was processed (none failed or was cancelled)."""
        counts = self.batch.file_counts
        return self.batch.status == "completed" and not self.failed and not counts.cancelled

    def raise_for_failures(self) -> None:
        if self.failed:
            reasons = "; ".join(
                f"{f.id}: {f.last_error.code}: {f.last_error.message}"
                if f.last_error
                else f"{f.id}: failed"
                for f in self.failed[:10]
            )
            raise FileProcessingError(
                f"{len(self.failed)} of {len(self.file_ids)} files failed to process ({reasons})",
                failed=self.failed,
            )


class VectorStoreFileBatches(Service):
    """The ``/vector_stores/{vector_store_id}/file_batches`` endpoints, uploads and waiting."""

    __slots__ = ()
    _versioned = False

    @property
    def with_response(self) -> VectorStoreFileBatchesWithResponse:
        """The same methods, each returning an ``APIResponse`` (model, status, headers)."""
        return VectorStoreFileBatchesWithResponse(self._t)

    @endpoint
    def create(
        self,
        vector_store_id: str,
        *,
        file_ids: Sequence[str] | NotGiven = NOT_GIVEN,
        files: Sequence[JSONDict] | NotGiven = NOT_GIVEN,
        chunking_strategy: ChunkingInput | NotGiven = NOT_GIVEN,
        attributes: AttributesInput | NotGiven | None = NOT_GIVEN,
        **options: Unpack[RequestOptions],
    ) -> Call[VectorStoreFileBatch]:
        """Attach 1 to 2,000 files at once (``createVectorStoreFileBatch``): ``file_ids``, or
        ``files`` (``{"file_id", "chunking_strategy", "attributes"}`` each)."""
        count = sum(len(x) for x in (file_ids, files) if not isinstance(x, NotGiven))
        if not 1 <= count <= 2000:
            raise ValueError(f"a file batch takes 1 to 2000 files, got {count}")
        if not isinstance(files, NotGiven):
            for item in files:
                if not isinstance(item, Mapping) or "file_id" not in item:
                    raise TypeError(f"each of files must be a dict with a file_id, got {item!r}")
                check_id("file_id", item["file_id"])
        path = build_path(_BATCHES, vector_store_id=vector_store_id)
        body = {
            "file_ids": _ids("file_ids", file_ids),
            "files": files if isinstance(files, NotGiven) else [dict(f) for f in files],
            "chunking_strategy": chunking_strategy,
            "attributes": attributes,
        }
        return self._call("POST", path, VectorStoreFileBatch, options, body=body)

    @endpoint
    def retrieve(
        self, vector_store_id: str, batch_id: str, **options: Unpack[RequestOptions]
    ) -> Call[VectorStoreFileBatch]:
        """Retrieve a file batch (``getVectorStoreFileBatch``)."""
        path = build_path(_BATCH, vector_store_id=vector_store_id, batch_id=batch_id)
        return self._call("GET", path, VectorStoreFileBatch, options)

    @endpoint
    def cancel(
        self, vector_store_id: str, batch_id: str, **options: Unpack[RequestOptions]
    ) -> Call[VectorStoreFileBatch]:
        """Stop processing a batch's remaining files (``cancelVectorStoreFileBatch``)."""
        path = build_path(_BATCH + "/cancel", vector_store_id=vector_store_id, batch_id=batch_id)
        return self._call("POST", path, VectorStoreFileBatch, options)

    def list_files(
        self,
        vector_store_id: str,
        batch_id: str,
        *,
        filter: FileStatus | NotGiven = NOT_GIVEN,
        **params: Unpack[ListParams],
    ) -> AsyncPager[VectorStoreFile]:
        """Every file of a batch (``filter``: those in one status), following cursors
        (``listFilesInVectorStoreBatch``)."""
        path = build_path(_BATCH + "/files", vector_store_id=vector_store_id, batch_id=batch_id)
        return self._list(path, VectorStoreFile, params, query={"filter": _check_filter(filter)})

    async def poll(
        self,
        vector_store_id: str,
        batch_id: str,
        *,
        interval: float | None = None,
        max_wait: float | NotGiven | None = NOT_GIVEN,
    ) -> VectorStoreFileBatch:
        """Wait until the batch is processed; ``WaitTimeoutError`` past ``max_wait``."""
        return await _settle(
            self,
            lambda batch_id: VectorStoreFileBatches.retrieve.build(self, vector_store_id, batch_id),
            what="file batch",
            interval=interval,
            max_wait=max_wait,
            object_id=batch_id,
        )

    async def create_and_poll(
        self,
        vector_store_id: str,
        *,
        file_ids: Sequence[str] | NotGiven = NOT_GIVEN,
        files: Sequence[JSONDict] | NotGiven = NOT_GIVEN,
        chunking_strategy: ChunkingInput | NotGiven = NOT_GIVEN,
        attributes: AttributesInput | NotGiven | None = NOT_GIVEN,
        interval: float | None = None,
        max_wait: float | NotGiven | None = NOT_GIVEN,
        **options: Unpack[RequestOptions],
    ) -> FileBatchResult:
        """``create``, wait until the batch is processed, and list the files that failed."""
        call = VectorStoreFileBatches.create.build(
            self,
            vector_store_id,
            file_ids=file_ids,
            files=files,
            chunking_strategy=chunking_strategy,
            attributes=attributes,
            **options,
        )
        assert call.body is not None
        given = [
            *call.body.get("file_ids", ()),
            *(f["file_id"] for f in call.body.get("files", ())),
        ]
        batch = await _settle(
            self,
            lambda batch_id: VectorStoreFileBatches.retrieve.build(self, vector_store_id, batch_id),
            what="file batch",
            interval=interval,
            max_wait=max_wait,
            first=self._send(call),
        )
        failed: list[VectorStoreFile] = []
        if batch.file_counts.failed:
            failed = await self.list_files(vector_store_id, batch.id, filter="failed").to_list()
        return FileBatchResult(batch, given, failed)

    async def upload_and_poll(
        self,
        vector_store_id: str,
        *,
        files: Sequence[FileInput],
        file_ids: Sequence[str] = (),
        max_concurrency: int = 5,
        chunking_strategy: ChunkingInput | NotGiven = NOT_GIVEN,
        attributes: AttributesInput | NotGiven | None = NOT_GIVEN,
        interval: float | None = None,
        max_wait: float | NotGiven | None = NOT_GIVEN,
        **options: Unpack[RequestOptions],
    ) -> FileBatchResult:
        """Upload ``files`` (``max_concurrency`` at a time, purpose ``assistants``), attach them
        and ``file_ids`` as one batch, wait until it is processed, and list the files that
        failed. If an upload fails, the others are stopped and the error is raised (files
        already uploaded stay; nothing is attached). ``max_wait`` bounds the wait for
        processing."""
        check_id("vector_store_id", vector_store_id)
        if isinstance(files, (str, bytes)) or not isinstance(files, Sequence):
            raise TypeError("files must be a list of files (paths, bytes or file objects)")
        if not files and not file_ids:
            raise ValueError("upload_and_poll needs at least one file")
        if (
            isinstance(max_concurrency, bool)
            or not isinstance(max_concurrency, int)
            or max_concurrency < 1
        ):
            raise ValueError(f"max_concurrency must be an int >= 1, got {max_concurrency!r}")
        for item in files:  # every file checked before the first is sent
            file_source(item)
        uploader = Files(self._t)
        gate = asyncio.Semaphore(max_concurrency)

        async def upload(item: FileInput) -> str:
            async with gate:
                return (await uploader.upload(item, purpose="assistants", **options)).id

        tasks = [asyncio.ensure_future(upload(item)) for item in files]
        try:
            uploaded = await asyncio.gather(*tasks)
        except BaseException:
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
            raise
        return await self.create_and_poll(
            vector_store_id,
            file_ids=[*uploaded, *file_ids],
            chunking_strategy=chunking_strategy,
            attributes=attributes,
            interval=interval,
            max_wait=max_wait,
            **options,
        )


class VectorStoreFileBatchesWithResponse(ResponseView, VectorStoreFileBatches):
    """``client.vector_store_file_batches.with_response``: each endpoint returns an
    ``APIResponse``."""

    __slots__ = ()
