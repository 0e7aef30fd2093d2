"""The aiohttp session manager and the retry loop around one HTTP exchange.

Rules (headers, status mapping, retry decisions) come from ``sansio``; this module only does I/O:
it owns the session, bounds concurrency with a pool of slots, applies timeouts, retries, and turns
aiohttp's exceptions into ours.
"""

from __future__ import annotations

import abc
import asyncio
import contextlib
import inspect
import logging
from collections.abc import Mapping
from os import urandom as _urandom
from types import TracebackType
from typing import Any, Final, Generic, Protocol, TypeVar, cast

import aiohttp
import attrs
import cattrs
from typing_extensions import Self
from yarl import URL

from .._config import ClientConfig
from .._deadline import Deadline
from .._errors import (
    APIConnectionError,
    APIStatusError,
    APITimeoutError,
    AssistantsError,
    RateLimitError,
    ResponseValidationError,
)
from .._serde import json as _json
from .._serde.converters import converter
from .._serde.reader import decode_json, read
from .._types import RequestOptions
from ..models import ErrorObject
from . import sansio as _sansio
from .hooks import (
    RateLimitHold,
    RequestFailed,
    RequestSent,
    ResponseReceived,
    RetryScheduled,
    emit,
    operation_of,
)
from .ratelimit import Coordinator

__all__ = ["APIResponse", "Exchange", "ExchangeReader", "Form", "SessionManager", "Transport"]

T = TypeVar("T")

logger = logging.getLogger("openai_assistants")


#: 429s one call retries under the coordinator (its hold budget bounds them first, unless a
#: server asks for no wait at all, again and again).
MAX_RATE_LIMITED_RETRIES: Final = 50


@attrs.frozen
class APIResponse(Generic[T]):
    """A parsed result together with the response metadata it came with."""

    data: T
    status_code: int
    headers: Mapping[str, str] = attrs.field(repr=False)
    #: Seconds the rate-limit coordinator held the call before sending it (0 when not held).
    rate_limit_wait: float = 0.0

    @property
    def request_id(self) -> str | None:
        """The server's ``x-request-id`` for this response."""
        return self.headers.get("x-request-id")

    @property
    def rate_limit(self) -> _sansio.RateLimit:
        """The parsed ``x-ratelimit-*`` headers."""
        return _sansio.rate_limit(self.headers)


class Form(Protocol):
    """A ``multipart/form-data`` body: ``build()`` makes it for one attempt (its file parts
    reopened or rewound); ``replayable`` is false for a source that can be read only once."""

    @property
    def replayable(self) -> bool: ...

    def build(self) -> aiohttp.FormData: ...


class Exchange:
    """A successful response and the pool slot it holds until ``close()``."""

    __slots__ = ("_slots", "content", "held", "response")

    def __init__(
        self,
        response: aiohttp.ClientResponse,
        content: bytes | None,
        slots: asyncio.Semaphore,
        held: float = 0.0,
    ) -> None:
        self.response = response
        self.content = content
        self._slots: asyncio.Semaphore | None = slots
        #: Seconds the rate-limit coordinator held the call before sending it.
        self.held = held

    def close(self) -> None:
        """Release the connection (closing it if its body was left unread) and the slot."""
        if self._slots is not None:
            # release() returns a fully read connection to the pool and closes a partly read one.
            self.response.release()
            self._slots.release()
            self._slots = None


class ExchangeReader(abc.ABC):
    """Base of what reads a response as it arrives (a run's event stream, a download).

    The request is sent when it is entered or first read (``_start``); ``close()`` (also on
    leaving ``async with``, and from the finalizer of one abandoned half-read) closes the
    response and frees its pool slot.
    """

    _exchange: Exchange | None
    _finished: bool

    @abc.abstractmethod
    async def _start(self) -> None:
        """Send the request, once; ``_exchange`` holds the answer afterwards."""

    async def __aenter__(self) -> Self:
        await self._start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        """Stop reading: close the response (if unfinished) and free its connection slot."""
        self._finished = True
        if self._exchange is not None:
            self._exchange.close()

    async def aclose(self) -> None:
        """Async spelling of ``close()``."""
        self.close()

    def __del__(self) -> None:
        # One abandoned mid-way (a `break` without `async with`) still frees its slot.
        exchange = getattr(self, "_exchange", None)
        if exchange is not None:
            # A finalizer must not raise (it may run at interpreter exit, loop already gone).
            with contextlib.suppress(Exception):
                exchange.close()


