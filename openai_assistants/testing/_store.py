"""In-memory store: objects by id plus ordered indexes for exact cursor pagination.

Every stored object gets a sort key ``(created_at, seq)``; ``seq`` is a global insertion counter,
so ties in ``created_at`` keep insertion order. Each collection keeps its keys in a sorted list,
so a page costs one bisection plus ``limit`` steps. Keys of deleted objects are remembered, so a
cursor naming an object deleted mid-iteration still marks a position.
"""

from __future__ import annotations

import bisect
import itertools
from collections.abc import Callable, Iterator
from typing import Any, Literal

import attrs

from ._errors import ApiError

__all__ = ["Collection", "Keyring", "Page", "ReceivedPart", "SortedIndex", "Store", "list_body"]

JSONDict = dict[str, Any]
Order = Literal["asc", "desc"]
_Entry = tuple[int, int, str]  # (created_at, seq, id)


@attrs.frozen
class Page:
    """One page of a list: ids in the requested order and whether more lie beyond it."""

    ids: list[str]
    has_more: bool


class SortedIndex:
    """Ids kept sorted by ``(created_at, seq)``."""

    def __init__(self) -> None:
        self._entries: list[_Entry] = []

    def __len__(self) -> int:
        return len(self._entries)

    def __iter__(self) -> Iterator[str]:
        return (entry[2] for entry in self._entries)

    def add(self, entry: _Entry) -> None:
        """Insert an entry at its sorted position."""
        bisect.insort(self._entries, entry)

    def extend_sorted(self, entries: list[_Entry]) -> None:
        """Append entries already known to sort after every present one (bulk loading)."""
        if self._entries and entries and entries[0] < self._entries[-1]:
            for entry in entries:
                self.add(entry)
        else:
            self._entries.extend(entries)

    def remove(self, entry: _Entry) -> None:
        """Remove an entry if present."""
        pos = bisect.bisect_left(self._entries, entry)
        if pos < len(self._entries) and self._entries[pos] == entry:
            del self._entries[pos]

    def page(
        self,
        *,
        limit: int,
        order: Order,
        after: _Entry | None = None,
        before: _Entry | None = None,
    ) -> Page:
        """Slice one page: ``after`` = items following the cursor in ``order``, ``before`` =
        items preceding it, still returned in ``order``; ``has_more`` looks in the direction
        of travel."""
        entries = self._entries
        # In ascending terms: "newer than" is to the right, "older than" to the left.
        newer, older = (after, before) if order == "asc" else (before, after)
        lo = bisect.bisect_right(entries, newer) if newer is not None else 0
        hi = bisect.bisect_left(entries, older) if older is not None else len(entries)
        lo = min(lo, hi)
        # Travel goes rightwards for asc, leftwards for desc, except that a lone
        # ``before`` cursor travels back towards itself from the far side.
        rightwards = (order == "asc") != (before is not None and after is None)
        if rightwards:
            end = min(lo + limit, hi)
            chosen = entries[lo:end]
            has_more = end < hi
        else:
            start = max(lo, hi - limit)
            chosen = entries[start:hi]
            has_more = start > lo
        ids = [entry[2] for entry in chosen]
        if order == "desc":
            ids.reverse()
        return Page(ids, has_more)


class Keyring:
    """Hands out sort keys and remembers every id's key, deleted ones included."""

    def __init__(self) -> None:
        self._seq = itertools.count()
        self._entries: dict[str, _Entry] = {}

    def issue(self, object_id: str, created_at: int) -> _Entry:
        """Give ``object_id`` its sort key."""
        entry = (created_at, next(self._seq), object_id)
        self._entries[object_id] = entry
        return entry

    def cursor(self, object_id: str | None, param: str) -> _Entry | None:
        """Resolve a pagination cursor; an id never stored is a 400 on ``param``."""
        if object_id is None:
            return None
        entry = self._entries.get(object_id)
        if entry is None:
            raise ApiError(
                400,
                f"Invalid '{param}': no object with id '{object_id}' exists.",
                param=param,
                code="invalid_value",
            )
        return entry


