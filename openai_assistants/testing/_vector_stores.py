"""Vector stores: attaching and detaching files, their processing, counts, and what runs search.

A vector store file starts ``in_progress`` with ``processing_steps`` steps to go; the server's
clock takes those steps (see ``ServerState.start_processing`` and ``ServerState.observe``).
Its last step makes it ``completed`` (``usage_bytes`` = the File's size), or ``failed`` with
``last_error`` when a :class:`ProcessingFailure` matches it. After every change the store's
``file_counts``, ``usage_bytes`` and ``status`` (and its batches') are counted again, so the
stored objects are always right, whoever reads them.
"""

from __future__ import annotations

import copy
import fnmatch
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any, Literal, get_args

import attrs

from ._ids import now
from ._objects import file_batch_object, vector_store_file_object, vector_store_object
from ._search import Candidate
from ._store import Store

if TYPE_CHECKING:
    from ._state import ServerState

__all__ = [
    "ProcessingErrorCode",
    "ProcessingFailure",
    "attach",
    "cancel_batch",
    "detach",
    "detach_everywhere",
    "file_text",
    "finish",
    "is_attached",
    "new_file_batch",
    "new_vector_store",
    "recount",
    "resolve_tool_resources",
    "run_candidates",
    "store_candidates",
    "tick",
    "touch",
]

JSONDict = dict[str, Any]
ProcessingErrorCode = Literal["server_error", "unsupported_file", "invalid_file"]

#: ``last_error.message`` for each code when the failure gives none.
_DEFAULT_MESSAGES: dict[str, str] = {
    "server_error": "An internal error occurred while processing the file. Please try again.",
    "unsupported_file": "The file type is not supported for file search.",
    "invalid_file": "The file could not be parsed.",
}


@attrs.define
class ProcessingFailure:
    """Make the processing of matching files fail (``server.fail_processing``).

    ``match`` is a File id (exact) or a filename pattern (``fnmatch``: ``report.pdf``,
    ``*.png``). ``times`` is how many more files it fails (``None``: every one).
    """

    match: str
    code: ProcessingErrorCode = "server_error"
    message: str | None = None
    times: int | None = None

    def __attrs_post_init__(self) -> None:
        if self.code not in get_args(ProcessingErrorCode):
            raise ValueError(
                f"code must be one of {', '.join(get_args(ProcessingErrorCode))}, got {self.code!r}"
            )
        if self.times is not None and self.times < 1:
            raise ValueError(f"times must be at least 1 (or None), got {self.times}")

    def matches(self, file_id: str, filename: str) -> bool:
        """Whether this failure applies to the file."""
        return self.match == file_id or fnmatch.fnmatchcase(filename, self.match)

    @property
    def last_error(self) -> JSONDict:
        """The ``last_error`` a failed file shows."""
        return {"code": self.code, "message": self.message or _DEFAULT_MESSAGES[self.code]}


# Counting ------------------------------------------------------------------------------------


def _counts(files: Iterable[JSONDict]) -> JSONDict:
    counts = {"in_progress": 0, "completed": 0, "failed": 0, "cancelled": 0, "total": 0}
    for file in files:
        counts[file["status"]] += 1
        counts["total"] += 1
    return counts


def _expired(vector_store: JSONDict) -> bool:
    expires_at = vector_store.get("expires_at")
    return expires_at is not None and now() >= expires_at


def recount(store: Store, vector_store_id: str) -> None:
    """Count a vector store's files (and each of its batches') and set their status."""
    vector_store = store.vector_stores.get(vector_store_id)
    if vector_store is None:
        return
    files = store.vector_store_files(vector_store_id)
    counts = _counts(files)
    vector_store["file_counts"] = counts
    vector_store["usage_bytes"] = sum(f["usage_bytes"] for f in files if f["status"] == "completed")
    if _expired(vector_store):
        vector_store["status"] = "expired"
    else:
        vector_store["status"] = "in_progress" if counts["in_progress"] else "completed"
    for batch in store.file_batches(vector_store_id):
        batch_counts = _counts(store.batch_files(batch["id"]))
        batch["file_counts"] = batch_counts
        if batch["_cancelled"]:
            batch["status"] = "cancelled"
        elif batch_counts["in_progress"]:
            batch["status"] = "in_progress"
        elif batch_counts["total"] and batch_counts["failed"] == batch_counts["total"]:
            batch["status"] = "failed"
        else:
            batch["status"] = "completed"


def touch(vector_store: JSONDict) -> None:
    """The store was used: ``last_active_at`` is now, and an expiry policy counts from it."""
    if _expired(vector_store):
        return
    vector_store["last_active_at"] = now()
    policy = vector_store.get("expires_after")
    if policy is not None:
        vector_store["expires_at"] = vector_store["last_active_at"] + policy["days"] * 86400


