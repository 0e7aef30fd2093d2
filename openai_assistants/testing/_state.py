"""The fake's mutable state: store, runs in flight, scripts, faults, recorded requests."""

from __future__ import annotations

import asyncio
import copy
from collections import deque
from collections.abc import Callable
from typing import Any, Literal

import attrs
from multidict import CIMultiDictProxy, MultiMapping

from ._errors import ApiError, not_found
from ._faults import FaultInjector
from ._objects import run_object
from ._quirks import Quirks
from ._ratelimit import TokenBucket
from ._runs import ACTIVE_STATUSES, RunSimulation
from ._scripts import RunScript, ScriptSource
from ._store import Store

__all__ = ["Clock", "RecordedRequest", "ServerState", "StoredResponse"]

JSONDict = dict[str, Any]
Clock = Literal["instant", "per_poll", "real"]


@attrs.frozen
class RecordedRequest:
    """One request as received: raw path (percent-encoding kept), query, headers, body."""

    method: str
    path: str
    query_string: str
    query: MultiMapping[str]
    headers: CIMultiDictProxy[str]
    body: bytes
    json: Any  # the parsed body, or None when empty or not JSON


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
    _tasks: dict[str, asyncio.Task[None]] = attrs.field(factory=dict)

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

    async def stop_tasks(self) -> None:
        """Cancel the real-time drivers."""
        tasks = list(self._tasks.values())
        self._tasks.clear()
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
