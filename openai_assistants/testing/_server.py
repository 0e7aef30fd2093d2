"""``FakeAssistantsServer``: runs the fake on a local port and exposes its test controls."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from types import TracebackType
from typing import TYPE_CHECKING, Any

from aiohttp import web

from ._app import make_app
from ._factories import Factories
from ._faults import AppliedFault, ArmedFault, Fault
from ._quirks import Quirk, Quirks
from ._ratelimit import TokenBucket
from ._scripts import RunScript, ScriptSource
from ._state import Clock, RecordedRequest, ServerState
from ._store import ReceivedPart, Store
from ._vector_stores import ProcessingErrorCode, ProcessingFailure

if TYPE_CHECKING:
    from openai_assistants import AssistantsClient

__all__ = ["FakeAssistantsServer"]


class FakeAssistantsServer:
    """An in-process fake of the Assistants API (v1 and v2) on ``http://HOST:PORT/v1``.

    ``clock`` sets how runs move: ``instant`` (to the end, or to ``requires_action``, right
    after the create response), ``per_poll`` (one step per GET of the run) or ``real`` (one
    step every ``step_delay`` seconds). ``poll_after_ms`` is sent as ``openai-poll-after-ms``
    on run responses (``None``: no header); ``event_delay`` spaces out stream events.
    ``quirks`` (names from ``QUIRKS``, or ``Quirk`` objects) make it answer like a real server
    that deviates from the spec in those ways. ``rate_limit`` (requests per second, bursts up to
    that many) answers like a rate-limited server: ``x-ratelimit-*`` headers on every answer,
    429 with ``retry-after-ms`` and ``Retry-After`` beyond it.

    Files, Uploads and Vector stores are served too (no ``OpenAI-Beta`` needed). A file attached
    to a vector store is ``in_progress`` for ``processing_steps`` steps of the same clock:
    ``instant`` finishes it right after the answer that attached it (so by the next read);
    ``per_poll`` takes one step per GET of the file, of its batch or of its store; ``real``
    takes one step every ``step_delay`` seconds. :meth:`fail_processing` makes files fail.
    """

    def __init__(
        self,
        api_key: str = "sk-fake",
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        require_beta_header: bool = True,
        clock: Clock = "instant",
        step_delay: float = 0.05,
        event_delay: float = 0.0,
        poll_after_ms: int | None = 10,
        quirks: Iterable[str | Quirk] = (),
        rate_limit: float | None = None,
        processing_steps: int = 1,
    ) -> None:
        if processing_steps < 1:
            raise ValueError(f"processing_steps must be at least 1, got {processing_steps}")
        self.host = host
        self.port = port
        self.state = ServerState(
            api_key=api_key,
            require_beta_header=require_beta_header,
            clock=clock,
            step_delay=step_delay,
            event_delay=event_delay,
            poll_after_ms=poll_after_ms,
            quirks=Quirks(quirks),
            rate_limiter=None if rate_limit is None else TokenBucket(rate_limit),
            processing_steps=processing_steps,
        )
        self.factories = Factories(self.state)
        self._runner: web.AppRunner | None = None

    # Lifecycle --------------------------------------------------------------------------------

    async def start(self) -> None:
        """Listen on ``host:port`` (port 0 picks a free one)."""
        if self._runner is not None:
            return
        runner = web.AppRunner(make_app(self.state), access_log=None, shutdown_timeout=1.0)
        await runner.setup()
        site = web.TCPSite(runner, self.host, self.port)
        await site.start()
        self._runner = runner
        self.port = int(runner.addresses[0][1])

    async def close(self) -> None:
        """Stop the background run drivers and the listener."""
        await self.state.stop_tasks()
        if self._runner is not None:
            runner, self._runner = self._runner, None
            await runner.cleanup()

    async def __aenter__(self) -> FakeAssistantsServer:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.close()

    # Addresses --------------------------------------------------------------------------------

    @property
    def url(self) -> str:
        """The server root, e.g. ``http://127.0.0.1:54321``."""
        return f"http://{self.host}:{self.port}"

    @property
    def base_url(self) -> str:
        """The API base URL clients use: ``<url>/v1``."""
        return f"{self.url}/v1"

    @property
    def api_key(self) -> str:
        """The key requests must carry."""
        return self.state.api_key

    def client(self, **kwargs: Any) -> AssistantsClient:
        """An SDK client pointed at this server (extra keywords go to the client)."""
        from openai_assistants import AssistantsClient  # lazy: the server stays client-free

        kwargs.setdefault("api_key", self.api_key)
        kwargs.setdefault("base_url", self.base_url)
        return AssistantsClient(**kwargs)

    # Settings tests change on the fly -----------------------------------------------------------

    @property
    def clock(self) -> Clock:
        """How runs move (see the class docstring)."""
        return self.state.clock

    @clock.setter
    def clock(self, value: Clock) -> None:
        self.state.clock = value

    @property
    def poll_after_ms(self) -> int | None:
        """The ``openai-poll-after-ms`` hint of run responses (scripts may override it)."""
        return self.state.poll_after_ms

    @poll_after_ms.setter
    def poll_after_ms(self, value: int | None) -> None:
        self.state.poll_after_ms = value

    @property
    def quirks(self) -> tuple[Quirk, ...]:
        """The quirks in effect (see ``QUIRKS``)."""
        return self.state.quirks.chosen

    @quirks.setter
    def quirks(self, value: Iterable[str | Quirk]) -> None:
        self.state.quirks = Quirks(value)

    @property
    def rate_limit(self) -> float | None:
        """Requests per second the fake admits (``None``: no limit)."""
        limiter = self.state.rate_limiter
        return None if limiter is None else limiter.rate

    @rate_limit.setter
    def rate_limit(self, value: float | None) -> None:
        self.state.rate_limiter = None if value is None else TokenBucket(value)

    @property
    def processing_steps(self) -> int:
        """Steps of the clock a vector store file takes to finish processing (at least 1)."""
        return self.state.processing_steps

    @processing_steps.setter
    def processing_steps(self, value: int) -> None:
        if value < 1:
            raise ValueError(f"processing_steps must be at least 1, got {value}")
        self.state.processing_steps = value

    @property
    def event_delay(self) -> float:
        """Seconds between stream events."""
        return self.state.event_delay

    @event_delay.setter
    def event_delay(self, value: float) -> None:
        self.state.event_delay = value

    # Inspection -------------------------------------------------------------------------------

    @property
    def store(self) -> Store:
        """Direct access to the stored objects (v2 shape, private ``_`` keys included)."""
        return self.state.store

    @property
    def requests(self) -> list[RecordedRequest]:
        """Every request received, in order."""
        return self.state.requests

    def upload_parts(self, upload_id: str) -> list[ReceivedPart]:
        """The Parts an Upload received, in the order they arrived (a copy).

        A retried addUploadPart replayed for its ``Idempotency-Key`` adds none.
        """
        return list(self.state.store.upload_parts(upload_id))

    def file_content(self, file_id: str) -> bytes:
        """The bytes stored for a File (``KeyError`` if there is no such file)."""
        return self.state.store.file_contents[file_id]

    # Scripts and faults -----------------------------------------------------------------------

    def script(self, *scripts: ScriptSource) -> None:
        """Queue scripts; each new run takes the next one (then the default reply)."""
        self.state.scripts.extend(scripts)

    def set_default_script(self, factory: Callable[[], RunScript]) -> None:
        """Use ``factory()`` for runs once the queue is empty."""
        self.state.default_script = factory

    def inject(
        self,
        fault: Fault,
        *,
        times: int | None = 1,
        method: str | None = None,
        path: str | None = None,
        probability: float = 1.0,
        seed: int | None = None,
    ) -> ArmedFault:
        """Arm a fault for the next ``times`` requests matching ``method`` and ``path`` regex.

        With ``probability`` below 1 each matching request is hit only with that probability,
        drawn from ``random.Random(seed)``; a miss does not count against ``times``.
        """
        return self.state.faults.arm(
            fault, times=times, method=method, path=path, probability=probability, seed=seed
        )

    def clear_faults(self) -> None:
        """Disarm every fault."""
        self.state.faults.clear()

    def fail_processing(
        self,
        match: str,
        *,
        code: ProcessingErrorCode = "server_error",
        message: str | None = None,
        times: int | None = None,
    ) -> ProcessingFailure:
        """Make vector store processing fail for matching files from now on.

        ``match`` is a File id or a filename pattern (``fnmatch``: ``"scan.pdf"``, ``"*.png"``).
        A matching file ends ``failed`` with ``last_error`` ``{code, message}`` (``code``:
        ``server_error``, ``unsupported_file`` or ``invalid_file``; a default message per code)
        and counts in ``file_counts.failed``. ``times`` limits how many files fail (``None``:
        all). Files already processing fail too when they finish.
        """
        failure = ProcessingFailure(match, code, message, times)
        self.state.processing_failures.append(failure)
        return failure

    def clear_processing_failures(self) -> None:
        """Forget every :meth:`fail_processing`."""
        self.state.processing_failures.clear()

    @property
    def applied_faults(self) -> list[AppliedFault]:
        """Every fault that took effect, with its request, in order (``one_of``: the fault drawn).

        A stream fault counts only once the stream was actually cut (or the error sent); a
        ``drop_connection(after_handling=True)`` only when there was an answer left to drop.
        """
        return self.state.faults.applied