# Attaching -----------------------------------------------------------------------------------


def is_attached(store: Store, vector_store_file: JSONDict) -> bool:
    """Whether this very object is still attached to its store."""
    files = store.vector_store_files(vector_store_file["vector_store_id"])
    return files.get(vector_store_file["id"]) is vector_store_file


def attach(
    state: ServerState,
    vector_store: JSONDict,
    file: JSONDict,
    *,
    chunking_strategy: JSONDict | None = None,
    attributes: JSONDict | None = None,
    batch_id: str | None = None,
) -> JSONDict:
    """Attach a File (a file already attached stays as it is); return its vector store file."""
    store = state.store
    files = store.vector_store_files(vector_store["id"])
    vector_store_file = files.get(file["id"])
    if vector_store_file is None:
        vector_store_file = vector_store_file_object(
            file_id=file["id"],
            vector_store_id=vector_store["id"],
            chunking_strategy=chunking_strategy,
            attributes=attributes,
            batch_id=batch_id,
        )
        vector_store_file["_steps_left"] = max(1, state.processing_steps)
        files.add(vector_store_file)
    if batch_id is not None and vector_store_file["id"] not in store.batch_files(batch_id):
        store.batch_files(batch_id).add(vector_store_file)
    touch(vector_store)
    recount(store, vector_store["id"])
    return vector_store_file


def detach(store: Store, vector_store_id: str, file_id: str) -> JSONDict | None:
    """Detach a file from a store (and its batches); the File itself stays."""
    removed = store.vector_store_files(vector_store_id).remove(file_id)
    if removed is None:
        return None
    for batch in store.file_batches(vector_store_id):
        store.batch_files(batch["id"]).remove(file_id)
    vector_store = store.vector_stores.get(vector_store_id)
    if vector_store is not None:
        touch(vector_store)
    recount(store, vector_store_id)
    return removed


def detach_everywhere(store: Store, file_id: str) -> None:
    """Detach a deleted File from every vector store."""
    for vector_store in list(store.vector_stores):
        detach(store, vector_store["id"], file_id)


def new_vector_store(
    state: ServerState,
    *,
    file_ids: Sequence[str] = (),
    chunking_strategy: JSONDict | None = None,
    **fields: Any,
) -> tuple[JSONDict, list[JSONDict]]:
    """Create a store and attach ``file_ids`` (each must exist: 404 before anything is made).

    Returns the store and its new vector store files (to hand to the clock).
    """
    files = [state.file(file_id) for file_id in file_ids]
    vector_store = state.store.vector_stores.add(vector_store_object(**fields))
    attached = [
        attach(state, vector_store, file, chunking_strategy=chunking_strategy) for file in files
    ]
    return vector_store, attached


def new_file_batch(
    state: ServerState, vector_store: JSONDict, entries: Sequence[JSONDict]
) -> tuple[JSONDict, list[JSONDict]]:
    """Create a batch attaching each entry (``{file_id, chunking_strategy?, attributes?}``).

    Every file must exist (404 before anything is made). Returns the batch and its files.
    """
    files = [state.file(entry["file_id"]) for entry in entries]
    batch = state.store.file_batches(vector_store["id"]).add(
        file_batch_object(vector_store_id=vector_store["id"])
    )
    attached = [
        attach(
            state,
            vector_store,
            file,
            chunking_strategy=entry.get("chunking_strategy"),
            attributes=entry.get("attributes"),
            batch_id=batch["id"],
        )
        for file, entry in zip(files, entries, strict=True)
    ]
    return batch, attached


def cancel_batch(store: Store, batch: JSONDict) -> None:
    """Cancel a batch: its files still processing become ``cancelled``."""
    for vector_store_file in store.batch_files(batch["id"]):
        if vector_store_file["status"] == "in_progress":
            vector_store_file.update(status="cancelled", usage_bytes=0, _steps_left=0)
    batch["_cancelled"] = True
    recount(store, batch["vector_store_id"])


# Processing ----------------------------------------------------------------------------------


def finish(state: ServerState, vector_store_file: JSONDict) -> None:
    """End processing now: ``completed``, or ``failed`` when a failure matches the file."""
    if vector_store_file["status"] != "in_progress":
        return
    file = state.store.files.get(vector_store_file["id"])
    filename = file["filename"] if file is not None else ""
    failure = state.take_processing_failure(vector_store_file["id"], filename)
    if failure is not None:
        vector_store_file.update(status="failed", usage_bytes=0, last_error=failure.last_error)
    else:
        size = len(state.store.file_contents.get(vector_store_file["id"], b""))
        vector_store_file.update(status="completed", usage_bytes=size, last_error=None)
    vector_store_file["_steps_left"] = 0
    recount(state.store, vector_store_file["vector_store_id"])