def _closed_error() -> RuntimeError:
    return RuntimeError("this AssistantsClient is closed; create a new one")


class SessionManager:
    """Owns (or borrows) the one ``aiohttp.ClientSession`` and the pool slots of a client.

    The session is created lazily inside the running loop, so a client can be built anywhere. A
    session passed in by the caller is used and never closed here.
    """

    def __init__(self, config: ClientConfig, session: aiohttp.ClientSession | None) -> None:
        self._config = config
        self._session = session
        self._owned = session is None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._slots: asyncio.Semaphore | None = None
        self._closed = False
        #: The server's request budget as this client (and its clones) sees it.
        self.coordinator = Coordinator()

    @property
    def closed(self) -> bool:
        return self._closed

    def acquire(self) -> tuple[aiohttp.ClientSession, asyncio.Semaphore]:
        """The session and slots for the running loop; creates them on first use."""
        loop = asyncio.get_running_loop()
        if self._closed:
            raise _closed_error()
        if self._loop is None:
            if self._session is None:
                connector = aiohttp.TCPConnector(
                    limit=self._config.max_connections,
                    ssl=self._config.verify_ssl,
                )
                self._session = aiohttp.ClientSession(connector=connector)
            self._slots = asyncio.Semaphore(self._config.max_connections)
            self._loop = loop
        elif loop is not self._loop:
            raise RuntimeError(
                "this AssistantsClient was first used in another event loop; aiohttp sessions "
                "are bound to one loop, so create one client per loop (e.g. per asyncio.run)"
            )
        assert self._session is not None
        assert self._slots is not None
        return self._session, self._slots

    async def close(self) -> None:
        """Close the session if we created it. Idempotent."""
        if self._closed:
            return
        self._closed = True
        if self._owned and self._session is not None:
            await self._session.close()


