"""Handlers for Files and Uploads (no ``OpenAI-Beta`` needed; the same in v1 and v2)."""

from __future__ import annotations

import hashlib
import mimetypes
from typing import Any

from aiohttp import hdrs, web
from aiohttp.helpers import content_disposition_header

from ._context import Ctx, json_response
from ._errors import ApiError
from ._ids import new_id, now
from ._objects import file_object, upload_object, upload_part_object
from ._render import render
from ._store import ReceivedPart
from ._validation import check_create_file_form, check_jsonl, check_upload_part_form

__all__ = [
    "add_upload_part",
    "cancel_upload",
    "complete_upload",
    "create_file",
    "create_upload",
    "delete_file",
    "download_file",
    "get_file",
    "list_files",
]

JSONDict = dict[str, Any]

#: A download is written in chunks of this size.
_CHUNK = 256 * 1024
#: listFiles: ``limit`` defaults to 10,000 and goes up to 10,000.
_FILES_PAGE = 10_000


# Files --------------------------------------------------------------------------------------


async def create_file(ctx: Ctx) -> web.StreamResponse:
    """createFile (multipart: ``file``, ``purpose``, ``expires_after[anchor|seconds]``)."""
    assert ctx.form is not None
    form = check_create_file_form(ctx.form, ctx.state.max_file_bytes)
    file = file_object(
        filename=form.filename,
        purpose=form.purpose,
        size=form.file.size,
        expires_after_seconds=form.expires_after_seconds,
    )
    ctx.state.store.add_file(file, form.file.data)
    return ctx.ok("file", file)


async def list_files(ctx: Ctx) -> web.StreamResponse:
    """listFiles: ``purpose`` filter, the ``after`` cursor only, ``limit`` up to 10,000."""
    ctx.state.purge_expired_files()
    purpose = ctx.request.query.get("purpose")
    return ctx.list_response(
        "file",
        ctx.state.store.files,
        where=None if purpose is None else (lambda file: bool(file["purpose"] == purpose)),
        default_limit=_FILES_PAGE,
        max_limit=_FILES_PAGE,
        with_before=False,
    )


async def get_file(ctx: Ctx) -> web.StreamResponse:
    """retrieveFile."""
    return ctx.ok("file", ctx.state.file(ctx.param("file_id")))


async def delete_file(ctx: Ctx) -> web.StreamResponse:
    """deleteFile: also detaches the file from every vector store. Its object is ``file``."""
    file = ctx.state.file(ctx.param("file_id"))
    ctx.state.delete_file(file["id"])
    return json_response({"id": file["id"], "object": "file", "deleted": True})


async def download_file(ctx: Ctx) -> web.StreamResponse:
    """downloadFile: the stored bytes exactly, streamed; the type follows the filename."""
    file = ctx.state.file(ctx.param("file_id"))
    data = ctx.state.store.file_contents.get(file["id"], b"")
    response = web.StreamResponse(
        headers={
            hdrs.CONTENT_DISPOSITION: content_disposition_header(
                "attachment", filename=file["filename"]
            )
        }
    )
    response.content_type = mimetypes.guess_type(file["filename"])[0] or "application/octet-stream"
    response.content_length = len(data)
    await response.prepare(ctx.request)
    view = memoryview(data)
    for start in range(0, len(data), _CHUNK):
        await response.write(view[start : start + _CHUNK])
    await response.write_eof()
    return response


# Uploads ------------------------------------------------------------------------------------


def _upload_response(ctx: Ctx, upload: JSONDict) -> web.Response:
    return ctx.ok("upload", upload)


async def create_upload(ctx: Ctx) -> web.StreamResponse:
    """createUpload: a ``pending`` Upload that expires in an hour."""
    body = ctx.body
    check_jsonl(body["purpose"], body["filename"], "filename")
    upload = upload_object(
        filename=body["filename"],
        purpose=body["purpose"],
        size=body["bytes"],
        mime_type=body["mime_type"],
        expires_after=body.get("expires_after"),
    )
    ctx.state.store.uploads.add(upload)
    return _upload_response(ctx, upload)


def _ensure_pending(upload: JSONDict, what: str) -> None:
    if upload["status"] != "pending":
        raise ApiError(400, f"Upload {upload['id']} is already {upload['status']}; {what}.")


async def add_upload_part(ctx: Ctx) -> web.StreamResponse:
    """addUploadPart (multipart: ``data``, at most 64 MB)."""
    upload = ctx.state.upload(ctx.param("upload_id"))
    _ensure_pending(upload, "no more parts can be added to it")
    assert ctx.form is not None
    data = check_upload_part_form(ctx.form, ctx.state.max_part_bytes)
    part = ReceivedPart(new_id("part"), upload["id"], now(), data.data)
    ctx.state.store.upload_parts(upload["id"]).append(part)
    return json_response(upload_part_object(part.id, part.upload_id, part.created_at))


async def complete_upload(ctx: Ctx) -> web.StreamResponse:
    """completeUpload: ``part_ids`` in order make the File; sizes (and ``md5``) must agree."""
    upload = ctx.state.upload(ctx.param("upload_id"))
    _ensure_pending(upload, "it cannot be completed")
    parts = {part.id: part for part in ctx.state.store.upload_parts(upload["id"])}
    part_ids: list[str] = ctx.body["part_ids"]
    seen: set[str] = set()
    for index, part_id in enumerate(part_ids):
        if part_id not in parts:
            raise ApiError(
                400,
                f"Invalid 'part_ids[{index}]': upload {upload['id']} has no part with id "
                f"'{part_id}'.",
                param=f"part_ids[{index}]",
                code="invalid_value",
            )
        if part_id in seen:
            raise ApiError(
                400,
                f"Invalid 'part_ids[{index}]': part '{part_id}' is listed more than once.",
                param=f"part_ids[{index}]",
                code="invalid_value",
            )
        seen.add(part_id)
    data = b"".join(parts[part_id].data for part_id in part_ids)
    if len(data) != upload["bytes"]:
        raise ApiError(
            400,
            f"The parts given add up to {len(data)} bytes, but upload {upload['id']} was "
            f"created with bytes={upload['bytes']}. The number of bytes uploaded upon "
            "completion must match the number of bytes specified when creating the upload.",
            param="part_ids",
            code="invalid_value",
        )
    md5 = ctx.body.get("md5")
    if md5 is not None:
        actual = hashlib.md5(data, usedforsecurity=False).hexdigest()
        if actual != md5.strip().lower():
            raise ApiError(
                400,
                f"The md5 checksum of the uploaded bytes ({actual}) does not match the md5 "
                f"given ({md5}).",
                param="md5",
                code="invalid_value",
            )
    expires_after = upload["_expires_after"]
    file = file_object(
        filename=upload["filename"],
        purpose=upload["purpose"],
        size=len(data),
        expires_after_seconds=None if expires_after is None else expires_after["seconds"],
    )
    ctx.state.store.add_file(file, data)
    upload.update(status="completed", file=render("file", file, ctx.version))
    return _upload_response(ctx, upload)


async def cancel_upload(ctx: Ctx) -> web.StreamResponse:
    """cancelUpload: no part may be added afterwards."""
    upload = ctx.state.upload(ctx.param("upload_id"))
    _ensure_pending(upload, "it cannot be cancelled")
    upload["status"] = "cancelled"
    return _upload_response(ctx, upload)
