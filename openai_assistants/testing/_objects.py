"""Builders for every stored object, in v2 shape: one place for each object's fields."""

from __future__ import annotations

import copy
from collections.abc import Sequence
from typing import Any

from ._ids import new_id, now

__all__ = [
    "BATCH_FILE_LIFETIME_SECONDS",
    "DEFAULT_CHUNKING",
    "RUN_LIFETIME_SECONDS",
    "UPLOAD_LIFETIME_SECONDS",
    "assistant_object",
    "chunking_strategy_object",
    "file_batch_object",
    "file_object",
    "message_content",
    "message_object",
    "run_object",
    "step_object",
    "thread_object",
    "tool_resources_object",
    "upload_object",
    "upload_part_object",
    "vector_store_file_object",
    "vector_store_object",
]

JSONDict = dict[str, Any]

#: A run that is still active expires this long after creation (the API's ten minutes).
RUN_LIFETIME_SECONDS = 600
#: An Upload expires an hour after it was created.
UPLOAD_LIFETIME_SECONDS = 3600
#: Files with ``purpose=batch`` expire after 30 days unless ``expires_after`` says otherwise.
BATCH_FILE_LIFETIME_SECONDS = 30 * 24 * 3600
#: What ``{"type": "auto"}`` chunking means today (and what a file without a strategy gets).
DEFAULT_CHUNKING: JSONDict = {"max_chunk_size_tokens": 800, "chunk_overlap_tokens": 400}


def tool_resources_object(requested: JSONDict | None) -> JSONDict:
    """Normalise requested ``tool_resources``; the ``vector_stores`` helper makes a store id."""
    if not requested:
        return {}
    out: JSONDict = {}
    if "code_interpreter" in requested:
        out["code_interpreter"] = {
            "file_ids": list(requested["code_interpreter"].get("file_ids", []))
        }
    if "file_search" in requested:
        file_search = requested["file_search"]
        ids = list(file_search.get("vector_store_ids", []))
        ids += [new_id("vs") for _ in file_search.get("vector_stores", [])]
        out["file_search"] = {"vector_store_ids": ids}
    return out


def assistant_object(
    *,
    model: str,
    name: str | None = None,
    description: str | None = None,
    instructions: str | None = None,
    tools: Sequence[JSONDict] = (),
    tool_resources: JSONDict | None = None,
    metadata: dict[str, str] | None = None,
    temperature: float | None = 1.0,
    top_p: float | None = 1.0,
    response_format: Any = "auto",
    file_ids: Sequence[str] = (),
    created_at: int | None = None,
) -> JSONDict:
    """Build an assistant."""
    return {
        "id": new_id("asst"),
        "object": "assistant",
        "created_at": now() if created_at is None else created_at,
        "name": name,
        "description": description,
        "model": model,
        "instructions": instructions,
        "tools": copy.deepcopy(list(tools)),
        "tool_resources": tool_resources_object(tool_resources),
        "metadata": dict(metadata or {}),
        "temperature": temperature,
        "top_p": top_p,
        "response_format": response_format,
        "_file_ids": list(file_ids),
    }


def thread_object(
    *,
    metadata: dict[str, str] | None = None,
    tool_resources: JSONDict | None = None,
    created_at: int | None = None,
) -> JSONDict:
    """Build a thread."""
    return {
        "id": new_id("thread"),
        "object": "thread",
        "created_at": now() if created_at is None else created_at,
        "metadata": dict(metadata or {}),
        "tool_resources": tool_resources_object(tool_resources),
    }


def message_content(content: str | Sequence[JSONDict]) -> list[JSONDict]:
    """Turn request content (a string or request parts) into message content parts."""
    if isinstance(content, str):
        return [{"type": "text", "text": {"value": content, "annotations": []}}]
    parts = []
    for part in content:
        if part["type"] == "text":
            parts.append({"type": "text", "text": {"value": part["text"], "annotations": []}})
        else:
            parts.append(copy.deepcopy(part))
    return parts


