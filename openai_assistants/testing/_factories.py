"""Factories that put realistic objects straight into the store, bypassing HTTP."""

from __future__ import annotations

import copy
from collections.abc import Sequence
from typing import Any

from ._ids import now
from ._objects import assistant_object, message_object, thread_object
from ._render import render
from ._scripts import RunScript
from ._state import ServerState

__all__ = ["Factories"]

JSONDict = dict[str, Any]


def _public(obj: JSONDict) -> JSONDict:
    return render("object", obj, "v2")


class Factories:
    """Create objects directly in a server's store; each returns the object as v2 JSON."""

    def __init__(self, state: ServerState) -> None:
        self._state = state

    def assistant(self, *, model: str = "gpt-4o", **fields: Any) -> JSONDict:
        """Store an assistant (fields as in assistant objects: ``name``, ``tools``, ...)."""
        assistant = assistant_object(model=model, **fields)
        return _public(self._state.store.assistants.add(assistant))

    def thread(self, *, messages: Sequence[str] = (), **fields: Any) -> JSONDict:
        """Store a thread, optionally with user messages of the given texts."""
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
