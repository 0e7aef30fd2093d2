"""Handlers for assistants, threads and messages (and the v1 file endpoints)."""

from __future__ import annotations

from typing import Any

from aiohttp import web

from ._context import Ctx, json_response
from ._errors import ApiError, not_found
from ._ids import now
from ._objects import assistant_object, message_object, thread_object, tool_resources_object
from ._store import Collection, Keyring
from ._validation import Version
from ._vector_stores import resolve_tool_resources

__all__ = [
    "create_assistant",
    "create_assistant_file",
    "create_message",
    "create_thread",
    "delete_assistant",
    "delete_assistant_file",
    "delete_message",
    "delete_thread",
    "get_assistant",
    "get_assistant_file",
    "get_message",
    "get_message_file",
    "get_thread",
    "list_assistant_files",
    "list_assistants",
    "list_message_files",
    "list_messages",
    "modify_assistant",
    "modify_message",
    "modify_thread",
    "new_message",
    "new_thread",
]

JSONDict = dict[str, Any]

_ASSISTANT_FIELDS = (
    "model",
    "name",
    "description",
    "instructions",
    "tools",
    "metadata",
    "temperature",
    "top_p",
    "response_format",
)


def _deleted(object_id: str, kind: str) -> web.Response:
    return json_response({"id": object_id, "object": f"{kind}.deleted", "deleted": True})


# Assistants ---------------------------------------------------------------------------------


def _attach_files(ctx: Ctx, assistant: JSONDict, file_ids: list[str]) -> None:
    """Make the v1 assistant-file objects match ``file_ids``."""
    files = ctx.state.store.assistant_files(assistant["id"])
    for file in list(files):
        if file["id"] not in file_ids:
            files.remove(file["id"])
    for file_id in file_ids:
        if file_id not in files:
            files.add(
                {
                    "id": file_id,
                    "object": "assistant.file",
                    "created_at": now(),
                    "assistant_id": assistant["id"],
                }
            )
    assistant["_file_ids"] = list(file_ids)


def _tool_resources(ctx: Ctx, requested: JSONDict | None) -> JSONDict | None:
    """Create the stores a ``vector_stores`` helper asks for; their files start processing."""
    resolved, attached = resolve_tool_resources(ctx.state, requested)
    ctx.state.start_processing(attached)
    return resolved


async def create_assistant(ctx: Ctx) -> web.StreamResponse:
    """createAssistant (the ``vector_stores`` helper creates real vector stores)."""
    fields = {key: ctx.body[key] for key in _ASSISTANT_FIELDS if key in ctx.body}
    tool_resources = _tool_resources(ctx, ctx.body.get("tool_resources"))
    assistant = assistant_object(**fields, tool_resources=tool_resources)
    ctx.state.store.assistants.add(assistant)
    _attach_files(ctx, assistant, ctx.body.get("file_ids", []))
    return ctx.ok("assistant", assistant)


async def list_assistants(ctx: Ctx) -> web.StreamResponse:
    """listAssistants."""
    return ctx.list_response("assistant", ctx.state.store.assistants)


async def get_assistant(ctx: Ctx) -> web.StreamResponse:
    """getAssistant."""
    return ctx.ok("assistant", ctx.state.assistant(ctx.param("assistant_id")))


async def modify_assistant(ctx: Ctx) -> web.StreamResponse:
    """modifyAssistant."""
    assistant = ctx.state.assistant(ctx.param("assistant_id"))
    for key in _ASSISTANT_FIELDS:
        if key in ctx.body:
            assistant[key] = ctx.body[key] if key != "metadata" else dict(ctx.body[key] or {})
    if "tool_resources" in ctx.body:
        assistant["tool_resources"] = tool_resources_object(ctx.body["tool_resources"])
    if "file_ids" in ctx.body:
        _attach_files(ctx, assistant, ctx.body["file_ids"])
    return ctx.ok("assistant", assistant)


async def delete_assistant(ctx: Ctx) -> web.StreamResponse:
    """deleteAssistant."""
    assistant = ctx.state.assistant(ctx.param("assistant_id"))
    ctx.state.store.delete_assistant(assistant["id"])
    return _deleted(assistant["id"], "assistant")


async def create_assistant_file(ctx: Ctx) -> web.StreamResponse:
    """createAssistantFile (v1)."""
    assistant = ctx.state.assistant(ctx.param("assistant_id"))
    file_id = ctx.body["file_id"]
    _attach_files(ctx, assistant, [*assistant["_file_ids"], file_id])
    file = ctx.state.store.assistant_files(assistant["id"]).get(file_id)
    assert file is not None
    return json_response(file)


async def list_assistant_files(ctx: Ctx) -> web.StreamResponse:
    """listAssistantFiles (v1)."""
    assistant = ctx.state.assistant(ctx.param("assistant_id"))
    return ctx.list_response("file", ctx.state.store.assistant_files(assistant["id"]))


def _assistant_file(ctx: Ctx) -> tuple[JSONDict, JSONDict]:
    assistant = ctx.state.assistant(ctx.param("assistant_id"))
    file = ctx.state.store.assistant_files(assistant["id"]).get(ctx.param("file_id"))
    if file is None:
        raise not_found("file", ctx.param("file_id"))
    return assistant, file