class Collection:
    """Objects of one kind under one parent, by id and in sorted order."""

    def __init__(self, keyring: Keyring) -> None:
        self._keyring = keyring
        self._objects: dict[str, JSONDict] = {}
        # Local keys too: v1 file ids repeat across parents, and deleted ids stay as cursors.
        self._entries: dict[str, _Entry] = {}
        self._index = SortedIndex()

    def __len__(self) -> int:
        return len(self._objects)

    def __contains__(self, object_id: object) -> bool:
        return object_id in self._objects

    def __iter__(self) -> Iterator[JSONDict]:
        """Iterate objects in ascending order."""
        return (self._objects[object_id] for object_id in self._index)

    def add(self, obj: JSONDict) -> JSONDict:
        """Store ``obj`` (which has ``id`` and ``created_at``) and return it."""
        entry = self._entries[obj["id"]] = self._keyring.issue(obj["id"], obj["created_at"])
        self._objects[obj["id"]] = obj
        self._index.add(entry)
        return obj

    def add_many(self, objs: list[JSONDict]) -> None:
        """Store many objects at once; fast when they are newer than everything stored."""
        entries = []
        for obj in objs:
            entry = self._entries[obj["id"]] = self._keyring.issue(obj["id"], obj["created_at"])
            entries.append(entry)
            self._objects[obj["id"]] = obj
        entries.sort()
        self._index.extend_sorted(entries)

    def get(self, object_id: str) -> JSONDict | None:
        """Return the object, or ``None``."""
        return self._objects.get(object_id)

    def remove(self, object_id: str) -> JSONDict | None:
        """Delete and return the object, or ``None`` if absent."""
        obj = self._objects.pop(object_id, None)
        if obj is not None:
            self._index.remove(self._entries[object_id])
        return obj

    def last(self) -> JSONDict | None:
        """Return the newest object, or ``None``."""
        ids = self._index.page(limit=1, order="desc").ids
        return self._objects[ids[0]] if ids else None

    def _cursor(self, object_id: str | None, param: str) -> _Entry | None:
        if object_id is not None and object_id in self._entries:
            return self._entries[object_id]
        return self._keyring.cursor(object_id, param)

    def page(
        self,
        *,
        limit: int,
        order: Order,
        after: str | None,
        before: str | None,
        where: Callable[[JSONDict], bool] | None = None,
    ) -> tuple[list[JSONDict], bool]:
        """Return one page of objects and ``has_more``; ``where`` keeps only matching objects
        (a cursor naming one it drops still marks its position)."""
        index = self._index
        if where is not None:
            index = SortedIndex()
            index.extend_sorted([self._entries[i] for i in self._index if where(self._objects[i])])
        page = index.page(
            limit=limit,
            order=order,
            after=self._cursor(after, "after"),
            before=self._cursor(before, "before"),
        )
        return [self._objects[object_id] for object_id in page.ids], page.has_more


def list_body(data: list[JSONDict], has_more: bool) -> JSONDict:
    """Wrap rendered items in the list envelope; first/last ids are null on an empty page."""
    return {
        "object": "list",
        "data": data,
        "first_id": data[0]["id"] if data else None,
        "last_id": data[-1]["id"] if data else None,
        "has_more": has_more,
    }


@attrs.frozen
class ReceivedPart:
    """One Part an Upload received (addUploadPart), in the order parts arrived."""

    id: str
    upload_id: str
    created_at: int
    data: bytes = attrs.field(repr=lambda data: f"<{len(data)} bytes>")

    @property
    def size(self) -> int:
        """The part's size in bytes."""
        return len(self.data)


