"""The fake's mutable state: store, runs in flight, scripts, faults, recorded requests."""

from __future__ import annotations

import asyncio
import copy
from collections import deque
from collections.abc import Callable, Iterable
from typing import Any, Literal

import attrs
from multidict import CIMultiDictProxy, MultiMapping

from ._errors import ApiError, not_found
from ._faults import FaultInjector
from ._ids import now
from ._multipart import Form
from ._objects import run_object
from ._quirks import Quirks
from ._ratelimit import TokenBucket
from ._runs import ACTIVE_STATUSES, RunSimulation
from ._scripts import RunScript, ScriptSource
from ._store import Store
from ._vector_stores import ProcessingFailure, detach_everywhere, finish, is_attached, tick

__all__ = [
    "MAX_FILE_BYTES",
    "MAX_PART_BYTES",
    "Clock",
    "RecordedRequest",
    "ServerState",
    "StoredResponse",
]

JSONDict = dict[str, Any]
Clock = Literal["instant", "per_poll", "real"]

#: createFile takes files of at most 512 MB.
MAX_FILE_BYTES = 512 * 1024**2
#: addUploadPart takes parts of at most 64 MB.
MAX_PART_BYTES = 64 * 1024**2


def _expired(file: JSONDict) -> bool:
    expires_at = file.get("expires_at")
    return expires_at is not None and now() >= expires_at


@attrs.frozen
class RecordedRequest:
    """One request as received: raw path (percent-encoding kept), query, headers, body.

    A ``multipart/form-data`` body (createFile, addUploadPart) is read once, into ``form``
    (its parts, files' bytes included); its ``body`` is then empty.
    """

    method: str
    path: str
    query_string: str
    query: MultiMapping[str]
    headers: CIMultiDictProxy[str]
    body: bytes
    json: Any  # the parsed body, or None when empty or not JSON
    form: Form | None = None


@attrs.frozen
class StoredResponse:
    """A response kept for an ``Idempotency-Key``."""

    status: int
    body: bytes
    content_type: str
    headers: dict[str, str]


