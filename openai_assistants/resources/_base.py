"""Shared plumbing: each service method hands its path, parameters and return type here."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import Any, Concatenate, Generic, Literal, TypeVar, cast

from typing_extensions import ParamSpec

from .._http.sansio import check_id
from .._http.transport import APIResponse, Transport
from .._serde.reader import read
from .._streaming.stream import AssistantStream
from .._types import NotGiven, RequestOptions
from ._pagination import AsyncPager, Page, check_list_params, parse_page
from ._params import build_body, check_version

__all__ = ["Service", "WithResponse", "streamed"]

T = TypeVar("T")
S = TypeVar("S", bound="Service")
P = ParamSpec("P")
Mode = Literal["data", "response", "stream"]


def streamed(
    method: Callable[Concatenate[S, P], Awaitable[Any]],
) -> Callable[Concatenate[S, P], AssistantStream]:
    """The streaming twin of a run-starting method: same parameters, returns a stream.

    Nothing is sent until the stream is entered or iterated; bad arguments raise then, still
    before any request.
    """

    def stream(self: S, /, *args: P.args, **kwargs: P.kwargs) -> AssistantStream:
        streaming = type(self)(self._t, mode="stream")
        config = self._t.config
        return AssistantStream(
            lambda: method(streaming, *args, **kwargs), strict=config.strict, hooks=config.hooks
        )

    stream.__name__ = f"{method.__name__}_stream"
    stream.__qualname__ = f"{method.__qualname__}_stream"
    stream.__doc__ = f"Like ``{method.__name__}``, streamed: returns an ``AssistantStream``."
    return stream


class WithResponse(Generic[S]):
    """Typing view of ``service.with_response``: each method returns an ``APIResponse``.

    At run time this is the service itself in "with response" mode; the type only records that
    its coroutines resolve to ``APIResponse`` (whose ``data`` is the usual model).
    """

    def __getattr__(self, name: str) -> Callable[..., Awaitable[APIResponse[Any]]]:
        raise AttributeError(name)  # pragma: no cover - never instantiated


class Service:
    """Base of the per-resource services.

    A service runs in one of three modes: ``data`` (methods return models), ``response``
    (``with_response``: they return ``APIResponse``) and ``stream`` (used by ``streamed``: the
    request gets ``"stream": true`` and the method returns the open ``Exchange``).
    """

    __slots__ = ("_mode", "_t")

    def __init__(self, transport: Transport, *, mode: Mode = "data") -> None:
        self._t = transport
        self._mode = mode

    def __repr__(self) -> str:
        return f"<{type(self).__name__} api_version={self._t.config.api_version!r}>"

    @property
    def with_response(self: S) -> WithResponse[S]:
        """The same methods, returning ``APIResponse`` (data + request id, headers, rate limit)."""
        return cast(WithResponse[S], type(self)(self._t, mode="response"))

    def _require(self, api_version: str, operation: str) -> None:
        if self._t.config.api_version != api_version:
            from .._errors import UnsupportedError

            raise UnsupportedError(
                f"{operation} exists only in the Assistants API {api_version}; this client uses "
                f"api_version={self._t.config.api_version!r} (pass api_version={api_version!r})"
            )

    async def _call(
        self,
        method: str,
        path: str,
        cast_to: type[T],
        options: RequestOptions,
        *,
        body: Mapping[str, Any] | None = None,
        query: Mapping[str, Any] | None = None,
    ) -> T:
        payload = None if body is None else build_body(self._t.config.api_version, body)
        if self._mode == "stream":
            payload = {**(payload or {}), "stream": True}
            exchange = await self._t.send(
                method, path, query=query, body=payload, options=options, stream=True
            )
            return cast(T, exchange)  # only `streamed` calls in this mode, and it expects this
        response = await self._t.request(
            method, path, cast_to=cast_to, query=query, body=payload, options=options
        )
        # In response mode the caller's static type is WithResponse, which says APIResponse.
        return cast(T, response) if self._mode == "response" else cast(T, response.data)

    def _list(
        self,
        path: str,
        item: type[T],
        options: RequestOptions,
        *,
        limit: int | NotGiven,
        order: str | NotGiven,
        after: str | NotGiven,
        before: str | NotGiven,
        max_items: int | None,
        prefetch: bool,
        query: Mapping[str, Any] | None = None,
    ) -> AsyncPager[T]:
        params = check_list_params(
            limit=limit, order=order, after=after, before=before, max_items=max_items
        )
        extra = {
            k: check_id(k, v) if k.endswith("_id") else v
            for k, v in (query or {}).items()
            if not isinstance(v, NotGiven)
        }
        items_type = list[item]  # type: ignore[valid-type]

        async def fetch(page_query: dict[str, Any]) -> Page[T]:
            response = await self._t.request(
                "GET", path, cast_to=None, query={**page_query, **extra}, options=options
            )
            strict = self._t.config.strict
            return parse_page(
                response.data,
                limit=params.limit,
                structure_items=lambda raw: read(
                    raw, items_type, strict=strict, request_id=response.request_id, path="$.data"
                ),
                request_id=response.request_id,
                strict=strict,
            )

        return AsyncPager(fetch, params, max_items=max_items, prefetch=prefetch)

    def _include(self, include: Sequence[str] | NotGiven) -> dict[str, Any] | None:
        """The ``include[]`` query parameter (v2 only)."""
        if isinstance(include, NotGiven):
            return None
        check_version(self._t.config.api_version, "include")
        if isinstance(include, str) or not all(isinstance(i, str) for i in include):
            raise TypeError("include must be a list of strings")
        return {"include[]": list(include)}