class Transport:
    """Sends requests for one configuration over a (possibly shared) ``SessionManager``."""

    def __init__(self, config: ClientConfig, sessions: SessionManager) -> None:
        self.config = config
        self.sessions = sessions
        self._base_url = config.base_url
        self._base_headers = _sansio.base_headers(config)
        # With a fixed key the whole header set is built once; a key callable is asked per call.
        self._static_headers = (
            {**self._base_headers, **_sansio.auth_headers(config, config.api_key)}
            if isinstance(config.api_key, str)
            else None
        )
        self._exchange_timeout = aiohttp.ClientTimeout(total=config.timeout)
        self._stream_timeout = aiohttp.ClientTimeout(
            total=None, sock_connect=config.timeout, sock_read=config.timeout
        )

    # -- building -----------------------------------------------------------------------------

    async def _headers(self, method: str, options: RequestOptions) -> dict[str, str]:
        if self._static_headers is not None:
            headers = self._static_headers.copy()
        else:
            headers = dict(self._base_headers)
            key = cast(Any, self.config.api_key)()
            if inspect.isawaitable(key):
                key = await key
            if not isinstance(key, str) or not key:
                raise TypeError("the api_key callable must return a non-empty str")
            headers.update(_sansio.auth_headers(self.config, key))
        if method != "GET":
            # The same key on every retry of this call, so the server can drop duplicates.
            # 128 random bits as hex (a uuid4's 122 bits cost a UUID object per call).
            key = options.get("idempotency_key") or "oa-" + _urandom(16).hex()
            headers["Idempotency-Key"] = key
        extra = options.get("extra_headers")
        if extra:
            headers.update(extra)
        return headers

    def _query(
        self, query: Mapping[str, Any] | None, options: RequestOptions
    ) -> list[tuple[str, str]] | None:
        if not query and not options and not self.config.default_query:
            return None
        items: list[tuple[str, str]] = list(self.config.default_query.items())
        if query:
            for key, value in query.items():
                if isinstance(value, (list, tuple)):
                    items.extend((key, str(v)) for v in value)
                else:
                    items.append((key, str(value)))
        extra = options.get("extra_query")
        if extra:
            items.extend(extra.items())
        return items or None

    @staticmethod
    def _body(body: Mapping[str, Any] | None, options: RequestOptions) -> bytes | None:
        extra = options.get("extra_body")
        if extra:
            body = {**(body or {}), **converter.unstructure(dict(extra))}
        if body is None:
            return None
        return _json.dumps(body)

    # -- sending ------------------------------------------------------------------------------

    def _pool_timed_out(self) -> APITimeoutError:
        return APITimeoutError(
            f"timed out after {self.config.pool_timeout}s waiting for a free connection "
            f"(max_connections={self.config.max_connections}); raise pool_timeout or "
            "max_connections, or send fewer requests at once"
        )

    async def _take_slot(self, slots: asyncio.Semaphore) -> None:
        if not slots.locked():
            await slots.acquire()
        else:
            # A deadline on the waiting task, not ``asyncio.wait_for``: on 3.10 that wraps every
            # queued request in a task of its own, which at thousands of queued calls doubles the
            # time the loop spends starting them (and the latency of every request in flight).
            await Deadline(self.config.pool_timeout).run(slots.acquire(), self._pool_timed_out)
        if self.sessions.closed:  # closed while this call waited for a slot or to retry
            slots.release()
            raise _closed_error()

    async def send(
        self,
        method: str,
        path: str,
        *,
        query: Mapping[str, Any] | None = None,
        body: Mapping[str, Any] | None = None,
        options: RequestOptions | None = None,
        stream: bool = False,
        form: Form | None = None,
    ) -> Exchange:
        """Send with retries; return the successful exchange, which holds a pool slot.

        Without ``stream`` the body has been read into ``Exchange.content``; with it, the caller
        reads ``response.content``. Either way the caller must ``close()`` the exchange (a
        sync call, so it also works from ``finally`` blocks and finalizers). Error statuses
        raise the mapped ``APIStatusError``. ``form`` sends a ``multipart/form-data`` body
        instead of JSON, built afresh for each attempt (see ``Form``).
        """
        options = options or {}
        session, slots = self.sessions.acquire()
        url = URL(self._base_url + path, encoded=True)
        params = self._query(query, options)
        data: Any = self._body(body, options)
        headers = await self._headers(method, options)
        if data is not None:
            headers["Content-Type"] = "application/json"
        timeout = options.get("timeout", self.config.timeout)
        if timeout == self.config.timeout:
            client_timeout = self._stream_timeout if stream else self._exchange_timeout
        elif stream:
            client_timeout = aiohttp.ClientTimeout(sock_connect=timeout, sock_read=timeout)
        else:
            client_timeout = aiohttp.ClientTimeout(total=timeout)
        max_retries = options.get("max_retries", self.config.max_retries)
        coordinator = self.sessions.coordinator if self.config.rate_limit_coordination else None
        hooks = self.config.hooks
        operation = operation_of(method, path) if hooks else ""
        tries = -1
        # A call is held for the rate limit at most this long in all (then RateLimitError).
        hold_budget = timeout if timeout is not None else self.config.max_wait
        loop = asyncio.get_running_loop()
        held = 0.0
        attempt = redirects = rate_limited = 0
        while True:
            error: AssistantsError
            server_wait: float | None = None
            retryable = True
            sequence = 0
            if coordinator is not None:
                wait, sequence = coordinator.reserve(loop.time())
                if wait > 0:
                    if hold_budget is not None and held + wait > hold_budget:
                        coordinator.give_back()
                        raise _held_too_long(method, path, wait, held)
                    held += wait
                    logger.debug("holding %s %s %.3fs for the rate limit", method, path, wait)
                    if hooks:
                        emit(hooks, RateLimitHold(method, path, operation, wait))
                    await _hold(wait)
            await self._take_slot(slots)
            tries += 1
            if form is not None:
                data = form.build()  # a fresh body: the previous attempt consumed its streams
            if hooks:
                emit(hooks, RequestSent(method, path, operation, tries, str(url)))
                sent_at = loop.time()
            if logger.isEnabledFor(logging.DEBUG):
                logger.debug(
                    "-> %s %s headers=%s", method, url.with_query(None), _sansio.redact(headers)
                )
            response: aiohttp.ClientResponse | None = None
            try:
                response = await session.request(
                    method,
                    url,
                    params=params,
                    data=data,
                    headers=headers,
                    timeout=client_timeout,
                    allow_redirects=False,  # followed below, and only within the same origin
                )
                ok = response.status < 300
                content = None if ok and stream else await response.read()
            except (asyncio.TimeoutError, aiohttp.ServerTimeoutError):
                error = APITimeoutError(
                    f"{method} {path} timed out after {timeout}s",
                    method=method,
                    url=str(url.with_query(None)),
                )
                if hooks:
                    failed = RequestFailed(
                        method, path, operation, tries, type(error).__name__, str(error)
                    )
                    emit(hooks, failed)
            except (aiohttp.ClientError, OSError) as exc:
                error = APIConnectionError(
                    f"{method} {path} failed: {type(exc).__name__}: {exc}",
                    method=method,
                    url=str(url.with_query(None)),  # a query may hold a key (default_query)
                )
                if hooks:
                    failed = RequestFailed(
                        method, path, operation, tries, type(error).__name__, str(error)
                    )
                    emit(hooks, failed)
            except BaseException as exc:  # cancelled: give back what we hold, then propagate
                if response is not None:
                    response.close()
                slots.release()
                if hooks:
                    name = type(exc).__name__
                    emit(hooks, RequestFailed(method, path, operation, tries, name, name))
                raise
            else:
                self._log(method, url, response)
                if hooks:
                    emit(
                        hooks,
                        ResponseReceived(
                            method,
                            path,
                            operation,
                            tries,
                            response.status,
                            response.headers.get("x-request-id"),
                            loop.time() - sent_at,
                        ),
                    )
                if coordinator is not None:
                    coordinator.observe(
                        loop.time(),
                        sequence,
                        response.status,
                        response.headers,
                        _sansio.retry_after(response.headers) if response.status == 429 else None,
                    )
                if ok:
                    return Exchange(response, content, slots, held)
                assert content is not None
                if response.status < 400:
                    target = _sansio.redirect_target(url, response.headers.get("Location"))
                    response.release()
                    slots.release()
                    if target is not None and redirects < _sansio.MAX_REDIRECTS:
                        redirects += 1
                        url, params = target, None  # the Location carries its own query
                        continue
                    raise self._redirect_error(response, content)
                error = self._status_error(response, content)
                retryable = _sansio.should_retry(response.status, response.headers)
                server_wait = _sansio.retry_after(response.headers)
                if server_wait is not None and server_wait > _sansio.MAX_RETRY_AFTER:
                    retryable = False
            if response is not None:
                response.release()
            slots.release()
            if (
                coordinator is not None
                and isinstance(error, RateLimitError)
                and retryable
                and rate_limited < MAX_RATE_LIMITED_RETRIES
            ):
                # The coordinator holds the retry (and every other call) for the server's wait;
                # it is bounded by the call's hold budget, not by max_retries.
                rate_limited += 1
                logger.info("retrying %s %s after a rate limit: %s", method, path, error)
                if hooks:  # the hold, if any, follows as its own event
                    emit(hooks, RetryScheduled(method, path, operation, tries, str(error), 0.0))
                continue
            if form is not None and not form.replayable:
                retryable = False  # its source (an async iterator) cannot be read twice
            if not retryable or attempt >= max_retries:
                raise self._final(error)
            delay = _sansio.retry_delay(attempt, server_wait)
            logger.info("retrying %s %s in %.2fs after: %s", method, path, delay, error)
            if hooks:
                emit(hooks, RetryScheduled(method, path, operation, tries, str(error), delay))
            attempt += 1
            await _sleep(delay)

    def _final(self, error: AssistantsError) -> AssistantsError:
        """The error to raise: strict reading turns an error body that leaves the spec into a
        ``ResponseValidationError`` (the status error is its ``__cause__``)."""
        if not self.config.strict or not isinstance(error, APIStatusError):
            return error
        problems = _sansio.error_body_problems(error.body)
        if not problems:
            return error
        strict = ResponseValidationError(
            f"the {error.status_code} error body does not fit the spec's error object "
            f"({problems[0]}); the server said: {error.message}",
            errors=problems,
            body=error.body,
            request_id=error.request_id,
        )
        strict.__cause__ = error
        return strict

    def _redirect_error(self, response: aiohttp.ClientResponse, raw: bytes) -> APIStatusError:
        error = self._status_error(response, raw)
        error.message = (
            f"the server redirected ({response.status}) to {response.headers.get('Location')!r}; "
            "only redirects within the same origin are followed (at most "
            f"{_sansio.MAX_REDIRECTS}), so credentials never go to another host"
        )
        error.args = (error.message,)
        return error

    def _status_error(self, response: aiohttp.ClientResponse, raw: bytes) -> APIStatusError:
        text = raw.decode("utf-8", "replace")
        body: Any
        try:
            body = _json.loads(text)
        except ValueError:
            body = text
        return _sansio.status_error(
            response.status,
            response.headers,
            body,
            reason=response.reason or "",
            error_model=_error_object,
        )

    @staticmethod
    def _log(method: str, url: URL, response: aiohttp.ClientResponse) -> None:
        if logger.isEnabledFor(logging.DEBUG):
            # The URL never holds the key and headers are not logged, so nothing to redact here.
            logger.debug(
                "%s %s -> %d (request id %s)",
                method,
                url.with_query(None),
                response.status,
                response.headers.get("x-request-id"),
            )

    async def request(
        self,
        method: str,
        path: str,
        *,
        cast_to: Any,
        query: Mapping[str, Any] | None = None,
        body: Mapping[str, Any] | None = None,
        options: RequestOptions | None = None,
        form: Form | None = None,
    ) -> APIResponse[Any]:
        """One call: send with retries, then parse the JSON body into ``cast_to``."""
        exchange = await self.send(method, path, query=query, body=body, options=options, form=form)
        exchange.close()
        headers = exchange.response.headers
        assert exchange.content is not None
        data = decode_json(exchange.content, headers)
        parsed = read(
            data, cast_to, strict=self.config.strict, request_id=headers.get("x-request-id")
        )
        return APIResponse(parsed, exchange.response.status, headers, exchange.held)


def _held_too_long(method: str, path: str, wait: float, held: float) -> RateLimitError:
    """A call the rate limit would hold past its budget (its timeout, else max_wait)."""
    return RateLimitError(
        f"{method} {path} would wait {held + wait:.2f}s for the server's rate limit, more than "
        "its timeout allows; retry after retry_after seconds, or raise the timeout",
        status_code=429,
        request_id=None,
        body=None,
        retry_after=wait,
    )


def _error_object(raw: Any) -> Any:
    """The API's error dict as an ``ErrorObject``; the raw dict when it does not fit."""
    try:
        return converter.structure(raw, ErrorObject)
    except (cattrs.BaseValidationError, TypeError, ValueError):
        return raw


async def _sleep(delay: float) -> None:
    """Wait between retries (a seam tests patch to run retries without waiting)."""
    await asyncio.sleep(delay)


async def _hold(delay: float) -> None:
    """Wait for the rate limit before sending (a seam of its own, apart from retry waits)."""
    await asyncio.sleep(delay)
