"""Factories that put realistic objects straight into the store, bypassing HTTP."""

from __future__ import annotations

import copy
from collections.abc import Sequence
from typing import Any

from ._ids import now
from ._objects import (
    assistant_object,
    file_object,
    message_object,
    thread_object,
    upload_object,
)
from ._render import render
from ._scripts import RunScript
from ._state import ServerState
from ._vector_stores import attach, finish, new_vector_store, recount, resolve_tool_resources

__all__ = ["Factories"]

JSONDict = dict[str, Any]


def _public(obj: JSONDict) -> JSONDict:
    return render("object", obj, "v2")


class Factories:
    """Create objects directly in a server's store; each returns the object as v2 JSON."""

    def __init__(self, state: ServerState) -> None:
        self._state = state

    def _tool_resources(self, fields: dict[str, Any]) -> None:
        """A ``vector_stores`` helper in ``tool_resources`` makes real (processed) stores."""
        resolved, attached = resolve_tool_resources(self._state, fields.get("tool_resources"))
        for vector_store_file in attached:
            finish(self._state, vector_store_file)
        if resolved is not None:
            fields["tool_resources"] = resolved

    def assistant(self, *, model: str = "gpt-4o", **fields: Any) -> JSONDict:
        """Store an assistant (fields as in assistant objects: ``name``, ``tools``, ...)."""
        self._tool_resources(fields)
        assistant = assistant_object(model=model, **fields)
        return _public(self._state.store.assistants.add(assistant))

    def thread(self, *, messages: Sequence[str] = (), **fields: Any) -> JSONDict:
        """Store a thread, optionally with user messages of the given texts."""
        self._tool_resources(fields)
        thread = self._state.store.threads.add(thread_object(**fields))
        for text in messages:
            self.message(thread["id"], text)
        return _public(thread)

    def message(
        self, thread_id: str, content: str | Sequence[JSONDict] = "Hello", **fields: Any
    ) -> JSONDict:
        """Store a message (``role``, ``metadata``, ``created_at``, ... as keywords)."""
        self._state.thread(thread_id)
        message = message_object(thread_id=thread_id, content=content, **fields)
        return _public(self._state.store.add_message(message))

    def messages(
        self,
        thread_id: str,
        count: int,
        *,
        text: str = "Message {i}",
        role: str = "user",
        created_at: int | None = None,
    ) -> list[str]:
        """Store ``count`` messages fast (one bulk insert); return their ids, oldest first.

        All share one ``created_at`` (default: now), so their order is insertion order:
        the tie rule every list obeys.
        """
        self._state.thread(thread_id)
        stamp = now() if created_at is None else created_at
        batch = [
            message_object(
                thread_id=thread_id, content=text.format(i=i), role=role, created_at=stamp
            )
            for i in range(count)
        ]
        self._state.store.messages(thread_id).add_many(batch)
        return [message["id"] for message in batch]

    def run(
        self,
        thread_id: str,
        assistant_id: str,
        *,
        script: RunScript | None = None,
        finish: bool = True,
        **options: Any,
    ) -> JSONDict:
        """Store a run; with ``finish`` it is played to its end (or ``requires_action``)."""
        self._state.thread(thread_id)
        assistant = self._state.assistant(assistant_id)
        simulation = self._state.create_run(
            thread_id, assistant, options, script if script is not None else RunScript.reply()
        )
        if finish:
            simulation.advance_until_blocked()
        return copy.deepcopy(_public(simulation.run))

    # Files, uploads and vector stores --------------------------------------------------------

    def file(
        self,
        content: bytes | str = b"",
        *,
        filename: str = "file.txt",
        purpose: str = "assistants",
        expires_after_seconds: int | None = None,
        created_at: int | None = None,
    ) -> JSONDict:
        """Store a File with ``content`` (text is stored as UTF-8); return the OpenAIFile."""
        data = content.encode() if isinstance(content, str) else bytes(content)
        file = file_object(
            filename=filename,
            purpose=purpose,
            size=len(data),
            expires_after_seconds=expires_after_seconds,
            created_at=created_at,
        )
        return _public(self._state.store.add_file(file, data))

    def vector_store(
        self,
        *,
        file_ids: Sequence[str] = (),
        files: Sequence[str | bytes] = (),
        processed: bool = True,
        chunking_strategy: JSONDict | None = None,
        **fields: Any,
    ) -> JSONDict:
        """Store a vector store with files: existing ``file_ids``, and ``files`` (contents,
        stored first as ``file-<n>.txt``). With ``processed`` they are done processing now
        (``completed``, or ``failed`` per ``server.fail_processing``); without it they are
        ``in_progress`` and the clock moves them on reads. Other fields: ``name``,
        ``description``, ``metadata``, ``expires_after``, ``created_at``, ``last_active_at``.
        """
        made = [
            self.file(content, filename=f"file-{index}.txt")["id"]
            for index, content in enumerate(files, start=1)
        ]
        vector_store, attached = new_vector_store(
            self._state,
            file_ids=[*file_ids, *made],
            chunking_strategy=chunking_strategy,
            **fields,
        )
        self._process(attached, processed)
        recount(self._state.store, vector_store["id"])
        return _public(vector_store)

    def vector_store_file(
        self,
        vector_store_id: str,
        file_id: str,
        *,
        attributes: JSONDict | None = None,
        chunking_strategy: JSONDict | None = None,
        processed: bool = True,
    ) -> JSONDict:
        """Attach an existing File to an existing vector store (see :meth:`vector_store`)."""
        vector_store = self._state.vector_store(vector_store_id)
        vector_store_file = attach(
            self._state,
            vector_store,
            self._state.file(file_id),
            chunking_strategy=chunking_strategy,
            attributes=attributes,
        )
        self._process([vector_store_file], processed)
        return _public(vector_store_file)

    def _process(self, vector_store_files: list[JSONDict], processed: bool) -> None:
        if processed:
            for vector_store_file in vector_store_files:
                finish(self._state, vector_store_file)
        elif self._state.clock == "real":  # instant and per_poll move them on reads
            self._state.start_processing(vector_store_files)

    def upload(
        self,
        *,
        filename: str = "upload.bin",
        purpose: str = "assistants",
        bytes: int = 0,
        mime_type: str = "application/octet-stream",
        created_at: int | None = None,
    ) -> JSONDict:
        """Store a pending Upload (an old ``created_at`` makes one that has expired)."""
        upload = upload_object(
            filename=filename,
            purpose=purpose,
            size=bytes,
            mime_type=mime_type,
            created_at=created_at,
        )
        return _public(self._state.store.uploads.add(upload))