def tick(state: ServerState, vector_store_file: JSONDict) -> bool:
    """One processing step; return whether one was taken."""
    if vector_store_file["status"] != "in_progress":
        return False
    vector_store_file["_steps_left"] -= 1
    if vector_store_file["_steps_left"] <= 0:
        finish(state, vector_store_file)
    return True


# Tool resources ------------------------------------------------------------------------------


def resolve_tool_resources(
    state: ServerState, requested: JSONDict | None
) -> tuple[JSONDict | None, list[JSONDict]]:
    """Create the stores the ``vector_stores`` helper asks for; return the tool resources with
    their ids in ``vector_store_ids``, and the files attached (to hand to the clock)."""
    helpers = ((requested or {}).get("file_search") or {}).get("vector_stores")
    if not helpers:
        return requested, []
    assert requested is not None
    for helper in helpers:  # every file must exist before any store is made
        for file_id in helper.get("file_ids", []):
            state.file(file_id)
    ids: list[str] = []
    attached: list[JSONDict] = []
    for helper in helpers:
        vector_store, files = new_vector_store(
            state,
            file_ids=helper.get("file_ids", []),
            chunking_strategy=helper.get("chunking_strategy"),
            metadata=helper.get("metadata"),
        )
        ids.append(vector_store["id"])
        attached += files
    resolved = copy.deepcopy(requested)
    resolved["file_search"] = {"vector_store_ids": ids}
    return resolved, attached


# What gets searched --------------------------------------------------------------------------


def file_text(store: Store, file_id: str) -> str:
    """A file's text: its bytes as UTF-8 (undecodable bytes replaced)."""
    return store.file_contents.get(file_id, b"").decode("utf-8", errors="replace")


def _candidate(store: Store, file: JSONDict, vector_store_file: JSONDict | None) -> Candidate:
    chunking = (vector_store_file or {}).get("chunking_strategy") or {}
    static = chunking.get("static") or {"max_chunk_size_tokens": 800, "chunk_overlap_tokens": 400}
    return Candidate(
        file_id=file["id"],
        filename=file["filename"],
        text=file_text(store, file["id"]),
        attributes=None if vector_store_file is None else vector_store_file.get("attributes"),
        max_chunk_size_tokens=static["max_chunk_size_tokens"],
        chunk_overlap_tokens=static["chunk_overlap_tokens"],
    )


def store_candidates(store: Store, vector_store_id: str) -> list[Candidate]:
    """The completed files of one store, in the order they were attached."""
    out = []
    for vector_store_file in store.vector_store_files(vector_store_id):
        file = store.files.get(vector_store_file["id"])
        if vector_store_file["status"] == "completed" and file is not None:
            out.append(_candidate(store, file, vector_store_file))
    return out


def _store_ids(holder: JSONDict | None, key: str = "tool_resources") -> list[str]:
    resources = (holder or {}).get(key) or {}
    return list((resources.get("file_search") or {}).get("vector_store_ids") or [])


def run_candidates(store: Store, run: JSONDict) -> list[Candidate]:
    """What a run's file_search searches: the completed files of the assistant's, the thread's
    and the run's own vector stores (expired ones left out), then files attached to the
    thread's messages for file_search, then v1 assistant files (each file once)."""
    assistant = store.assistants.get(run["assistant_id"])
    thread = store.threads.get(run["thread_id"])
    store_ids = _store_ids(assistant) + _store_ids(thread) + _store_ids(run, "_tool_resources")
    out: list[Candidate] = []
    seen: set[str] = set()
    for vector_store_id in dict.fromkeys(store_ids):
        vector_store = store.vector_stores.get(vector_store_id)
        if vector_store is None or _expired(vector_store):
            continue
        touch(vector_store)
        for candidate in store_candidates(store, vector_store_id):
            if candidate.file_id not in seen:
                seen.add(candidate.file_id)
                out.append(candidate)
    loose: list[str] = []
    for message in store.messages(run["thread_id"]):
        for attachment in message.get("attachments") or []:
            tools = {tool.get("type") for tool in attachment.get("tools", [])}
            if tools & {"file_search", "retrieval"}:
                loose.append(attachment["file_id"])
    loose += (assistant or {}).get("_file_ids", [])
    for file_id in loose:
        file = store.files.get(file_id)
        if file is not None and file_id not in seen:
            seen.add(file_id)
            out.append(_candidate(store, file, None))
    return out