def message_object(
    *,
    thread_id: str,
    content: str | Sequence[JSONDict],
    role: str = "user",
    attachments: Sequence[JSONDict] | None = None,
    metadata: dict[str, str] | None = None,
    assistant_id: str | None = None,
    run_id: str | None = None,
    status: str = "completed",
    created_at: int | None = None,
) -> JSONDict:
    """Build a message; ``content`` may be a string or request-style parts."""
    created = now() if created_at is None else created_at
    return {
        "id": new_id("msg"),
        "object": "thread.message",
        "created_at": created,
        "assistant_id": assistant_id,
        "thread_id": thread_id,
        "run_id": run_id,
        "status": status,
        "incomplete_details": None,
        "completed_at": created if status == "completed" else None,
        "incomplete_at": None,
        "role": role,
        "content": message_content(content),
        "attachments": copy.deepcopy(list(attachments or [])),
        "metadata": dict(metadata or {}),
    }


def _first_given(*values: Any) -> Any:
    return next((value for value in values if value is not None), None)


def run_object(
    *, thread_id: str, assistant: JSONDict, options: JSONDict, created_at: int | None = None
) -> JSONDict:
    """Build a queued run; ``options`` is the validated createRun body (or a subset)."""
    created = now() if created_at is None else created_at
    instructions = _first_given(options.get("instructions"), assistant.get("instructions"), "")
    if options.get("additional_instructions"):
        instructions = f"{instructions}\n{options['additional_instructions']}".lstrip("\n")
    tools = options.get("tools")
    return {
        "id": new_id("run"),
        "object": "thread.run",
        "created_at": created,
        "assistant_id": assistant["id"],
        "thread_id": thread_id,
        "status": "queued",
        "required_action": None,
        "last_error": None,
        "expires_at": created + RUN_LIFETIME_SECONDS,
        "started_at": None,
        "cancelled_at": None,
        "failed_at": None,
        "completed_at": None,
        "incomplete_details": None,
        "model": _first_given(options.get("model"), assistant["model"]),
        "instructions": instructions,
        "tools": copy.deepcopy(tools if tools is not None else assistant.get("tools", [])),
        "metadata": dict(options.get("metadata") or {}),
        "usage": None,
        "temperature": _first_given(options.get("temperature"), assistant.get("temperature")),
        "top_p": _first_given(options.get("top_p"), assistant.get("top_p")),
        "max_prompt_tokens": options.get("max_prompt_tokens"),
        "max_completion_tokens": options.get("max_completion_tokens"),
        "truncation_strategy": _first_given(
            options.get("truncation_strategy"), {"type": "auto", "last_messages": None}
        ),
        "tool_choice": _first_given(options.get("tool_choice"), "auto"),
        "parallel_tool_calls": _first_given(options.get("parallel_tool_calls"), True),
        "response_format": _first_given(
            options.get("response_format"), assistant.get("response_format"), "auto"
        ),
        "_file_ids": list(assistant.get("_file_ids", [])),
        # createThreadAndRun's own tool_resources (the stores file_search may use, too).
        "_tool_resources": tool_resources_object(options.get("tool_resources")),
    }


def step_object(run: JSONDict, step_details: JSONDict) -> JSONDict:
    """Build an in-progress run step of the type its ``step_details`` names."""
    return {
        "id": new_id("step"),
        "object": "thread.run.step",
        "created_at": now(),
        "run_id": run["id"],
        "assistant_id": run["assistant_id"],
        "thread_id": run["thread_id"],
        "type": step_details["type"],
        "status": "in_progress",
        "cancelled_at": None,
        "completed_at": None,
        "expired_at": None,
        "failed_at": None,
        "last_error": None,
        "step_details": step_details,
        "metadata": {},
        "usage": None,
    }


# Files, uploads and vector stores ----------------------------------------------------------------


def file_object(
    *,
    filename: str,
    purpose: str,
    size: int,
    expires_after_seconds: int | None = None,
    created_at: int | None = None,
) -> JSONDict:
    """Build an OpenAIFile (``status`` is deprecated but required: always ``processed``).

    ``expires_at`` is present only when the file expires: with ``expires_after``, and for
    ``batch`` files (30 days by default); the spec has it optional and not nullable.
    """
    created = now() if created_at is None else created_at
    file: JSONDict = {
        "id": new_id("file"),
        "object": "file",
        "bytes": size,
        "created_at": created,
        "filename": filename,
        "purpose": purpose,
        "status": "processed",
    }
    if expires_after_seconds is None and purpose == "batch":
        expires_after_seconds = BATCH_FILE_LIFETIME_SECONDS
    if expires_after_seconds is not None:
        file["expires_at"] = created + expires_after_seconds
    return file