async def get_assistant_file(ctx: Ctx) -> web.StreamResponse:
    """getAssistantFile (v1)."""
    return json_response(_assistant_file(ctx)[1])


async def delete_assistant_file(ctx: Ctx) -> web.StreamResponse:
    """deleteAssistantFile (v1)."""
    assistant, file = _assistant_file(ctx)
    _attach_files(ctx, assistant, [i for i in assistant["_file_ids"] if i != file["id"]])
    return _deleted(file["id"], "assistant.file")


# Threads ------------------------------------------------------------------------------------


def new_message(ctx: Ctx, thread_id: str, request: JSONDict, version: Version) -> JSONDict:
    """Store a message from a CreateMessageRequest body."""
    attachments = request.get("attachments")
    if version == "v1":
        # v1 file ids become v2 attachments, which is where v2 shows them.
        attachments = [
            {"file_id": file_id, "tools": [{"type": "file_search"}]}
            for file_id in request.get("file_ids", [])
        ]
    message = message_object(
        thread_id=thread_id,
        role=request["role"],
        content=request["content"],
        attachments=attachments,
        metadata=request.get("metadata"),
    )
    return ctx.state.store.add_message(message)


def new_thread(ctx: Ctx, request: JSONDict) -> JSONDict:
    """Store a thread (and its initial messages) from a CreateThreadRequest body."""
    thread = thread_object(
        metadata=request.get("metadata"),
        tool_resources=_tool_resources(ctx, request.get("tool_resources")),
    )
    ctx.state.store.threads.add(thread)
    for message in request.get("messages", []):
        new_message(ctx, thread["id"], message, ctx.version)
    return thread


async def create_thread(ctx: Ctx) -> web.StreamResponse:
    """createThread."""
    return ctx.ok("thread", new_thread(ctx, ctx.body))


async def get_thread(ctx: Ctx) -> web.StreamResponse:
    """getThread."""
    return ctx.ok("thread", ctx.state.thread(ctx.param("thread_id")))


async def modify_thread(ctx: Ctx) -> web.StreamResponse:
    """modifyThread."""
    thread = ctx.state.thread(ctx.param("thread_id"))
    if "metadata" in ctx.body:
        thread["metadata"] = dict(ctx.body["metadata"] or {})
    if "tool_resources" in ctx.body:
        thread["tool_resources"] = tool_resources_object(ctx.body["tool_resources"])
    return ctx.ok("thread", thread)


async def delete_thread(ctx: Ctx) -> web.StreamResponse:
    """deleteThread."""
    thread = ctx.state.thread(ctx.param("thread_id"))
    ctx.state.store.delete_thread(thread["id"])
    return _deleted(thread["id"], "thread")


# Messages -----------------------------------------------------------------------------------


async def create_message(ctx: Ctx) -> web.StreamResponse:
    """createMessage."""
    thread = ctx.state.thread(ctx.param("thread_id"))
    active = ctx.state.active_run(thread["id"])
    if active is not None:
        raise ApiError(
            400, f"Can't add messages to {thread['id']} while a run {active['id']} is active."
        )
    return ctx.ok("message", new_message(ctx, thread["id"], ctx.body, ctx.version))


async def list_messages(ctx: Ctx) -> web.StreamResponse:
    """listMessages (with the ``run_id`` filter)."""
    thread = ctx.state.thread(ctx.param("thread_id"))
    return ctx.list_response("message", ctx.state.store.messages(thread["id"]), with_run_id=True)


async def get_message(ctx: Ctx) -> web.StreamResponse:
    """getMessage."""
    return ctx.ok("message", ctx.state.message(ctx.param("thread_id"), ctx.param("message_id")))


async def modify_message(ctx: Ctx) -> web.StreamResponse:
    """modifyMessage."""
    message = ctx.state.message(ctx.param("thread_id"), ctx.param("message_id"))
    if "metadata" in ctx.body:
        message["metadata"] = dict(ctx.body["metadata"] or {})
    return ctx.ok("message", message)


async def delete_message(ctx: Ctx) -> web.StreamResponse:
    """deleteMessage (v2)."""
    message = ctx.state.message(ctx.param("thread_id"), ctx.param("message_id"))
    ctx.state.store.delete_message(message["thread_id"], message["id"])
    return _deleted(message["id"], "thread.message")


def _message_files(message: JSONDict) -> Collection:
    """The v1 message files, derived from the message's attachments."""
    files = Collection(Keyring())
    for attachment in message.get("attachments") or []:
        files.add(
            {
                "id": attachment["file_id"],
                "object": "thread.message.file",
                "created_at": message["created_at"],
                "message_id": message["id"],
            }
        )
    return files


async def list_message_files(ctx: Ctx) -> web.StreamResponse:
    """listMessageFiles (v1)."""
    message = ctx.state.message(ctx.param("thread_id"), ctx.param("message_id"))
    return ctx.list_response("file", _message_files(message))


async def get_message_file(ctx: Ctx) -> web.StreamResponse:
    """getMessageFile (v1)."""
    message = ctx.state.message(ctx.param("thread_id"), ctx.param("message_id"))
    file = _message_files(message).get(ctx.param("file_id"))
    if file is None:
        raise not_found("file", ctx.param("file_id"))
    return json_response(file)
