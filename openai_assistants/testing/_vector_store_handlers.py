"""Handlers for vector stores, their files, file batches and search.

Served with or without ``OpenAI-Beta`` (any version). Reads let the clock move processing
(``ServerState.observe``): a GET of a store, a file or a batch is a poll for ``per_poll``.
Stores, files and batches carry the server's ``openai-poll-after-ms`` hint, as runs do (the
official client's pollers read it).
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

from aiohttp import web

from ._context import Ctx, json_response
from ._errors import ApiError
from ._render import render
from ._search import query_words, rank
from ._validation import parse_status_filter
from ._vector_stores import (
    attach,
    cancel_batch,
    detach,
    file_text,
    new_file_batch,
    new_vector_store,
    recount,
    store_candidates,
    touch,
)

__all__ = [
    "cancel_file_batch",
    "create_file_batch",
    "create_vector_store",
    "create_vector_store_file",
    "delete_vector_store",
    "delete_vector_store_file",
    "get_file_batch",
    "get_vector_store",
    "get_vector_store_file",
    "get_vector_store_file_content",
    "list_file_batch_files",
    "list_vector_store_files",
    "list_vector_stores",
    "modify_vector_store",
    "search_vector_store",
    "update_vector_store_file_attributes",
]

JSONDict = dict[str, Any]

_STORE = "vector_store"
_FILE = "vector_store.file"
_BATCH = "vector_store.files_batch"


def _deleted(object_id: str, kind: str) -> web.Response:
    return json_response({"id": object_id, "object": f"{kind}.deleted", "deleted": True})


def _ok(ctx: Ctx, kind: str, obj: JSONDict) -> web.Response:
    """An object that is polled while it processes, with the poll hint."""
    poll_after = ctx.state.poll_after_ms
    headers = None if poll_after is None else {"openai-poll-after-ms": str(poll_after)}
    return json_response(render(kind, obj, ctx.version), headers=headers)


def _status_filter(ctx: Ctx) -> Callable[[JSONDict], bool] | None:
    status = parse_status_filter(ctx.request.query)
    if status is None:
        return None
    return lambda obj: bool(obj["status"] == status)


# Vector stores ------------------------------------------------------------------------------


def _store_response(ctx: Ctx, vector_store: JSONDict) -> web.Response:
    recount(ctx.state.store, vector_store["id"])
    return _ok(ctx, _STORE, vector_store)


async def create_vector_store(ctx: Ctx) -> web.StreamResponse:
    """createVectorStore (``file_ids`` are attached with ``chunking_strategy``)."""
    body = ctx.body
    vector_store, attached = new_vector_store(
        ctx.state,
        file_ids=body.get("file_ids", []),
        chunking_strategy=body.get("chunking_strategy"),
        name=body.get("name"),
        description=body.get("description"),
        metadata=body.get("metadata"),
        expires_after=body.get("expires_after"),
    )
    response = _store_response(ctx, vector_store)
    ctx.state.start_processing(attached)
    return response


async def list_vector_stores(ctx: Ctx) -> web.StreamResponse:
    """listVectorStores."""
    store = ctx.state.store
    for vector_store in store.vector_stores:
        ctx.state.observe(store.vector_store_files(vector_store["id"]), polled=False)
        recount(store, vector_store["id"])
    return ctx.list_response(_STORE, store.vector_stores)


async def get_vector_store(ctx: Ctx) -> web.StreamResponse:
    """getVectorStore (a poll of every file still processing in it)."""
    vector_store = ctx.state.vector_store(ctx.param("vector_store_id"))
    ctx.state.observe(ctx.state.store.vector_store_files(vector_store["id"]), polled=True)
    return _store_response(ctx, vector_store)


async def modify_vector_store(ctx: Ctx) -> web.StreamResponse:
    """modifyVectorStore: ``name``, ``expires_after`` (null removes the policy), ``metadata``."""
    vector_store = ctx.state.vector_store(ctx.param("vector_store_id"))
    body = ctx.body
    if "name" in body:
        vector_store["name"] = body["name"] or ""
    if "metadata" in body:
        vector_store["metadata"] = dict(body["metadata"] or {})
    if "expires_after" in body:
        if body["expires_after"] is None:
            vector_store.pop("expires_after", None)
            vector_store["expires_at"] = None
        else:
            vector_store["expires_after"] = dict(body["expires_after"])
    touch(vector_store)
    return _store_response(ctx, vector_store)


async def delete_vector_store(ctx: Ctx) -> web.StreamResponse:
    """deleteVectorStore (the Files stay)."""
    vector_store = ctx.state.vector_store(ctx.param("vector_store_id"))
    ctx.state.store.delete_vector_store(vector_store["id"])
    return _deleted(vector_store["id"], "vector_store")


# Vector store files -------------------------------------------------------------------------


async def create_vector_store_file(ctx: Ctx) -> web.StreamResponse:
    """createVectorStoreFile (the File must exist; attaching it again changes nothing)."""
    vector_store = ctx.state.vector_store(ctx.param("vector_store_id"))
    file = ctx.state.file(ctx.body["file_id"])
    vector_store_file = attach(
        ctx.state,
        vector_store,
        file,
        chunking_strategy=ctx.body.get("chunking_strategy"),
        attributes=ctx.body.get("attributes"),
    )
    response = _ok(ctx, _FILE, vector_store_file)
    ctx.state.start_processing([vector_store_file])
    return response


async def list_vector_store_files(ctx: Ctx) -> web.StreamResponse:
    """listVectorStoreFiles (``filter`` by status, both cursors)."""
    vector_store = ctx.state.vector_store(ctx.param("vector_store_id"))
    files = ctx.state.store.vector_store_files(vector_store["id"])
    where = _status_filter(ctx)
    ctx.state.observe(files, polled=False)
    return ctx.list_response(_FILE, files, where=where)


async def get_vector_store_file(ctx: Ctx) -> web.StreamResponse:
    """getVectorStoreFile (a poll: moves the ``per_poll`` clock one step for this file)."""
    vector_store_file = ctx.state.vector_store_file(
        ctx.param("vector_store_id"), ctx.param("file_id")
    )
    ctx.state.observe([vector_store_file], polled=True)
    return _ok(ctx, _FILE, vector_store_file)


async def update_vector_store_file_attributes(ctx: Ctx) -> web.StreamResponse:
    """updateVectorStoreFileAttributes (``attributes`` replaces them; null clears them)."""
    vector_store_file = ctx.state.vector_store_file(
        ctx.param("vector_store_id"), ctx.param("file_id")
    )
    vector_store_file["attributes"] = copy.deepcopy(ctx.body["attributes"])
    return _ok(ctx, _FILE, vector_store_file)


async def delete_vector_store_file(ctx: Ctx) -> web.StreamResponse:
    """deleteVectorStoreFile: detaches it; the File itself stays."""
    vector_store_file = ctx.state.vector_store_file(
        ctx.param("vector_store_id"), ctx.param("file_id")
    )
    detach(ctx.state.store, vector_store_file["vector_store_id"], vector_store_file["id"])
    return _deleted(vector_store_file["id"], "vector_store.file")


async def get_vector_store_file_content(ctx: Ctx) -> web.StreamResponse:
    """retrieveVectorStoreFileContent: the parsed text (none until processing completed)."""
    vector_store_file = ctx.state.vector_store_file(
        ctx.param("vector_store_id"), ctx.param("file_id")
    )
    ctx.state.observe([vector_store_file], polled=False)
    data = []
    if vector_store_file["status"] == "completed":
        data = [{"type": "text", "text": file_text(ctx.state.store, vector_store_file["id"])}]
    return json_response(
        {
            "object": "vector_store.file_content.page",
            "data": data,
            "has_more": False,
            "next_page": None,
        }
    )


# File batches -------------------------------------------------------------------------------


def _batch_response(ctx: Ctx, batch: JSONDict) -> web.Response:
    recount(ctx.state.store, batch["vector_store_id"])
    return _ok(ctx, _BATCH, batch)


async def create_file_batch(ctx: Ctx) -> web.StreamResponse:
    """createVectorStoreFileBatch: ``file_ids`` (with the top-level strategy and attributes)
    or ``files`` (each with its own); not both."""
    vector_store = ctx.state.vector_store(ctx.param("vector_store_id"))
    body = ctx.body
    if "file_ids" in body and "files" in body:
        raise ApiError(
            400,
            "Invalid request: 'file_ids' and 'files' are mutually exclusive; provide one of them.",
            param="files",
            code="invalid_value",
        )
    entries: list[JSONDict] = body.get("files") or [
        {
            "file_id": file_id,
            "chunking_strategy": body.get("chunking_strategy"),
            "attributes": body.get("attributes"),
        }
        for file_id in body["file_ids"]
    ]
    batch, attached = new_file_batch(ctx.state, vector_store, entries)
    response = _batch_response(ctx, batch)
    ctx.state.start_processing(attached)
    return response


async def get_file_batch(ctx: Ctx) -> web.StreamResponse:
    """getVectorStoreFileBatch (a poll of each of its files still processing)."""
    batch = ctx.state.file_batch(ctx.param("vector_store_id"), ctx.param("batch_id"))
    ctx.state.observe(ctx.state.store.batch_files(batch["id"]), polled=True)
    return _batch_response(ctx, batch)


async def cancel_file_batch(ctx: Ctx) -> web.StreamResponse:
    """cancelVectorStoreFileBatch: files still processing become ``cancelled``."""
    batch = ctx.state.file_batch(ctx.param("vector_store_id"), ctx.param("batch_id"))
    ctx.state.observe(ctx.state.store.batch_files(batch["id"]), polled=False)
    recount(ctx.state.store, batch["vector_store_id"])
    if batch["status"] != "in_progress":
        raise ApiError(
            400,
            f"Cannot cancel vector store file batch {batch['id']}: it is already "
            f"{batch['status']}.",
        )
    cancel_batch(ctx.state.store, batch)
    return _batch_response(ctx, batch)


async def list_file_batch_files(ctx: Ctx) -> web.StreamResponse:
    """listFilesInVectorStoreBatch (``filter`` by status, both cursors)."""
    batch = ctx.state.file_batch(ctx.param("vector_store_id"), ctx.param("batch_id"))
    files = ctx.state.store.batch_files(batch["id"])
    where = _status_filter(ctx)
    ctx.state.observe(files, polled=False)
    return ctx.list_response(_FILE, files, where=where)


# Search -------------------------------------------------------------------------------------


async def search_vector_store(ctx: Ctx) -> web.StreamResponse:
    """searchVectorStore: keyword-ranked completed files (see ``_search``)."""
    vector_store = ctx.state.vector_store(ctx.param("vector_store_id"))
    store = ctx.state.store
    ctx.state.observe(store.vector_store_files(vector_store["id"]), polled=False)
    body = ctx.body
    query = body["query"]
    queries = [query] if isinstance(query, str) else list(query)
    if body.get("rewrite_query"):
        queries = [" ".join(query_words(" ".join(queries)))]
    ranking = body.get("ranking_options") or {}
    hits = rank(
        store_candidates(store, vector_store["id"]),
        queries,
        max_results=body.get("max_num_results", 10),
        search_filter=body.get("filters"),
        score_threshold=ranking.get("score_threshold", 0.0),
    )
    touch(vector_store)
    return json_response(
        {
            "object": "vector_store.search_results.page",
            "search_query": queries,
            "data": [
                {
                    "file_id": hit.file_id,
                    "filename": hit.filename,
                    "score": hit.score,
                    "attributes": copy.deepcopy(hit.attributes),
                    "content": [{"type": "text", "text": chunk} for chunk in hit.chunks],
                }
                for hit in hits
            ],
            "has_more": False,
            "next_page": None,
        }
    )
