"""``AssistantStream``: a run's server-sent events as typed ``StreamEvent`` objects.

The stream is an async context manager and an async iterator. The request is sent when it is
entered (or first iterated). It ends at ``data: [DONE]``; a connection that closes before that,
or before a final run event, raises ``StreamInterruptedError`` with what was accumulated; an
``error`` event raises ``StreamError``. Leaving early (``break``, an exception, cancellation)
closes the response and frees its pool slot.
"""

from __future__ import annotations

import asyncio
import weakref
from collections import deque
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping, Sequence
from functools import partial
from typing import Any, TypeVar

import aiohttp

from .._deadline import Deadline
from .._errors import (
    ResponseValidationError,
    RunTimeoutError,
    StreamInterruptedError,
    StreamNotSupportedError,
    StreamTimeoutError,
)
from .._http.hooks import Hook, StreamClosed, StreamOpened, emit
from .._http.transport import Exchange, ExchangeReader
from .._serde.lenient import log_deviations
from .._serde.reader import decode_json
from ..models import Deviation, Message, MessageDelta, Run, RunStep, TextDeltaContent
from .accumulator import Accumulator
from .events import (
    EVENT_KINDS,
    TERMINAL_RUN_EVENTS,
    StreamEvent,
    decode_raw,
    deferred_event,
    make_event,
    typed,
)
from .sse import ServerSentEvent, SSEDecoder

__all__ = ["AssistantStream"]

#: Opens the HTTP exchange (sends the request); called once, on first use.
Opener = Callable[[], Awaitable[Exchange]]
#: Given a run that stopped at ``requires_action``, opens the request that continues it (a tool
#: loop's submit-tool-outputs stream), or returns ``None`` to end the stream there.
Continuation = Callable[[Run], Awaitable[Exchange | None]]

T = TypeVar("T")