def upload_object(
    *,
    filename: str,
    purpose: str,
    size: int,
    mime_type: str,
    expires_after: JSONDict | None = None,
    created_at: int | None = None,
) -> JSONDict:
    """Build a pending Upload; it expires an hour after creation."""
    created = now() if created_at is None else created_at
    return {
        "id": new_id("upload"),
        "object": "upload",
        "bytes": size,
        "created_at": created,
        "filename": filename,
        "purpose": purpose,
        "status": "pending",
        "expires_at": created + UPLOAD_LIFETIME_SECONDS,
        "file": None,
        "_mime_type": mime_type,
        "_expires_after": copy.deepcopy(expires_after),
    }


def upload_part_object(part_id: str, upload_id: str, created_at: int) -> JSONDict:
    """The UploadPart an addUploadPart answers with."""
    return {
        "id": part_id,
        "object": "upload.part",
        "created_at": created_at,
        "upload_id": upload_id,
    }


def chunking_strategy_object(requested: JSONDict | None) -> JSONDict:
    """The response form of a requested strategy: ``auto`` (or none) is the static default."""
    if requested is None or requested.get("type") == "auto":
        return {"type": "static", "static": dict(DEFAULT_CHUNKING)}
    static = requested["static"]
    return {
        "type": "static",
        "static": {
            "max_chunk_size_tokens": static["max_chunk_size_tokens"],
            "chunk_overlap_tokens": static["chunk_overlap_tokens"],
        },
    }


def vector_store_object(
    *,
    name: str | None = None,
    description: str | None = None,
    metadata: dict[str, str] | None = None,
    expires_after: JSONDict | None = None,
    created_at: int | None = None,
    last_active_at: int | None = None,
) -> JSONDict:
    """Build an empty vector store (counts, usage and status follow its files)."""
    created = now() if created_at is None else created_at
    store: JSONDict = {
        "id": new_id("vs"),
        "object": "vector_store",
        "created_at": created,
        "name": name or "",
        "description": description,
        "usage_bytes": 0,
        "file_counts": {"in_progress": 0, "completed": 0, "failed": 0, "cancelled": 0, "total": 0},
        "status": "completed",
        "last_active_at": created if last_active_at is None else last_active_at,
        "metadata": dict(metadata or {}),
        "expires_at": None,
    }
    if expires_after is not None:
        store["expires_after"] = dict(expires_after)
        store["expires_at"] = store["last_active_at"] + expires_after["days"] * 86400
    return store


def vector_store_file_object(
    *,
    file_id: str,
    vector_store_id: str,
    chunking_strategy: JSONDict | None = None,
    attributes: JSONDict | None = None,
    batch_id: str | None = None,
    created_at: int | None = None,
) -> JSONDict:
    """Build a vector store file in processing (its id is the File's id)."""
    return {
        "id": file_id,
        "object": "vector_store.file",
        "usage_bytes": 0,
        "created_at": now() if created_at is None else created_at,
        "vector_store_id": vector_store_id,
        "status": "in_progress",
        "last_error": None,
        "chunking_strategy": chunking_strategy_object(chunking_strategy),
        "attributes": copy.deepcopy(attributes) if attributes is not None else {},
        "_batch_id": batch_id,
        "_steps_left": 1,
    }


def file_batch_object(*, vector_store_id: str, created_at: int | None = None) -> JSONDict:
    """Build a file batch (counts and status follow its files)."""
    return {
        "id": new_id("vsfb"),
        "object": "vector_store.files_batch",
        "created_at": now() if created_at is None else created_at,
        "vector_store_id": vector_store_id,
        "status": "in_progress",
        "file_counts": {"in_progress": 0, "completed": 0, "failed": 0, "cancelled": 0, "total": 0},
        "_cancelled": False,
    }