@attrs.define
class ServerState:
    """Everything the handlers read and change."""

    api_key: str
    require_beta_header: bool = True
    clock: Clock = "instant"
    step_delay: float = 0.05
    event_delay: float = 0.0
    poll_after_ms: int | None = 10
    store: Store = attrs.field(factory=Store)
    faults: FaultInjector = attrs.field(factory=FaultInjector)
    quirks: Quirks = attrs.field(factory=Quirks)
    rate_limiter: TokenBucket | None = None
    requests: list[RecordedRequest] = attrs.field(factory=list)
    idempotent_responses: dict[str, StoredResponse] = attrs.field(factory=dict)
    keys_in_flight: set[str] = attrs.field(factory=set)
    scripts: deque[ScriptSource] = attrs.field(factory=deque)
    default_script: Callable[[], RunScript] = RunScript.reply
    simulations: dict[str, RunSimulation] = attrs.field(factory=dict)
    #: Steps a vector store file takes from ``in_progress`` to done (on the clock).
    processing_steps: int = 1
    processing_failures: list[ProcessingFailure] = attrs.field(factory=list)
    max_file_bytes: int = MAX_FILE_BYTES
    max_part_bytes: int = MAX_PART_BYTES
    _tasks: dict[str, asyncio.Task[None]] = attrs.field(factory=dict)
    _processing_tasks: set[asyncio.Task[None]] = attrs.field(factory=set)

    # Lookups (each raises the API's 404) -------------------------------------------------------

    def assistant(self, assistant_id: str) -> JSONDict:
        """Return a stored assistant."""
        found = self.store.assistants.get(assistant_id)
        if found is None:
            raise not_found("asst", assistant_id)
        return found

    def thread(self, thread_id: str) -> JSONDict:
        """Return a stored thread."""
        found = self.store.threads.get(thread_id)
        if found is None:
            raise not_found("thread", thread_id)
        return found

    def message(self, thread_id: str, message_id: str) -> JSONDict:
        """Return a message of an existing thread."""
        self.thread(thread_id)
        found = self.store.messages(thread_id).get(message_id)
        if found is None:
            raise not_found("msg", message_id)
        return found

    def file(self, file_id: str) -> JSONDict:
        """Return a stored File (one past its ``expires_at`` is gone)."""
        found = self.store.files.get(file_id)
        if found is not None and _expired(found):
            self.delete_file(file_id)
            found = None
        if found is None:
            raise not_found("file", file_id)
        return found

    def upload(self, upload_id: str) -> JSONDict:
        """Return a stored Upload (a pending one past its ``expires_at`` is now ``expired``)."""
        found = self.store.uploads.get(upload_id)
        if found is None:
            raise not_found("upload", upload_id)
        if found["status"] == "pending" and now() >= found["expires_at"]:
            found["status"] = "expired"
        return found

    def vector_store(self, vector_store_id: str) -> JSONDict:
        """Return a stored vector store."""
        found = self.store.vector_stores.get(vector_store_id)
        if found is None:
            raise not_found("vs", vector_store_id)
        return found

    def vector_store_file(self, vector_store_id: str, file_id: str) -> JSONDict:
        """Return a file attached to an existing vector store."""
        self.vector_store(vector_store_id)
        found = self.store.vector_store_files(vector_store_id).get(file_id)
        if found is None:
            raise ApiError(
                404, f"No file found with id '{file_id}' in vector store '{vector_store_id}'."
            )
        return found

    def file_batch(self, vector_store_id: str, batch_id: str) -> JSONDict:
        """Return a file batch of an existing vector store."""
        self.vector_store(vector_store_id)
        found = self.store.file_batches(vector_store_id).get(batch_id)
        if found is None:
            raise not_found("vsfb", batch_id)
        return found

    def purge_expired_files(self) -> None:
        """Delete Files past their ``expires_at`` (detached from every vector store)."""
        expired = [file["id"] for file in self.store.files if _expired(file)]
        for file_id in expired:
            self.delete_file(file_id)

    def delete_file(self, file_id: str) -> None:
        """Delete a File and its bytes, and detach it from every vector store."""
        self.store.files.remove(file_id)
        self.store.file_contents.pop(file_id, None)
        detach_everywhere(self.store, file_id)

    def simulation(self, thread_id: str, run_id: str) -> RunSimulation:
        """Return the simulation of a run of an existing thread."""
        self.thread(thread_id)
        if run_id not in self.store.runs(thread_id):
            raise not_found("run", run_id)
        return self.simulations[run_id]

    def active_run(self, thread_id: str) -> JSONDict | None:
        """Return the thread's newest run if it is still active."""
        run = self.store.runs(thread_id).last()
        return run if run is not None and run["status"] in ACTIVE_STATUSES else None

    def ensure_idle(self, thread_id: str) -> None:
        """Reject a new run while another one is active (the API allows one at a time)."""
        run = self.active_run(thread_id)
        if run is not None:
            raise ApiError(400, f"Thread {thread_id} already has an active run {run['id']}.")

    # Runs ------------------------------------------------------------------------------------

    def next_script(self, thread_id: str) -> RunScript:
        """Pop the next queued script (or use the default) for a new run on ``thread_id``."""
        source = self.scripts.popleft() if self.scripts else self.default_script()
        if isinstance(source, RunScript):
            return source
        result = source([copy.deepcopy(m) for m in self.store.messages(thread_id)])
        return result if isinstance(result, RunScript) else RunScript.reply(result)

    def create_run(
        self,
        thread_id: str,
        assistant: JSONDict,
        options: JSONDict,
        script: RunScript | None = None,
        created_at: int | None = None,
    ) -> RunSimulation:
        """Store a queued run and its simulation."""
        run = run_object(
            thread_id=thread_id, assistant=assistant, options=options, created_at=created_at
        )
        self.store.runs(thread_id).add(run)
        simulation = RunSimulation(
            self.store, run, script if script is not None else self.next_script(thread_id)
        )
        self.simulations[run["id"]] = simulation
        return simulation

    def poll_after_ms_for(self, simulation: RunSimulation) -> int | None:
        """The ``openai-poll-after-ms`` value for a run's responses."""
        if simulation.script.poll_after_ms is not None:
            return simulation.script.poll_after_ms
        return self.poll_after_ms

    def drive(self, simulation: RunSimulation) -> None:
        """Let the clock move a run that was created, resumed or cancelled."""
        if self.clock == "instant":
            simulation.advance_until_blocked()
        elif self.clock == "real":
            run_id = simulation.run["id"]
            task = self._tasks.get(run_id)
            if task is None or task.done():
                self._tasks[run_id] = asyncio.get_running_loop().create_task(
                    self._drive_in_real_time(simulation)
                )

    def polled(self, simulation: RunSimulation) -> None:
        """A GET of the run: the ``per_poll`` clock moves one tick."""
        if self.clock == "per_poll":
            simulation.advance()

    async def _drive_in_real_time(self, simulation: RunSimulation) -> None:
        while simulation.can_advance:
            await asyncio.sleep(self.step_delay)
            simulation.advance()

    # Vector store file processing ---------------------------------------------------------------

    def take_processing_failure(self, file_id: str, filename: str) -> ProcessingFailure | None:
        """The first armed failure matching the file (one of its ``times`` used), or ``None``."""
        for failure in self.processing_failures:
            if failure.matches(file_id, filename):
                if failure.times is not None:
                    failure.times -= 1
                    if failure.times <= 0:
                        self.processing_failures.remove(failure)
                return failure
        return None

    def start_processing(self, vector_store_files: Iterable[JSONDict]) -> None:
        """Let the clock move files that were just attached (call once the answer is built).

        ``instant``: done now (so by the next read); ``per_poll``: nothing until polled;
        ``real``: one step every ``step_delay`` seconds in the background.
        """
        pending = [f for f in vector_store_files if f["status"] == "in_progress"]
        if not pending:
            return
        if self.clock == "instant":
            for vector_store_file in pending:
                finish(self, vector_store_file)
        elif self.clock == "real":
            try:
                loop = asyncio.get_running_loop()
            except RuntimeError:  # set up outside a loop (a factory): reads still see it
                return
            task = loop.create_task(self._process_in_real_time(pending))
            self._processing_tasks.add(task)
            task.add_done_callback(self._processing_tasks.discard)

    def observe(self, vector_store_files: Iterable[JSONDict], *, polled: bool) -> None:
        """A read shows these files: ``instant`` finishes what is still processing (files the
        clock has not seen, e.g. from a factory); a GET of the file, its batch or its store
        (``polled``) moves ``per_poll`` one step."""
        for vector_store_file in list(vector_store_files):
            if vector_store_file["status"] != "in_progress":
                continue
            if self.clock == "instant":
                finish(self, vector_store_file)
            elif self.clock == "per_poll" and polled:
                tick(self, vector_store_file)

    async def _process_in_real_time(self, vector_store_files: list[JSONDict]) -> None:
        while True:
            pending = [
                f
                for f in vector_store_files
                if f["status"] == "in_progress" and is_attached(self.store, f)
            ]
            if not pending:
                return
            await asyncio.sleep(self.step_delay)
            for vector_store_file in pending:
                if is_attached(self.store, vector_store_file):
                    tick(self, vector_store_file)

    async def stop_tasks(self) -> None:
        """Cancel the real-time drivers (runs and file processing)."""
        tasks = [*self._tasks.values(), *self._processing_tasks]
        self._tasks.clear()
        self._processing_tasks.clear()
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