class AssistantStream(ExchangeReader):
    """The events of one streamed run request, with snapshots built as they arrive."""

    def __init__(
        self,
        opener: Opener,
        *,
        continuation: Continuation | None = None,
        max_wait: float | None = None,
        strict: bool = False,
        hooks: Sequence[Hook] = (),
    ) -> None:
        self._opener: Opener | None = opener
        self._strict = strict
        self._hooks = hooks
        #: What the hooks were told: "" (nothing yet), "opened", "closed".
        self._told = ""
        #: How the stream ended, for the hooks: "done", "error" or "closed" (left early).
        self._end = "closed"
        self._continuation = continuation
        self._max_wait = max_wait
        #: ``max_wait`` as a deadline (from the first use) and the one timer that enforces it
        #: while the stream is read (closing the response, which wakes the pending read).
        self._deadline: Deadline | None = None
        self._timer: asyncio.TimerHandle | None = None
        self._expired = False
        self._exchange: Exchange | None = None
        self._request_id: str | None = None
        self._decoder = SSEDecoder()
        self._pending: deque[ServerSentEvent] = deque()
        self._finished = False
        self._saw_terminal = False
        self._events = 0
        #: The run, message and step snapshots (kept across a tool loop's chained requests).
        self.accumulator = Accumulator(strict=strict)
        #: How the stream itself left the spec, and events left out because their data could
        #: not be read at all (lenient reading; with ``strict=True`` each raises). Deviations
        #: inside readable events are on their objects.
        self.deviations: list[Deviation] = []

    def __repr__(self) -> str:
        state = "finished" if self._finished else "open" if self._exchange else "not started"
        return f"<AssistantStream {state}, {self._events} events, run {self.accumulator.run_id}>"

    # -- snapshots ------------------------------------------------------------------------------

    @property
    def current_run(self) -> Run | None:
        """The latest ``Run`` the stream carried."""
        return self.accumulator.current_run

    @property
    def messages(self) -> list[Message]:
        """Message snapshots built from the events so far (deltas merged by ``index``)."""
        return self.accumulator.messages

    @property
    def run_steps(self) -> list[RunStep]:
        """Run-step snapshots built from the events so far."""
        return self.accumulator.run_steps

    @property
    def request_id(self) -> str | None:
        """The server's ``x-request-id`` for the streaming request, once it was sent."""
        return self._request_id

    # -- lifecycle ------------------------------------------------------------------------------

    def close(self) -> None:
        """Stop reading: close the response (if unfinished) and free its connection slot."""
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        super().close()
        if self._exchange is not None and self._told == "opened":
            self._told = "closed"
            emit(self._hooks, StreamClosed(self.request_id, self._events, self._end))

    async def _start(self) -> None:
        if self._opener is None:
            return
        opener, self._opener = self._opener, None
        if self._max_wait is not None:
            self._deadline = Deadline(self._max_wait)
            # A weak reference: an abandoned stream must still be collectable (and so closed).
            self._timer = self._deadline.at_expiry(partial(_expire, weakref.ref(self)))
        self._exchange = await self._within_deadline(opener())
        self._request_id = self._exchange.response.headers.get("x-request-id")
        await self._check_streaming(self._exchange)
        if self._hooks:
            self._told = "opened"
            emit(self._hooks, StreamOpened(self.request_id))

    async def _check_streaming(self, exchange: Exchange) -> None:
        """A server that ignores ``stream: true`` answers with JSON: say so, with what it sent."""
        content_type = exchange.response.headers.get("Content-Type", "").lower()
        if "json" not in content_type:
            return
        try:
            content = await self._within_deadline(exchange.response.read())
        finally:
            exchange.close()  # (in a tool loop, not yet the stream's own exchange)
            self.close()
        raise not_streaming(content, content_type, exchange.response.headers)

    async def _within_deadline(self, awaitable: Awaitable[T]) -> T:
        """One step outside the reading (opening, continuing) under the stream's deadline."""
        if self._deadline is None:
            return await awaitable
        return await self._deadline.run(awaitable, self._timed_out)

    def _timed_out(self) -> RunTimeoutError:
        run = self.current_run
        return RunTimeoutError(
            f"the run did not finish within max_wait={self._max_wait}s "
            f"(last status {run.status if run else 'unknown'!r})",
            run=run,
        )

    def _expire(self) -> None:
        """The deadline passed: mark it and close the response, so a pending read wakes up."""
        self._timer = None
        self._expired = True
        if self._exchange is not None:
            self._exchange.close()

    async def _end_of_request(self) -> None:
        """One request's events are over: continue the run if a tool loop says so, else stop."""
        run = self.current_run
        if self._continuation is None or run is None or run.status != "requires_action":
            raise StopAsyncIteration
        exchange = await self._within_deadline(self._continuation(run))
        if exchange is None:
            raise StopAsyncIteration
        await self._check_streaming(exchange)
        assert self._exchange is not None
        self._exchange.close()
        self._exchange = exchange
        self._request_id = exchange.response.headers.get("x-request-id")
        self._decoder = SSEDecoder()
        self._pending.clear()
        self._saw_terminal = False

    # -- iteration ------------------------------------------------------------------------------

    def __aiter__(self) -> AssistantStream:
        return self

    async def __anext__(self) -> StreamEvent:
        while True:
            name, raw = await self._next_raw()
            if not self._strict:
                event = deferred_event(name, raw, self.request_id, self._run_id_of(name, raw))
                if event is not None:
                    return event
            try:
                data = typed(name, raw, self.request_id, strict=self._strict)
            except ResponseValidationError as exc:
                if self._strict:
                    self.close()
                    raise
                self._leave_out(name, raw, exc)
                continue
            except BaseException:
                self.close()
                raise
            return make_event(name, data, self._run_id_of(name, raw))

    def _leave_out(self, name: str, raw: Any, exc: ResponseValidationError) -> None:
        """One event that cannot be read does not cost the stream: record it, go on."""
        deviation = Deviation(f"{name}:$", f"{'; '.join(exc.errors)}; event left out", raw)
        self.deviations.append(deviation)
        log_deviations("stream event", [deviation])

    def _deviate(self, path: str, problem: str) -> None:
        """The stream itself left the spec: strict reading raises, lenient reading records it
        (once per stream)."""
        if self._strict:
            raise ResponseValidationError(
                f"the stream does not follow the spec: {problem}",
                errors=[f"{problem} @ {path}"],
                body=None,
                request_id=self.request_id,
            )
        if all(d.problem != problem for d in self.deviations):
            deviation = Deviation(path, problem)
            self.deviations.append(deviation)
            log_deviations("stream", [deviation])

    async def _next_raw(self) -> tuple[str, Any]:
        """The next event's name and decoded JSON; closes the stream on any way out."""
        if self._finished:
            raise StopAsyncIteration
        try:
            return await self._advance()
        except BaseException as exc:  # StopAsyncIteration, errors and cancellation alike
            self._end = "done" if isinstance(exc, StopAsyncIteration) else "error"
            self.close()
            raise

    async def _advance(self) -> tuple[str, Any]:
        await self._start()
        assert self._exchange is not None
        while True:
            while self._pending:
                sse = self._pending.popleft()
                name, data = sse.event, sse.data
                if data == "[DONE]" or name == "done":
                    await self._end_of_request()
                    break
                if name == "message" and not data.strip():
                    continue  # keep-alive
                try:
                    raw = decode_raw(name, data, self.request_id)
                except ResponseValidationError as exc:  # a known event whose data is not JSON
                    if self._strict:
                        raise
                    self._leave_out(name, data, exc)
                    continue
                if name == "message" and _is_envelope(raw):
                    # No "event:" lines; each data line wraps {"event": ..., "data": ...}.
                    self._deviate("$", "events without 'event:' lines, each wrapped in its data")
                    name, raw = raw["event"], raw["data"]
                    if name == "done" or raw == "[DONE]":
                        await self._end_of_request()
                        break
                self._events += 1
                self.accumulator.add(name, raw)
                if name in TERMINAL_RUN_EVENTS:
                    self._saw_terminal = True
                return name, raw
            chunk = await self._read(self._exchange.response)
            if chunk:
                self._pending.extend(self._decoder.feed(chunk))
                continue
            self._pending.extend(self._decoder.close())
            if self._pending:
                continue
            if self._saw_terminal:  # some servers just close after the final run event
                self._deviate("$", "the stream closed after its final run event without [DONE]")
                await self._end_of_request()
                continue
            raise StreamInterruptedError(
                f"the stream closed after {self._events} events without a final run event or "
                "[DONE]; `partial` holds what arrived",
                partial=self.accumulator,
            )

    def _run_id_of(self, name: str, raw: Any) -> str | None:
        if raw.__class__ is dict:
            run_id = raw.get("id") if EVENT_KINDS.get(name) == "run" else raw.get("run_id")
            if run_id.__class__ is str:
                return run_id
        return self.accumulator.run_id

    async def _read(self, response: aiohttp.ClientResponse) -> bytes:
        if self._expired:
            raise self._timed_out()
        try:
            chunk = await response.content.readany()
        except (asyncio.TimeoutError, aiohttp.ServerTimeoutError):
            if self._expired:
                raise self._timed_out() from None
            raise StreamTimeoutError(
                f"the stream went silent (no data within the timeout) after {self._events} "
                "events; `partial` holds what arrived",
                partial=self.accumulator,
            ) from None
        except (aiohttp.ClientError, OSError) as exc:
            if self._expired:
                raise self._timed_out() from None
            raise StreamInterruptedError(
                f"the stream broke after {self._events} events ({type(exc).__name__}: {exc}); "
                "`partial` holds what arrived",
                partial=self.accumulator,
            ) from exc
        if self._expired:  # closed by the deadline: the end of the data is not the stream's end
            raise self._timed_out()
        return chunk

    # -- conveniences ---------------------------------------------------------------------------

    async def text_deltas(self) -> AsyncIterator[str]:
        """Consume the stream, yielding each piece of message text as it arrives.

        The fast path: text is read straight from each delta's JSON, without building models
        (the snapshots are still built, on demand). A delta whose JSON does not have the
        documented shape is structured instead, which raises ``ResponseValidationError``.
        """
        while True:
            try:
                name, raw = await self._next_raw()
            except StopAsyncIteration:
                return
            if name != "thread.message.delta":
                continue
            try:
                parts = raw["delta"]["content"]
                texts = [
                    part["text"]["value"]
                    for part in parts
                    if part["type"] == "text" and part.get("text") and part["text"].get("value")
                ]
                if not all(type(text) is str for text in texts):
                    raise TypeError("text value is not a string")
            except (KeyError, TypeError, AttributeError):
                delta: MessageDelta = typed(name, raw, self.request_id, strict=self._strict)
                texts = [
                    part.text.value
                    for part in delta.delta.content
                    if isinstance(part, TextDeltaContent) and part.text and part.text.value
                ]
            for text in texts:
                yield text

    async def until_done(self) -> None:
        """Consume the rest of the stream."""
        async for _ in self:
            pass

    async def final_run(self) -> Run:
        """Consume the rest of the stream and return the last run it carried."""
        await self.until_done()
        if self.current_run is None:
            raise StreamInterruptedError(
                "the stream ended without carrying a run", partial=self.accumulator
            )
        return self.current_run

    async def final_messages(self) -> list[Message]:
        """Consume the rest of the stream and return its message snapshots."""
        await self.until_done()
        return self.messages

    async def final_run_steps(self) -> list[RunStep]:
        """Consume the rest of the stream and return its run-step snapshots."""
        await self.until_done()
        return self.run_steps


def _expire(stream: weakref.ref[AssistantStream]) -> None:
    live = stream()
    if live is not None:
        live._expire()


def _is_envelope(raw: Any) -> bool:
    return raw.__class__ is dict and raw.get("event").__class__ is str and "data" in raw


def not_streaming(
    content: bytes, content_type: str, headers: Mapping[str, str]
) -> StreamNotSupportedError:
    """The error for a stream request answered with a plain body, naming what came back."""
    request_id = headers.get("x-request-id")
    try:
        body: Any = decode_json(content, headers)
    except ResponseValidationError:
        body = content.decode("utf-8", "replace")
    what = f"{content_type or 'no content type'}"
    if isinstance(body, Mapping) and isinstance(body.get("object"), str):
        what += f": a {body['object']} object"
        if body.get("id") is not None:
            what += f" (id {body['id']!r}"
            what += f", status {body['status']!r})" if "status" in body else ")"
        if body["object"] == "thread.run":
            what += "; the run was created: follow it with runs.poll(thread_id, run_id)"
    return StreamNotSupportedError(
        f"the server answered a stream request without streaming ({what})",
        errors=[f"expected text/event-stream, got {content_type or 'no content type'} @ $"],
        body=body,
        request_id=request_id,
    )