class Store:
    """Every object the fake holds, keyed by parent where the API nests them.

    Files keep their bytes in ``file_contents`` (by file id). A vector store's files are
    ``vector_store_files(store_id)`` (each one's id is its File's id); a batch's files are the
    same objects, also under ``batch_files(batch_id)``.
    """

    def __init__(self) -> None:
        self.keyring = Keyring()
        self.assistants = Collection(self.keyring)
        self.threads = Collection(self.keyring)
        self.files = Collection(self.keyring)
        self.file_contents: dict[str, bytes] = {}
        self.uploads = Collection(self.keyring)
        self._upload_parts: dict[str, list[ReceivedPart]] = {}
        self.vector_stores = Collection(self.keyring)
        self._vector_store_files: dict[str, Collection] = {}
        self._file_batches: dict[str, Collection] = {}
        self._batch_files: dict[str, Collection] = {}
        self._messages: dict[str, Collection] = {}
        self._runs: dict[str, Collection] = {}
        self._steps: dict[str, Collection] = {}
        self._assistant_files: dict[str, Collection] = {}
        self._run_messages: dict[str, Collection] = {}

    def _child(self, table: dict[str, Collection], parent_id: str) -> Collection:
        collection = table.get(parent_id)
        if collection is None:
            collection = table[parent_id] = Collection(self.keyring)
        return collection

    def messages(self, thread_id: str) -> Collection:
        """Messages of one thread."""
        return self._child(self._messages, thread_id)

    def run_messages(self, run_id: str) -> Collection:
        """Messages a run created (the ``run_id`` filter of listMessages)."""
        return self._child(self._run_messages, run_id)

    def add_message(self, message: JSONDict) -> JSONDict:
        """Store a message in its thread and, if a run made it, under that run."""
        self.messages(message["thread_id"]).add(message)
        if message.get("run_id"):
            self.run_messages(message["run_id"]).add(message)
        return message

    def delete_message(self, thread_id: str, message_id: str) -> None:
        """Delete a message from its thread and its run."""
        message = self.messages(thread_id).remove(message_id)
        if message is not None and message.get("run_id"):
            self.run_messages(message["run_id"]).remove(message_id)

    def runs(self, thread_id: str) -> Collection:
        """Runs of one thread."""
        return self._child(self._runs, thread_id)

    def steps(self, run_id: str) -> Collection:
        """Steps of one run."""
        return self._child(self._steps, run_id)

    def assistant_files(self, assistant_id: str) -> Collection:
        """v1 assistant files of one assistant."""
        return self._child(self._assistant_files, assistant_id)

    def delete_thread(self, thread_id: str) -> None:
        """Delete a thread with its messages, runs and steps."""
        self.threads.remove(thread_id)
        self._messages.pop(thread_id, None)
        for run in self._runs.pop(thread_id, Collection(self.keyring)):
            self._steps.pop(run["id"], None)
            self._run_messages.pop(run["id"], None)

    def delete_assistant(self, assistant_id: str) -> None:
        """Delete an assistant and its v1 files; runs keep their ``assistant_id``."""
        self.assistants.remove(assistant_id)
        self._assistant_files.pop(assistant_id, None)

    # Files, uploads and vector stores --------------------------------------------------------

    def add_file(self, file: JSONDict, content: bytes) -> JSONDict:
        """Store a File and its bytes."""
        self.files.add(file)
        self.file_contents[file["id"]] = content
        return file

    def upload_parts(self, upload_id: str) -> list[ReceivedPart]:
        """The parts an Upload received, in the order they arrived (a live list)."""
        return self._upload_parts.setdefault(upload_id, [])

    def upload_parts_received(self, upload_id: str | None = None) -> int:
        """How many parts one Upload (or, without ``upload_id``, every Upload) received; a
        retried addUploadPart replayed for its ``Idempotency-Key`` is not counted again."""
        if upload_id is not None:
            return len(self._upload_parts.get(upload_id, []))
        return sum(len(parts) for parts in self._upload_parts.values())

    def vector_store_files(self, vector_store_id: str) -> Collection:
        """Files attached to one vector store."""
        return self._child(self._vector_store_files, vector_store_id)

    def file_batches(self, vector_store_id: str) -> Collection:
        """File batches of one vector store."""
        return self._child(self._file_batches, vector_store_id)

    def batch_files(self, batch_id: str) -> Collection:
        """Files one batch attached (the vector store's own objects) that are still attached."""
        return self._child(self._batch_files, batch_id)

    def delete_vector_store(self, vector_store_id: str) -> None:
        """Delete a vector store with its file attachments and batches (not the Files)."""
        self.vector_stores.remove(vector_store_id)
        self._vector_store_files.pop(vector_store_id, None)
        for batch in self._file_batches.pop(vector_store_id, Collection(self.keyring)):
            self._batch_files.pop(batch["id"], None)
