"""Vector stores, the files attached to them, file batches, file content pages and search."""

from __future__ import annotations

from typing import Any, Literal

import attrs

from .shared import ChunkingStrategy, Deviation

__all__ = [
    "FileCounts",
    "TextChunk",
    "VectorStore",
    "VectorStoreExpiresAfter",
    "VectorStoreFile",
    "VectorStoreFileBatch",
    "VectorStoreFileContent",
    "VectorStoreFileError",
    "VectorStoreSearchResult",
    "VectorStoreSearchResults",
]


@attrs.frozen
class VectorStoreExpiresAfter:
    """When a vector store expires: ``days`` (1..365) after it was last active."""

    days: int
    anchor: Literal["last_active_at"] = "last_active_at"


@attrs.frozen
class FileCounts:
    """How many of a store's (or a batch's) files are in each processing status."""

    in_progress: int = 0
    completed: int = 0
    failed: int = 0
    cancelled: int = 0
    total: int = 0


@attrs.frozen
class VectorStore:
    """A vector store: ``completed`` once none of its files is still being processed."""

    id: str
    object: str = "vector_store"
    created_at: int | None = None
    name: str | None = None
    #: Not in the spec's schema, but in its examples (and so in the API's answers).
    description: str | None = None
    usage_bytes: int = 0
    file_counts: FileCounts = attrs.Factory(FileCounts)
    status: str | None = None
    expires_after: VectorStoreExpiresAfter | None = None
    expires_at: int | None = None
    last_active_at: int | None = None
    #: As sent: the spec says strings, servers send any JSON (requests still take strings).
    metadata: dict[str, Any] | None = None
    #: How this object left the spec, as read (see ``Deviation``); never sent, never compared.
    deviations: tuple[Deviation, ...] = attrs.field(default=(), init=False, eq=False, repr=False)


@attrs.frozen
class VectorStoreFileError:
    """Why a file could not be processed: ``code`` is ``server_error``, ``unsupported_file`` or
    ``invalid_file``."""

    code: str
    message: str = ""


@attrs.frozen
class VectorStoreFile:
    """A file attached to a vector store; its ``id`` is the file's id.

    ``status`` is ``in_progress``, ``completed`` (ready for search), ``cancelled`` or ``failed``
    (then ``last_error`` says why).
    """

    id: str
    object: str = "vector_store.file"
    created_at: int | None = None
    vector_store_id: str | None = None
    status: str | None = None
    usage_bytes: int = 0
    last_error: VectorStoreFileError | None = None
    chunking_strategy: ChunkingStrategy | None = None
    #: Up to 16 keys; values are strings, numbers or booleans (as sent).
    attributes: dict[str, Any] | None = None
    #: How this object left the spec, as read (see ``Deviation``); never sent, never compared.
    deviations: tuple[Deviation, ...] = attrs.field(default=(), init=False, eq=False, repr=False)


@attrs.frozen
class VectorStoreFileBatch:
    """Files attached to a vector store in one request, processed together."""

    id: str
    object: str = "vector_store.files_batch"
    created_at: int | None = None
    vector_store_id: str | None = None
    status: str | None = None
    file_counts: FileCounts = attrs.Factory(FileCounts)
    #: How this object left the spec, as read (see ``Deviation``); never sent, never compared.
    deviations: tuple[Deviation, ...] = attrs.field(default=(), init=False, eq=False, repr=False)


@attrs.frozen
class TextChunk:
    """A piece of text: a page of a file's parsed content, or part of a search result."""

    text: str
    type: str = "text"


@attrs.frozen
class VectorStoreFileContent:
    """A page of a vector store file's parsed text (not the file's bytes: ``files.content``)."""

    data: list[TextChunk] = attrs.Factory(list)
    object: str = "vector_store.file_content.page"
    has_more: bool = False
    next_page: str | None = None


@attrs.frozen
class VectorStoreSearchResult:
    """One file's matching chunks; ``score`` is 0..1."""

    file_id: str
    filename: str | None = None
    score: float = 0.0
    attributes: dict[str, Any] | None = None
    content: list[TextChunk] = attrs.Factory(list)


@attrs.frozen
class VectorStoreSearchResults:
    """The results of a vector store search, best first."""

    data: list[VectorStoreSearchResult] = attrs.Factory(list)
    object: str = "vector_store.search_results.page"
    #: The queries the server ran (rewritten, with ``rewrite_query=True``).
    search_query: list[str] = attrs.Factory(list)
    has_more: bool = False
    next_page: str | None = None
